import t from 'tap'
import { readBatchFile } from '../../../src/features/batch-import/read.ts'
import { prepareImport } from '../../../src/features/candidates/candidates.import.ts'
import { cellXml, contentXml, ods, tableXml } from '../../lib/ods.ts'
import { PIX_CANDIDATE, PIX_CSV_HEADER, PIX_SHEET_HEADER, pixCsv, pixSheet } from '../../lib/pix-files.ts'

/** Issue 24: a file with Pix Certif's titles meets every defence a file of ours meets, before its titles are read. */

const today = { y: 2026, m: 12, d: 6 }
const headerRow = (titles: string[]) => tableXml('x', [titles]).replace(/^<table:table[^>]*>|<\/table:table>$/g, '')
const bomb = (titles: string[], cells: string[]) =>
  ods([], {
    content: contentXml(
      `<table:table table:name="A">${headerRow(titles)}<table:table-row table:number-rows-repeated="1000000">${cells.map(cellXml).join('')}</table:table-row></table:table>`,
    ),
  })

t.test('a repeat bomb under Pix’s titles is refused before SheetJS reads it, in both importers', async (t) => {
  const sheet = await prepareImport(bomb(PIX_SHEET_HEADER, ['Dupont', 'Julie', 'F', '13/03/1996', '76351']), today)
  t.match(sheet, { ok: false, reason: 'refused', refused: { key: 'candidates.import.too_many' } })
  const batch = await readBatchFile(bomb(PIX_CSV_HEADER, ['', 'Lycée', 'Salle', '15/06/2030', '09:00', 'Eric']))
  t.match(batch, { ok: false, reason: 'refused', refused: { key: 'candidates.import.too_many' } })
})

t.test('a Pix sheet wider than the import reads is refused, naming where', async (t) => {
  const wide = ods([{ name: 'Liste', rows: [PIX_SHEET_HEADER, [...Array<string>(70).fill(''), 'x']] }])
  t.match(await prepareImport(wide, today), { ok: false, reason: 'refused', refused: { key: 'candidates.import.too_wide' } })
})

t.test('Pix’s CSV meets the CSV limits; a cell starting with = stays text', async (t) => {
  const tooManyFields = Buffer.concat([pixCsv([]), Buffer.from(`${';'.repeat(300)}\r\n`)])
  t.match(await readBatchFile(tooManyFields), { ok: false, reason: 'refused', refused: { key: 'batch.csv.too_many_fields' } })
  const reading = await readBatchFile(pixCsv([{ site: '=HYPERLINK("http://x")', ...PIX_CANDIDATE }]))
  t.ok(reading.ok && reading.value[0]!.values.siteName === '=HYPERLINK("http://x")', 'read as the text typed, never evaluated')
})

t.test('a formula in a Pix sheet’s code cell: its stored result is never used', async (t) => {
  const outcome = await prepareImport(pixSheet([{ ...PIX_CANDIDATE, insee: { formula: 'of:=76000+351', text: '76351' } }]), today)
  t.match(outcome, {
    ok: false,
    reason: 'invalid',
    errors: [{ line: 9, column: 'candidates.sheet.col.birth_insee_code', message: { key: 'candidates.import.formula' } }],
  })
})
