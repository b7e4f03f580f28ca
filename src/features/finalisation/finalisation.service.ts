import type { Db } from '../../db/database.ts'
import { asTimestamp, type Msg, msg } from '../../i18n/index.ts'
import { countCandidates, findSessionForCentre, finalisedRefusal, hasSessionStarted, isFinalised, isStillOpen, type SessionRow } from '../sessions/index.ts'
import { type Trx, writeTransaction } from '../../db/transaction.ts'
import { endSessionAccesses, loadSessionClocks } from '../supervision/index.ts'
import type { SessionDocumentRow, ReportRow } from './finalisation.table.ts'
import {
  type Draft,
  type DraftInput,
  draftProblems,
  finalisationState,
  type FinalisationState,
  readDraft,
  summarise,
  type FinalisationSummary,
} from './finalisation.rules.ts'
import {
  bumpDraftVersion,
  countDocuments,
  deleteDocument,
  deleteReport,
  findCandidateSubject,
  findDocumentInSession,
  findDraft,
  findReportInSession,
  insertDocument,
  insertReport,
  type StartedCandidate,
  listDocuments,
  listStartedCandidates,
  listReports,
  type NewDocument,
  markFinalised,
  writeDraft,
} from './finalisation.repository.ts'
import { type ValidReport, validateReport } from '../incidents/index.ts'
import { type FieldErrors, hasErrors, shownVersion } from '../../lib/forms.ts'
import { type Invalid, invalid, ok, type Ok, type Refusal, refused, type Result } from '../../lib/result.ts'
import { controlCharacterProblem } from '../../lib/text.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import { type ChangeBy, recordHistory } from '../history/index.ts'
import { documentDisplayName, documentProblem, MAX_DOCUMENT_COMMENT_LENGTH, MAX_DOCUMENTS_PER_SESSION, sniffDocumentType } from './documents.ts'
import { findUserName } from '../accounts/index.ts'

/** Everything the finalisation pages show about one session, read in one place. */
export interface FinalisationView {
  session: SessionRow
  state: FinalisationState
  candidateCount: number
  candidates: Array<StartedCandidate & { reports: ReportRow[]; theoreticalEnd: string | null }>
  reports: ReportRow[]
  documents: SessionDocumentRow[]
  summary: FinalisationSummary
  finalisedByName: string | null
}

export async function loadFinalisation(db: Db, session: SessionRow): Promise<FinalisationView> {
  const [started, reports, documents, candidateCount, finalisedByName, clocks] = await Promise.all([
    listStartedCandidates(db, session.id),
    listReports(db, session.id),
    listDocuments(db, session.id),
    countCandidates(db, session.id),
    findUserName(db, session.finalised_by_user_id).then((user) => user?.name ?? null),
    loadSessionClocks(db, session.id, session.test_duration_minutes),
  ])
  const startedIds = new Set(started.map((c) => c.id))
  // Reports of a candidate whose test no longer counts as started are not part of the finalisation.
  const kept = reports.filter((r) => startedIds.has(r.candidate_id))
  return {
    session,
    state: finalisationState(session, started.length),
    candidateCount,
    candidates: started.map((c) => {
      // The theoretical end is shown where the Espace surveillant changed the clock.
      const clock = clocks.of(c)
      const changed = clock && (clock.addedMinutes > 0 || clock.pausedMs > 0)
      return { ...c, reports: kept.filter((r) => r.candidate_id === c.id), theoreticalEnd: changed ? toTimestamp(clock.theoreticalEnd) : null }
    }),
    reports: kept,
    documents,
    summary: summarise(
      started,
      kept.map((r) => ({ candidateId: r.candidate_id, code: r.code })),
    ),
    finalisedByName,
  }
}

/** Just the state, for routes that only need to know whether changes are allowed. */
export async function loadState(db: Db, session: SessionRow): Promise<{ state: FinalisationState; started: StartedCandidate[] }> {
  const started = await listStartedCandidates(db, session.id)
  return { state: finalisationState(session, started.length), started }
}

/**
 * Why a change is refused: not started, or finalised (when, and by whom). The session is read
 * again, since it may have been finalised after the request loaded it.
 */
