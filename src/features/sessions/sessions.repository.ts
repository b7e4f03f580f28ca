import type { Db } from '../../db/database.ts'
import { nowTimestamp } from '../../lib/timestamps.ts'
import type { NewSession, SessionRow, SessionUpdate } from './sessions.table.ts'

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

export type SessionListRow = Pick<SessionRow, 'id' | 'site_name' | 'room' | 'date' | 'start_time' | 'invigilators' | 'finalised_at'>

/** One page of the centre's sessions, newest date first. */
export function listSessionsForCentre(db: Db, centreId: number, page: { limit: number; offset: number }): Promise<SessionListRow[]> {
  return db
    .selectFrom('certification_session')
    .select(['id', 'site_name', 'room', 'date', 'start_time', 'invigilators', 'finalised_at'])
    .where('centre_id', '=', centreId)
    .orderBy('date', 'desc')
    .orderBy('start_time', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

export async function countSessionsForCentre(db: Db, centreId: number): Promise<number> {
  const row = await db
    .selectFrom('certification_session')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('centre_id', '=', centreId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Codes must be unique among sessions not yet finalised (a finalised session's code can be reused). */
export async function isAccessCodeInUse(db: Db, code: string): Promise<boolean> {
  const row = await db.selectFrom('certification_session').select('id').where('access_code', '=', code).where('finalised_at', 'is', null).executeTakeFirst()
  return row !== undefined
}

export async function insertSession(db: Db, values: NewSession): Promise<number> {
  const row = await db.insertInto('certification_session').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** Only a session of this centre that is not finalised is changed; returns whether one was. */
export async function updateOpenSession(db: Db, centreId: number, sessionId: number, values: SessionUpdate): Promise<boolean> {
  const result = await db
    .updateTable('certification_session')
    .set({ ...values, updated_at: nowTimestamp() })
    .where('id', '=', sessionId)
    .where('centre_id', '=', centreId)
    .where('finalised_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Candidates, courses, reports and documents go with it (ON DELETE CASCADE). */
export async function deleteSessionRow(db: Db, centreId: number, sessionId: number): Promise<boolean> {
  const result = await db.deleteFrom('certification_session').where('id', '=', sessionId).where('centre_id', '=', centreId).executeTakeFirst()
  return result.numDeletedRows > 0n
}
