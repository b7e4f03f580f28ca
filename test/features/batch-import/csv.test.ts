import t from 'tap'
import { type CsvLimits, decodeCsv, readCsv } from '../../../src/features/batch-import/csv.ts'

const bytes = (text: string) => new TextEncoder().encode(text)
const fieldsOf = (text: string | Uint8Array, limits?: CsvLimits) => {
  const result = readCsv(typeof text === 'string' ? bytes(text) : text, limits)
  if (!result.ok) throw new Error(`unexpected problem: ${JSON.stringify(result.problem)}`)
  return result.records.map((r) => r.fields)
}

t.test('separators: semicolon or comma, detected from the header line', async (t) => {
  t.same(fieldsOf('a;b;c\n1;2;3\n'), [
    ['a', 'b', 'c'],
    ['1', '2', '3'],
  ])
  t.same(fieldsOf('a,b,c\n1,2,3'), [
    ['a', 'b', 'c'],
    ['1', '2', '3'],
  ])
  t.same(fieldsOf('a;"b,c";d\n'), [['a', 'b,c', 'd']], 'commas inside quotes do not count')
  t.same(fieldsOf('"sep=,"\na,b;c\n'), [['a', 'b;c']], 'Excel’s sep= hint wins')
  const hinted = readCsv(bytes('sep=;\nx;y\n'))
  t.ok(hinted.ok && hinted.records[0]!.line === 2, 'lines still count the hint line')
})

t.test('line ends, BOM, blank rows, empty trailing fields', async (t) => {
  t.same(
    fieldsOf('\ufeffa;b\r\n1;2\r\n'),
    [
      ['a', 'b'],
      ['1', '2'],
    ],
    'BOM dropped, CRLF',
  )
  t.same(
    fieldsOf('a;b\r1;2\r'),
    [
      ['a', 'b'],
      ['1', '2'],
    ],
    'old Mac CR',
  )
  t.same(
    fieldsOf('a;b\n\n;;\n1;\n'),
    [
      ['a', 'b'],
      ['1', ''],
    ],
    'blank and separator-only rows skipped',
  )
  const result = readCsv(bytes('h\n\nx\n'))
  t.same(result.ok && result.records.map((r) => r.line), [1, 3], 'line numbers as in the spreadsheet')
})

t.test('quotes: doubled quotes, line breaks inside, formulas stay text', async (t) => {
  t.same(fieldsOf('"Il a dit ""oui""";b\n'), [['Il a dit "oui"', 'b']])
  const multi = readCsv(bytes('a;"ligne 1\nligne 2"\nsuite;x\n'))
  t.ok(multi.ok)
  if (multi.ok) {
    t.same(multi.records[0]!.fields, ['a', 'ligne 1\nligne 2'])
    t.equal(multi.records[1]!.line, 3, 'the next record starts on the right line')
  }
  t.same(fieldsOf('=SUM(A1:A9);+33 6;-1;@cmd\n'), [['=SUM(A1:A9)', '+33 6', '-1', '@cmd']])
  t.same(fieldsOf('ab"c;d\n'), [['ab"c', 'd']], 'a quote inside an unquoted field is kept')
})

t.test('encodings: UTF-8, or Windows-1252 as Excel writes it', async (t) => {
  t.same(fieldsOf('Élodie;Zoé\n'), [['Élodie', 'Zoé']])
  const cp1252 = Uint8Array.from([0xc9, 0x6c, 0x6f, 0x64, 0x69, 0x65, 0x3b, 0x5a, 0x6f, 0xe9, 0x0a])
  t.same(fieldsOf(cp1252), [['Élodie', 'Zoé']])
  t.equal(decodeCsv(Uint8Array.from([0x80])), '€')
})

t.test('bounds and broken files are reported, never thrown', async (t) => {
  const limits: CsvLimits = { maxBytes: 200, maxRecords: 3, maxFields: 4, maxRecordLength: 30 }
  t.same(readCsv(bytes('x'.repeat(201)), limits), { ok: false, problem: { reason: 'too_big' } })
  t.same(readCsv(Uint8Array.from([0x61, 0, 0x62]), limits), { ok: false, problem: { reason: 'binary' } })
  t.same(readCsv(bytes('a\nb\nc\nd\n'), limits), { ok: false, problem: { reason: 'too_many_records', max: 3 } })
  t.same(readCsv(bytes('a;b;c;d;e\n'), limits), { ok: false, problem: { reason: 'too_many_fields', line: 1, max: 4 } })
  t.same(readCsv(bytes('ok\n' + 'y'.repeat(40) + '\n'), limits), { ok: false, problem: { reason: 'record_too_long', line: 2, max: 30 } })
  t.same(readCsv(bytes('ok\n"' + 'z'.repeat(40) + '"\n'), limits), { ok: false, problem: { reason: 'record_too_long', line: 2, max: 30 } }, 'quoted too')
  t.same(readCsv(bytes('a;"jamais fermé\n'), limits), { ok: false, problem: { reason: 'unclosed_quote', line: 1 } })
  t.same(readCsv(bytes('a;"b"c\n'), limits), { ok: false, problem: { reason: 'stray_quote', line: 1 } })
})
