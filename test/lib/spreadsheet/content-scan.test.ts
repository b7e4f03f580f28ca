import t from 'tap'
import * as XLSX from 'xlsx'
import { columnLetters, type ContentLimits, scanContent } from '../../../src/lib/spreadsheet/content-scan.ts'
import { contentXml, ods } from '../../lib/ods.ts'

const LIMITS: ContentLimits = { maxRows: 10_000, maxColumns: 64, maxCells: 200_000, maxArrayFormulas: 100 }
const text = (s: string, attributes = '') => `<table:table-cell office:value-type="string"${attributes}><text:p>${s}</text:p></table:table-cell>`
const table = (rows: string, name = 'A') => contentXml(`<table:table table:name="${name}">${rows}</table:table>`)
const scan = (rows: string, limits = LIMITS) => scanContent(table(rows), limits)
/** The end of a sheet as LibreOffice writes it: every empty row down to 1,048,576, 1,024 empty cells wide. */
const LO_END =
  '<table:table-row table:style-name="ro1" table:number-rows-repeated="1048553"><table:table-cell table:number-columns-repeated="1024"/></table:table-row><table:table-row table:style-name="ro1"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'

t.test('LibreOffice’s empty runs (a million rows, 1,024 or 16,384 columns) are fine: SheetJS does not expand them', async (t) => {
  t.equal(
    scan(
      `<table:table-column table:number-columns-repeated="16384"/><table:table-row>${text('Nom')}<table:table-cell table:style-name="ce1" table:number-columns-repeated="16383"/></table:table-row>${LO_END}`,
    ),
    null,
  )
  t.equal(scan(`<table:table-row table:number-rows-repeated="3">${text('Dupont')}${text('Julie')}</table:table-row>`), null, 'a few repeated rows with content')
  t.equal(
    scan(
      `<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="string" office:string-value="x" table:number-columns-repeated="16384"/></table:table-row>`,
    ),
    null,
    'a self-closing cell is stored once by SheetJS, whatever its repetitions',
  )
})

t.test('content repeated past the limits is refused, naming why', async (t) => {
  t.same(scan(`<table:table-row>${text('Nom')}</table:table-row><table:table-row table:number-rows-repeated="1000000">${text('Dupont')}</table:table-row>`), {
    reason: 'rows',
    sheet: 'A',
  })
  t.same(
    scan(
      `<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>`,
    ),
    { reason: 'rows', sheet: 'A' },
  )
  t.same(
    scan(`<table:table-row><table:table-cell/></table:table-row><table:table-row>${text('x', ' table:number-columns-repeated="16384"')}</table:table-row>`),
    { reason: 'columns', sheet: 'A', line: 2, column: 'BL' },
  )
  t.same(
    scan(`<table:table-row>${'<table:table-cell/>'.repeat(64)}${text('note')}</table:table-row>`),
    { reason: 'columns', sheet: 'A', line: 1, column: 'BL' },
    'content in column 65, even unrepeated',
  )
  t.same(
    scan(`<table:table-row table:number-rows-repeated="9000">${text('x', ' table:number-columns-repeated="30"')}</table:table-row>`),
    { reason: 'cells' },
    '270,000 cells within the rows and columns',
  )
  const sheets = Array.from(
    { length: 30 },
    (_, i) =>
      `<table:table table:name="S${i}"><table:table-row table:number-rows-repeated="2000">${text('x', ' table:number-columns-repeated="12"')}</table:table-row></table:table>`,
  ).join('')
  t.same(scanContent(contentXml(sheets), LIMITS), { reason: 'cells' }, 'the budget is for the whole document, every sheet counted')
  t.same(scan(`<table:table-row table:number-rows-repeated="Infinity">${text('x')}</table:table-row>`), { reason: 'cells' })
  t.same(
    scan(`<table:table-row table:number-rows-repeated="1e6">${text('x')}</table:table-row>`),
    { reason: 'rows', sheet: 'A' },
    'numbers read as SheetJS reads them',
  )
  t.same(
    scan(`<table:table-row table:number-rows-repeated="50000"><table:table-cell table:number-columns-repeated="3"></table:table-cell></table:table-row>`),
    { reason: 'rows', sheet: 'A' },
    'an open empty cell may be stored: counted',
  )
})

