import t from 'tap'
import * as XLSX from 'xlsx'
import { prepareImport } from '../../../src/features/candidates/candidates.import.ts'
import { readAttendanceSheet } from '../../../src/features/candidates/ods/import.ts'
import { fixture } from './fixtures/sheets.ts'

const today = { y: 2026, m: 11, d: 26 }

/** What Calc users typed in fixtures/filled.spec.json (typed dates became date cells). */
const EXPECTED = [
  ['Dupont', 'Julie', '1996-03-13', 'Le Havre', '76', 'France', 'julie.dupont@gmail.com', null, null],
  ['Durand', 'Michel', '2001-05-06', 'Bordeaux', '33', 'France', 'michel.durand@hotmail.fr', 'E-2041', 33],
  ['Neige', 'Jean', '1987-09-22', 'Montpellier', '34', 'France', null, '12345', 33],
  ['N\'Guessan', 'Aïcha-Marie', '2003-02-01', 'Saint-Étienne', '42', 'France', 'aicha@exemple.fr', null, 33],
  ['Lefèvre', 'Zoé', '2000-02-29', 'Ajaccio', '2A', 'France', null, null, 50],
  ['Martin', 'Léa', '1999-07-07', 'Pointe-à-Pitre', '971', 'France', 'lea.martin@exemple.fr', null, null],
  ['Müller', 'Hans', '1990-08-15', 'Berlin', '99', 'Allemagne', null, null, null],
  ['Petit', 'Lou', '2010-01-01', 'Bourg-en-Bresse', '01', 'France', null, null, null],
  ['Formule', 'Texte', '2005-04-03', 'Lyon', '69', 'France', null, '=1+2', null],
  ['Bernard', 'Paul', '2000-12-12', 'Montpelier', '34', 'France', null, null, null],
]

// Date cells must give the same calendar day whatever the server's time zone: Node applies a
// change of process.env.TZ at once, so the same import runs under each zone.
for (const zone of ['Pacific/Auckland', 'America/Los_Angeles', 'UTC']) {
  t.test(`the LibreOffice-filled sheet gives back exactly the rows typed (TZ=${zone})`, async (t) => {
    const previous = process.env.TZ
    process.env.TZ = zone
    t.teardown(() => {
      process.env.TZ = previous
    })
    t.equal(new Date(2021, 0, 1).getTimezoneOffset(), zone === 'Pacific/Auckland' ? -780 : zone === 'UTC' ? 0 : 480, 'the zone is in effect')
    const outcome = prepareImport(fixture('filled.ods'), today)
    if (outcome.kind !== 'ok') throw new Error(`import refused: ${JSON.stringify(outcome)}`)
    t.same(
      outcome.candidates.map((c) => [c.lastName, c.firstName, c.birthdate, c.birthCity, c.birthDepartmentCode, c.birthCountry, c.email, c.externalId, c.extraTimePercentage]),
      EXPECTED,
    )
    t.same(outcome.warnings, [{ key: 'candidates.import.commune_warning', params: { line: 23, city: 'Montpelier', department: '34' } }])
  })
}

t.test('the header row is found by its titles and lines are LibreOffice row numbers, blank rows skipped', async (t) => {
  const reading = readAttendanceSheet(fixture('filled.ods'))
  if ('error' in reading) throw new Error('refused')
  t.same(reading.rows.map((r) => r.line), [11, 12, 14, 15, 18, 19, 20, 21, 22, 23])
  t.match(reading.rows[0]!.values.birthdate, { y: 1996, m: 3, d: 13 }, 'a real date cell')
  t.equal(reading.rows[2]!.values.birthdate, '22/09/1987', 'a text date')
})

