import type { Db } from '../../db/database.ts'
import type { SessionRow } from './sessions.table.ts'

/** Every lookup of a session goes through its centre: another centre's id finds nothing. */
export function findSessionForCentre(db: Db, centreId: number, sessionId: number): Promise<SessionRow | undefined> {
  return db.selectFrom('certification_session').selectAll().where('centre_id', '=', centreId).where('id', '=', sessionId).executeTakeFirst()
}
