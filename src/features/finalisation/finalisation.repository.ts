import { randomBytes } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../../db/database.ts'
import { sortPeopleRows } from '../../lib/collation.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import type { Draft } from './finalisation.rules.ts'
import type { ValidReport } from '../incidents/index.ts'
import { displayName } from '../../lib/display-name.ts'
import { SESSION_DOCUMENT_COLUMNS } from './finalisation.table.ts'

/** A started candidate as step 1 lists it; the certification course id is the "N° de certification". */
export interface StartedCandidate {
  id: number
  lastName: string
  firstName: string
  certificationNumber: number
  hasSeenEndScreen: boolean
  /** When the candidate started, and when the invigilator ended the test (ISO), from the Espace surveillant. */
  startedAt: string
  endedAt: string | null
  /** Personal data erased: shown as "Candidat effacé". */
  erased: boolean
  /** For the theoretical end (extra time, added minutes, pauses). */
  extraTimePercentage: number | null
}

export async function listStartedCandidates(db: Db, sessionId: number): Promise<StartedCandidate[]> {
  const rows = await db
    .selectFrom('candidate')
    .innerJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .select([
      'candidate.id',
      'candidate.last_name',
      'candidate.first_name',
      'candidate.has_seen_end_screen',
      'candidate.erased_at',
      'candidate.extra_time_percentage',
      'certification_course.id as course_id',
      'certification_course.joined_at',
      'certification_course.ended_at',
    ])
    .where('candidate.session_id', '=', sessionId)
    .execute()
  // Step 1 lists them in the French order of every list of people.
  return sortPeopleRows(rows).map((r) => ({
    id: r.id,
    lastName: r.last_name,
    firstName: r.first_name,
    certificationNumber: r.course_id,
    hasSeenEndScreen: r.has_seen_end_screen === 1,
    startedAt: r.joined_at,
    endedAt: r.ended_at,
    erased: r.erased_at !== null,
    extraTimePercentage: r.extra_time_percentage,
  }))
}

/** A report of this session (scope.ts loads :reportId so). */
export function findReportInSession(db: Db, sessionId: number, id: number) {
  return db.selectFrom('report').selectAll().where('session_id', '=', sessionId).where('id', '=', id).executeTakeFirst()
}

/** A document of this session, without its content (scope.ts loads :documentId so). */
export function findDocumentInSession(db: Db, sessionId: number, id: number) {
  return db.selectFrom('session_document').select(SESSION_DOCUMENT_COLUMNS).where('session_id', '=', sessionId).where('id', '=', id).executeTakeFirst()
}

export function listReports(db: Db, sessionId: number) {
  return db.selectFrom('report').selectAll().where('session_id', '=', sessionId).orderBy('candidate_id').orderBy('id').execute()
}

export function listDocuments(db: Db, sessionId: number) {
  return db.selectFrom('session_document').select(SESSION_DOCUMENT_COLUMNS).where('session_id', '=', sessionId).orderBy('id').execute()
}

/** The bytes of one document of the session (null when none, or when its file was lost before the move into the database). */
export async function documentContent(db: Db, sessionId: number, documentId: number): Promise<Buffer | null> {
  const row = await db.selectFrom('session_document').select('content').where('session_id', '=', sessionId).where('id', '=', documentId).executeTakeFirst()
  return row?.content ?? null
}

type Trx = Transaction<Database>

/**
 * Raises `draft_version`, in the caller's transaction: every change of the draft does, so a
 * confirmation page shown before it can no longer finalise.
 */
export async function bumpDraftVersion(trx: Trx, sessionId: number): Promise<void> {
  await trx
    .updateTable('certification_session')
    .set((eb) => ({ draft_version: eb('draft_version', '+', 1) }))
    .where('id', '=', sessionId)
    .execute()
}

/** The candidate's name as the app shows it, for the history. */
export async function findCandidateSubject(trx: Trx, candidateId: number): Promise<string | null> {
  const row = await trx.selectFrom('candidate').select(['first_name', 'last_name']).where('id', '=', candidateId).executeTakeFirst()
  return row ? displayName(row) : null
}

export async function insertReport(trx: Trx, sessionId: number, candidateId: number, report: ValidReport): Promise<void> {
  await trx
    .insertInto('report')
    .values({
      session_id: sessionId,
      candidate_id: candidateId,
      category: report.category,
      code: report.code,
      question_number: report.questionNumber,
      details: report.details,
    })
    .execute()
}

/** Deletes a report of the session; the id of its candidate, or undefined when there was none. */
export async function deleteReport(trx: Trx, sessionId: number, reportId: number): Promise<number | undefined> {
  const removed = await trx.deleteFrom('report').where('session_id', '=', sessionId).where('id', '=', reportId).returning('candidate_id').executeTakeFirst()
  return removed?.candidate_id
}

/** Writes step 1 ticks (joined candidates only) and step 3 choice and comment. */
export async function writeDraft(trx: Trx, sessionId: number, startedCandidateIds: readonly number[], draft: Draft): Promise<void> {
  if (startedCandidateIds.length > 0) {
    const ticked = draft.endScreenSeen.filter((id) => startedCandidateIds.includes(id))
    await trx.updateTable('candidate').set({ has_seen_end_screen: 0 }).where('session_id', '=', sessionId).where('id', 'in', startedCandidateIds).execute()
    if (ticked.length > 0)
      await trx.updateTable('candidate').set({ has_seen_end_screen: 1 }).where('session_id', '=', sessionId).where('id', 'in', ticked).execute()
  }
  await trx
    .updateTable('certification_session')
    .set({ global_comment_choice: draft.globalCommentChoice, global_comment: draft.globalComment })
    .where('id', '=', sessionId)
    .execute()
}

export interface NewDocument {
  originalName: string
  mimeType: string
  content: Buffer
  comment: string | null
}

export async function countDocuments(trx: Trx, sessionId: number): Promise<number> {
  const row = await trx
    .selectFrom('session_document')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Records a document and its bytes. */
export async function insertDocument(trx: Trx, sessionId: number, document: NewDocument): Promise<void> {
  await trx
    .insertInto('session_document')
    .values({
      session_id: sessionId,
      original_name: document.originalName,
      stored_name: randomBytes(16).toString('hex'),
      mime_type: document.mimeType,
      size: document.content.length,
      comment: document.comment,
      content: document.content,
    })
    .execute()
}

/** Deletes a document of the session; its name, or undefined when there was none. */
export async function deleteDocument(trx: Trx, sessionId: number, documentId: number): Promise<string | undefined> {
  const removed = await trx
    .deleteFrom('session_document')
    .where('session_id', '=', sessionId)
    .where('id', '=', documentId)
    .returning('original_name')
    .executeTakeFirst()
  return removed?.original_name
}

/** The session's finalisation state and draft as stored now (undefined: no such session). */
export function findDraft(trx: Trx, sessionId: number) {
  return trx
    .selectFrom('certification_session')
    .select(['global_comment_choice', 'global_comment', 'draft_version', 'finalised_at'])
    .where('id', '=', sessionId)
    .executeTakeFirst()
}

/** Marks the session finalised, by `userId` at `now` (the caller's transaction checked it may). */
export async function markFinalised(trx: Trx, sessionId: number, userId: number, now: Date): Promise<void> {
  await trx
    .updateTable('certification_session')
    .set({ finalised_at: toTimestamp(now), finalised_by_user_id: userId, updated_at: toTimestamp(now) })
    .where('id', '=', sessionId)
    .execute()
}
