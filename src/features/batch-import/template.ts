import { t } from '../../i18n/index.ts'
import { loadSheetJS } from '../../lib/lazy-modules.ts'
import { repackOds } from '../candidates/index.ts'
import { templateTitles } from './columns.ts'

export const TEMPLATE_CSV_NAME = 'modele-creer-editer-plusieurs-sessions.csv'
export const TEMPLATE_ODS_NAME = 'modele-creer-editer-plusieurs-sessions.ods'

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`

/** What French Excel opens as columns: UTF-8 with a byte-order mark, `;` between quoted headers, CRLF. */
export function buildCsvTemplate(): Buffer {
  return Buffer.from(`\ufeff${templateTitles().map(quote).join(';')}\r\n`, 'utf8')
}

/** The same header row as a one-sheet .ods (every cell text, never a formula). */
export function buildOdsTemplate(): Buffer {
  const titles = templateTitles()
  const ws = loadSheetJS().utils.aoa_to_sheet([titles.map((v) => ({ t: 's', v }))])
  ws['!cols'] = titles.map((title) => ({ wch: Math.min(Math.max(title.length, 12), 40) }))
  const wb = loadSheetJS().utils.book_new()
  loadSheetJS().utils.book_append_sheet(wb, ws, t('batch.template.sheet_name'))
  return repackOds(loadSheetJS().write(wb, { bookType: 'ods', type: 'buffer', compression: true }) as Buffer)
}
