import type { Db } from '../../db/database.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import type { IdentityInput } from './join-form.ts'
import { findCandidateName, findSessionByNumber, listCandidateIdentities } from './joining.repository.ts'
import { findAttendance, markArrived, startCourse } from '../supervision/supervision.repository.ts'
import { accessCodeMatches, matchCandidate } from './matching.ts'

/**
 * Why a candidate cannot go on. Each has its own message; none says anything about the other
 * candidates of the session. `field` is where the page shows it (none: above the form).
 */
export interface JoinProblem {
  field: 'sessionNumber' | 'accessCode' | null
  message: Msg
}

const problems = {
  unknownSession: { field: 'sessionNumber', message: msg('joining.problem.unknown_session') },
  finalised: { field: 'sessionNumber', message: msg('joining.problem.finalised') },
  noMatch: { field: null, message: msg('joining.problem.no_match') },
  severalMatches: { field: null, message: msg('joining.problem.several_matches') },
  wrongCode: { field: 'accessCode', message: msg('joining.problem.wrong_code') },
  expired: { field: null, message: msg('joining.problem.expired') },
  entryClosed: { field: null, message: msg('joining.problem.entry_closed') },
} satisfies Record<string, JoinProblem>

export { problems as joinProblems }

/** Step 1: the listed candidate these details belong to. */
export async function identifyCandidate(db: Db, input: IdentityInput): Promise<{ problem: JoinProblem } | { candidateId: number; sessionId: number }> {
  const session = await findSessionByNumber(db, input.sessionId)
  if (!session) return { problem: problems.unknownSession }
  if (session.finalised_at !== null) return { problem: problems.finalised }
  const result = matchCandidate(await listCandidateIdentities(db, session.id), input)
  if (result.kind === 'none') return { problem: problems.noMatch }
  if (result.kind === 'several') return { problem: problems.severalMatches }
  return { candidateId: result.candidate.id, sessionId: session.id }
}

/** The identified candidate, for step 2's page (null if the list changed meanwhile). */
export async function identifiedCandidate(db: Db, sessionId: number, candidateId: number) {
  const candidate = await findCandidateName(db, sessionId, candidateId)
  return candidate ? { sessionId, firstName: candidate.first_name, lastName: candidate.last_name } : null
}

/**
 * Step 2: with the right access code the candidate is linked (a certification course exists).
 * Joining again gives back the same course.
 */
export async function joinSession(db: Db, identified: { sessionId: number; candidateId: number }, typedCode: string): Promise<{ problem: JoinProblem } | Admission> {
  const session = await findSessionByNumber(db, identified.sessionId)
  if (!session) return { problem: problems.expired }
  if (session.finalised_at !== null) return { problem: problems.finalised }
  if (!accessCodeMatches(typedCode, session.access_code)) return { problem: problems.wrongCode }
  return admitCandidate(db, identified)
}

/** After the access code: started (the N° de certification), waiting for the invigilator, or ended. */
export type Admission = { courseId: number } | { waiting: true } | { ended: true }

/**
 * Espace surveillant: a candidate whose presence the invigilator has not confirmed waits; once it
 * is, this moment is the start (the certification course is created, "En cours"). Coming back
 * gives the same course; a test the invigilator ended stays ended. Called after the access code
 * was accepted, and again by "J’ai prévenu mon surveillant, réessayer".
 */
export async function admitCandidate(db: Db, who: { sessionId: number; candidateId: number }, now = new Date()): Promise<{ problem: JoinProblem } | Admission> {
  const session = await findSessionByNumber(db, who.sessionId)
  if (!session) return { problem: problems.expired }
  if (session.finalised_at !== null) return { problem: problems.finalised }
  await markArrived(db, who.sessionId, who.candidateId, now)
  let attendance = await findAttendance(db, who.sessionId, who.candidateId)
  if (!attendance) return { problem: problems.expired }
  if (attendance.course_id === null && attendance.presence_confirmed_at !== null) {
    await startCourse(db, who.sessionId, who.candidateId, now)
    attendance = await findAttendance(db, who.sessionId, who.candidateId)
    if (!attendance) return { problem: problems.expired }
    // Confirmed, yet not started: the session was finalised meanwhile, or entry closed (24 h).
    if (attendance.course_id === null) {
      const current = await findSessionByNumber(db, who.sessionId)
      return { problem: !current || current.finalised_at !== null ? problems.finalised : problems.entryClosed }
    }
  }
  if (attendance.course_id === null) return { waiting: true }
  if (attendance.ended_at !== null) return { ended: true }
  return { courseId: attendance.course_id }
}
