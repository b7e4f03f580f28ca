import * as XLSX from 'xlsx'
import { type Msg, msg, t } from '../../../i18n/index.ts'
import type { CalendarDate } from '../../../lib/dates.ts'
import type { CandidateField, CandidateInput } from '../candidate-rules.ts'
import { checkOdsFile } from './file-type.ts'
import { importedColumns, titleKey } from './sheet-layout.ts'

export const MAX_IMPORT_ROWS = 2000
/** Rows SheetJS reads at most: room for the session block, the candidates and blank rows between them. */
const MAX_SCANNED_ROWS = 10_000

/** One filled row of the sheet; `line` is the row number LibreOffice shows. */
export interface SheetRow {
  line: number
  values: CandidateInput
}

export type SheetReading = { rows: SheetRow[] } | { error: Msg }

type Cell = XLSX.CellObject | null | undefined

function cellText(cell: Cell): string {
  if (!cell || cell.v === undefined || cell.v === null) return ''
  if (cell.t === 'e') return cell.w ?? ''
  return String(cell.v)
}

/** A date cell gives its exact calendar date (pure arithmetic on the serial, no time zone). */
function birthdateValue(cell: Cell): string | CalendarDate {
  if (cell && cell.t === 'n' && typeof cell.v === 'number' && cell.z && XLSX.SSF.is_date(cell.z)) {
    const parts = XLSX.SSF.parse_date_code(cell.v)
    if (parts) return { y: parts.y, m: parts.m, d: parts.d }
  }
  if (cell && cell.t === 'd' && cell.v instanceof Date) {
    return { y: cell.v.getUTCFullYear(), m: cell.v.getUTCMonth() + 1, d: cell.v.getUTCDate() }
  }
  return cellText(cell)
}

/** 33, 0.33 typed '33 %' (a percentage cell), or 0.33 typed '0,33' all mean 33 %. */
function extraTimeValue(cell: Cell): string | number {
  if (cell && cell.t === 'n' && typeof cell.v === 'number') {
    const percent = String(cell.z ?? '').includes('%') || (cell.v > 0 && cell.v < 1)
    return percent ? Math.round(cell.v * 100 * 1e6) / 1e6 : cell.v
  }
  return cellText(cell)
}

function findHeader(rows: Cell[][]): { row: number; columns: Map<CandidateField, number> } | { missing: string[] } | null {
  const wanted = importedColumns()
  let partial: string[] | null = null
  for (let r = 0; r < rows.length; r++) {
    const keys = new Map<string, number>()
    ;(rows[r] ?? []).forEach((cell, c) => {
      const key = titleKey(cellText(cell))
      if (key && !keys.has(key)) keys.set(key, c)
    })
    const found = wanted.filter((w) => keys.has(w.key))
    if (found.length === wanted.length) return { row: r, columns: new Map(wanted.map((w) => [w.field, keys.get(w.key)!])) }
    // a row with some of the titles is the header with columns removed or renamed
    if (!partial && found.length >= 3) partial = wanted.filter((w) => !keys.has(w.key)).map((w) => w.title)
  }
  return partial ? { missing: partial } : null
}

/**
 * Reads the participants of an attendance sheet: finds the header row by its titles, then
 * every non-empty row under it. Never evaluates a formula (LibreOffice's stored result is read).
 */
export function readAttendanceSheet(buffer: Buffer): SheetReading {
  const refused = checkOdsFile(buffer)
  if (refused) return { error: refused }
  let workbook: XLSX.WorkBook
  try {
    workbook = XLSX.read(buffer, { type: 'buffer', dense: true, cellFormula: false, cellHTML: false, cellStyles: false, sheetRows: MAX_SCANNED_ROWS })
  } catch {
    return { error: msg('candidates.import.unreadable') }
  }
  let missing: string[] | null = null
  for (const name of workbook.SheetNames) {
    const sheet = workbook.Sheets[name] as XLSX.WorkSheet & { '!data'?: Cell[][]; '!fullref'?: string }
    const data = sheet?.['!data'] ?? []
    const header = findHeader(data)
    if (!header) continue
    if ('missing' in header) {
      missing ??= header.missing
      continue
    }
    return readRows(data, header.row, header.columns, sheet['!fullref'])
  }
  if (missing) return { error: msg('candidates.import.missing_columns', { columns: missing.map((title) => `« ${t(title)} »`).join(', ') }) }
  return { error: msg('candidates.import.no_header') }
}

function readRows(data: Cell[][], headerRow: number, columns: Map<CandidateField, number>, fullRef?: string): SheetReading {
  if (fullRef && XLSX.utils.decode_range(fullRef).e.r >= MAX_SCANNED_ROWS) return { error: msg('candidates.import.too_many', { max: MAX_IMPORT_ROWS.toLocaleString('fr-FR') }) }
  const rows: SheetRow[] = []
  for (let r = headerRow + 1; r < data.length; r++) {
    const cells = data[r] ?? []
    const at = (field: CandidateField) => cells[columns.get(field)!]
    const text = (field: CandidateField) => cellText(at(field)).trim()
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
    }
    const empty = Object.values(values).every((v) => (typeof v === 'string' ? v.trim() === '' : false))
    if (empty) continue
    rows.push({ line: r + 1, values })
    if (rows.length > MAX_IMPORT_ROWS) return { error: msg('candidates.import.too_many', { max: MAX_IMPORT_ROWS.toLocaleString('fr-FR') }) }
  }
  if (rows.length === 0) return { error: msg('candidates.import.no_candidates') }
  return { rows }
}