export async function refusalOf(db: Db, session: SessionRow): Promise<{ session: SessionRow; message: Msg }> {
  const current = (await findSessionForCentre(db, session.centre_id, session.id)) ?? session
  if (!isFinalised(current)) return { session: current, message: msg('finalisation.not_started') }
  const date = asTimestamp(current.finalised_at)
  const name = (await findUserName(db, current.finalised_by_user_id))?.name
  return { session: current, message: name ? msg('finalisation.finalised_by', { date, name }) : msg('finalisation.finalised_on', { date }) }
}

/**
 * Runs `change` in one write transaction, only while the session is open and started: the one
 * check of the state, inside the transaction, so a finalisation cannot slip in between the check
 * and the change (scope.ts refused a session finalised before the request). Every change of the
 * draft raises `draft_version` here: a confirmation page shown before it can no longer finalise.
 * `change` gets the started candidates as they are now.
 */
async function whileOpen<T>(db: Db, sessionId: number, change: (trx: Trx, started: StartedCandidate[]) => Promise<T>): Promise<T | Refusal> {
  return writeTransaction(db, async (trx) => {
    if (!(await isStillOpen(trx, sessionId))) return finalisedRefusal()
    const started = await listStartedCandidates(trx, sessionId)
    if (started.length === 0) return refused(msg('finalisation.not_started'))
    await bumpDraftVersion(trx, sessionId)
    return change(trx, started)
  })
}

/** The draft of steps 1 and 3 as the form sent it (`draft`), saved on the way when it reads well. */
async function saveDraftOnTheWay(trx: Trx, sessionId: number, started: StartedCandidate[], draft: DraftInput | null): Promise<void> {
  if (!draft) return
  const startedIds = started.map((c) => c.id)
  const read = readDraft(draft, startedIds)
  if (read.ok) await writeDraft(trx, sessionId, startedIds, read.value)
}

/**
 * Saves step 1 ticks (of `startedCandidateIds` only) and step 3 choice and comment in one
 * transaction, while the session is open; false (nothing written) once it is finalised.
 */
export async function saveDraft(db: Db, sessionId: number, startedCandidateIds: readonly number[], draft: Draft, by: ChangeBy): Promise<boolean> {
  const saved = await whileOpen(db, sessionId, async (trx) => {
    await writeDraft(trx, sessionId, startedCandidateIds, draft)
    await recordHistory(trx, { ...by, action: 'draft_saved', sessionId })
    return true as const
  })
  return saved === true
}

/** A file sent with the documents form of step 2 (what the multipart reader gives). */
export interface DocumentUpload {
  filename: string
  buffer: Buffer
  truncated: boolean
}

/** Stores a document in one transaction with its history entry, while the session is open and under `max` documents. */
export async function storeDocument(db: Db, sessionId: number, document: NewDocument, max: number, by: ChangeBy): Promise<'stored' | 'too_many' | Refusal> {
  return whileOpen(db, sessionId, async (trx) => {
    if ((await countDocuments(trx, sessionId)) >= max) return 'too_many' as const
    await insertDocument(trx, sessionId, document)
    await recordHistory(trx, { ...by, action: 'document_added', sessionId, subject: document.originalName })
    return 'stored' as const
  })
}

/**
 * Step 2, "Ajouter un document": the file is judged by its first bytes, its size and the number
 * the session already holds; the comment (already `documentComment`-ed) by the text rules. Stored
 * in the row's transaction, only while the session is open and under the limit. The value is the
 * name the document is shown under.
 */
export async function addDocument(
  db: Db,
  session: SessionRow,
  upload: DocumentUpload | null,
  comment: string,
  by: ChangeBy,
): Promise<Result<string> | Refusal> {
  const errors: FieldErrors = {}
  const existingCount = (await listDocuments(db, session.id)).length
  const type = upload ? await sniffDocumentType(upload.buffer) : null
  if (!upload) errors.fichier = msg('finalisation.documents.error.missing')
  else {
    const problem = documentProblem({ size: upload.buffer.length, truncated: upload.truncated, type, existingCount })
    if (problem) errors.fichier = problem
  }
  const commentProblem =
    controlCharacterProblem(comment) ?? (comment.length > MAX_DOCUMENT_COMMENT_LENGTH ? msg('form.too_long', { max: MAX_DOCUMENT_COMMENT_LENGTH }) : null)
  if (commentProblem) errors.commentaire = commentProblem
  if (hasErrors(errors) || !upload || !type) return invalid(errors)

  const name = documentDisplayName(upload.filename, type)
  const document = { originalName: name, mimeType: type, content: upload.buffer, comment: comment || null }
  const result = await storeDocument(db, session.id, document, MAX_DOCUMENTS_PER_SESSION, by)
  if (typeof result !== 'string') return result
  if (result === 'too_many') return invalid({ fichier: msg('finalisation.documents.error.too_many', { max: MAX_DOCUMENTS_PER_SESSION }) })
  return ok(name)
}

