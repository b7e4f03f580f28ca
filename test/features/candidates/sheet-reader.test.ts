import t from 'tap'
import { SheetReader } from '../../../src/features/candidates/ods/sheet-reader.ts'
import { manyCellsSheet } from '../../lib/hostile.ts'
import { fixture } from './fixtures/sheets.ts'

const rowsOf = (reading: Awaited<ReturnType<SheetReader['read']>>) => (reading.ok ? reading.value.length : reading.refused.key)

t.test('a file that needs more memory than the reader has is stopped with a French message; the next file is read', async (t) => {
  // 32 MB of heap: a real sheet fits; 198,000 cells (just under the pre-scan's limit) do not, on
  // Node 20 and 24 alike (a sheet of long texts no longer does: Node 24 keeps them in far less memory).
  // 24 MB left a real sheet too little room on a first read in CI now and then (the reader also loads
  // the header matcher and the birthplace rules): the margin is the real sheet's, not the large one's.
  const reader = new SheetReader({ timeoutMs: 120_000, maxOldGenerationSizeMb: 32, maxQueue: 8 })
  t.teardown(() => reader.close())
  const first = await reader.read(fixture('filled.ods'))
  t.equal(rowsOf(first), 10, `a real sheet fits (${JSON.stringify(rowsOf(first))})`)
  t.same(
    await reader.read(manyCellsSheet()),
    { ok: false, reason: 'refused', refused: { key: 'candidates.import.too_complex', params: undefined } },
    '198,000 cells do not',
  )
  t.equal(rowsOf(await reader.read(fixture('filled.ods'))), 10, 'a new reader took over')
})

t.test('a file that takes longer than the time limit is stopped with a French message', async (t) => {
  const reader = new SheetReader({ timeoutMs: 1, maxOldGenerationSizeMb: 256, maxQueue: 8 })
  t.teardown(() => reader.close())
  const [first, second] = await Promise.all([reader.read(fixture('filled.ods')), reader.read(fixture('filled.ods'))])
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
    [fixture('filled.ods'), fixture('header-only.ods'), fixture('no-header.ods'), fixture('filled.ods')].map((f) => reader.read(f)),
  )
  t.same(readings.map(rowsOf), [10, 'candidates.import.no_candidates', 'candidates.import.no_header', 'candidates.import.busy'])
})
