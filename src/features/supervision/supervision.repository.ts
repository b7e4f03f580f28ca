import { type Expression, type SqlBool, sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { type Trx, writeTransaction } from '../../db/transaction.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import type { ValidReport } from '../incidents/index.ts'
import { type Actor as HistoryActor, INVIGILATOR_ACTOR_NAME, recordHistory, type HistoryAction } from '../history/index.ts'
import { ENTRY_WINDOW_MS } from './status.ts'
import type { SupervisionAction } from './supervision.table.ts'
import { sessionStillOpen } from '../sessions/index.ts'
import { closeOpenPausesOf } from './time-control.repository.ts'

/** Who did it: an invigilator access (opened with the session password) or a staff user. */
export type Actor = { kind: 'invigilator'; accessId: string } | { kind: 'staff'; userId: number }

/*
 * Every change is one conditional statement: it only matches a row in the state the change
 * starts from, in a session not finalised. Two devices acting at once therefore end in one
 * consistent state (of two "Terminer le test", one changes a row; a start and a cancelled
 * confirmation cannot both succeed), and a refused change writes nothing.
 */

export function findSessionForSupervision(db: Db, sessionId: number) {
  return db
    .selectFrom('certification_session')
    .select(['id', 'centre_id', 'invigilator_password', 'finalised_at'])
    .where('id', '=', sessionId)
    .executeTakeFirst()
}

export function findSessionById(db: Db, sessionId: number) {
  return db.selectFrom('certification_session').selectAll().where('id', '=', sessionId).executeTakeFirst()
}

// --- Invigilator accesses ------------------------------------------------------------------

export async function insertAccess(db: Db, id: string, sessionId: number, expiresAt: number, now: Date): Promise<void> {
  await db
    .insertInto('invigilator_access')
    .values({ id, session_id: sessionId, created_at: toTimestamp(now), expires_at: toTimestamp(expiresAt), ended_at: null })
    .execute()
}

export function findAccess(db: Db, id: string) {
  return db.selectFrom('invigilator_access').select(['id', 'session_id', 'expires_at', 'ended_at']).where('id', '=', id).executeTakeFirst()
}

export async function endAccess(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('invigilator_access')
    .set({ ended_at: toTimestamp(now) })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute()
}

/** Ends every open invigilator access of the session (a new password, the finalisation), in the caller's transaction. */
export async function endSessionAccesses(trx: Db, sessionId: number, now: Date): Promise<void> {
  await trx
    .updateTable('invigilator_access')
    .set({ ended_at: toTimestamp(now) })
    .where('session_id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute()
}

/** A new password: the new value and the end of every open access of the session, together. */
export async function replacePassword(db: Db, centreId: number, sessionId: number, password: string, userId: number, now: Date): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('certification_session')
      .set({ invigilator_password: password })
      .where('id', '=', sessionId)
      .where('centre_id', '=', centreId)
      .where(sessionStillOpen(sessionId))
      .executeTakeFirst()
    if (result.numUpdatedRows === 0n) return false
    await endSessionAccesses(trx, sessionId, now)
    await trx
      .insertInto('supervision_event')
      .values(event(sessionId, null, 'password', { kind: 'staff', userId }, now))
      .execute()
    await recordInHistory(trx, sessionId, null, 'password', { kind: 'staff', userId }, now)
    return true
  })
}

// --- The list --------------------------------------------------------------------------------

export interface SupervisedRow {
  id: number
  last_name: string
  first_name: string
  birthdate: string
  extra_time_percentage: number | null
  accessibility_needed: number
  accessibility_note: string | null
  accommodation_approved_by: string | null
  accommodation_approved_on: string | null
  has_seen_end_screen: number
  arrived_at: string | null
  presence_confirmed_at: string | null
  course_id: number | null
  started_at: string | null
  ended_at: string | null
}

