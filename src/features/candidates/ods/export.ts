import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import type * as XLSX from 'xlsx'
import { t } from '../../../i18n/index.ts'
import { addMinutes, formatDateShort } from '../../../lib/dates.ts'
import { loadSheetJS } from '../../../lib/lazy-modules.ts'
import type { SessionRow } from '../../sessions/index.ts'
import { accessibilityCell } from '../candidate-rules.ts'
import type { CandidateRow } from '../candidates.table.ts'
import { FIRST_TITLE_COLUMN, HEADER_ROW, MIN_BLANK_ROWS, MIN_NUMBERED_ROWS, SHEET_COLUMNS } from './sheet-layout.ts'

const SESSION_LENGTH_MINUTES = 120

type SheetSession = Pick<SessionRow, 'id' | 'date' | 'start_time' | 'site_name' | 'room' | 'invigilators'>
type SheetCandidate = Pick<
  CandidateRow,
  'last_name' | 'first_name' | 'birthdate' | 'birth_city' | 'birth_department_code' | 'birth_country' | 'email' | 'external_id' | 'extra_time_percentage'
> &
  Partial<Pick<CandidateRow, 'accessibility_needed' | 'accessibility_note' | 'accommodation_approved_by' | 'accommodation_approved_on'>>

export function attendanceSheetFileName(sessionId: number): string {
  return `feuille-emargement-session-${sessionId}.ods`
}

/** Every value is written as a text cell: never a formula, even for text starting with '='. */
const text = (v: string): XLSX.CellObject => ({ t: 's', v })

function candidateCells(c: SheetCandidate): string[] {
  return [
    c.last_name,
    c.first_name,
    c.birthdate ? formatDateShort(c.birthdate) : '',
    c.birth_city,
    c.birth_department_code,
    c.birth_country,
    c.email ?? '',
    c.external_id ?? '',
    c.extra_time_percentage ? `${c.extra_time_percentage} %` : '',
    accessibilityCell(c),
    c.accommodation_approved_by ?? '',
    c.accommodation_approved_on ? formatDateShort(c.accommodation_approved_on) : '',
  ]
}

function buildWorksheet(session: SheetSession, candidates: SheetCandidate[]): XLSX.WorkSheet {
  const rows: Array<Array<XLSX.CellObject | null>> = []
  const put = (r: number, c: number, cell: XLSX.CellObject) => {
    while (rows.length <= r) rows.push([])
    rows[r]![c] = cell
  }
  put(0, 0, text(t('candidates.sheet.title')))
  put(2, 1, text(t('candidates.sheet.session_block')))
  put(2, 6, text(t('candidates.sheet.session_number')))
  put(2, 8, { t: 'n', v: session.id })
  put(3, 1, text(t('candidates.sheet.date')))
  put(3, 3, text(formatDateShort(session.date)))
  put(3, 6, text(t('candidates.sheet.invigilators')))
  put(3, 8, text(session.invigilators))
  put(4, 1, text(t('candidates.sheet.times')))
  put(4, 3, text(session.start_time))
  put(4, 4, text(addMinutes(session.start_time, SESSION_LENGTH_MINUTES)))
  put(5, 1, text(t('candidates.sheet.site')))
  put(5, 3, text(session.site_name))
  put(5, 6, text(t('candidates.sheet.invigilators_signature')))
  put(6, 1, text(t('candidates.sheet.room')))
  put(6, 3, text(session.room))
  put(8, 0, text(t('candidates.sheet.participants')))
  put(HEADER_ROW, 0, text(t('candidates.sheet.col.number')))
  SHEET_COLUMNS.forEach((col, i) => put(HEADER_ROW, FIRST_TITLE_COLUMN + i, text(t(col.title))))

  const total = Math.max(candidates.length + MIN_BLANK_ROWS, MIN_NUMBERED_ROWS)
  for (let i = 0; i < total; i++) {
    const r = HEADER_ROW + 1 + i
    put(r, 0, { t: 'n', v: i + 1 })
    const candidate = candidates[i]
    if (candidate) candidateCells(candidate).forEach((v, j) => v && put(r, FIRST_TITLE_COLUMN + j, text(v)))
  }

  const ws = loadSheetJS().utils.aoa_to_sheet([[]], { dense: true }) as XLSX.WorkSheet & { '!data': Array<Array<XLSX.CellObject | null>> }
  ws['!data'] = rows.map((row) => Array.from({ length: SHEET_COLUMNS.length + 1 }, (_, c) => row[c] ?? null)) as never
  ws['!ref'] = loadSheetJS().utils.encode_range({ s: { r: 0, c: 0 }, e: { r: rows.length - 1, c: SHEET_COLUMNS.length } })
  ws['!cols'] = [{ wch: 3 }, ...SHEET_COLUMNS.map((c) => ({ wch: c.width }))]
  // labels over two columns, long values over several, so nothing is cut
  const merge = (r: number, c1: number, c2: number) => ({ s: { r, c: c1 }, e: { r, c: c2 } })
  ws['!merges'] = [
    merge(2, 1, 2),
    merge(3, 1, 2),
    merge(4, 1, 2),
    merge(5, 1, 2),
    merge(6, 1, 2),
    merge(2, 6, 7),
    merge(3, 6, 7),
    merge(5, 6, 7),
    merge(3, 8, 11),
    merge(5, 3, 5),
    merge(6, 3, 5),
  ]
  ws['!rows'] = rows.map((_, r) => (r === HEADER_ROW ? { hpx: 64 } : r > HEADER_ROW ? { hpx: 30 } : { hpx: 20 }))
  return ws
}