/** Why a change of the draft is refused, from the state just read. */
function refusalFor(state: Exclude<FinalisationState, 'open'>): Refusal {
  return state === 'finalised' ? finalisedRefusal() : refused(msg('finalisation.not_started'))
}

/**
 * The main form of the wizard (steps 1 and 3): "Tout cocher" ticks every started candidate, "Valider"
 * also requires the comment an incident calls for. Refused errors come back with the values judged
 * (ticks included), for the form to show them again. The value is the started candidates' ids.
 */
export async function saveDraftForm(
  db: Db,
  session: SessionRow,
  input: DraftInput,
  options: { tickAll: boolean; forValidation: boolean },
  by: ChangeBy,
): Promise<Ok<{ startedIds: number[] }> | (Invalid & { values: DraftInput }) | Refusal> {
  return whileOpen(db, session.id, async (trx, started) => {
    const startedIds = started.map((c) => c.id)
    const values = options.tickAll ? { ...input, endScreen: startedIds.map(String) } : input
    const draft = readDraft(values, startedIds, { forValidation: options.forValidation })
    // Nothing written: the version raised with it goes too.
    if (!draft.ok) throw new NotSaved({ ...draft, values })
    await writeDraft(trx, session.id, startedIds, draft.value)
    await recordHistory(trx, { ...by, action: 'draft_saved', sessionId: session.id })
    return ok({ startedIds })
  }).catch((error: unknown) => {
    if (error instanceof NotSaved) return error.answer
    throw error
  })
}

/** A draft refused by its rules, thrown out of its transaction so that nothing of it stays. */
class NotSaved extends Error {
  readonly answer: Invalid & { values: DraftInput }
  constructor(answer: Invalid & { values: DraftInput }) {
    super('draft not saved')
    this.answer = answer
  }
}

/** The report page of one started candidate: null when the candidate has not started (404). */
export async function loadReportPage(
  db: Db,
  session: SessionRow,
  candidateId: number,
): Promise<Ok<{ candidate: StartedCandidate; reports: ReportRow[] }> | Refusal | null> {
  const { state, started } = await loadState(db, session)
  if (state !== 'open') return refusalFor(state)
  const candidate = started.find((c) => c.id === candidateId)
  if (!candidate) return null
  const reports = (await listReports(db, session.id)).filter((r) => r.candidate_id === candidate.id)
  return ok({ candidate, reports })
}

/** Stores a report of a started candidate in one transaction with its history entry; null when the candidate has not started. */
export async function storeReport(
  db: Db,
  sessionId: number,
  candidateId: number,
  report: ValidReport,
  by: ChangeBy,
): Promise<Ok<ValidReport> | Refusal | null> {
  return whileOpen(db, sessionId, async (trx, started) => {
    if (!started.some((c) => c.id === candidateId)) return null
    await insertReport(trx, sessionId, candidateId, report)
    await recordHistory(trx, { ...by, action: 'report_added', sessionId, subject: await findCandidateSubject(trx, candidateId) })
    return ok(report)
  })
}

/**
 * "Ajouter un signalement" for a started candidate: the report checked by its category's rules, then
 * stored while the session is open. Null when the candidate has not started (404).
 */
export async function addReport(
  db: Db,
  session: SessionRow,
  candidateId: number,
  values: Record<string, string>,
  by: ChangeBy,
): Promise<Result<ValidReport> | Refusal | null> {
  const report = validateReport(values)
  if (!report.ok) return report
  return storeReport(db, session.id, candidateId, report.value, by)
}

/**
 * "Supprimer" a report, sent by the main form: the draft typed so far (`draft`, when the form sent
 * it) is saved on the way when it is valid, so nothing typed is lost. The value is the name of the
 * report's candidate, for the message.
 */
