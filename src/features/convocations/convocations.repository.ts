import type { Db } from '../../db/database.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import { nowTimestamp } from '../../lib/timestamps.ts'
import { sessionKey } from './convocation.ts'
import type { ConvocationMailRow, ConvocationStatus } from './convocations.table.ts'

/** A session sends at most this many convocation e-mails, resends included. */
export const MAX_CONVOCATIONS_PER_SESSION = 2000

type LatestRow = Pick<ConvocationMailRow, 'id' | 'candidate_id' | 'status' | 'session_key' | 'error' | 'sent_at'>

/** The last send of each candidate of the session. */
export async function latestRows(db: Db, sessionId: number): Promise<Map<number, LatestRow>> {
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
function readError(text: string | null): Msg | null {
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
export const isStale = (row: Pick<LatestRow, 'status' | 'session_key'>, key: string) => row.status === 'sent' && row.session_key !== key

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

/** The candidates of the session with an address (`candidateIds` null: all of them; a list: only those), by id. */
export function listCandidatesWithEmail(db: Db, sessionId: number, candidateIds: readonly number[] | null) {
  let query = db.selectFrom('candidate').select(['id', 'email', 'first_name', 'last_name']).where('session_id', '=', sessionId).where('email', 'is not', null)
  if (candidateIds) query = query.where('id', 'in', candidateIds)
  return query.orderBy('id').execute()
}

/** How many convocation e-mails the session queued so far, resends included. */
export async function countConvocationMails(db: Db, sessionId: number): Promise<number> {
  const used = await db
    .selectFrom('convocation_mail')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow()
  return Number(used.n)
}

/** Queues one convocation e-mail per candidate, in the caller's transaction. */
export async function insertConvocationMails(
  trx: Db,
  session: { id: number; key: string },
  candidates: ReadonlyArray<{ id: number; email: string | null }>,
  publicUrl: string | null,
): Promise<void> {
  const now = nowTimestamp()
  for (let i = 0; i < candidates.length; i += 500) {
    await trx
      .insertInto('convocation_mail')
      .values(
        candidates.slice(i, i + 500).map((c) => ({
          session_id: session.id,
          candidate_id: c.id,
          email: c.email!,
          status: 'pending' as const,
          session_key: session.key,
          queued_at: now,
          public_url: publicUrl,
        })),
      )
      .execute()
  }
}

// --- The centre's instructions ------------------------------------------------------------------

export async function findInstructions(db: Db, centreId: number): Promise<string | null> {
  const row = await db.selectFrom('centre').select('candidate_instructions').where('id', '=', centreId).executeTakeFirst()
  return row?.candidate_instructions ?? null
}

/** Writes the centre's "Consignes aux candidats" (empty: back to the default text). */
export async function updateInstructions(trx: Db, centreId: number, text: string): Promise<void> {
  await trx
    .updateTable('centre')
    .set({ candidate_instructions: text || null })
    .where('id', '=', centreId)
    .execute()
}
