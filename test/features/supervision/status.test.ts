import t from 'tap'
import { allowedActions, type Attendance, candidateStatus, entryClosed, extraMinutes, theoreticalEnd } from '../../../src/features/supervision/status.ts'

const none: Attendance = { arrivedAt: null, confirmedAt: null, startedAt: null, endedAt: null }
const at = '2026-12-01T09:00:00.000Z'

t.test('each status follows from what happened', async (t) => {
  t.equal(candidateStatus(none), 'registered', 'Inscrit: has not joined')
  t.equal(candidateStatus({ ...none, arrivedAt: at }), 'waiting', 'En attente: joined, not confirmed')
  t.equal(candidateStatus({ ...none, arrivedAt: at, confirmedAt: at }), 'present', 'Présent: confirmed, not started')
  t.equal(candidateStatus({ ...none, confirmedAt: at }), 'present', 'confirmed before typing the code is Présent too')
  t.equal(candidateStatus({ ...none, arrivedAt: at, confirmedAt: at, startedAt: at }), 'started', 'En cours')
  t.equal(candidateStatus({ arrivedAt: at, confirmedAt: at, startedAt: at, endedAt: at }), 'ended', 'Terminé')
  // A cancelled confirmation after the start is impossible (the repository refuses it), and a
  // started course stays started whatever the confirmation column says.
  t.equal(candidateStatus({ ...none, startedAt: at }), 'started')
})

t.test('actions per status', async (t) => {
  const open = { finalised: false, entryClosed: false }
  t.match(allowedActions('registered', open), { confirm: true, cancel: false, end: false, endScreen: false, incident: false })
  t.match(allowedActions('waiting', open), { confirm: true, cancel: false, end: false })
  t.match(allowedActions('present', open), { confirm: false, cancel: true, end: false })
  t.match(allowedActions('started', open), { confirm: false, cancel: false, end: true, endScreen: true, incident: true })
  t.match(allowedActions('ended', open), { confirm: false, cancel: false, end: false, endScreen: true, incident: true })
})

t.test('after 24 hours only "Terminer le test" remains; a finalised session allows nothing', async (t) => {
  const closed = { finalised: false, entryClosed: true }
  t.match(allowedActions('waiting', closed), { confirm: false, cancel: false })
  t.match(allowedActions('present', closed), { confirm: false, cancel: false })
  t.match(allowedActions('started', closed), { end: true })
  for (const status of ['registered', 'waiting', 'present', 'started', 'ended'] as const) {
    t.same(
      allowedActions(status, { finalised: true, entryClosed: false }),
      { confirm: false, cancel: false, end: false, endScreen: false, incident: false },
      status,
    )
  }
})

t.test('theoretical end: start + duration + extra time', async (t) => {
  t.equal(theoreticalEnd('2026-12-01T09:00:00.000Z', 105, null).toISOString(), '2026-12-01T10:45:00.000Z', '105 min by default')
  t.equal(theoreticalEnd('2026-12-01T09:00:00.000Z', 105, 33).toISOString(), '2026-12-01T11:20:00.000Z', '+33 % of 105 = 34.65, rounded up to 35 min')
  t.equal(theoreticalEnd('2026-12-01T09:00:00.000Z', 60, 50).toISOString(), '2026-12-01T10:30:00.000Z', 'the session duration counts')
  t.equal(theoreticalEnd('2026-12-01T23:30:00.000Z', 105, null).toISOString(), '2026-12-02T01:15:00.000Z', 'past midnight')
  t.equal(extraMinutes(105, 0), 0)
  t.equal(extraMinutes(100, 25), 25)
})

t.test('entry closes 24 hours after the first start', async (t) => {
  const first = '2026-12-01T09:00:00.000Z'
  t.equal(entryClosed(null, new Date('2030-01-01')), false, 'nobody started: open')
  t.equal(entryClosed(first, new Date('2026-12-02T08:59:59.000Z')), false)
  t.equal(entryClosed(first, new Date('2026-12-02T09:00:00.000Z')), false, 'exactly 24 h: still open')
  t.equal(entryClosed(first, new Date('2026-12-02T09:00:01.000Z')), true)
})
