import type { Db } from '../../db/database.ts'
import type { SessionRow } from './sessions.table.ts'

/** Every lookup of a session goes through its centre: another centre's id finds nothing. */
export function findSessionForCentre(db: Db, centreId: number, sessionId: number): Promise<SessionRow | undefined> {
  return db.selectFrom('certification_session').selectAll().where('centre_id', '=', centreId).where('id', '=', sessionId).executeTakeFirst()
}

export async function countCandidates(db: Db, sessionId: number): Promise<number> {
  const row = await db.selectFrom('candidate').select((eb) => eb.fn.countAll<number>().as('n')).where('session_id', '=', sessionId).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Candidates who joined (have a certification course). A session has "started" once this is above 0. */
export async function countJoinedCandidates(db: Db, sessionId: number): Promise<number> {
  const row = await db
    .selectFrom('certification_course')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function isFinalised(session: Pick<SessionRow, 'finalised_at'>): boolean {
  return session.finalised_at !== null
}
