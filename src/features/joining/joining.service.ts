import type { Db } from '../../db/database.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import type { IdentityInput } from './join-form.ts'
import { findOrCreateCourse, findSessionByNumber, listCandidateIdentities } from './joining.repository.ts'
import { accessCodeMatches, matchCandidate } from './matching.ts'

/**
 * Why a candidate cannot go on (shown above the identity form).
 *
 * The page is public and session numbers are server-wide: before the access code is right too,
 * nothing tells apart an unknown session, a finalised one or a person who is not listed (`miss`,
 * one answer for all). Only someone who has the code and whose details match hears more.
 */
export interface JoinProblem {
  message: Msg
}

const problems = {
  miss: { message: msg('joining.problem.miss') },
  finalised: { message: msg('joining.problem.finalised') },
  severalMatches: { message: msg('joining.problem.several_matches') },
  expired: { message: msg('joining.problem.expired') },
} satisfies Record<string, JoinProblem>

export { problems as joinProblems }

/** How step 2 ended: `miss` is the one answer that counts as a failed try. */
export type JoinResult = { problem: JoinProblem; miss?: true } | { courseId: number }

/**
 * Step 2, everything checked together: the session, the access code, then the identity typed at
 * step 1. With all three right the candidate is linked (a certification course exists); joining
 * again gives back the same course.
 */
export async function joinSession(db: Db, identity: IdentityInput, typedCode: string): Promise<JoinResult> {
  const session = await findSessionByNumber(db, identity.sessionId)
  if (!session || !accessCodeMatches(typedCode, session.access_code)) return { problem: problems.miss, miss: true }
  const match = matchCandidate(await listCandidateIdentities(db, session.id), identity)
  if (match.kind === 'none') return { problem: problems.miss, miss: true }
  // Two listed candidates with these details: the page must not pick one (the code was right).
  if (match.kind === 'several') return { problem: problems.severalMatches }
  if (session.finalised_at !== null) return { problem: problems.finalised }
  const result = await findOrCreateCourse(db, session.id, match.candidate.id)
  if (result === 'finalised') return { problem: problems.finalised }
  if (result === 'gone') return { problem: problems.miss, miss: true }
  return result
}
