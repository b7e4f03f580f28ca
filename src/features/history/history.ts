import { toTimestamp } from '../../lib/timestamps.ts'
import { paginate } from '../../lib/pagination.ts'
import type { Db } from '../../db/database.ts'
import type { ActorKind, HistoryAction } from './history.table.ts'

/** Who makes a change: a logged-in user, later an invigilator access, or the operator's CLI. */
export interface Actor {
  kind: ActorKind
  userId: number | null
  name: string
}

/** Who changes which centre's data: what every write path of src/features/** takes to record its change. */
export interface ChangeBy {
  centreId: number
  actor: Actor
}

export interface HistoryEntry {
  centreId: number
  actor: Actor
  action: HistoryAction
  sessionId?: number | null
  subject?: string | null
  count?: number | null
}

/**
 * Records one change, with `trx` the transaction of the change itself (so both are kept or
 * neither). No personal data beyond the names already shown in the app; never a password or token.
 */
export async function recordHistory(trx: Db, entry: HistoryEntry | (ChangeBy & Omit<HistoryEntry, 'centreId' | 'actor'>), now = new Date()): Promise<void> {
  await trx
    .insertInto('history')
    .values({
      centre_id: entry.centreId,
      session_id: entry.sessionId ?? null,
      actor_kind: entry.actor.kind,
      actor_user_id: entry.actor.userId,
      actor_name: entry.actor.name,
      action: entry.action,
      subject: entry.subject ?? null,
      count: entry.count ?? null,
      created_at: toTimestamp(now),
    })
    .execute()
}

export const HISTORY_PAGE_SIZE = 20

/** One page of a centre's history, newest first, optionally of one session. */
export async function listHistory(db: Db, centreId: number, options: { sessionId?: number; page?: number } = {}) {
  let query = db.selectFrom('history').where('centre_id', '=', centreId)
  if (options.sessionId !== undefined) query = query.where('session_id', '=', options.sessionId)
  const { n } = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const pagination = paginate(Number(n), options.page ?? 1, HISTORY_PAGE_SIZE)
  const entries = await query.selectAll().orderBy('id', 'desc').limit(pagination.limit).offset(pagination.offset).execute()
  return { entries, pagination }
}
