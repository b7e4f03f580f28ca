import { templateTitles } from '../../src/features/batch-import/columns.ts'

/** One template line: session columns then candidate columns (blank = ''). */
export type Line = Partial<
  Record<
    | 'number'
    | 'site'
    | 'room'
    | 'date'
    | 'time'
    | 'invigilators'
    | 'observations'
    | 'last'
    | 'first'
    | 'birthdate'
    | 'city'
    | 'dept'
    | 'country'
    | 'email'
    | 'ext'
    | 'extra',
    string
  >
>
const ORDER = [
  'number',
  'site',
  'room',
  'date',
  'time',
  'invigilators',
  'observations',
  'last',
  'first',
  'birthdate',
  'city',
  'dept',
  'country',
  'email',
  'ext',
  'extra',
] as const
const quote = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
export function csvOf(lines: Line[], header = templateTitles()): Buffer {
  const rows = [header, ...lines.map((l) => ORDER.map((k) => l[k] ?? ''))]
  return Buffer.from('\ufeff' + rows.map((r) => r.map(quote).join(';')).join('\r\n') + '\r\n', 'utf8')
}
