import { expressionBuilder, type ExpressionWrapper, sql, type SqlBool } from 'kysely'
import type { Database, Db } from '../../db/database.ts'

/**
 * "Started", the one SQL condition: a candidate has started once the invigilator confirmed them
 * and they came in (their certification course exists); a session has started once one of its
 * candidates has. Give an id, or the column of the statement's own row (`'candidate.id'` in an
 * update of candidates, `'certification_session.id'` in a list of sessions).
 */
export function sessionStarted(session: number | 'certification_session.id'): ExpressionWrapper<Database, never, SqlBool> {
  const eb = expressionBuilder<Database, never>()
  return eb.exists(
    eb
      .selectFrom('certification_course as started_course')
      .select('started_course.id')
      .where('started_course.session_id', '=', typeof session === 'number' ? session : sql.ref<number>(session)),
  )
}

/** The same, for one candidate. */
export function candidateStarted(candidate: number | 'candidate.id'): ExpressionWrapper<Database, never, SqlBool> {
  const eb = expressionBuilder<Database, never>()
  return eb.exists(
    eb
      .selectFrom('certification_course as started_course')
      .select('started_course.id')
      .where('started_course.candidate_id', '=', typeof candidate === 'number' ? candidate : sql.ref<number>(candidate)),
  )
}

/** A candidate who has not started: what adding, editing or deleting them, or confirming their presence, requires. */
export function candidateNotStarted(candidate: number | 'candidate.id'): ExpressionWrapper<Database, never, SqlBool> {
  return expressionBuilder<Database, never>().not(candidateStarted(candidate))
}

/** The session's condition read on its own (inside a write's transaction, or for a page). */
export async function hasSessionStarted(db: Db, sessionId: number): Promise<boolean> {
  const row = await db.selectNoFrom(sessionStarted(sessionId).as('started')).executeTakeFirstOrThrow()
  return Boolean(row.started)
}

/** A candidate's condition read on its own. */
export async function hasCandidateStarted(db: Db, candidateId: number): Promise<boolean> {
  const row = await db.selectNoFrom(candidateStarted(candidateId).as('started')).executeTakeFirstOrThrow()
  return Boolean(row.started)
}
