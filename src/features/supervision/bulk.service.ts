import type { Db } from '../../db/database.ts'
import { type Trx, sessionWriteTransaction } from '../../db/transaction.ts'
import { type MessageKey, type Msg, msg } from '../../i18n/index.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import { sortPeopleRows } from '../../lib/collation.ts'
import { type HistoryAction, recordHistory } from '../history/index.ts'
import { finalisedRefusal, isStillOpen } from '../sessions/index.ts'
import { type Actor, bumpDraft, confirmPresenceIn, event } from './supervision.repository.ts'
import { endTestIn, historyActor } from './supervision-changes.service.ts'
import type { SupervisionAction } from './supervision.table.ts'
import { findCandidatesWithCourse } from './time-control.repository.ts'
import { displayName } from '../../lib/display-name.ts'

/*
 * Bulk actions of the Espace surveillant: ticked candidates, or "tous les
 * candidats en attente". One write transaction per action, all or nothing: each candidate's own
 * conditional statement (the same as for one row) and supervision event, one history entry.
 */

export const bulkFields = ['action', 'tous', 'minutes', 'motif', 'precisions', 'confirme'] as const
export const BULK_ACTIONS = ['confirmer', 'temps', 'suspendre', 'reprendre', 'terminer'] as const
export type BulkAction = (typeof BULK_ACTIONS)[number]
/** More ids than a room holds is not a form this app sent. */
export const MAX_BULK = 500

export function isBulkAction(value: string): value is BulkAction {
  return (BULK_ACTIONS as readonly string[]).includes(value)
}

/** The ticked ids, as numbers (anything else is dropped). */
export function tickedIds(values: readonly string[]): number[] {
  return [...new Set(values.filter((v) => /^[1-9]\d{0,15}$/.test(v)).map(Number))].slice(0, MAX_BULK)
}

/** The candidates of the session among `ids`, in the order of every list of people (for the confirmation page). */
export async function namedCandidates(db: Db, sessionId: number, ids: readonly number[]) {
  return sortPeopleRows(await findCandidatesWithCourse(db, sessionId, ids))
}

/** "Tous les candidats en attente": typed the access code, presence not yet confirmed. */
export async function waitingIds(db: Db, sessionId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('candidate')
    .select('id')
    .where('session_id', '=', sessionId)
    .where('arrived_at', 'is not', null)
    .where('presence_confirmed_at', 'is', null)
    .execute()
  return rows.map((r) => r.id)
}

class NotAll extends Error {
  readonly names: string
  constructor(names: string) {
    super('bulk action refused')
    this.names = names
  }
}

const FOR: Record<'confirm' | 'end', { change: typeof confirmPresenceIn; history: HistoryAction; done: MessageKey; refused: MessageKey }> = {
  confirm: { change: confirmPresenceIn, history: 'presence_confirmed', done: 'supervision.bulk.done.confirm', refused: 'supervision.bulk.refused.confirm' },
  end: { change: endTestIn, history: 'test_ended', done: 'supervision.bulk.done.end', refused: 'supervision.bulk.refused.end' },
}

/** "Confirmer la présence" or "Terminer le test" for several candidates: all of them, or none. */
export async function actOnMany(
  db: Db,
  sessionId: number,
  ids: readonly number[],
  action: 'confirm' | 'end',
  actor: Actor,
  now = new Date(),
): Promise<Ok<Msg> | Refusal> {
  if (ids.length === 0) return refused(msg('supervision.bulk.none'))
  const rule = FOR[action]
  try {
    return await sessionWriteTransaction(db, sessionId, async (trx: Trx) => {
      if (!(await isStillOpen(trx, sessionId))) return finalisedRefusal()
      const people = sortPeopleRows(await findCandidatesWithCourse(trx, sessionId, ids))
      if (people.length === 0) return refused(msg('supervision.bulk.none'))
      const failed: string[] = []
      for (const p of people) if ((await rule.change(trx, sessionId, p.id, now)) === 0n) failed.push(displayName(p))
      // A refused candidate undoes the others' changes: the transaction rolls back.
      if (failed.length) throw new NotAll(failed.join(', '))
      for (const p of people) {
        await trx
          .insertInto('supervision_event')
          .values(event(sessionId, p.id, action as SupervisionAction, actor, now))
          .execute()
      }
      const session = await trx.selectFrom('certification_session').select('centre_id').where('id', '=', sessionId).executeTakeFirstOrThrow()
      const names = people.map((p) => displayName(p)).join(', ')
      await recordHistory(
        trx,
        { centreId: session.centre_id, actor: await historyActor(trx, actor), action: rule.history, sessionId, subject: names, count: people.length },
        now,
      )
      if (action === 'end') await bumpDraft(trx, sessionId)
      return ok(msg(rule.done, { count: people.length, names }))
    })
  } catch (error) {
    if (error instanceof NotAll) return refused(msg(rule.refused, { names: error.names }))
    throw error
  }
}