export async function removeReport(
  db: Db,
  session: SessionRow,
  report: Pick<ReportRow, 'id' | 'candidate_id'>,
  draft: DraftInput | null,
  by: ChangeBy,
): Promise<Ok<string> | Refusal> {
  return whileOpen(db, session.id, async (trx, started) => {
    await saveDraftOnTheWay(trx, session.id, started, draft)
    const candidateId = await deleteReport(trx, session.id, report.id)
    const subject = await findCandidateSubject(trx, report.candidate_id)
    if (candidateId !== undefined) await recordHistory(trx, { ...by, action: 'report_removed', sessionId: session.id, subject })
    return ok(subject ?? '')
  })
}

/** Step 2, "Supprimer" a document, while the session is open (with the wizard's draft as typed, saved first). */
export async function removeDocument(
  db: Db,
  session: SessionRow,
  documentId: number,
  by: ChangeBy,
  draft: DraftInput | null = null,
): Promise<Ok<null> | Refusal> {
  return whileOpen(db, session.id, async (trx, started) => {
    await saveDraftOnTheWay(trx, session.id, started, draft)
    const name = await deleteDocument(trx, session.id, documentId)
    if (name !== undefined) await recordHistory(trx, { ...by, action: 'document_removed', sessionId: session.id, subject: name })
    return ok(null)
  })
}

/**
 * The wizard's "Supprimer" buttons (a report of step 1, a document of step 2) are buttons of the
 * wizard's own form, so they work where a button cannot submit another form (text browsers): the
 * report or document named by the button, if it is one of this session's (null: 404).
 */
export async function findReportToRemove(db: Db, sessionId: number, reportId: number) {
  return (await findReportInSession(db, sessionId, reportId)) ?? null
}
export async function findDocumentToRemove(db: Db, sessionId: number, documentId: number) {
  return (await findDocumentInSession(db, sessionId, documentId)) ?? null
}

export type FinaliseResult = 'finalised' | 'already_finalised' | 'not_started' | 'draft_invalid' | 'draft_changed'

/**
 * Finalises in one transaction the draft the person saw: `shownVersion` is the `draft_version`
 * of their confirmation page; if anyone changed the draft since, nothing is finalised
 * ('draft_changed'). The state is checked once, inside the transaction (the write lock makes
 * two finalisations at once take turns: the second one reads the first one's).
 */
export async function finalise(db: Db, sessionId: number, userId: number, shownVersion: number, by: ChangeBy, now: Date = new Date()): Promise<FinaliseResult> {
  return writeTransaction(db, async (trx) => {
    // The draft as stored now (another tab may have saved since the confirmation page was shown).
    const draft = await findDraft(trx, sessionId)
    if (!draft || isFinalised(draft)) return 'already_finalised'
    if (!(await hasSessionStarted(trx, sessionId))) return 'not_started'
    if (draft.draft_version !== shownVersion) return 'draft_changed'
    if (draftProblems(draft)) return 'draft_invalid'
    await markFinalised(trx, sessionId, userId, now)
    // The invigilators' cookies open nothing any more (the kit shows the password and the access code).
    await endSessionAccesses(trx, sessionId, now)
    await recordHistory(trx, { ...by, action: 'session_finalised', sessionId }, now)
    return 'finalised'
  })
}

/**
 * "Finaliser" on the confirmation page. `sentVersion` is the form's `version` as sent: the draft
 * version the page showed; anything but digits is no confirmation of the stored draft. Refused as
 * `draft` (the saved draft lacks what "Valider" requires: back to step 3 with the message) or
 * `stale` (the draft changed since the page was shown: the page again, with the current state).
 */
export async function finaliseSession(
  db: Db,
  session: SessionRow,
  userId: number,
  sentVersion: string,
  by: ChangeBy,
): Promise<Ok<null> | Refusal<'refused' | 'finalised' | 'stale' | 'draft'>> {
  const result = await finalise(db, session.id, userId, shownVersion(sentVersion), by)
  if (result === 'draft_changed') return refused(msg('finalisation.confirm.changed'), 'stale')
  if (result === 'already_finalised') return finalisedRefusal()
  if (result === 'not_started') return refused(msg('finalisation.not_started'))
  if (result === 'draft_invalid') return refused(msg('finalisation.comment.error.empty'), 'draft')
  return ok(null)
}

/** The bytes of a document of the session, for its download (null: none). */
export { documentContent } from './finalisation.repository.ts'
