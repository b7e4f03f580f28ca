import type * as XLSX from 'xlsx'
import { asNumber, msg } from '../../i18n/index.ts'
import type { CalendarDate } from '../dates.ts'
import { loadSheetJS } from '../lazy-modules.ts'
import { ok, type Ok, type Refusal, refused } from '../result.ts'
import { scanContent } from './content-scan.ts'
import { checkOdsFile, MAX_INFLATED_BYTES, zipErrorMessage } from './file-type.ts'
import { type ZipArchive, ZipError } from './zip.ts'

/** Rows of one list at most (2,000 candidates; as many lines of a batch-import template). */
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
