import { type Expression, type SqlBool, sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { Trx } from '../../db/transaction.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import type { ValidReport } from '../incidents/index.ts'
import { ENTRY_WINDOW_MS } from './status.ts'
import type { SupervisionAction } from './supervision.table.ts'
import { candidateNotStarted, candidateStarted, sessionStillOpen } from '../sessions/index.ts'
import { prepared, preparedFirst } from '../../db/prepared.ts'

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

// The reads of the Espace surveillant's list and of the waiting page are prepared (src/db/prepared.ts):
// each invigilator's list every 5 s, each waiting candidate's retry every 10 s.
export const findSessionById = preparedFirst((db: Db, sessionId: number) => db.selectFrom('certification_session').selectAll().where('id', '=', sessionId))

// --- Invigilator accesses ------------------------------------------------------------------

export async function insertAccess(db: Db, id: string, sessionId: number, expiresAt: number, now: Date): Promise<void> {
  await db
    .insertInto('invigilator_access')
    .values({ id, session_id: sessionId, created_at: toTimestamp(now), expires_at: toTimestamp(expiresAt), ended_at: null })
    .execute()
}

export const findAccess = preparedFirst((db: Db, id: string) =>
  db.selectFrom('invigilator_access').select(['id', 'session_id', 'expires_at', 'ended_at']).where('id', '=', id),
)

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

/** The new invigilator password of a session of the centre still open; false when no such session is open. */
export async function updatePassword(trx: Trx, centreId: number, sessionId: number, password: string): Promise<boolean> {
  const result = await trx
    .updateTable('certification_session')
    .set({ invigilator_password: password })
    .where('id', '=', sessionId)
    .where('centre_id', '=', centreId)
    .where(sessionStillOpen(sessionId))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
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

export const listSupervisedCandidates: (db: Db, sessionId: number) => Promise<SupervisedRow[]> = prepared((db: Db, sessionId: number) =>
  db
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
    .where('candidate.session_id', '=', sessionId),
)

export const listLiveReports = prepared((db: Db, sessionId: number) =>
  db
    .selectFrom('report')
    .select(['id', 'candidate_id', 'code', 'question_number', 'details', 'source', 'recorded_at'])
    .where('session_id', '=', sessionId)
    .orderBy('candidate_id')
    .orderBy('id'),
)

const firstStart = preparedFirst((db: Db, sessionId: number) =>
  db
    .selectFrom('certification_course')
    .select((eb) => eb.fn.min<string>('joined_at').as('first'))
    .where('session_id', '=', sessionId),
)

export async function firstStartOf(db: Db, sessionId: number): Promise<string | null> {
  return (await firstStart(db, sessionId))?.first ?? null
}

// --- Changes ---------------------------------------------------------------------------------

/** A supervision event's row; `actor` null: the candidate's own start. */
export function event(sessionId: number, candidateId: number | null, action: SupervisionAction, actor: Actor | null, now: Date) {
  return {
    session_id: sessionId,
    candidate_id: candidateId,
    action,
    at: toTimestamp(now),
    user_id: actor?.kind === 'staff' ? actor.userId : null,
    access_id: actor?.kind === 'invigilator' ? actor.accessId : null,
  }
}

/** Nobody of the session started more than 24 hours ago. */
const entryOpen = (sessionId: number, now: Date): Expression<SqlBool> =>
  sql<SqlBool>`not exists (select 1 from certification_course f where f.session_id = ${sessionId} and f.joined_at < ${toTimestamp(now.getTime() - ENTRY_WINDOW_MS)})`

/** Records a change of the Espace surveillant in the session's supervision events. */
export async function insertEvent(
  trx: Trx,
  sessionId: number,
  candidateId: number | null,
  action: SupervisionAction,
  actor: Actor | null,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('supervision_event')
    .values(event(sessionId, candidateId, action, actor, now))
    .execute()
}

/** Raises the session's `draft_version` (a change the finalisation shows), in the caller's transaction. */
export async function bumpDraft(trx: Trx, sessionId: number): Promise<void> {
  await trx
    .updateTable('certification_session')
    .set((eb) => ({ draft_version: eb('draft_version', '+', 1) }))
    .where('id', '=', sessionId)
    .execute()
}

/** The centre of a session. */
export async function findCentreOfSession(trx: Trx, sessionId: number): Promise<number> {
  const session = await trx.selectFrom('certification_session').select('centre_id').where('id', '=', sessionId).executeTakeFirstOrThrow()
  return session.centre_id
}

/** A candidate's name parts (undefined: no such candidate). */
export function findCandidateName(trx: Trx, candidateId: number) {
  return trx.selectFrom('candidate').select(['first_name', 'last_name']).where('id', '=', candidateId).executeTakeFirst()
}

/** The conditional statement of "Confirmer la présence": rows changed (0 when the candidate is not in a state to confirm). */
export async function confirmPresenceIn(trx: Trx, sessionId: number, candidateId: number, now: Date): Promise<bigint> {
  const result = await trx
    .updateTable('candidate')
    .set({ presence_confirmed_at: toTimestamp(now) })
    .where('id', '=', candidateId)
    .where('session_id', '=', sessionId)
    .where('presence_confirmed_at', 'is', null)
    .where(candidateNotStarted('candidate.id'))
    .where(sessionStillOpen(sessionId))
    .where(entryOpen(sessionId, now))
    .executeTakeFirst()
  return result.numUpdatedRows
}

/** The conditional statement of "Annuler la confirmation": rows changed. */
export async function cancelPresenceIn(trx: Trx, sessionId: number, candidateId: number, now: Date): Promise<bigint> {
  const result = await trx
    .updateTable('candidate')
    .set({ presence_confirmed_at: null })
    .where('id', '=', candidateId)
    .where('session_id', '=', sessionId)
    .where('presence_confirmed_at', 'is not', null)
    .where(candidateNotStarted('candidate.id'))
    .where(sessionStillOpen(sessionId))
    .where(entryOpen(sessionId, now))
    .executeTakeFirst()
  return result.numUpdatedRows
}

/** The conditional statement of "Terminer le test": rows changed (0 when the test is not running); the open pauses are the service's. */
export async function endCourseIn(trx: Trx, sessionId: number, candidateId: number, now: Date): Promise<bigint> {
  const result = await trx
    .updateTable('certification_course')
    .set({ ended_at: toTimestamp(now) })
    .where('candidate_id', '=', candidateId)
    .where('session_id', '=', sessionId)
    .where('ended_at', 'is', null)
    .where(sessionStillOpen(sessionId))
    .executeTakeFirst()
  return result.numUpdatedRows
}

/** The conditional statement of ticking (or unticking) "Écran de fin du test vu" of a candidate who started: rows changed. */
export async function setEndScreenSeenIn(trx: Trx, sessionId: number, candidateId: number, seen: boolean): Promise<bigint> {
  const result = await trx
    .updateTable('candidate')
    .set({ has_seen_end_screen: seen ? 1 : 0 })
    .where('id', '=', candidateId)
    .where('session_id', '=', sessionId)
    .where('has_seen_end_screen', '=', seen ? 0 : 1)
    .where(candidateStarted('candidate.id'))
    .where(sessionStillOpen(sessionId))
    .executeTakeFirst()
  return result.numUpdatedRows
}

/** The conditional insert of a report recorded during the session (and when) for a candidate who started: rows inserted. */
export async function insertIncidentIn(trx: Trx, sessionId: number, candidateId: number, report: ValidReport, actor: Actor, now: Date): Promise<bigint> {
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
 * The conditional insert of a start: the certification course is created only if the presence is
 * confirmed, the session open and entry not closed, in one statement (UNIQUE(candidate_id): never
 * twice). True when it was created.
 */
export async function insertCourseIn(trx: Trx, sessionId: number, candidateId: number, now: Date): Promise<boolean> {
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
  return BigInt(result.numInsertedOrUpdatedRows ?? 0n) > 0n
}

/** The candidate's state as the candidate page needs it. */
export const findAttendance = preparedFirst((db: Db, sessionId: number, candidateId: number) =>
  db
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
    .where('candidate.session_id', '=', sessionId),
)
