import type { Db } from '../../db/database.ts'
import type { Trx } from '../../db/transaction.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import type { ClockChangeRow, ClockReason } from './supervision.table.ts'
import type { Actor } from './supervision.repository.ts'
import { prepared } from '../../db/prepared.ts'

/*
 * Time control: the queries. The service (time-control.service.ts) runs them in one
 * write transaction per action, with the events, the reports and the history entry.
 */

/** Prepared (src/db/prepared.ts): the Espace surveillant's list reads it every 5 s. */
export const listClockChanges: (db: Db, sessionId: number) => Promise<ClockChangeRow[]> = prepared((db: Db, sessionId: number) =>
  db.selectFrom('clock_change').selectAll().where('session_id', '=', sessionId).orderBy('id'),
)

/** The candidates of the session among `ids`, with their course (started, ended) and names. */
export function findCandidatesWithCourse(trx: Db, sessionId: number, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return trx
    .selectFrom('candidate')
    .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .select(['candidate.id', 'candidate.first_name', 'candidate.last_name', 'certification_course.joined_at as started_at', 'certification_course.ended_at'])
    .where('candidate.session_id', '=', sessionId)
    .where('candidate.id', 'in', ids)
    .execute()
}

/** The candidates whose test runs (started, not ended): those a room pause stops. */
export function listRunningCandidates(trx: Db, sessionId: number) {
  return trx
    .selectFrom('candidate')
    .innerJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .select(['candidate.id', 'candidate.first_name', 'candidate.last_name'])
    .where('candidate.session_id', '=', sessionId)
    .where('certification_course.ended_at', 'is', null)
    .execute()
}

export interface NewClockChange {
  sessionId: number
  candidateId: number | null
  kind: 'add' | 'pause'
  minutes: number | null
  reason: ClockReason
  details: string | null
}

export async function insertClockChange(trx: Trx, change: NewClockChange, actor: Actor, now: Date): Promise<ClockChangeRow> {
  return trx
    .insertInto('clock_change')
    .values({
      session_id: change.sessionId,
      candidate_id: change.candidateId,
      kind: change.kind,
      minutes: change.minutes,
      reason: change.reason,
      details: change.details,
      started_at: toTimestamp(now),
      ended_at: null,
      user_id: actor.kind === 'staff' ? actor.userId : null,
      access_id: actor.kind === 'invigilator' ? actor.accessId : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Closes an open pause ("Reprendre"); true when it was open. */
export async function closePause(trx: Trx, pauseId: number, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('clock_change')
    .set({ ended_at: toTimestamp(now) })
    .where('id', '=', pauseId)
    .where('kind', '=', 'pause')
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** A report of the finalisation's kind telling of a time change, marked as recorded during the session. */
export async function insertClockReport(
  trx: Trx,
  report: { sessionId: number; candidateId: number; category: string; code: string; details: string; clockChangeId: number },
  actor: Actor,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('report')
    .values({
      session_id: report.sessionId,
      candidate_id: report.candidateId,
      category: report.category,
      code: report.code,
      question_number: null,
      details: report.details,
      source: 'invigilator',
      recorded_at: toTimestamp(now),
      recorded_by_user_id: actor.kind === 'staff' ? actor.userId : null,
      recorded_by_access_id: actor.kind === 'invigilator' ? actor.accessId : null,
      clock_change_id: report.clockChangeId,
    })
    .execute()
}

/** The text of every report told by this pause, once it is closed. */
export async function updateClockReports(trx: Trx, clockChangeId: number, details: string): Promise<void> {
  await trx.updateTable('report').set({ details }).where('clock_change_id', '=', clockChangeId).execute()
}

// --- A candidate's timeline ---------------------------------------------------

/** The candidate's own supervision events and the room's (pauses), with the staff member's name when a user acted. */
export function listTimelineEvents(db: Db, sessionId: number, candidateId: number) {
  return db
    .selectFrom('supervision_event')
    .leftJoin('user', 'user.id', 'supervision_event.user_id')
    .select([
      'supervision_event.id',
      'supervision_event.action',
      'supervision_event.at',
      'supervision_event.candidate_id',
      'supervision_event.access_id',
      'user.first_name as user_first_name',
      'user.last_name as user_last_name',
    ])
    .where('supervision_event.session_id', '=', sessionId)
    .where((eb) => eb.or([eb('supervision_event.candidate_id', '=', candidateId), eb('supervision_event.candidate_id', 'is', null)]))
    .orderBy('supervision_event.id')
    .execute()
}

export function listCandidateReports(db: Db, sessionId: number, candidateId: number) {
  return db
    .selectFrom('report')
    .select(['id', 'code', 'details', 'source', 'recorded_at', 'created_at', 'clock_change_id'])
    .where('session_id', '=', sessionId)
    .where('candidate_id', '=', candidateId)
    .orderBy('id')
    .execute()
}

/** The candidate's own pauses still open. */
export function listOpenPausesOf(trx: Trx, sessionId: number, candidateId: number): Promise<ClockChangeRow[]> {
  return trx
    .selectFrom('clock_change')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('candidate_id', '=', candidateId)
    .where('kind', '=', 'pause')
    .where('ended_at', 'is', null)
    .execute()
}