// A4 landscape; the columns are sized to fit its width at 100 % (LibreOffice loses a
// "fit to width" setting when it re-saves the file, then prints a blank page).
const MASTER_STYLES =
  '<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" ' +
  'style:print-orientation="landscape" fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="0.8cm" fo:margin-right="0.8cm" ' +
  'style:print-page-order="ttb" style:print="objects charts drawings zero-values" style:first-page-number="continue" style:scale-to="100%" style:writing-mode="lr-tb"/>' +
  '<style:header-style><style:header-footer-properties fo:min-height="0cm"/></style:header-style>' +
  '<style:footer-style><style:header-footer-properties fo:min-height="0.75cm" fo:margin-top="0.25cm"/></style:footer-style></style:page-layout></office:automatic-styles>' +
  '<office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1"><style:header style:display="false"/>' +
  '<style:footer><text:p><text:page-number>1</text:page-number></text:p></style:footer></style:master-page></office:master-styles>'

const CELL_STYLES =
  '<style:style style:name="ceTitle" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>' +
  '<style:style style:name="ceLabel" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:font-weight="bold"/></style:style>' +
  '<style:style style:name="ceHead" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties fo:wrap-option="wrap" ' +
  'style:vertical-align="middle" fo:background-color="#e6eef8" fo:border="0.06pt solid #000000"/><style:paragraph-properties fo:text-align="center"/>' +
  '<style:text-properties fo:font-weight="bold" fo:font-size="9pt"/></style:style>' +
  '<style:style style:name="ceCell" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties fo:wrap-option="wrap" ' +
  'style:vertical-align="middle" fo:border="0.06pt solid #000000"/><style:text-properties fo:font-size="10pt"/></style:style>'

/** Styles SheetJS cannot write: bold labels, the framed table, the header's wrapping, the page. */
function decorate(content: string, headerRow: number, lastRow: number): string {
  let row = -1
  const styled = content.replace(/<table:table-row\b[^>]*>[\s\S]*?<\/table:table-row>/g, (xml) => {
    row += 1
    const style =
      row === 0 ? 'ceTitle' : row === headerRow ? 'ceHead' : row > headerRow && row <= lastRow ? 'ceCell' : row === 8 || row === 2 ? 'ceLabel' : null
    if (!style) return xml
    return xml.replace(/<table:table-cell(?![^>]*table:style-name)/g, `<table:table-cell table:style-name="${style}"`)
  })
  return styled
    .replace('</office:automatic-styles>', `${CELL_STYLES}</office:automatic-styles>`)
    .replace('style:master-page-name="mp1"', 'style:master-page-name="Default"')
}

/** The attendance sheet (.ods): session block, then the participants' table, filled with the current candidates. */
export function buildAttendanceSheet(session: SheetSession, candidates: SheetCandidate[]): Buffer {
  const ws = buildWorksheet(session, candidates)
  const wb = loadSheetJS().utils.book_new()
  loadSheetJS().utils.book_append_sheet(wb, ws, t('candidates.sheet.name'))
  const raw = loadSheetJS().write(wb, { bookType: 'ods', type: 'buffer', compression: true }) as Buffer
  const lastRow = HEADER_ROW + Math.max(candidates.length + MIN_BLANK_ROWS, MIN_NUMBERED_ROWS)
  return repackOds(raw, (name, data) => {
    if (name === 'content.xml') return strToU8(decorate(strFromU8(data), HEADER_ROW, lastRow))
    if (name === 'styles.xml') return strToU8(strFromU8(data).replace(/<office:master-styles>[\s\S]*<\/office:master-styles>/, MASTER_STYLES))
    return data
  })
}

/**
 * SheetJS's .ods output as OpenDocument wants it: `mimetype` first and stored, so that a reader can
 * sniff it at byte 30 (zipSync keeps the order of the keys). Our own output, trusted: fflate
 * unpacks it. A fixed date (DOS time has no time zone): the same content always gives the same bytes.
 */
export function repackOds(raw: Buffer, transform: (name: string, data: Uint8Array) => Uint8Array = (_, data) => data): Buffer {
  const { mimetype, ...rest } = unzipSync(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength))
  const files: Zippable = { mimetype: [mimetype ?? strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }] }
  for (const [name, data] of Object.entries(rest)) files[name] = transform(name, data)
  return Buffer.from(zipSync(files, { level: 6, mtime: new Date(1980, 0, 1, 12) }))
}
