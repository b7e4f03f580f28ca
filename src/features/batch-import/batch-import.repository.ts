import { toTimestamp } from '../../lib/timestamps.ts'
import type { Db } from '../../db/database.ts'
import type { BatchPlanRow } from './batch-import.table.ts'
import type { ExistingSession } from './plan.ts'
import { isFinalised, sessionStarted } from '../sessions/index.ts'

/** The centre's sessions among `ids`, with whether someone joined (another centre's are not returned). */
export async function findExistingSessions(db: Db, centreId: number, ids: number[]): Promise<Map<number, ExistingSession>> {
  const found = new Map<number, ExistingSession>()
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    const rows = await db
      .selectFrom('certification_session')
      .select(['id', 'finalised_at'])
      .select(sessionStarted('certification_session.id').as('started'))
      .where('centre_id', '=', centreId)
      .where('id', 'in', chunk)
      .execute()
    for (const row of rows) found.set(row.id, { id: row.id, finalised: isFinalised(row), started: Boolean(row.started) })
  }
  return found
}

/** Site, room, date and time of the centre's sessions from `fromDate` on (to refuse the same session twice). */
export function listSlotsFrom(db: Db, centreId: number, fromDate: string) {
  return db
    .selectFrom('certification_session')
    .select(['site_name', 'room', 'date', 'start_time'])
    .where('centre_id', '=', centreId)
    .where('date', '>=', fromDate)
    .execute()
}

export async function insertPlan(
  db: Db,
  row: { id: string; user_id: number; centre_id: number; plan: string; created_at: string; expires_at: string },
): Promise<void> {
  await db.insertInto('batch_plan').values(row).execute()
}

/** A plan of this user in this centre (another's plan id finds nothing). */
export function findPlan(db: Db, id: string, userId: number, centreId: number): Promise<BatchPlanRow | undefined> {
  return db.selectFrom('batch_plan').selectAll().where('id', '=', id).where('user_id', '=', userId).where('centre_id', '=', centreId).executeTakeFirst()
}

/**
 * Marks the plan used, with what it did, and drops the candidates' personal data it held (they are
 * in the candidate table now); false when it already was used (a second click on "Créer/éditer les sessions").
 */
export async function markPlanUsed(db: Db, id: string, usedAt: string, result: string, strippedPlan: string): Promise<boolean> {
  const updated = await db
    .updateTable('batch_plan')
    .set({ used_at: usedAt, result, plan: strippedPlan })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return updated.numUpdatedRows > 0n
}

/** Plans that expired unused are of no use to anyone; used ones keep their result page for a day. */
export async function deleteExpiredPlans(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('batch_plan').where('expires_at', '<', toTimestamp(now)).where('used_at', 'is', null).execute()
  await db
    .deleteFrom('batch_plan')
    .where('expires_at', '<', toTimestamp(now.getTime() - 24 * 60 * 60 * 1000))
    .execute()
}
