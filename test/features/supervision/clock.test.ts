import t from 'tap'
import { addableMinutes, clockOf, isPaused, pausedMs } from '../../../src/features/supervision/clock.ts'
import { entryClosed } from '../../../src/features/supervision/status.ts'

const at = (hhmm: string) => `2026-12-07T${hhmm}:00.000Z`
const now = (hhmm: string) => new Date(at(hhmm))
const base = { startedAt: at('09:00'), endedAt: null, durationMinutes: 100, extraTimePercentage: null, addedMinutes: 0, pauses: [] }
const clock = (hhmm: string) => (end: Date) => end.getTime() === now(hhmm).getTime()

t.test('without pause nor added time: start + duration (+ extra time rounded up)', async (t) => {
  t.ok(clock('10:40')(clockOf(base, now('09:30')).theoreticalEnd))
  // 100 min × 33 % = 33 min; 105 × 33 % = 34.65 → 35 (never in the candidate's disfavour)
  t.ok(clock('11:13')(clockOf({ ...base, extraTimePercentage: 33 }, now('09:30')).theoreticalEnd))
  t.ok(clock('11:20')(clockOf({ ...base, durationMinutes: 105, extraTimePercentage: 33 }, now('09:30')).theoreticalEnd))
})

t.test('extra-time percentage plus added minutes add up', async (t) => {
  const c = clockOf({ ...base, extraTimePercentage: 33, addedMinutes: 15 }, now('09:30'))
  t.ok(clock('11:28')(c.theoreticalEnd), '09:00 + 100 + 33 + 15')
})

t.test('a pause moves the end by its length, and while it lasts by the time paused so far', async (t) => {
  const pauses = [{ from: at('09:20'), to: at('09:35') }]
  t.ok(clock('10:55')(clockOf({ ...base, pauses }, now('10:00')).theoreticalEnd), 'a closed 15-minute pause')
  const open = [{ from: at('09:20'), to: null }]
  const during = clockOf({ ...base, pauses: open }, now('09:30'))
  t.ok(during.paused, 'paused now')
  t.notOk(during.overdue, 'never overdue while paused')
  t.ok(clock('10:50')(during.theoreticalEnd), '10 minutes paused so far')
})

t.test('a candidate’s pause overlapping a room pause counts once (their union)', async (t) => {
  const pauses = [
    { from: at('09:10'), to: at('09:30') }, // own pause
    { from: at('09:20'), to: at('09:40') }, // room evacuation, overlapping
    { from: at('09:50'), to: at('09:55') }, // own again, apart
  ]
  t.equal(pausedMs(pauses, now('09:00').getTime(), now('12:00').getTime()), 35 * 60_000, '30 + 5 minutes, not 45')
  t.ok(clock('11:15')(clockOf({ ...base, pauses }, now('10:00')).theoreticalEnd))
  // A pause inside another one adds nothing.
  t.equal(pausedMs([...pauses, { from: at('09:12'), to: at('09:14') }], now('09:00').getTime(), now('12:00').getTime()), 35 * 60_000)
})

t.test('a room pause counts only while the candidate’s clock ran', async (t) => {
  // Started at 09:30 while the room was paused since 09:20: 10 minutes count, not 20.
  const pauses = [{ from: at('09:20'), to: at('09:40') }]
  t.ok(clock('11:20')(clockOf({ ...base, startedAt: at('09:30'), pauses }, now('10:00')).theoreticalEnd))
  // Ended at 10:00: a room pause after that changes nothing.
  const ended = clockOf({ ...base, endedAt: at('10:00'), pauses: [{ from: at('10:10'), to: null }] }, now('10:20'))
  t.ok(clock('10:40')(ended.theoreticalEnd))
  t.notOk(ended.paused, 'an ended test is not paused')
  t.notOk(ended.overdue, 'nor overdue')
})

t.test('time added during a pause: both count', async (t) => {
  const c = clockOf({ ...base, addedMinutes: 10, pauses: [{ from: at('09:20'), to: null }] }, now('09:50'))
  t.ok(c.paused)
  t.ok(clock('11:20')(c.theoreticalEnd), '09:00 + 100 + 10 added + 30 paused')
})

t.test('overdue: running past the theoretical end', async (t) => {
  t.notOk(clockOf(base, now('10:40')).overdue, 'at the end exactly: not yet')
  t.ok(clockOf(base, now('10:41')).overdue)
  t.notOk(clockOf({ ...base, addedMinutes: 5 }, now('10:41')).overdue, 'time added: back in time')
})

t.test('isPaused: only a pause that started and has not ended', async (t) => {
  t.notOk(isPaused([{ from: at('10:00'), to: null }], now('09:59')))
  t.ok(isPaused([{ from: at('10:00'), to: null }], now('10:00')))
  t.notOk(isPaused([{ from: at('10:00'), to: at('10:05') }], now('10:05')))
})

t.test('added minutes are bounded per action and per candidate', async (t) => {
  t.ok(addableMinutes(1, 0))
  t.ok(addableMinutes(60, 60))
  t.notOk(addableMinutes(0, 0))
  t.notOk(addableMinutes(61, 0))
  t.notOk(addableMinutes(1.5, 0))
  t.notOk(addableMinutes(30, 100), 'more than 120 minutes in all')
})

t.test('the 24 h entry rule is unchanged by pauses: it counts from the first start', async (t) => {
  const first = at('09:00')
  t.notOk(entryClosed(first, new Date(now('09:00').getTime() + 24 * 3600_000)))
  t.ok(entryClosed(first, new Date(now('09:00').getTime() + 24 * 3600_000 + 1)))
})