t.test('the scan reads attributes and tags as SheetJS does, so nothing it expands goes unseen', async (t) => {
  t.same(
    scan(`<table:table-row TABLE:NUMBER-ROWS-REPEATED="1000000">${text('x')}</table:table-row>`),
    { reason: 'rows', sheet: 'A' },
    'attribute names in capitals',
  )
  t.same(scan(`<table:table-row autre:number-rows-repeated="1000000">${text('x')}</table:table-row>`), { reason: 'rows', sheet: 'A' }, 'any namespace prefix')
  t.same(
    scan(`<table:table-row_x table:number-rows-repeated="1000000">${text('x')}</table:table-row_x>`),
    { reason: 'rows', sheet: 'A' },
    'a tag suffix SheetJS drops',
  )
  t.same(scan(`<table:table-row 行号="20000">${text('x')}</table:table-row>`), { reason: 'rows', sheet: 'A' }, 'an explicit row number')
  // A cell's own attributes are read only when its tag names one that counts (content-scan.ts): any spelling SheetJS reads still does.
  for (const [attribute, label] of [
    [' TABLE:NUMBER-COLUMNS-REPEATED="100"', 'capitals'],
    [' autre:Number-Columns-Repeated="100"', 'another prefix, mixed case'],
    [' number-columns-repeated_x="100"', 'no prefix and a suffix SheetJS drops (checked: SheetJS repeats that cell too)'],
  ]) {
    t.same(
      scan(`<table:table-row>${text('x', attribute!)}</table:table-row>`),
      { reason: 'columns', sheet: 'A', line: 1, column: 'BL' },
      `a cell's repeat: ${label}`,
    )
  }
  t.same(
    scan(
      `<table:table-row table:number-rows-repeated="300"><table:table-cell OFFICE:VALUE-TYPE="string" table:number-columns-repeated="64"/></table:table-row>`,
      {
        ...LIMITS,
        maxCells: 2,
        maxRows: 20_000,
      },
    ),
    null,
    'a self-closing string cell is stored once (its type read in capitals too)',
  )
  t.equal(
    scan(`<!-- <table:table-row table:number-rows-repeated="1000000"> -->${text('x')}<!-- </table:table-row> -->`),
    null,
    'commented out: SheetJS ignores it too',
  )
  const arrays = Array.from(
    { length: 101 },
    () =>
      '<table:table-cell table:formula="of:=1" table:number-matrix-columns-spanned="1" table:number-matrix-rows-spanned="1" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>',
  ).join('')
  t.same(scan(`<table:table-row>${arrays}</table:table-row>`, { ...LIMITS, maxColumns: 200 }), { reason: 'cells' }, 'array formulas beyond a hundred')
})

t.test('the scan counts the cells SheetJS creates: within the budget when accepted, past it when refused', async (t) => {
  const limits: ContentLimits = { maxRows: 200, maxColumns: 20, maxCells: 500, maxArrayFormulas: 5 }
  const documents: Array<[string, boolean]> = [
    [`<table:table-row table:number-rows-repeated="20">${text('x', ' table:number-columns-repeated="20"')}</table:table-row>`, true],
    [`<table:table-row table:number-rows-repeated="30">${text('x', ' table:number-columns-repeated="20"')}</table:table-row>`, false],
    [`<table:table-row table:number-rows-repeated="199">${text('x')}</table:table-row>${LO_END}`, true],
    [
      `<table:table-row table:number-rows-repeated="-5">${text('x')}</table:table-row><table:table-row table:number-rows-repeated="30">${text('x', ' table:number-columns-repeated="15"')}</table:table-row>`,
      true,
    ],
    [
      `<table:table-row table:number-rows-repeated="-5">${text('x')}</table:table-row><table:table-row table:number-rows-repeated="40">${text('x', ' table:number-columns-repeated="15"')}</table:table-row>`,
      false,
    ],
  ]
  for (const [rows, accept] of documents) {
    const xml = table(rows)
    const workbook = XLSX.read(ods([], { content: xml }), { type: 'buffer', dense: true, cellFormula: true, sheetRows: limits.maxRows })
    const data = (workbook.Sheets[workbook.SheetNames[0]!] as { '!data'?: unknown[][] })['!data'] ?? []
    const cells = data.reduce((n, row) => n + (row ? Object.keys(row).length : 0), 0)
    t.equal(scanContent(xml, limits) === null, accept, `${accept ? 'accepted' : 'refused'}: ${rows.slice(0, 100)}`)
    t.equal(cells <= limits.maxCells, accept, `SheetJS creates ${cells} cells`)
  }
})

t.test('column letters as LibreOffice shows them', async (t) => {
  t.same([0, 25, 26, 63, 701, 702, 16383].map(columnLetters), ['A', 'Z', 'AA', 'BL', 'ZZ', 'AAA', 'XFD'])
})
