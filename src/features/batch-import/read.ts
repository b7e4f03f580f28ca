import { asNumber, type Msg, msg } from '../../i18n/index.ts'
import { toIsoDate } from '../../lib/dates.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import { loadSheetJS } from '../../lib/lazy-modules.ts'
import { CANDIDATE_FIELDS, birthdateValue, extraTimeValue } from '../candidates/index.ts'
import { type SheetParser, sheetReader } from '../../lib/spreadsheet/sheet-reader.ts'
import { type Cell, cellCalendarDate, cellText, isDateCell, MAX_SCANNED_ROWS, readCheckedSheets } from '../../lib/spreadsheet/checked-sheets.ts'
import type { BatchColumn } from './columns.ts'
import { CSV_LIMITS, type CsvProblem, readCsv } from './csv.ts'
import { type BatchRow, type CellValue, mapHeader, MAX_CANDIDATES, MAX_SESSIONS } from './plan.ts'

export const MAX_BATCH_BYTES = 5 * 1024 * 1024
/** Lines of one file, header aside: every candidate plus every empty session. */
const MAX_LINES = MAX_CANDIDATES + MAX_SESSIONS

/**
 * The lines of a template, with its header line and the titles of the columns the import does not
 * read (`header`, named in a notice), or why the file is refused as a whole.
 */
export type FileReading = (Ok<BatchRow[]> & { header?: { line: number; ignored: string[] } }) | Refusal

const tooManyLines = () => msg('batch.file.too_many_lines', { max: asNumber(MAX_LINES) })

function csvProblem(problem: CsvProblem): Msg {
  switch (problem.reason) {
    case 'too_big':
      return msg('batch.file.too_large')
    case 'binary':
      return msg('batch.file.not_text')
    case 'too_many_records':
      return tooManyLines()
    case 'too_many_fields':
      return msg('batch.csv.too_many_fields', { line: problem.line, max: problem.max })
    case 'record_too_long':
      return msg('batch.csv.record_too_long', { line: problem.line, max: asNumber(problem.max) })
    case 'unclosed_quote':
      return msg('batch.csv.unclosed_quote', { line: problem.line })
    case 'stray_quote':
      return msg('batch.csv.stray_quote', { line: problem.line })
  }
}

/** The template as a CSV file (Excel or LibreOffice "Enregistrer sous… CSV"). */
export function readBatchCsv(bytes: Uint8Array): FileReading {
  const reading = readCsv(bytes, { ...CSV_LIMITS, maxBytes: MAX_BATCH_BYTES, maxRecords: MAX_LINES + 1 })
  if (!reading.ok) return refused(csvProblem(reading.problem))
  const [header, ...records] = reading.records
  if (!header) return refused(msg('batch.file.empty'))
  const mapped = mapHeader(header.fields)
  if (!mapped.ok) return mapped
  const rows: BatchRow[] = records.map((record) => {
    const values: Partial<Record<BatchColumn, CellValue>> = {}
    for (const [field, index] of mapped.value.columns) values[field] = record.fields[index] ?? ''
    return { line: record.line, values, formulas: [] }
  })
  return { ...ok(rows), header: { line: header.line, ignored: mapped.value.ignored } }
}

/** A date cell as YYYY-MM-DD, a time cell as HH:MM (LibreOffice turns what people type into both). */
function sessionValue(field: BatchColumn, cell: Cell): CellValue {
  if (field === 'date') {
    const date = cellCalendarDate(cell)
    if (date) return toIsoDate(date)
  }
  if (field === 'startTime' && isDateCell(cell)) {
    const minutes = Math.round((cell.v - Math.floor(cell.v)) * 1440) % 1440
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
  }
  return cellText(cell)
}

/**
 * The template as an .ods file: the candidate import's reader (every hostile-file defence, formulas
 * never evaluated), then the first sheet whose first filled row is the template's header.
 */
export async function readBatchOds(buffer: Buffer): Promise<FileReading> {
  const checked = await readCheckedSheets(buffer)
  if (!checked.ok) return checked
  let refusal: Msg | null = null
  for (const sheet of checked.value) {
    const headerIndex = sheet.data.findIndex((row) => (row ?? []).some((cell) => cellText(cell).trim() !== ''))
    if (headerIndex === -1) continue
    const mapped = mapHeader((sheet.data[headerIndex] ?? []).map((cell) => cellText(cell)))
    if (!mapped.ok) {
      refusal ??= mapped.refused
      continue
    }
    if (sheet.fullRef && loadSheetJS().utils.decode_range(sheet.fullRef).e.r >= MAX_SCANNED_ROWS) return refused(tooManyLines())
    const rows: BatchRow[] = []
    for (let r = headerIndex + 1; r < sheet.data.length; r++) {
      const cells = sheet.data[r] ?? []
      const values: Partial<Record<BatchColumn, CellValue>> = {}
      const formulas: BatchColumn[] = []
      let empty = true
      for (const [field, index] of mapped.value.columns) {
        const cell = cells[index]
        if (typeof cell?.f === 'string') {
          formulas.push(field)
          empty = false
          continue
        }
        const value: CellValue =
          field === 'birthdate' || field === 'accommodationApprovedOn'
            ? birthdateValue(cell)
            : field === 'extraTime'
              ? extraTimeValue(cell)
              : (CANDIDATE_FIELDS as readonly string[]).includes(field)
                ? cellText(cell)
                : sessionValue(field, cell)
        if (typeof value !== 'string' || value.trim() !== '') empty = false
        values[field] = value
      }
      if (empty) continue
      rows.push({ line: r + 1, values, formulas })
      if (rows.length > MAX_LINES) return refused(tooManyLines())
    }
    return { ...ok(rows), header: { line: headerIndex + 1, ignored: mapped.value.ignored } }
  }
  return refused(refusal ?? msg('batch.file.no_header'))
}

/** .csv or .ods, told apart by content (an .ods is a ZIP: it starts with "PK"), never by the name alone. */
export async function readBatchFile(buffer: Buffer): Promise<FileReading> {
  if (buffer.length === 0) return refused(msg('batch.file.empty_file'))
  if (buffer.length > MAX_BATCH_BYTES) return refused(msg('batch.file.too_large'))
  // SheetJS runs in the sheet reader's process (time and memory limits), never on the event loop.
  if (buffer[0] === 0x50 && buffer[1] === 0x4b) return sheetReader.run(BATCH_TEMPLATE, buffer)
  return readBatchCsv(buffer)
}

/** `readBatchOds`, as the spreadsheet reader's process runs it (`sheetReader.run`). */
export const BATCH_TEMPLATE: SheetParser<FileReading> = { module: 'src/features/batch-import/read', name: 'readBatchOds' }
