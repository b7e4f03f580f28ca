import t from 'tap'
import { analyseFile } from '../../src/features/batch-import/batch-import.service.ts'
import { formatClock, todayInParis } from '../../src/lib/dates.ts'
import { build, createMember } from '../helper.ts'
import { csvOf } from '../lib/batch-csv.ts'

// The Paris clock is formatClock (src/lib/dates.ts): the pages show it, and the batch import
// ("Créer/éditer plusieurs sessions") compares it with the start time of a session planned today.

t.test('formatClock: wall-clock time in Paris, summer and winter, across midnight and the change of time', async (t) => {
  t.equal(formatClock('2026-01-15T13:05:00.000Z'), '14:05', 'winter: UTC+1')
  t.equal(formatClock('2026-07-01T12:05:00.000Z'), '14:05', 'summer: UTC+2')
  t.equal(formatClock('2026-01-15T23:30:00.000Z'), '00:30', 'after midnight in Paris, before in UTC')
  t.equal(formatClock('2026-03-29T00:59:00.000Z'), '01:59', 'the last minute of winter time')
  t.equal(formatClock('2026-03-29T01:00:00.000Z'), '03:00', 'the first of summer time')
  t.equal(formatClock('2026-07-01T12:05:09.000Z', true), '14:05:09', 'with seconds')
})

t.test('the batch import: a session today is past once its start time has gone by on the Paris clock', async (t) => {
  const server = await build(t)
  const { centreId } = await createMember(server)
  // 12:30 UTC on 1 July is 14:30 in Paris: a 14:00 session has started there, a 14:45 one has not (both later than 12:30 UTC).
  const now = new Date('2030-07-01T12:30:00.000Z')
  const today = todayInParis(now)
  const date = `${String(today.d).padStart(2, '0')}/${String(today.m).padStart(2, '0')}/${today.y}`
  const analyse = (time: string) =>
    analyseFile(server.db, centreId, csvOf([{ site: 'Lycée A', room: 'Salle 1', date, time, invigilators: 'Eric Martin' }]), now)
  const started = await analyse('14:00')
  t.ok(started.ok && started.value.errors.some((e) => e.message.key === 'batch.session.past'), '14:00 in Paris: past')
  const later = await analyse('14:45')
  t.ok(later.ok && !later.value.errors.some((e) => e.message.key === 'batch.session.past'), '14:45 in Paris: not past')
})
