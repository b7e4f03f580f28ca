import type * as XLSX from 'xlsx'
import { asNumber, msg } from '../../../i18n/index.ts'
import type { CalendarDate } from '../../../lib/dates.ts'
import { loadSheetJS } from '../../../lib/lazy-modules.ts'
import { ok, type Ok, type Refusal, refused } from '../../../lib/result.ts'
import { BIRTH_CODE_FIELDS, type BirthCodeField } from '../birthplace.ts'
import { CANDIDATE_FIELDS, type CandidateInput } from '../candidate-rules.ts'
import { matchHeader, missingTitlesText } from '../header-match.ts'
import { scanContent } from '../../../lib/spreadsheet/content-scan.ts'
import { checkOdsFile, MAX_INFLATED_BYTES, zipErrorMessage } from '../../../lib/spreadsheet/file-type.ts'
import { candidateHeaderRules, type ImportField } from './sheet-layout.ts'
import { type ZipArchive, ZipError } from '../../../lib/spreadsheet/zip.ts'

export const MAX_IMPORT_ROWS = 2000
/** Rows SheetJS reads at most: room for the session block, the candidates and blank rows between them. */
export const MAX_SCANNED_ROWS = 10_000
/** The sheet has 12 columns; a few dozen leave room for a user's own notes beside them. */
export const MAX_COLUMNS = 64
/** Cells SheetJS may create (2,000 candidates × 12 columns is 24,000), repetitions included. */
const MAX_CELLS = 200_000
const MAX_ARRAY_FORMULAS = 100

const tooMany = () => msg('candidates.import.too_many', { max: asNumber(MAX_IMPORT_ROWS) })

/** The entries SheetJS's OpenDocument reader opens (parse_ods); meta.xml is left out: nothing is read from it. */
const SHEETJS_ENTRIES = ['mimetype', 'META-INF/manifest.xml', 'styles.xml', 'content.xml'] as const

/**
 * What SheetJS would do with the file, checked before it runs: it must take the OpenDocument path
 * (a manifest), and content.xml may not expand its repeated rows and cells beyond the import's
 * limits. Returns the checked entries, inflated once: they are all SheetJS gets.
 */
function checkOdsContent(archive: ZipArchive): Ok<Map<string, Buffer>> | Refusal {
  try {
    if (!archive.entries.has('META-INF/manifest.xml')) return refused(msg('candidates.import.not_ods'))
    const entries = new Map<string, Buffer>()
    let budget = MAX_INFLATED_BYTES
    for (const name of SHEETJS_ENTRIES) {
      if (!archive.entries.has(name)) continue
      const data = archive.read(name, budget)
      budget -= data.length
      entries.set(name, data)
    }
    if (entries.get('META-INF/manifest.xml')!.toString('utf8').includes('encryption-data')) return refused(msg('candidates.import.encrypted'))
    const xml = entries.get('content.xml')!.toString('utf8')
    const problem = scanContent(xml, { maxRows: MAX_SCANNED_ROWS, maxColumns: MAX_COLUMNS, maxCells: MAX_CELLS, maxArrayFormulas: MAX_ARRAY_FORMULAS })
    if (problem?.reason === 'rows') return refused(tooMany())
    if (problem?.reason === 'columns') return refused(msg('candidates.import.too_wide', { sheet: problem.sheet, line: problem.line, column: problem.column }))
    if (problem) return refused(msg('candidates.import.too_many_cells'))
    return ok(entries)
  } catch (error) {
    if (error instanceof ZipError) return refused(zipErrorMessage(error))
    throw error
  }
}

/** What SheetJS exports besides its typed API: its reader of an opened archive, and the container it reads. */
interface SheetJSInternals {
  parse_zip(container: unknown, options: XLSX.ParsingOptions): XLSX.WorkBook
  CFB: { utils: { cfb_new(): unknown; cfb_add(container: unknown, name: string, content: Buffer): unknown } }
}

/**
 * Exactly the entries checked above, in SheetJS's own container (what its ZIP reader makes of an
 * archive), handed to the reader behind `XLSX.read` (`parse_zip`): SheetJS reads the same bytes the
 * checks read, whatever the upload's headers said, and the archive is neither rebuilt nor read again.
 */
function readCheckedEntries(entries: Map<string, Buffer>, options: XLSX.ParsingOptions): XLSX.WorkBook {
  const sheetjs = loadSheetJS() as unknown as SheetJSInternals
  const container = sheetjs.CFB.utils.cfb_new()
  for (const [name, data] of entries) sheetjs.CFB.utils.cfb_add(container, name, data)
  return sheetjs.parse_zip(container, options)
}

