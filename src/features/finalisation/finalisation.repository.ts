import { randomBytes } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Database, Db } from '../../db/database.ts'
import { sortPeopleRows } from '../../lib/collation.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import { type ChangeBy, recordHistory } from '../history/index.ts'
import { type Draft, draftProblems } from './finalisation.rules.ts'
import type { ValidReport } from '../incidents/index.ts'
import { SESSION_DOCUMENT_COLUMNS } from './finalisation.table.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { sessionStillOpen } from '../sessions/index.ts'
import { endSessionAccesses } from '../supervision/index.ts'

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
 * Runs `change` in one write transaction, only while the session is not finalised, so a
 * finalisation cannot slip in between the check and the change. Every change of the draft goes
 * through here and raises `draft_version`: a confirmation page shown before it can no longer
 * finalise. Returns false (nothing written) once the session is finalised.
 */
async function whileOpen(db: Db, sessionId: number, change: (trx: Trx) => Promise<void>): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const bumped = await trx
      .updateTable('certification_session')
      .set((eb) => ({ draft_version: eb('draft_version', '+', 1) }))
      .where('id', '=', sessionId)
      .where(sessionStillOpen(sessionId))
      .executeTakeFirst()
    if (Number(bumped.numUpdatedRows) !== 1) return false
    await change(trx)
    return true
  })
}

/** The candidate's name as the app shows it, for the history. */
async function candidateSubject(trx: Trx, candidateId: number): Promise<string | null> {
  const row = await trx.selectFrom('candidate').select(['first_name', 'last_name']).where('id', '=', candidateId).executeTakeFirst()
  return row ? `${row.first_name} ${row.last_name}` : null
}

export function insertReport(db: Db, sessionId: number, candidateId: number, report: ValidReport, by: ChangeBy): Promise<boolean> {
  return whileOpen(db, sessionId, async (trx) => {
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
    await recordHistory(trx, { ...by, action: 'report_added', sessionId, subject: await candidateSubject(trx, candidateId) })
  })
}

export function deleteReport(db: Db, sessionId: number, reportId: number, by: ChangeBy): Promise<boolean> {
  return whileOpen(db, sessionId, async (trx) => {
    const removed = await trx.deleteFrom('report').where('session_id', '=', sessionId).where('id', '=', reportId).returning('candidate_id').executeTakeFirst()
    if (removed) await recordHistory(trx, { ...by, action: 'report_removed', sessionId, subject: await candidateSubject(trx, removed.candidate_id) })
  })
}

/**
 * Saves step 1 ticks (started candidates only) and step 3 choice and comment. `by` null: saved on
 * the way to another change, which records the history entry (one per request).
 */
export function saveDraft(db: Db, sessionId: number, startedCandidateIds: readonly number[], draft: Draft, by: ChangeBy | null): Promise<boolean> {
  return whileOpen(db, sessionId, async (trx) => {
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
    if (by) await recordHistory(trx, { ...by, action: 'draft_saved', sessionId })
  })
}

export interface NewDocument {
  originalName: string
  mimeType: string
  content: Buffer
  comment: string | null
}

/** Records a document and its bytes in one transaction, unless the session is finalised or already holds `max` documents. */
export async function insertDocument(
  db: Db,
  sessionId: number,
  document: NewDocument,
  max: number,
  by: ChangeBy,
): Promise<'stored' | 'finalised' | 'too_many'> {
  let full = false
  const open = await whileOpen(db, sessionId, async (trx) => {
    const row = await trx
      .selectFrom('session_document')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow()
    if (Number(row.n) >= max) {
      full = true
      return
    }
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
    await recordHistory(trx, { ...by, action: 'document_added', sessionId, subject: document.originalName })
  })
  if (!open) return 'finalised'
  return full ? 'too_many' : 'stored'
}

export function deleteDocument(db: Db, sessionId: number, documentId: number, by: ChangeBy): Promise<boolean> {
  return whileOpen(db, sessionId, async (trx) => {
    const removed = await trx
      .deleteFrom('session_document')
      .where('session_id', '=', sessionId)
      .where('id', '=', documentId)
      .returning('original_name')
      .executeTakeFirst()
    if (removed) await recordHistory(trx, { ...by, action: 'document_removed', sessionId, subject: removed.original_name })
  })
}

export type FinaliseResult = 'finalised' | 'already_finalised' | 'not_started' | 'draft_invalid' | 'draft_changed'

/**
 * Finalises in one transaction the draft the person saw: `shownVersion` is the `draft_version`
 * of their confirmation page; if anyone changed the draft since, nothing is finalised
 * ('draft_changed'). The UPDATE only matches a session not yet finalised, so of two
 * finalisations at once exactly one changes a row; the other is told so.
 */
export async function finalise(db: Db, sessionId: number, userId: number, shownVersion: number, by: ChangeBy, now: Date = new Date()): Promise<FinaliseResult> {
  return writeTransaction(db, async (trx) => {
    const started = await trx.selectFrom('certification_course').select('id').where('session_id', '=', sessionId).limit(1).executeTakeFirst()
    if (!started) return 'not_started'
    // The draft as stored now (another tab may have saved since the confirmation page was shown).
    const draft = await trx
      .selectFrom('certification_session')
      .select(['global_comment_choice', 'global_comment', 'draft_version', 'finalised_at'])
      .where('id', '=', sessionId)
      .executeTakeFirst()
    if (!draft || draft.finalised_at !== null) return 'already_finalised'
    if (draft.draft_version !== shownVersion) return 'draft_changed'
    if (draftProblems(draft)) return 'draft_invalid'
    const result = await trx
      .updateTable('certification_session')
      .set({ finalised_at: toTimestamp(now), finalised_by_user_id: userId, updated_at: toTimestamp(now) })
      .where('id', '=', sessionId)
      .where(sessionStillOpen(sessionId))
      .where('draft_version', '=', shownVersion)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) return 'already_finalised'
    // The invigilators' cookies open nothing any more (the kit shows the password and the access code).
    await endSessionAccesses(trx, sessionId, now)
    await recordHistory(trx, { ...by, action: 'session_finalised', sessionId }, now)
    return 'finalised'
  })
}

export async function findUserName(db: Db, userId: number | null): Promise<string | null> {
  if (userId === null) return null
  const row = await db.selectFrom('user').select(['first_name', 'last_name']).where('id', '=', userId).executeTakeFirst()
  return row ? `${row.first_name} ${row.last_name}` : null
}
