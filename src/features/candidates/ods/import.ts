import { asNumber, msg } from '../../../i18n/index.ts'
import type { CalendarDate } from '../../../lib/dates.ts'
import { loadSheetJS } from '../../../lib/lazy-modules.ts'
import { ok, type Ok, type Refusal, refused } from '../../../lib/result.ts'
import { type Cell, cellCalendarDate, cellText, MAX_IMPORT_ROWS, MAX_SCANNED_ROWS, readCheckedSheets } from '../../../lib/spreadsheet/checked-sheets.ts'
import type { SheetParser } from '../../../lib/spreadsheet/sheet-reader.ts'
import { BIRTH_CODE_FIELDS, type BirthCodeField } from '../birthplace.ts'
import { CANDIDATE_FIELDS, type CandidateInput } from '../candidate-rules.ts'
import { matchHeader, missingTitlesText } from '../header-match.ts'
import { candidateHeaderRules, type ImportField } from './sheet-layout.ts'

const tooMany = () => msg('candidates.import.too_many', { max: asNumber(MAX_IMPORT_ROWS) })

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

/** `readAttendanceSheet`, as the spreadsheet reader's process runs it (`sheetReader.run`). */
export const ATTENDANCE_SHEET: SheetParser<SheetReading> = { module: 'src/features/candidates/ods/import', name: 'readAttendanceSheet' }
