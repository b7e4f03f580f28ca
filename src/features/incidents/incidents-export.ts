import type { Db } from '../../db/database.ts'
import { msg, t } from '../../i18n/index.ts'
import { type CalendarDate, compareDates, formatDateShort, formatTimestamp, parseDate, toIsoDate } from '../../lib/dates.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { loadSheetJS } from '../../lib/lazy-modules.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { repackOds } from '../candidates/index.ts'
import { codeLabel } from './report-categories.ts'
import { listCentreIncidents } from './incidents.repository.ts'

/*
 * "Incidents out": the centre's reports over a date range, as the file an
 * académie or a disciplinary board asks for, in .ods and .csv. Written in French, like the PV
 * d'incident the reports come from.
 */

export const exportFields = ['du', 'au'] as const
/** A year of sessions at most per file. */
export const MAX_RANGE_DAYS = 366

export interface ExportRange {
  from: string
  to: string
}

const days = (d: CalendarDate) => Date.UTC(d.y, d.m - 1, d.d) / 86_400_000

export function validateRange(values: Record<(typeof exportFields)[number], string>): Result<ExportRange> {
  const errors: FieldErrors = {}
  const from = parseDate(values.du)
  const to = parseDate(values.au)
  if (!from) errors.du = msg('supervision.incidents.error.date')
  if (!to) errors.au = msg('supervision.incidents.error.date')
  if (from && to && compareDates(from, to) > 0) errors.au = msg('supervision.incidents.error.order')
  else if (from && to && days(to) - days(from) > MAX_RANGE_DAYS) errors.au = msg('supervision.incidents.error.range', { max: MAX_RANGE_DAYS })
  if (Object.keys(errors).length > 0 || !from || !to) return invalid(errors)
  return ok({ from: toIsoDate(from), to: toIsoDate(to) })
}

const INVIGILATOR_ACCESS_NAME = 'Surveillant (mot de passe de session)'

/** The file's rows: a header, then one row per report. */
export async function incidentRows(db: Db, centreId: number, range: ExportRange): Promise<string[][]> {
  const rows = await listCentreIncidents(db, centreId, range.from, range.to)
  const header = [
    'supervision.incidents.col.session',
    'supervision.incidents.col.date',
    'supervision.incidents.col.site',
    'supervision.incidents.col.room',
    'supervision.incidents.col.candidate',
    'supervision.incidents.col.code',
    'supervision.incidents.col.label',
    'supervision.incidents.col.category',
    'supervision.incidents.col.details',
    'supervision.incidents.col.recorded_at',
    'supervision.incidents.col.recorded_by',
    'supervision.incidents.col.when',
  ] as const
  return [
    header.map((key) => t(key)),
    ...rows.map((r) => [
      String(r.session_id),
      formatDateShort(r.date),
      r.site_name,
      r.room,
      `${r.last_name} ${r.first_name}`,
      r.code,
      t(codeLabel(r.code)),
      t(`finalisation.category.${r.category}` as Parameters<typeof t>[0]),
      r.details ?? '',
      formatTimestamp(r.recorded_at ?? r.created_at),
      r.user_first_name !== null ? `${r.user_first_name} ${r.user_last_name}` : r.recorded_by_access_id !== null ? INVIGILATOR_ACCESS_NAME : '',
      t(r.source === 'invigilator' ? 'supervision.incidents.during' : 'supervision.incidents.after'),
    ]),
  ]
}

export const exportFileName = (range: ExportRange, ext: 'ods' | 'csv') => `signalements-${range.from}-${range.to}.${ext}`

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`

/** What French Excel opens as columns: UTF-8 with a byte-order mark, `;` between quoted cells, CRLF. */
export function toCsv(rows: string[][]): Buffer {
  // A cell starting with = + - @ is a formula to a spreadsheet: written as text (CSV injection).
  const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)
  return Buffer.from(`\ufeff${rows.map((row) => row.map((v) => quote(safe(v))).join(';')).join('\r\n')}\r\n`, 'utf8')
}

/** One sheet, every cell text (never a formula). */
export function toOds(rows: string[][]): Buffer {
  const XLSX = loadSheetJS()
  const ws = XLSX.utils.aoa_to_sheet(rows.map((row) => row.map((v) => ({ t: 's', v }))))
  ws['!cols'] = rows[0]!.map(() => ({ wch: 20 }))
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, ws, t('supervision.incidents.sheet_name'))
  return repackOds(XLSX.write(wb, { bookType: 'ods', type: 'buffer', compression: true }) as Buffer)
}
