import type { Db } from '../../db/database.ts'
import { msg } from '../../i18n/index.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import type { IdentityInput } from './join-form.ts'
import { findSessionAndAttendance, findSessionByNumber, findStartedCourse, listCandidateIdentities } from './joining.repository.ts'
import { findAttendance, markArrived, startCourse } from '../supervision/index.ts'
import { accessCodeMatches, matchCandidate } from './matching.ts'
import { isFinalised } from '../sessions/index.ts'

/**
 * Why a candidate cannot go on (shown above the identity form).
 *
 * The page is public and session numbers are server-wide: before the access code is right too,
 * nothing tells apart an unknown session, a finalised one or a person who is not listed (`miss`,
 * one answer for all). Only someone who has the code and whose details match hears more.
 * A finalised session is not `reason: 'finalised'`: a candidate has no session page to be refused,
 * the identity page says it.
 */
const problems = {
  miss: refused(msg('joining.problem.miss')),
  finalised: refused(msg('joining.problem.finalised')),
  severalMatches: refused(msg('joining.problem.several_matches')),
  expired: refused(msg('joining.problem.expired')),
  // A miss while the room's counters are over their limit (docs/security.md): the same for everyone.
  crowded: refused(msg('joining.problem.crowded')),
  entryClosed: refused(msg('joining.problem.entry_closed')),
} satisfies Record<string, Refusal>

export { problems as joinProblems }

/** A refused step 2: `miss` is the one answer that counts as a failed try. */
export type JoinRefusal = Refusal & { miss?: true }

/** How step 2 ended. */
export type JoinResult = Ok<Admission> | JoinRefusal

/**
 * Step 2, everything checked together: the session, the access code, then the identity typed at
 * step 1. With all three right the candidate is linked (a certification course exists); joining
 * again gives back the same course.
 */
export async function joinSession(db: Db, identity: IdentityInput, typedCode: string): Promise<JoinResult> {
  const session = await findSessionByNumber(db, identity.sessionId)
  const miss: JoinRefusal = { ...problems.miss, miss: true }
  if (!session || !accessCodeMatches(typedCode, session.access_code)) return miss
  const match = matchCandidate(await listCandidateIdentities(db, session.id), identity)
  if (match.kind === 'none') return miss
  // Two listed candidates with these details: the page must not pick one (the code was right).
  if (match.kind === 'several') return problems.severalMatches
  if (isFinalised(session)) return problems.finalised
  return admitCandidate(db, { sessionId: session.id, candidateId: match.candidate.id })
}

/** What admitCandidate reads of an attendance, from either read. */
type AttendanceState = Pick<NonNullable<Awaited<ReturnType<typeof findAttendance>>>, 'arrived_at' | 'presence_confirmed_at' | 'course_id' | 'ended_at'>

/** After the access code: started (the N° de certification), waiting for the invigilator, or ended. */
export type Admission = { kind: 'started'; courseId: number } | { kind: 'waiting'; waiting: { sessionId: number; candidateId: number } } | { kind: 'ended' }

/**
 * Espace surveillant: a candidate whose presence the invigilator has not confirmed waits; once it
 * is, this moment is the start (the certification course is created, "En cours"). Coming back
 * gives the same course; a test the invigilator ended stays ended. Called once the access code and
 * the identity are right, and again by "J’ai prévenu mon surveillant, réessayer".
 */
export async function admitCandidate(db: Db, who: { sessionId: number; candidateId: number }, now = new Date()): Promise<Ok<Admission> | Refusal> {
  // The session and the attendance in one statement; the arrival is written once, so a retry
  // every 10 s while the invigilator has not confirmed is one read, no write.
  const found = await findSessionAndAttendance(db, who.sessionId, who.candidateId)
  if (!found) return problems.expired
  if (isFinalised(found)) return problems.finalised
  if (found.candidate_id === null) return problems.expired
  let attendance: AttendanceState | undefined = found
  if (attendance.arrived_at === null) await markArrived(db, who.sessionId, who.candidateId, now)
  if (attendance.course_id === null && attendance.presence_confirmed_at !== null) {
    await startCourse(db, who.sessionId, who.candidateId, now)
    attendance = await findAttendance(db, who.sessionId, who.candidateId)
    if (!attendance) return problems.expired
    // Confirmed, yet not started: the session was finalised meanwhile, or entry closed (24 h).
    if (attendance.course_id === null) {
      const current = await findSessionByNumber(db, who.sessionId)
      return !current || isFinalised(current) ? problems.finalised : problems.entryClosed
    }
  }
  if (attendance.course_id === null) return ok({ kind: 'waiting', waiting: who })
  if (attendance.ended_at !== null) return ok({ kind: 'ended' })
  return ok({ kind: 'started', courseId: attendance.course_id })
}

/** The course this device joined (its cookie's), for the same answer when the candidate comes back; undefined when there is none. */
export function loadStartedCourse(db: Db, courseId: number) {
  return findStartedCourse(db, courseId)
}
