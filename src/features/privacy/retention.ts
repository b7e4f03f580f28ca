import type { Db } from '../../db/database.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { msg } from '../../i18n/index.ts'
import { type Ok, ok, type Refusal, refused } from '../../lib/result.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import { type Actor, type ChangeBy, recordHistory } from '../history/index.ts'
import { hasStarted } from '../candidates/index.ts'
import {
  blankNameInHistory,
  deleteExpiredAccesses,
  eraseOneCandidate,
  eraseSessionPersonalData,
  isStillToPurge,
  listSessionsToPurge,
  setHold,
} from './privacy.repository.ts'
import { displayName } from '../../lib/display-name.ts'
import { isFinalised } from '../sessions/index.ts'

/** Who the daily purge is in the history. */
export const RETENTION_PURGE: Actor = { kind: 'operator', userId: null, name: 'Purge automatique (durée de conservation)' }

/** The instant `months` months before `now` (calendar months, UTC): sessions finalised at or before it are purged. */
export function retentionCutoff(months: number, now: number | Date = Date.now()): string {
  const date = new Date(now)
  const day = date.getUTCDate()
  date.setUTCDate(1)
  date.setUTCMonth(date.getUTCMonth() - months)
  // 31 March − 1 month: the last day of February, not 3 March.
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate()
  date.setUTCDate(Math.min(day, last))
  return toTimestamp(date)
}

export interface RetentionPurgeResult {
  /** The sessions erased (or, in a dry run, that would be). */
  sessions: Array<{ id: number; centreId: number; finalisedAt: string; candidates: number }>
  invitations: number
  invigilatorAccesses: number
  batchPlans: number
}

/**
 * Erases the personal data of every session finalised `months` months ago or more, not on
 * hold, one transaction per session (a crash leaves each session either erased or untouched; a
 * second run does nothing more), each recorded in the centre's history. Then expired invitations,
 * invigilator accesses and import plans. `dryRun`: counts only, writes nothing.
 */
export async function purgePersonalData(db: Db, options: { months: number; now?: number; dryRun?: boolean }): Promise<RetentionPurgeResult> {
  const now = options.now ?? Date.now()
  const stamp = toTimestamp(now)
  const cutoff = retentionCutoff(options.months, now)
  const result: RetentionPurgeResult = { sessions: [], invitations: 0, invigilatorAccesses: 0, batchPlans: 0 }
  for (const session of await listSessionsToPurge(db, cutoff)) {
    if (options.dryRun) {
      const { n } = await db
        .selectFrom('candidate')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('session_id', '=', session.id)
        .where('erased_at', 'is', null)
        .executeTakeFirstOrThrow()
      result.sessions.push({ id: session.id, centreId: session.centre_id, finalisedAt: session.finalised_at!, candidates: Number(n) })
      continue
    }
    const erased = await writeTransaction(db, async (trx) => {
      if (!(await isStillToPurge(trx, session.id, cutoff))) return null
      const candidates = await eraseSessionPersonalData(trx, session.id, stamp)
      await recordHistory(
        trx,
        { centreId: session.centre_id, actor: RETENTION_PURGE, action: 'personal_data_purged', sessionId: session.id, count: candidates },
        new Date(now),
      )
      return candidates
    })
    if (erased !== null) result.sessions.push({ id: session.id, centreId: session.centre_id, finalisedAt: session.finalised_at!, candidates: erased })
  }
  if (!options.dryRun) Object.assign(result, await writeTransaction(db, (trx) => deleteExpiredAccesses(trx, stamp)))
  return result
}

/**
 * "Conserver : contestation en cours" (CNIL 2023-058: nothing is deleted while a procedure is
 * open): the purge skips the session until an administrator releases it. Recorded in the history.
 */
export async function holdSession(db: Db, sessionId: number, hold: boolean, by: ChangeBy, now = Date.now()): Promise<Ok<null> | Refusal> {
  const changed = await writeTransaction(db, async (trx) => {
    if (!(await setHold(trx, sessionId, hold ? toTimestamp(now) : null))) return false
    await recordHistory(trx, { ...by, action: hold ? 'retention_hold_set' : 'retention_hold_released', sessionId }, new Date(now))
    return true
  })
  return changed ? ok(null) : refused(msg(hold ? 'privacy.hold.already_held' : 'privacy.hold.not_held'))
}

/**
 * Erasure on request: a candidate who has not started the test, in an open session, is deleted;
 * otherwise (started, or the session finalised) the row stays as "Candidat effacé" so the counts
 * stay true. Either way their name leaves the session's history, and the erasure is recorded
 * without it.
 */
export async function eraseCandidate(db: Db, sessionId: number, candidateId: number, by: ChangeBy, now = Date.now()): Promise<Ok<null> | Refusal> {
  const done = await writeTransaction(db, async (trx) => {
    const candidate = await trx
      .selectFrom('candidate')
      .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
      .innerJoin('certification_session', 'certification_session.id', 'candidate.session_id')
      .select(['candidate.id', 'candidate.first_name', 'candidate.last_name', 'candidate.erased_at', 'certification_session.finalised_at'])
      .select('certification_course.id as course_id')
      .where('candidate.id', '=', candidateId)
      .where('candidate.session_id', '=', sessionId)
      .executeTakeFirst()
    if (!candidate || candidate.erased_at !== null) return false
    if (!isFinalised(candidate) && candidate.course_id === null) {
      await trx.deleteFrom('candidate').where('id', '=', candidateId).execute()
      await blankNameInHistory(trx, sessionId, displayName(candidate))
    } else {
      await eraseOneCandidate(trx, sessionId, candidate, toTimestamp(now))
    }
    await trx
      .updateTable('certification_session')
      .set((eb) => ({ candidates_version: eb('candidates_version', '+', 1) }))
      .where('id', '=', sessionId)
      .execute()
    await recordHistory(trx, { ...by, action: 'candidate_erased', sessionId }, new Date(now))
    return true
  })
  return done ? ok(null) : refused(msg('privacy.erase.already'))
}

/** Whether erasing this candidate leaves a "Candidat effacé" row (started, or the session finalised) rather than deleting it. */
export async function erasureKeepsRow(db: Db, session: { id: number; finalised_at: string | null }, candidateId: number): Promise<boolean> {
  return isFinalised(session) || (await hasStarted(db, candidateId))
}
