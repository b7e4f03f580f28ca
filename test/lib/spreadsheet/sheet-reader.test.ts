import t from 'tap'
import { BATCH_TEMPLATE } from '../../../src/features/batch-import/read.ts'
import { ATTENDANCE_SHEET, type SheetReading } from '../../../src/features/candidates/ods/import.ts'
import { type SheetParser, SheetReader } from '../../../src/lib/spreadsheet/sheet-reader.ts'
import { buildOdsTemplate } from '../../../src/features/batch-import/template.ts'
import { manyCellsSheet } from '../../lib/hostile.ts'
import { fixture } from '../../features/candidates/fixtures/sheets.ts'

const rowsOf = (reading: SheetReading) => (reading.ok ? reading.value.length : reading.refused.key)
/** An attendance sheet, read in the reader's process. */
const read = (reader: SheetReader, buffer: Buffer) => reader.run(ATTENDANCE_SHEET, buffer)

t.test('a file that needs more memory than the reader has is stopped with a French message; the next file is read', async (t) => {
  // 32 MB of heap: a real sheet fits; 198,000 cells (just under the pre-scan's limit) do not, on
  // Node 20 and 24 alike (a sheet of long texts no longer does: Node 24 keeps them in far less memory).
  // 24 MB left a real sheet too little room on a first read in CI now and then (the reader also loads
  // the header matcher and the birthplace rules): the margin is the real sheet's, not the large one's.
  const reader = new SheetReader({ timeoutMs: 120_000, maxOldGenerationSizeMb: 32, maxQueue: 8 })
  t.teardown(() => reader.close())
  const first = await read(reader, fixture('filled.ods'))
  t.equal(rowsOf(first), 10, `a real sheet fits (${JSON.stringify(rowsOf(first))})`)
  t.same(
    await read(reader, manyCellsSheet()),
    { ok: false, reason: 'refused', refused: { key: 'candidates.import.too_complex', params: undefined } },
    '198,000 cells do not',
  )
  t.equal(rowsOf(await read(reader, fixture('filled.ods'))), 10, 'a new reader took over')
})

t.test('a file that takes longer than the time limit is stopped with a French message', async (t) => {
  const reader = new SheetReader({ timeoutMs: 1, maxOldGenerationSizeMb: 256, maxQueue: 8 })
  t.teardown(() => reader.close())
  const [first, second] = await Promise.all([read(reader, fixture('filled.ods')), read(reader, fixture('filled.ods'))])
  t.same(first, { ok: false, reason: 'refused', refused: { key: 'candidates.import.too_slow', params: undefined } })
  t.same(
    second,
    { ok: false, reason: 'refused', refused: { key: 'candidates.import.too_slow', params: undefined } },
    'the one queued behind too, each on its own reader',
  )
})

t.test('files queue for the reader, in order; beyond the queue the answer is "try again"', async (t) => {
  const reader = new SheetReader({ timeoutMs: 120_000, maxOldGenerationSizeMb: 256, maxQueue: 2 })
  t.teardown(() => reader.close())
  const readings = await Promise.all(
    [fixture('filled.ods'), fixture('header-only.ods'), fixture('no-header.ods'), fixture('filled.ods')].map((f) => read(reader, f)),
  )
  t.same(readings.map(rowsOf), [10, 'candidates.import.no_candidates', 'candidates.import.no_header', 'candidates.import.busy'])
})

t.test('the reader runs the parser it is given, loading only its module: a batch template, then an attendance sheet', async (t) => {
  const reader = new SheetReader()
  t.teardown(() => reader.close())
  const template = await reader.run(BATCH_TEMPLATE, buildOdsTemplate())
  t.same(template, { ok: true, value: [], header: { line: 1, ignored: [] } }, 'the empty template: its header line, no line')
  t.equal(rowsOf(await read(reader, fixture('filled.ods'))), 10, 'the same process reads an attendance sheet next')
  const missing: SheetParser<SheetReading> = { module: ATTENDANCE_SHEET.module, name: 'noSuchParser' }
  t.same(
    await reader.run(missing, fixture('filled.ods')),
    { ok: false, reason: 'refused', refused: { key: 'candidates.import.unreadable', params: undefined } },
    'a parser the module does not export',
  )
})
