import { expressionBuilder, type ExpressionWrapper, type SqlBool } from 'kysely'
import type { Database, Db } from '../../db/database.ts'
import { msg } from '../../i18n/index.ts'
import { type Refusal, refused } from '../../lib/result.ts'

/**
 * "The session is still open" (not finalised), the one SQL condition of every write that a
 * finalisation must stop: put it in the write's own WHERE (`.where(sessionStillOpen(id))`) or
 * check it with `isStillOpen(trx, id)` inside the write's transaction, never on a session read
 * before. A route declares that it needs an open session with `config: { openSession: true }`
 * (refused once, by src/plugins/app/scope.ts); the write checks again, since a colleague may
 * finalise between the page being read and the write.
 */
export function sessionStillOpen(sessionId: number): ExpressionWrapper<Database, never, SqlBool> {
  const eb = expressionBuilder<Database, never>()
  return eb.exists(
    eb
      .selectFrom('certification_session as open_session')
      .select('open_session.id')
      .where('open_session.id', '=', sessionId)
      .where('open_session.finalised_at', 'is', null),
  )
}

/**
 * "The session is finalised", the one test of a session already read (a page to show, a state to
 * tell): the same column as `sessionStillOpen`, which a write checks again in SQL.
 */
export function isFinalised<S extends { finalised_at: string | null }>(session: S): session is S & { finalised_at: string } {
  return session.finalised_at !== null
}

/** The same condition, read inside a transaction before a write that cannot carry it (an insert). */
export async function isStillOpen(db: Db, sessionId: number): Promise<boolean> {
  const row = await db.selectNoFrom(sessionStillOpen(sessionId).as('open')).executeTakeFirstOrThrow()
  return Boolean(row.open)
}

/** The answer of a change that found the session finalised (the route answers `refuseFinalised`). */
export function finalisedRefusal(): Refusal {
  return refused(msg('sessions.finalised.read_only'), 'finalised')
}
