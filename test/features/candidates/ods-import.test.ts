import t from 'tap'
import * as XLSX from 'xlsx'
import type { CandidateData } from '../../../src/features/candidates/candidate-rules.ts'
import { prepareImport } from '../../../src/features/candidates/candidates.import.ts'
import { readAttendanceSheet } from '../../../src/features/candidates/ods/import.ts'
import { SheetReader } from '../../../src/lib/spreadsheet/sheet-reader.ts'
import { fixture } from './fixtures/sheets.ts'

const today = { y: 2026, m: 11, d: 26 }

/** What Calc users typed in fixtures/filled.spec.json (typed dates became date cells). */
/** A candidate as the EXPECTED lines list it. */
const asExpected = (c: CandidateData) => [
  c.lastName,
  c.firstName,
  c.birthdate,
  c.birthCity,
  c.birthDepartmentCode,
  c.birthCountry,
  c.email,
  c.externalId,
  c.extraTimePercentage,
]

const EXPECTED = [
  ['Dupont', 'Julie', '1996-03-13', 'Le Havre', '76', 'France', 'julie.dupont@gmail.com', null, null],
  ['Durand', 'Michel', '2001-05-06', 'Bordeaux', '33', 'France', 'michel.durand@hotmail.fr', 'E-2041', 33],
  ['Neige', 'Jean', '1987-09-22', 'Montpellier', '34', 'France', null, '12345', 33],
  ["N'Guessan", 'Aïcha-Marie', '2003-02-01', 'Saint-Étienne', '42', 'France', 'aicha@exemple.fr', null, 33],
  ['Lefèvre', 'Zoé', '2000-02-29', 'Ajaccio', '2A', 'France', null, null, 50],
  ['Martin', 'Léa', '1999-07-07', 'Pointe-à-Pitre', '971', 'France', 'lea.martin@exemple.fr', null, null],
  ['Müller', 'Hans', '1990-08-15', 'Berlin', '99', 'Allemagne', null, null, null],
  ['Petit', 'Lou', '2010-01-01', 'Bourg-en-Bresse', '01', 'France', null, null, null],
  ['Formule', 'Texte', '2005-04-03', 'Lyon', '69', 'France', null, '=1+2', null],
  ['Bernard', 'Paul', '2000-12-12', 'Montpelier', '34', 'France', null, null, null],
]

// Date cells must give the same calendar day whatever the server's time zone: Node applies a
// change of process.env.TZ at once, and a reader started afterwards (its own process) inherits
// the zone, so the same import runs under each zone.
for (const zone of ['Pacific/Auckland', 'America/Los_Angeles', 'UTC']) {
  t.test(`the LibreOffice-filled sheet gives back exactly the rows typed (TZ=${zone})`, async (t) => {
    const previous = process.env.TZ
    process.env.TZ = zone
    t.teardown(() => {
      process.env.TZ = previous
    })
    t.equal(new Date(2021, 0, 1).getTimezoneOffset(), zone === 'Pacific/Auckland' ? -780 : zone === 'UTC' ? 0 : 480, 'the zone is in effect')
    const reader = new SheetReader()
    t.teardown(() => reader.close())
    const outcome = await prepareImport(fixture('filled.ods'), today, reader)
    if (!outcome.ok) throw new Error(`import refused: ${JSON.stringify(outcome)}`)
    t.same(outcome.value.candidates.map(asExpected), EXPECTED)
    t.same(outcome.value.warnings, [{ key: 'candidates.import.commune_warning', params: { line: 23, city: 'Montpelier', department: '34' } }])
  })
}

t.test('the header row is found by its titles and lines are LibreOffice row numbers, blank rows skipped', async (t) => {
  const reading = await readAttendanceSheet(fixture('filled.ods'))
  if (!reading.ok) throw new Error('refused')
  t.same(
    reading.value.map((r) => r.line),
    [11, 12, 14, 15, 18, 19, 20, 21, 22, 23],
  )
  t.match(reading.value[0]!.values.birthdate, { y: 1996, m: 3, d: 13 }, 'a real date cell')
  t.equal(reading.value[2]!.values.birthdate, '22/09/1987', 'a text date')
})