/** One filled row of the sheet; `line` is the row number LibreOffice shows. */
export interface SheetRow {
  line: number
  values: CandidateInput
  /** The birthplace codes of a Pix-made sheet (absent: the file has no such column). */
  birthCodes?: Partial<Record<BirthCodeField, string>>
  /** Columns whose cell holds a formula (their value is left empty: a formula's result is never used). */
  formulas: ImportField[]
}

/**
 * The rows of the attendance sheet, with the titles of the columns it does not read (`ignored`,
 * named in a notice), or why the file is refused as a whole.
 */
export type SheetReading = (Ok<SheetRow[]> & { ignored?: string[] }) | Refusal

export type Cell = XLSX.CellObject | null | undefined

export function cellText(cell: Cell): string {
  if (!cell || cell.v === undefined || cell.v === null) return ''
  if (cell.t === 'e') return cell.w ?? ''
  return String(cell.v)
}

/** True for a number cell formatted as a date or time (LibreOffice turns what people type into these). */
export function isDateCell(cell: Cell): cell is XLSX.CellObject & { v: number } {
  return !!cell && cell.t === 'n' && typeof cell.v === 'number' && !!cell.z && loadSheetJS().SSF.is_date(cell.z)
}

/** A date cell's exact calendar date (pure arithmetic on the serial, no time zone), or null for any other cell. */
export function cellCalendarDate(cell: Cell): CalendarDate | null {
  if (isDateCell(cell)) {
    const parts = loadSheetJS().SSF.parse_date_code(cell.v)
    if (parts) return { y: parts.y, m: parts.m, d: parts.d }
  }
  if (cell && cell.t === 'd' && cell.v instanceof Date) {
    return { y: cell.v.getUTCFullYear(), m: cell.v.getUTCMonth() + 1, d: cell.v.getUTCDate() }
  }
  return null
}

/** A date cell gives its exact calendar date; any other cell its text. */
export function birthdateValue(cell: Cell): string | CalendarDate {
  return cellCalendarDate(cell) ?? cellText(cell)
}

/** 33, 0.33 typed '33 %' (a percentage cell), or 0.33 typed '0,33' all mean 33 %. */
export function extraTimeValue(cell: Cell): string | number {
  if (cell && cell.t === 'n' && typeof cell.v === 'number') {
    const percent = String(cell.z ?? '').includes('%') || (cell.v > 0 && cell.v < 1)
    return percent ? Math.round(cell.v * 100 * 1e6) / 1e6 : cell.v
  }
  return cellText(cell)
}

type HeaderFound = { row: number; columns: Map<ImportField, number>; ignored: string[] } | { missing: string[][]; fromPix: boolean }

/** The header row (our titles or Pix Certif's, header-match.ts), or the first row that looks like an incomplete one. */
function findHeader(rows: Cell[][]): HeaderFound | null {
  const rules = candidateHeaderRules()
  let partial: { missing: string[][]; fromPix: boolean } | null = null
  for (let r = 0; r < rows.length; r++) {
    const match = matchHeader(
      (rows[r] ?? []).map((cell) => cellText(cell)),
      rules,
    )
    if (!match.missing.length) return { row: r, columns: match.columns, ignored: match.ignored }
    // a row with some of the titles is the header with columns removed or renamed
    if (!partial && match.columns.size >= 3) partial = { missing: match.missing, fromPix: match.fromPix }
  }
  return partial
}