t.test('every bad line of errors.ods, naming the column', async (t) => {
  const outcome = prepareImport(fixture('errors.ods'), today)
  if (outcome.kind !== 'invalid') throw new Error('should be invalid')
  t.same(
    outcome.problems.map((p) => [p.line, p.column, p.message.key]),
    [
      [11, 'candidates.sheet.col.last_name', 'candidates.last_name.required'],
      [12, 'candidates.sheet.col.first_name', 'candidates.first_name.required'],
      [13, 'candidates.sheet.col.birthdate', 'candidates.birthdate.invalid'],
      [14, 'candidates.sheet.col.birthdate', 'candidates.birthdate.future'],
      [15, 'candidates.sheet.col.birthdate', 'candidates.birthdate.too_old'],
      [16, 'candidates.sheet.col.birth_department', 'candidates.birth_department.invalid'],
      [17, 'candidates.sheet.col.birth_country', 'candidates.birth_country.invalid'],
      [18, 'candidates.sheet.col.email', 'candidates.email.invalid'],
      [19, 'candidates.sheet.col.extra_time', 'candidates.extra_time.invalid'],
      [21, null, 'candidates.import.line_duplicate'],
      [22, 'candidates.sheet.col.birth_city', 'candidates.birth_city.required'],
      [23, 'candidates.sheet.col.birth_department', 'candidates.birth_department.required'],
      [24, 'candidates.sheet.col.birth_country', 'candidates.birth_country.required'],
      [25, 'candidates.sheet.col.birthdate', 'candidates.birthdate.required'],
    ],
  )
})

t.test('a header found lower in the sheet, with columns moved and titles retyped, still reads', async (t) => {
  const aoa = [
    ['Ma feuille à moi'],
    [],
    [],
    ['Prénom', 'NOM DE NAISSANCE', 'Remarque', 'Date de naissance', 'Commune de naissance', 'Code du departement de naissance', 'Pays de naissance', 'Adresse e-mail de convocation', 'Identifiant local', 'Temps majoré'],
    ['Julie', 'Dupont', 'absente ?', '13/03/1996', 'Le Havre', 76, 'France', '', '', ''],
  ]
  const workbook = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(aoa), 'Autre nom')
  const reading = readAttendanceSheet(XLSX.write(workbook, { bookType: 'ods', type: 'buffer' }) as Buffer)
  if ('error' in reading) throw new Error(JSON.stringify(reading))
  t.equal(reading.rows.length, 1)
  t.equal(reading.rows[0]!.line, 5)
  t.match(reading.rows[0]!.values, { lastName: 'Dupont', firstName: 'Julie', birthdate: '13/03/1996', birthDepartment: '76' })
  const partial = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(partial, XLSX.utils.aoa_to_sheet([aoa[3]!.slice(0, 4), aoa[4]!.slice(0, 4)]), 'S')
  t.match(readAttendanceSheet(XLSX.write(partial, { bookType: 'ods', type: 'buffer' }) as Buffer), { error: { key: 'candidates.import.missing_columns' } })
})

t.test('hostile inputs are named', async (t) => {
  const refused = (bytes: Buffer) => {
    const outcome = prepareImport(bytes, today)
    return outcome.kind === 'refused' ? outcome.message.key : outcome.kind
  }
  t.equal(refused(fixture('filled.xlsx')), 'candidates.import.is_xlsx')
  t.equal(refused(fixture('filled.csv')), 'candidates.import.is_csv')
  t.equal(refused(fixture('header-only.ods')), 'candidates.import.no_candidates')
  t.equal(refused(fixture('template.ods')), 'candidates.import.no_candidates', 'the blank download')
  t.equal(refused(fixture('no-header.ods')), 'candidates.import.no_header')
  t.equal(refused(fixture('too-many.ods')), 'candidates.import.too_many')
  t.equal(refused(Buffer.from('%PDF-1.7\n')), 'candidates.import.is_pdf')
  t.equal(refused(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])), 'candidates.import.is_xls')
  t.equal(refused(Buffer.alloc(0)), 'candidates.import.empty_file')
  t.equal(refused(Buffer.from('<?xml version="1.0"?><office:document/>')), 'candidates.import.not_ods', 'a flat .fods')
  t.equal(refused(Buffer.from('Nom;Prénom\nDupont;Julie\n')), 'candidates.import.is_csv')
})