t.test('every bad line of errors.ods, naming the column', async (t) => {
  const outcome = await prepareImport(fixture('errors.ods'), today)
  if (outcome.ok || !('errors' in outcome)) throw new Error('should be invalid')
  t.same(
    outcome.errors.map((p) => [p.line, p.column, p.message.key]),
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
    [
      'Prénom',
      'NOM DE NAISSANCE',
      'Remarque',
      'Date de naissance',
      'Commune de naissance',
      'Code du departement de naissance',
      'Pays de naissance',
      'Adresse e-mail de convocation',
      'Identifiant local',
      'Temps majoré',
    ],
    ['Julie', 'Dupont', 'absente ?', '13/03/1996', 'Le Havre', 76, 'France', '', '', ''],
  ]
  const workbook = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(aoa), 'Autre nom')
  const reading = await readAttendanceSheet(XLSX.write(workbook, { bookType: 'ods', type: 'buffer' }) as Buffer)
  if (!reading.ok) throw new Error(JSON.stringify(reading))
  t.equal(reading.value.length, 1)
  t.equal(reading.value[0]!.line, 5)
  t.match(reading.value[0]!.values, { lastName: 'Dupont', firstName: 'Julie', birthdate: '13/03/1996', birthDepartment: '76' })
  const partial = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(partial, XLSX.utils.aoa_to_sheet([aoa[3]!.slice(0, 4), aoa[4]!.slice(0, 4)]), 'S')
  t.match(await readAttendanceSheet(XLSX.write(partial, { bookType: 'ods', type: 'buffer' }) as Buffer), {
    refused: { key: 'candidates.import.missing_columns' },
  })
})

t.test('hostile inputs are named', async (t) => {
  const refused = async (bytes: Buffer) => {
    const outcome = await prepareImport(bytes, today)
    return 'refused' in outcome ? outcome.refused.key : outcome.ok ? 'ok' : 'invalid'
  }
  t.equal(await refused(fixture('filled.xlsx')), 'candidates.import.is_xlsx')
  t.equal(await refused(fixture('filled.csv')), 'candidates.import.is_csv')
  t.equal(await refused(fixture('header-only.ods')), 'candidates.import.no_candidates')
  t.equal(await refused(fixture('template.ods')), 'candidates.import.no_candidates', 'the blank download')
  t.equal(await refused(fixture('no-header.ods')), 'candidates.import.no_header')
  t.equal(await refused(fixture('too-many.ods')), 'candidates.import.too_many')
  t.equal(await refused(Buffer.from('%PDF-1.7\n')), 'candidates.import.is_pdf')
  t.equal(await refused(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])), 'candidates.import.is_xls')
  t.equal(await refused(Buffer.alloc(0)), 'candidates.import.empty_file')
  t.equal(await refused(Buffer.from('<?xml version="1.0"?><office:document/>')), 'candidates.import.not_ods', 'a flat .fods')
  t.equal(await refused(Buffer.from('Nom;Prénom\nDupont;Julie\n')), 'candidates.import.is_csv')
})

t.test('a sheet resaved by LibreOffice, with its million empty rows at the end, imports exactly as typed', async (t) => {
  const outcome = await prepareImport(fixture('filled-xlsx-resaved.ods'), today)
  if (!outcome.ok) throw new Error(`import refused: ${JSON.stringify(outcome)}`)
  t.same(outcome.value.candidates.map(asExpected), EXPECTED)
})

t.test('repeat bombs are refused before SheetJS reads them', async (t) => {
  const { HEADER, candidateRow, cellXml, contentXml, ods, tableXml } = await import('../../lib/ods.ts')
  const header = tableXml('x', [HEADER]).replace(/^<table:table[^>]*>|<\/table:table>$/g, '')
  const rowXml = (attributes: string) => `<table:table-row${attributes}>${candidateRow(0).map(cellXml).join('')}</table:table-row>`
  const refused = async (content: string) => {
    const outcome = await prepareImport(ods([], { content }), today)
    return 'refused' in outcome ? outcome.refused : outcome.ok ? 'ok' : 'invalid'
  }
  t.match(await refused(contentXml(`<table:table table:name="A">${header}${rowXml(' table:number-rows-repeated="1000000"')}</table:table>`)), {
    key: 'candidates.import.too_many',
  })
  t.match(
    await refused(
      contentXml(
        `<table:table table:name="A"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`,
      ),
    ),
    { key: 'candidates.import.too_many' },
  )
  t.match(
    await refused(
      contentXml(
        `<table:table table:name="Feuille 1">${header}<table:table-row><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`,
      ),
    ),
    {
      key: 'candidates.import.too_wide',
      params: { sheet: 'Feuille 1', line: 2, column: 'BL' },
    },
  )
  t.equal(
    await refused(contentXml(`<table:table table:name="A">${header}${rowXml(' table:number-rows-repeated="2"')}</table:table>`)),
    'invalid',
    'a small repetition is read: the same candidate twice',
  )
})

