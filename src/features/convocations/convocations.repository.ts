import type { Db } from '../../db/database.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import { nowTimestamp } from '../../lib/timestamps.ts'
import { type ChangeBy, recordHistory } from '../history/index.ts'
import { sessionKey } from './convocation.ts'
import type { ConvocationMailRow, ConvocationStatus } from './convocations.table.ts'
import { isStillOpen } from '../sessions/index.ts'

/** A session sends at most this many convocation e-mails, resends included. */
export const MAX_CONVOCATIONS_PER_SESSION = 2000

type LatestRow = Pick<ConvocationMailRow, 'id' | 'candidate_id' | 'status' | 'session_key' | 'error' | 'sent_at'>

/** The last send of each candidate of the session. */
async function latestRows(db: Db, sessionId: number): Promise<Map<number, LatestRow>> {
  const rows = await db
    .selectFrom('convocation_mail')
    .select(['id', 'candidate_id', 'status', 'session_key', 'error', 'sent_at'])
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .execute()
  const latest = new Map<number, LatestRow>()
  for (const row of rows) latest.set(row.candidate_id, row)
  return latest
}

export interface CandidateConvocation {
  status: ConvocationStatus
  sentAt: string | null
  /** The SMTP error in plain words (a message of the catalog). */
  error: Msg | null
  /** Sent, but the session's date, time, site or room changed since. */
  stale: boolean
}

export interface ConvocationProgress {
  /** Candidates with at least one send; among them, whose last one went out, failed, waits. */
  total: number
  sent: number
  failed: number
  pending: number
}

/** The stored error: a catalog message as JSON (see sender.ts). */
export function readError(text: string | null): Msg | null {
  if (!text) return null
  try {
    const parsed = JSON.parse(text) as Msg
    if (typeof parsed?.key === 'string') return parsed
  } catch {
    // an older or hand-written value: shown as it is
  }
  return msg('convocations.error.other', { detail: text })
}

/** Per candidate, the state of their convocation; and the session's progress ("12 / 30 envoyées"). */
/** Sent before the session's date, time, site or room changed (`key`: the session's `sessionKey` now). */
const isStale = (row: Pick<LatestRow, 'status' | 'session_key'>, key: string) => row.status === 'sent' && row.session_key !== key

/**
 * Whether a candidate with an address still needs a convocation ("Envoyer les convocations" and its
 * count): none yet, the last one failed, or it went out before the session changed. One waiting to
 * leave is never queued again.
 */
export function stillToSend(convocation: Pick<CandidateConvocation, 'status' | 'stale'> | undefined): boolean {
  return !convocation || convocation.status === 'failed' || convocation.stale
}

export async function loadConvocationState(
  db: Db,
  session: { id: number; date: string; start_time: string; site_name: string; room: string },
): Promise<{ byCandidate: Map<number, CandidateConvocation>; progress: ConvocationProgress }> {
  const key = sessionKey(session)
  const latest = await latestRows(db, session.id)
  const byCandidate = new Map<number, CandidateConvocation>()
  const progress: ConvocationProgress = { total: 0, sent: 0, failed: 0, pending: 0 }
  for (const [candidateId, row] of latest) {
    progress.total += 1
    if (row.status === 'sent') progress.sent += 1
    else if (row.status === 'failed') progress.failed += 1
    else progress.pending += 1
    byCandidate.set(candidateId, {
      status: row.status,
      sentAt: row.sent_at,
      error: row.status === 'failed' ? readError(row.error) : null,
      stale: isStale(row, key),
    })
  }
  return { byCandidate, progress }
}

/**
 * The next waiting convocation, the centres served in turn: the oldest waiting
 * row of the first centre after `afterCentreId` (by id) that has one, else of the first centre
 * that has one; null when nothing waits. A centre that queued 2,000 mails sends one, then every
 * other centre with mail waiting sends one, and so on: a small centre's 20 convocations leave
 * within 20 turns whatever the others queued, never behind them all.
 */