export function listSupervisedCandidates(db: Db, sessionId: number): Promise<SupervisedRow[]> {
  return db
    .selectFrom('candidate')
    .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .select([
      'candidate.id',
      'candidate.last_name',
      'candidate.first_name',
      'candidate.birthdate',
      'candidate.extra_time_percentage',
      'candidate.accessibility_needed',
      'candidate.accessibility_note',
      'candidate.accommodation_approved_by',
      'candidate.accommodation_approved_on',
      'candidate.has_seen_end_screen',
      'candidate.arrived_at',
      'candidate.presence_confirmed_at',
      'certification_course.id as course_id',
      'certification_course.joined_at as started_at',
      'certification_course.ended_at',
    ])
    .where('candidate.session_id', '=', sessionId)
    .execute()
}

export function listLiveReports(db: Db, sessionId: number) {
  return db
    .selectFrom('report')
    .select(['id', 'candidate_id', 'code', 'question_number', 'details', 'source', 'recorded_at'])
    .where('session_id', '=', sessionId)
    .orderBy('candidate_id')
    .orderBy('id')
    .execute()
}

export async function firstStartOf(db: Db, sessionId: number): Promise<string | null> {
  const row = await db
    .selectFrom('certification_course')
    .select((eb) => eb.fn.min<string>('joined_at').as('first'))
    .where('session_id', '=', sessionId)
    .executeTakeFirst()
  return row?.first ?? null
}

// --- Changes ---------------------------------------------------------------------------------

export function event(sessionId: number, candidateId: number | null, action: SupervisionAction, actor: Actor, now: Date) {
  return {
    session_id: sessionId,
    candidate_id: candidateId,
    action,
    at: toTimestamp(now),
    user_id: actor.kind === 'staff' ? actor.userId : null,
    access_id: actor.kind === 'invigilator' ? actor.accessId : null,
  }
}

/** Nobody of the session started more than 24 hours ago. */
const entryOpen = (sessionId: number, now: Date): Expression<SqlBool> =>
  sql<SqlBool>`not exists (select 1 from certification_course f where f.session_id = ${sessionId} and f.joined_at < ${toTimestamp(now.getTime() - ENTRY_WINDOW_MS)})`
const notStarted = sql<SqlBool>`not exists (select 1 from certification_course c where c.candidate_id = candidate.id)`
const started = sql<SqlBool>`exists (select 1 from certification_course c where c.candidate_id = candidate.id)`

/** What the finalisation shows (reports, end screen, times): a confirmation page shown before must no longer finalise. */
const CHANGES_THE_DRAFT: readonly SupervisionAction[] = ['start', 'end', 'end_screen_on', 'end_screen_off', 'incident']

export async function bumpDraft(trx: Trx, sessionId: number): Promise<void> {
  await trx
    .updateTable('certification_session')
    .set((eb) => ({ draft_version: eb('draft_version', '+', 1) }))
    .where('id', '=', sessionId)
    .execute()
}

/** Each change of the Espace surveillant, as the centre's history names it (an incident is a report added). */
const HISTORY_OF: Partial<Record<SupervisionAction, HistoryAction>> = {
  confirm: 'presence_confirmed',
  cancel: 'presence_cancelled',
  end: 'test_ended',
  end_screen_on: 'end_screen_ticked',
  end_screen_off: 'end_screen_unticked',
  incident: 'report_added',
  password: 'invigilator_key_renewed',
}

/** The history's actor for a supervision actor: the staff member's name, or the session's invigilator access. */
export async function historyActor(trx: Trx, actor: Actor): Promise<HistoryActor> {
  if (actor.kind === 'invigilator') return { kind: 'invigilator', userId: null, name: INVIGILATOR_ACTOR_NAME, email: null }
  const user = await trx.selectFrom('user').select(['first_name', 'last_name', 'email']).where('id', '=', actor.userId).executeTakeFirst()
  return { kind: 'user', userId: actor.userId, name: user ? `${user.first_name} ${user.last_name}` : '', email: user?.email ?? null }
}

