import t from 'tap'
import { findSessionAndAttendance, findSessionByNumber } from '../../../src/features/joining/joining.repository.ts'
import { admitCandidate, joinProblems } from '../../../src/features/joining/joining.service.ts'
import { confirmPresence } from '../../../src/features/supervision/supervision-changes.service.ts'
import { findAttendance } from '../../../src/features/supervision/supervision.repository.ts'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../../factories.ts'
import { build, createMember } from '../../helper.ts'

// The waiting page's retry reads the session and the candidate's attendance in one statement
// (findSessionAndAttendance) where it made two reads (findSessionByNumber, findAttendance): the
// same answer in every state, on both databases.

t.test('one statement gives what the session read and the attendance read gave, in every state', async (t) => {
  const server = await build(t)
  const { centreId, userId } = await createMember(server)
  const open = await createSession(server.db, centreId)
  const other = await createSession(server.db, centreId)
  const finalised = await createSession(server.db, centreId)
  const waiting = await createCandidate(server.db, open.id)
  const arrived = await createCandidate(server.db, open.id, { first_name: 'Léa', arrived_at: '2026-12-07T08:00:00.000Z' })
  const confirmed = await createCandidate(server.db, open.id, { first_name: 'Paul' })
  await confirmPresence(server.db, open.id, confirmed.id, { kind: 'staff', userId }, new Date())
  const started = await createCandidate(server.db, open.id, { first_name: 'Inès' })
  await joinCandidate(server.db, started)
  const ended = await createCandidate(server.db, open.id, { first_name: 'Hugo' })
  const course = await joinCandidate(server.db, ended)
  await server.db.updateTable('certification_course').set({ ended_at: '2026-12-07T09:00:00.000Z' }).where('id', '=', course.id).execute()
  const elsewhere = await createCandidate(server.db, other.id)
  const inFinalised = await createCandidate(server.db, finalised.id)
  await finaliseSession(server.db, finalised.id)

  const cases: Array<[string, number, number]> = [
    ['waiting, not arrived', open.id, waiting.id],
    ['arrived', open.id, arrived.id],
    ['confirmed', open.id, confirmed.id],
    ['started', open.id, started.id],
    ['ended', open.id, ended.id],
    ['a candidate of another session', open.id, elsewhere.id],
    ['an unknown candidate', open.id, 999_999],
    ['a finalised session', finalised.id, inFinalised.id],
    ['an unknown session', 999_999, waiting.id],
  ]
  for (const [label, sessionId, candidateId] of cases) {
    const [session, attendance] = await Promise.all([findSessionByNumber(server.db, sessionId), findAttendance(server.db, sessionId, candidateId)])
    const both = await findSessionAndAttendance(server.db, sessionId, candidateId)
    const expected = session
      ? {
          finalised_at: session.finalised_at,
          candidate_id: attendance?.id ?? null,
          arrived_at: attendance?.arrived_at ?? null,
          presence_confirmed_at: attendance?.presence_confirmed_at ?? null,
          course_id: attendance?.course_id ?? null,
          ended_at: attendance?.ended_at ?? null,
        }
      : undefined
    t.same(both, expected, label)
  }
  // The cases above are not all alike: each state reads as itself.
  t.not((await findSessionAndAttendance(server.db, open.id, started.id))?.course_id, null, 'started: its course')
  t.equal((await findSessionAndAttendance(server.db, open.id, elsewhere.id))?.candidate_id, null, 'another session’s candidate: no attendance')
  t.not((await findSessionAndAttendance(server.db, finalised.id, inFinalised.id))?.finalised_at, null, 'finalised: its time')
})

t.test('the retry’s answers, from that one statement', async (t) => {
  const server = await build(t)
  const { centreId, userId } = await createMember(server)
  const session = await createSession(server.db, centreId)
  const other = await createSession(server.db, centreId)
  const candidate = await createCandidate(server.db, session.id)
  const elsewhere = await createCandidate(server.db, other.id)

  t.same(await admitCandidate(server.db, { sessionId: 999_999, candidateId: candidate.id }), joinProblems.expired, 'an unknown session: expired')
  t.same(await admitCandidate(server.db, { sessionId: session.id, candidateId: elsewhere.id }), joinProblems.expired, 'a candidate of another session: expired')

  const first = new Date('2026-12-07T08:00:00.000Z')
  t.same(await admitCandidate(server.db, { sessionId: session.id, candidateId: candidate.id }, first), {
    ok: true,
    value: { kind: 'waiting', waiting: { sessionId: session.id, candidateId: candidate.id } },
  })
  t.equal((await findAttendance(server.db, session.id, candidate.id))?.arrived_at, first.toISOString(), 'the arrival is written')
  await admitCandidate(server.db, { sessionId: session.id, candidateId: candidate.id }, new Date('2026-12-07T08:00:10.000Z'))
  t.equal((await findAttendance(server.db, session.id, candidate.id))?.arrived_at, first.toISOString(), 'once: a retry leaves it')

  await confirmPresence(server.db, session.id, candidate.id, { kind: 'staff', userId }, new Date())
  const admitted = await admitCandidate(server.db, { sessionId: session.id, candidateId: candidate.id })
  const course = await findAttendance(server.db, session.id, candidate.id)
  t.not(course?.course_id, null, 'confirmed: the course is created')
  t.same(admitted, { ok: true, value: { kind: 'started', courseId: course?.course_id } }, 'and the candidate has started')
  t.same(await admitCandidate(server.db, { sessionId: session.id, candidateId: candidate.id }), admitted, 'coming back: the same course')

  await server.db.updateTable('certification_course').set({ ended_at: new Date().toISOString() }).where('candidate_id', '=', candidate.id).execute()
  t.same(await admitCandidate(server.db, { sessionId: session.id, candidateId: candidate.id }), { ok: true, value: { kind: 'ended' } }, 'ended')

  await finaliseSession(server.db, session.id)
  t.same(await admitCandidate(server.db, { sessionId: session.id, candidateId: candidate.id }), joinProblems.finalised, 'finalised')
})