export async function nextPendingConvocation(db: Db, afterCentreId: number | null): Promise<{ id: number; centreId: number } | null> {
  const waiting = db
    .selectFrom('convocation_mail')
    .innerJoin('certification_session', 'certification_session.id', 'convocation_mail.session_id')
    .select(['convocation_mail.id as id', 'certification_session.centre_id as centreId'])
    .where('convocation_mail.status', '=', 'pending')
    .orderBy('certification_session.centre_id')
    .orderBy('convocation_mail.id')
    .limit(1)
  const after = afterCentreId === null ? undefined : await waiting.where('certification_session.centre_id', '>', afterCentreId).executeTakeFirst()
  return after ?? (await waiting.executeTakeFirst()) ?? null
}

export type QueueResult = { kind: 'queued'; count: number } | { kind: 'limit' } | { kind: 'finalised' }

/**
 * Queues one convocation per chosen candidate who has an address, in one transaction with its
 * history entry. `candidateIds` null: every candidate who still needs one (never sent, failed, or
 * sent before the session changed); a list: exactly those (a resend), but never one already
 * waiting. The sender picks them up in the background. `publicUrl`: the address the staff member
 * was browsing, kept with each mail when PUBLIC_URL is not set (null: the configured one).
 */
export async function queueConvocations(
  db: Db,
  session: { id: number; date: string; start_time: string; site_name: string; room: string },
  candidateIds: number[] | null,
  by: ChangeBy,
  publicUrl: string | null = null,
): Promise<QueueResult> {
  return writeTransaction(db, async (trx) => {
    if (!(await isStillOpen(trx, session.id))) return { kind: 'finalised' }
    if (candidateIds && candidateIds.length === 0) return { kind: 'queued', count: 0 }
    let query = trx
      .selectFrom('candidate')
      .select(['id', 'email', 'first_name', 'last_name'])
      .where('session_id', '=', session.id)
      .where('email', 'is not', null)
    if (candidateIds) query = query.where('id', 'in', candidateIds)
    const candidates = await query.orderBy('id').execute()
    const key = sessionKey(session)
    const latest = await latestRows(trx, session.id)
    const chosen = candidates.filter((c) => {
      const last = latest.get(c.id)
      // A resend of chosen candidates: anyone not already waiting.
      if (candidateIds !== null) return !last || (last.status !== 'pending' && last.status !== 'sending')
      return stillToSend(last && { status: last.status, stale: isStale(last, key) })
    })
    if (chosen.length === 0) return { kind: 'queued', count: 0 }
    const used = await trx
      .selectFrom('convocation_mail')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('session_id', '=', session.id)
      .executeTakeFirstOrThrow()
    if (Number(used.n) + chosen.length > MAX_CONVOCATIONS_PER_SESSION) return { kind: 'limit' }
    const now = nowTimestamp()
    for (let i = 0; i < chosen.length; i += 500) {
      await trx
        .insertInto('convocation_mail')
        .values(
          chosen.slice(i, i + 500).map((c) => ({
            session_id: session.id,
            candidate_id: c.id,
            email: c.email!,
            status: 'pending' as const,
            session_key: key,
            queued_at: now,
            public_url: publicUrl,
          })),
        )
        .execute()
    }
    const one = chosen.length === 1 && candidateIds?.length === 1
    await recordHistory(trx, {
      ...by,
      action: one ? 'convocation_resent' : 'convocations_queued',
      sessionId: session.id,
      ...(one ? { subject: `${chosen[0]!.first_name} ${chosen[0]!.last_name}` } : { count: chosen.length }),
    })
    return { kind: 'queued', count: chosen.length }
  })
}

// --- The centre's instructions ------------------------------------------------------------------

export async function findInstructions(db: Db, centreId: number): Promise<string | null> {
  const row = await db.selectFrom('centre').select('candidate_instructions').where('id', '=', centreId).executeTakeFirst()
  return row?.candidate_instructions ?? null
}

/** Saves the centre's "Consignes aux candidats" (empty: back to the default text), with its history entry. */
export async function saveInstructions(db: Db, text: string, by: ChangeBy): Promise<void> {
  await writeTransaction(db, async (trx) => {
    await trx
      .updateTable('centre')
      .set({ candidate_instructions: text || null })
      .where('id', '=', by.centreId)
      .execute()
    await recordHistory(trx, { ...by, action: 'candidate_instructions_edited' })
  })
}