/** Also in the centre's history, in the same transaction as the change and its supervision event. */
async function recordInHistory(trx: Trx, sessionId: number, candidateId: number | null, action: SupervisionAction, actor: Actor, now: Date): Promise<void> {
  const historyAction = HISTORY_OF[action]
  if (!historyAction) return
  const session = await trx.selectFrom('certification_session').select('centre_id').where('id', '=', sessionId).executeTakeFirstOrThrow()
  const candidate =
    candidateId === null ? undefined : await trx.selectFrom('candidate').select(['first_name', 'last_name']).where('id', '=', candidateId).executeTakeFirst()
  await recordHistory(
    trx,
    {
      centreId: session.centre_id,
      actor: await historyActor(trx, actor),
      action: historyAction,
      sessionId,
      subject: candidate ? `${candidate.first_name} ${candidate.last_name}` : null,
    },
    now,
  )
}

/** Runs the conditional change in one write transaction and, if it matched a row, records who did it; true when it did. */
async function changeAndRecord(
  db: Db,
  sessionId: number,
  candidateId: number,
  action: SupervisionAction,
  actor: Actor,
  now: Date,
  change: (trx: Trx) => Promise<bigint>,
): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const changed = await change(trx)
    if (changed === 0n) return false
    await trx
      .insertInto('supervision_event')
      .values(event(sessionId, candidateId, action, actor, now))
      .execute()
    await recordInHistory(trx, sessionId, candidateId, action, actor, now)
    if (CHANGES_THE_DRAFT.includes(action)) await bumpDraft(trx, sessionId)
    return true
  })
}

/** The conditional statement of "Confirmer la présence": rows changed (0 when the candidate is not in a state to confirm). */
export async function confirmPresenceIn(trx: Trx, sessionId: number, candidateId: number, now: Date): Promise<bigint> {
  const result = await trx
    .updateTable('candidate')
    .set({ presence_confirmed_at: toTimestamp(now) })
    .where('id', '=', candidateId)
    .where('session_id', '=', sessionId)
    .where('presence_confirmed_at', 'is', null)
    .where(notStarted)
    .where(sessionStillOpen(sessionId))
    .where(entryOpen(sessionId, now))
    .executeTakeFirst()
  return result.numUpdatedRows
}

export function confirmPresence(db: Db, sessionId: number, candidateId: number, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, 'confirm', actor, now, (trx) => confirmPresenceIn(trx, sessionId, candidateId, now))
}

export function cancelPresence(db: Db, sessionId: number, candidateId: number, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, 'cancel', actor, now, async (trx) => {
    const result = await trx
      .updateTable('candidate')
      .set({ presence_confirmed_at: null })
      .where('id', '=', candidateId)
      .where('session_id', '=', sessionId)
      .where('presence_confirmed_at', 'is not', null)
      .where(notStarted)
      .where(sessionStillOpen(sessionId))
      .where(entryOpen(sessionId, now))
      .executeTakeFirst()
    return result.numUpdatedRows
  })
}

/** The conditional statement of "Terminer le test": rows changed (0 when the test is not running). */
export async function endTestIn(trx: Trx, sessionId: number, candidateId: number, now: Date): Promise<bigint> {
  const result = await trx
    .updateTable('certification_course')
    .set({ ended_at: toTimestamp(now) })
    .where('candidate_id', '=', candidateId)
    .where('session_id', '=', sessionId)
    .where('ended_at', 'is', null)
    .where(sessionStillOpen(sessionId))
    .executeTakeFirst()
  if (result.numUpdatedRows > 0n) await closeOpenPausesOf(trx, sessionId, candidateId, now)
  return result.numUpdatedRows
}

export function endTest(db: Db, sessionId: number, candidateId: number, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, 'end', actor, now, (trx) => endTestIn(trx, sessionId, candidateId, now))
}

export function setEndScreenSeen(db: Db, sessionId: number, candidateId: number, seen: boolean, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, seen ? 'end_screen_on' : 'end_screen_off', actor, now, async (trx) => {
    const result = await trx
      .updateTable('candidate')
      .set({ has_seen_end_screen: seen ? 1 : 0 })
      .where('id', '=', candidateId)
      .where('session_id', '=', sessionId)
      .where('has_seen_end_screen', '=', seen ? 0 : 1)
      .where(started)
      .where(sessionStillOpen(sessionId))
      .executeTakeFirst()
    return result.numUpdatedRows
  })
}