t.test('a formula in a participant’s cell is reported, never evaluated nor its stored result used', async (t) => {
  const { candidateRow, participantsSheet } = await import('../../lib/ods.ts')
  const bytes = participantsSheet([
    candidateRow(0),
    candidateRow(1, {
      last: { formula: 'of:=HYPERLINK("http://evil.example/";"Dupont")', text: 'Dupont' },
      email: { formula: 'of:=WEBSERVICE("http://x/")', text: 'a@b.fr' },
    }),
  ])
  const reading = await readAttendanceSheet(bytes)
  if (!reading.ok) throw new Error(JSON.stringify(reading))
  t.same(reading.value[1]!.formulas, ['lastName', 'email'])
  t.equal(reading.value[1]!.values.lastName, '', 'the stored result "Dupont" is not read')
  const outcome = await prepareImport(bytes, today)
  if (outcome.ok || !('errors' in outcome)) throw new Error('should be invalid')
  t.same(
    outcome.errors.map((p) => [p.line, p.column, p.message.key]),
    [
      [3, 'candidates.sheet.col.last_name', 'candidates.import.formula'],
      [3, 'candidates.sheet.col.email', 'candidates.import.formula'],
    ],
  )
  const { t: translate } = await import('../../../src/i18n/index.ts')
  t.equal(
    translate('candidates.import.line', { line: 3, column: translate('candidates.sheet.col.last_name'), message: translate(outcome.errors[0]!.message) }),
    'Ligne 3 : colonne « Nom de naissance » — la cellule contient une formule : tapez la valeur elle-même.',
  )
})

t.test('several sheets: the one with the header is read; two lists are refused, naming them', async (t) => {
  const { HEADER, candidateRow, ods } = await import('../../lib/ods.ts')
  const notes = { name: 'Notes', rows: [['Penser aux badges'], ['Salle 2 fermée']] }
  const one = await readAttendanceSheet(ods([notes, { name: 'Liste', rows: [HEADER, candidateRow(0)] }, { name: 'Vide', rows: [HEADER] }]))
  if (!one.ok) throw new Error(JSON.stringify(one))
  t.equal(one.value.length, 1, 'notes and a header-only copy are ignored')
  t.match(
    await readAttendanceSheet(ods([{ name: 'Salle 1', rows: [HEADER, candidateRow(0)] }, notes, { name: 'Salle 2 & co', rows: [HEADER, candidateRow(1)] }])),
    {
      refused: { key: 'candidates.import.several_sheets', params: { sheets: '« Salle 1 », « Salle 2 & co »' } },
    },
  )
  t.match(
    await readAttendanceSheet(
      ods([
        { name: 'A', rows: [HEADER] },
        { name: 'B', rows: [HEADER] },
      ]),
    ),
    { refused: { key: 'candidates.import.no_candidates' } },
  )
})

t.test('an OpenDocument file SheetJS would not read as one, or a password-protected one, is named', async (t) => {
  const { manifest, zip } = await import('../../lib/ods.ts')
  const mimetype = { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true }
  const content = { name: 'content.xml', data: Buffer.from('<x/>') }
  t.match(
    await readAttendanceSheet(zip([mimetype, content, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }])),
    { refused: { key: 'candidates.import.not_ods' } },
    'no manifest',
  )
  const encrypted = manifest(undefined, '<manifest:encryption-data manifest:checksum="AAAA"/>')
  t.match(await readAttendanceSheet(zip([mimetype, { name: 'META-INF/manifest.xml', data: Buffer.from(encrypted) }, content])), {
    refused: { key: 'candidates.import.encrypted' },
  })
  // SheetJS looks content.xml up without case: only the exact entry checked reaches it (SheetJS gets the checked entries only).
  const { contentXml, tableXml, HEADER, candidateRow } = await import('../../lib/ods.ts')
  const bomb = contentXml(
    `<table:table table:name="A"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`,
  )
  const good = { name: 'content.xml', data: Buffer.from(contentXml(tableXml('Liste', [HEADER, candidateRow(0)]))) }
  const styles = { name: 'styles.xml', data: Buffer.from('<office:document-styles/>') }
  const hidden = zip([
    mimetype,
    { name: 'META-INF/manifest.xml', data: Buffer.from(manifest()) },
    { name: 'Autre/CONTENT.XML', data: Buffer.from(bomb) },
    good,
    styles,
  ])
  const reading = await readAttendanceSheet(hidden)
  t.ok(reading.ok && reading.value.length === 1, 'the checked content.xml is the one read, the other entry never reaches SheetJS')
  const twin = zip([mimetype, { name: 'META-INF/manifest.xml', data: Buffer.from(manifest()) }, good, { name: 'CONTENT.XML', data: Buffer.from(bomb) }])
  t.match(await readAttendanceSheet(twin), { refused: { key: 'candidates.import.tampered' } }, 'two names SheetJS would confuse are refused')
})