/** Sheet names as SheetJS gives them: the attribute text, XML escapes included. */
function sheetName(raw: string): string {
  return raw.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (whole, dec?: string, hex?: string, name?: string) => {
    if (name) return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name.toLowerCase()] ?? whole
    const code = dec ? Number(dec) : Number.parseInt(hex!, 16)
    return code > 0x1f && code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

/**
 * Reads the participants of an attendance sheet: finds the sheet whose header row has the titles,
 * then every non-empty row under it. Never evaluates a formula and never reads LibreOffice's stored
 * result of one: a formula in a participant's cell is reported for that line.
 */
/** A sheet of a checked workbook: its name as SheetJS gives it, its cells (dense), its full range. */
export interface CheckedSheet {
  name: string
  data: Cell[][]
  fullRef?: string
}

/**
 * Every hostile-file defence of the import, then SheetJS: the sheets of an .ods file, or why it is
 * refused. Shared by the attendance sheet and the "Créer/éditer plusieurs sessions" template; runs
 * in the sheet reader's process only (sheet-worker.ts), never on the server's event loop.
 */
export async function readCheckedSheets(buffer: Buffer): Promise<Ok<CheckedSheet[]> | Refusal> {
  const file = await checkOdsFile(buffer)
  if (!file.ok) return file
  const checked = checkOdsContent(file.value)
  if (!checked.ok) return checked
  let workbook: XLSX.WorkBook
  try {
    // cellFormula: SheetJS marks formula cells (cell.f) so that they can be refused; it evaluates nothing.
    workbook = readCheckedEntries(checked.value, {
      dense: true,
      cellFormula: true,
      cellHTML: false,
      cellStyles: false,
      sheetRows: MAX_SCANNED_ROWS,
    })
  } catch {
    return refused(msg('candidates.import.unreadable'))
  }
  return ok(
    workbook.SheetNames.map((name) => {
      const sheet = workbook.Sheets[name] as XLSX.WorkSheet & { '!data'?: Cell[][]; '!fullref'?: string }
      return { name, data: sheet?.['!data'] ?? [], fullRef: sheet?.['!fullref'] }
    }),
  )
}

export async function readAttendanceSheet(buffer: Buffer): Promise<SheetReading> {
  const checked = await readCheckedSheets(buffer)
  if (!checked.ok) return checked
  let missing: { missing: string[][]; fromPix: boolean } | null = null
  let headerOnly: SheetReading | null = null
  const lists: Array<{ name: string; reading: SheetReading }> = []
  for (const { name, data, fullRef } of checked.value) {
    const header = findHeader(data)
    if (!header) continue
    if ('missing' in header) {
      missing ??= header
      continue
    }
    const reading = readRows(data, header.row, header.columns, fullRef, header.ignored)
    if (!reading.ok && reading.refused.key === 'candidates.import.no_candidates') headerOnly ??= reading
    else lists.push({ name: sheetName(name), reading })
  }
  // Importing one of several lists would silently drop the candidates of the others.
  if (lists.length > 1) return refused(msg('candidates.import.several_sheets', { sheets: lists.map((l) => `« ${l.name} »`).join(', ') }))
  if (lists.length === 1) return lists[0]!.reading
  if (headerOnly) return headerOnly
  if (missing) {
    // A Pix Certif file is told so: its titles are read here, only the one named is missing.
    const key = missing.fromPix ? 'candidates.import.pix_missing_columns' : 'candidates.import.missing_columns'
    return refused(msg(key, { columns: missingTitlesText(missing.missing) }))
  }
  return refused(msg('candidates.import.no_header'))
}

function readRows(data: Cell[][], headerRow: number, columns: Map<ImportField, number>, fullRef: string | undefined, ignored: string[]): SheetReading {
  if (fullRef && loadSheetJS().utils.decode_range(fullRef).e.r >= MAX_SCANNED_ROWS) return refused(tooMany())
  const rows: SheetRow[] = []
  for (let r = headerRow + 1; r < data.length; r++) {
    const cells = data[r] ?? []
    // A column missing from an older sheet (optional) reads as an empty cell.
    const cellOf = (field: ImportField) => {
      const index = columns.get(field)
      return index === undefined ? undefined : cells[index]
    }
    const formulas = [...CANDIDATE_FIELDS, ...BIRTH_CODE_FIELDS].filter((field) => typeof cellOf(field)?.f === 'string')
    // A formula cell counts as empty here: its cached result is never used.
    const at = (field: ImportField) => (formulas.includes(field) ? undefined : cellOf(field))
    const text = (field: ImportField) => cellText(at(field))
    const values: CandidateInput = {
      lastName: text('lastName'),
      firstName: text('firstName'),
      birthdate: birthdateValue(at('birthdate')),
      birthCity: text('birthCity'),
      birthDepartment: text('birthDepartment'),
      birthCountry: text('birthCountry'),
      email: text('email'),
      externalId: text('externalId'),
      extraTime: extraTimeValue(at('extraTime')),
      accessibilityNeeded: text('accessibilityNeeded'),
      accessibilityNote: '',
      // Optional columns: absent from an older sheet (then empty).
      accommodationApprovedBy: text('accommodationApprovedBy'),
      accommodationApprovedOn: birthdateValue(at('accommodationApprovedOn')),
    }
    // Only the code columns the file has (a sheet of ours has none: the birthplace is read as typed).
    const codes = BIRTH_CODE_FIELDS.filter((field) => columns.has(field))
    const birthCodes = codes.length ? Object.fromEntries(codes.map((field) => [field, text(field)])) : undefined
    const empty =
      !formulas.length && [...Object.values(values), ...Object.values(birthCodes ?? {})].every((v) => (typeof v === 'string' ? v.trim() === '' : false))
    if (empty) continue
    rows.push({ line: r + 1, values, formulas, ...(birthCodes ? { birthCodes } : {}) })
    if (rows.length > MAX_IMPORT_ROWS) return refused(tooMany())
  }
  if (rows.length === 0) return refused(msg('candidates.import.no_candidates'))
  return { ...ok(rows), ignored }
}