/** A report of the finalisation's kind, marked as recorded during the session (and when). */
export function recordIncident(db: Db, sessionId: number, candidateId: number, report: ValidReport, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, 'incident', actor, now, async (trx) => {
    const result = await trx
      .insertInto('report')
      .columns([
        'session_id',
        'candidate_id',
        'category',
        'code',
        'question_number',
        'details',
        'source',
        'recorded_at',
        'recorded_by_user_id',
        'recorded_by_access_id',
      ])
      .expression((eb) =>
        eb
          .selectFrom('candidate')
          .innerJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
          // Parameters in a select list are cast: PostgreSQL would take them for text.
          .select([
            'candidate.session_id',
            'candidate.id',
            sql.lit(report.category).as('category'),
            sql.lit(report.code).as('code'),
            sql<number | null>`cast(${report.questionNumber} as integer)`.as('question_number'),
            sql<string | null>`cast(${report.details} as text)`.as('details'),
            sql.lit('invigilator').as('source'),
            sql<string>`cast(${toTimestamp(now)} as text)`.as('recorded_at'),
            sql<number | null>`cast(${actor.kind === 'staff' ? actor.userId : null} as integer)`.as('recorded_by_user_id'),
            sql<string | null>`cast(${actor.kind === 'invigilator' ? actor.accessId : null} as text)`.as('recorded_by_access_id'),
          ])
          .where('candidate.id', '=', candidateId)
          .where('candidate.session_id', '=', sessionId)
          .where(sessionStillOpen(sessionId)),
      )
      .executeTakeFirst()
    return BigInt(result.numInsertedOrUpdatedRows ?? 0n)
  })
}

/** Records that a candidate typed the right access code (waiting for the invigilator). */
export async function markArrived(db: Db, sessionId: number, candidateId: number, now: Date): Promise<void> {
  await db
    .updateTable('candidate')
    .set({ arrived_at: toTimestamp(now) })
    .where('id', '=', candidateId)
    .where('session_id', '=', sessionId)
    .where('arrived_at', 'is', null)
    .execute()
}

/**
 * The candidate starts: the certification course is created only if the presence is confirmed,
 * the session open and entry not closed, in one statement (UNIQUE(candidate_id): never twice).
 */
export async function startCourse(db: Db, sessionId: number, candidateId: number, now: Date): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const result = await trx
      .insertInto('certification_course')
      .columns(['session_id', 'candidate_id', 'joined_at'])
      .expression((eb) =>
        eb
          .selectFrom('candidate')
          .select(['candidate.session_id', 'candidate.id', sql<string>`cast(${toTimestamp(now)} as text)`.as('joined_at')])
          .where('candidate.id', '=', candidateId)
          .where('candidate.session_id', '=', sessionId)
          .where('candidate.presence_confirmed_at', 'is not', null)
          .where(sessionStillOpen(sessionId))
          .where(entryOpen(sessionId, now)),
      )
      .onConflict((oc) => oc.column('candidate_id').doNothing())
      .executeTakeFirst()
    const inserted = BigInt(result.numInsertedOrUpdatedRows ?? 0n) > 0n
    if (inserted) {
      await trx
        .insertInto('supervision_event')
        .values({ session_id: sessionId, candidate_id: candidateId, action: 'start', at: toTimestamp(now), user_id: null, access_id: null })
        .execute()
      // One more joined candidate changes the finalisation summary.
      await bumpDraft(trx, sessionId)
    }
    return inserted
  })
}

/** The candidate's state as the candidate page needs it. */
export function findAttendance(db: Db, sessionId: number, candidateId: number) {
  return db
    .selectFrom('candidate')
    .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .select([
      'candidate.id',
      'candidate.first_name',
      'candidate.last_name',
      'candidate.arrived_at',
      'candidate.presence_confirmed_at',
      'certification_course.id as course_id',
      'certification_course.joined_at as started_at',
      'certification_course.ended_at',
    ])
    .where('candidate.id', '=', candidateId)
    .where('candidate.session_id', '=', sessionId)
    .executeTakeFirst()
}

export function listEvents(db: Db, sessionId: number) {
  return db.selectFrom('supervision_event').selectAll().where('session_id', '=', sessionId).orderBy('id').execute()
}
