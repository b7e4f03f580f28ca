import t from 'tap'
import * as XLSX from 'xlsx'
import { readAttendanceSheet } from '../../../src/features/candidates/ods/import.ts'
import { importedColumns } from '../../../src/features/candidates/ods/sheet-layout.ts'
import { translate } from '../../../src/i18n/index.ts'

/** An .ods whose participants' header has the given titles, then one row of values. */
function sheet(titles: string[], values: Array<string | number>): Buffer {
  const ws = XLSX.utils.aoa_to_sheet([['Attendance sheet'], [], ['No.', ...titles], [1, ...values]])
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, ws, 'Attendance sheet')
  return Buffer.from(XLSX.write(wb, { type: 'buffer', bookType: 'ods' }) as ArrayBuffer)
}

const VALUES = ['Smith', 'Jane', '13/03/1996', 'Le Havre', '76', 'France', 'jane.smith@example.org', 'S-1', '33', 'oui']

t.test('the importer reads the English sheet’s titles as well as the French ones', async (t) => {
  const columns = importedColumns()
  for (const locale of ['fr', 'en'] as const) {
    const titles = columns.map((c) => translate(locale, c.title))
    const reading = await readAttendanceSheet(sheet(titles, VALUES))
    if (!reading.ok) {
      t.fail(`${locale}: refused ${JSON.stringify(reading.refused)}`)
      continue
    }
    t.equal(reading.value.length, 1, `${locale}: one candidate`)
    t.match(
      reading.value[0],
      { values: { lastName: 'Smith', firstName: 'Jane', birthCity: 'Le Havre', email: 'jane.smith@example.org', externalId: 'S-1' } },
      locale,
    )
  }
  t.match(columns.find((c) => c.field === 'lastName')?.keys, ['nomdenaissance', 'surnameatbirth'])
})

t.test('an English sheet without the optional column still imports; one without a required column names it', async (t) => {
  const columns = importedColumns()
  const required = columns.filter((c) => !c.optional)
  const reading = await readAttendanceSheet(
    sheet(
      required.map((c) => translate('en', c.title)),
      VALUES.slice(0, required.length),
    ),
  )
  t.ok(reading.ok, 'imports without “Arrangement”')
  const withoutFirstName = required.filter((c) => c.field !== 'firstName')
  const refused = await readAttendanceSheet(
    sheet(
      withoutFirstName.map((c) => translate('en', c.title)),
      VALUES.slice(0, withoutFirstName.length),
    ),
  )
  t.ok(!refused.ok && refused.refused.key === 'candidates.import.missing_columns', 'the missing column is named')
})
