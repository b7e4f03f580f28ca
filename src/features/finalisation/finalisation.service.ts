import type { Db } from '../../db/database.ts'
import { asTimestamp, type Msg, msg } from '../../i18n/index.ts'
import { countCandidates, findSessionForCentre, type SessionRow, finalisedRefusal } from '../sessions/index.ts'
import type { SessionDocumentRow, ReportRow } from './finalisation.table.ts'
import {
  type DraftInput,
  draftProblems,
  finalisationState,
  type FinalisationState,
  readDraft,
  summarise,
  type FinalisationSummary,
} from './finalisation.rules.ts'
import {
  deleteDocument,
  deleteReport,
  finalise,
  findDocumentInSession,
  findReportInSession,
  findUserName,
  insertDocument,
  insertReport,
  type StartedCandidate,
  listDocuments,
  listStartedCandidates,
  listReports,
  saveDraft,
} from './finalisation.repository.ts'
import { findCandidateInSession, candidateName } from '../candidates/index.ts'
import { type ValidReport, validateReport } from '../incidents/index.ts'
import { type FieldErrors, hasErrors, shownVersion } from '../../lib/forms.ts'
import { invalid, ok, type Ok, type Refusal, refused, type Result } from '../../lib/result.ts'
import { controlCharacterProblem } from '../../lib/text.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import { loadSessionClocks } from '../supervision/index.ts'
import type { ChangeBy } from '../history/index.ts'
import { documentDisplayName, documentProblem, MAX_DOCUMENT_COMMENT_LENGTH, MAX_DOCUMENTS_PER_SESSION, sniffDocumentType } from './documents.ts'

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
    findUserName(db, session.finalised_by_user_id),
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
  if (!current.finalised_at) return { session: current, message: msg('finalisation.not_started') }
  const date = asTimestamp(current.finalised_at)
  const name = await findUserName(db, current.finalised_by_user_id)
  return { session: current, message: name ? msg('finalisation.finalised_by', { date, name }) : msg('finalisation.finalised_on', { date }) }
}

/** A file sent with the documents form of step 2 (what the multipart reader gives). */
export interface DocumentUpload {
  filename: string
  buffer: Buffer
  truncated: boolean
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
  const { state } = await loadState(db, session)
  if (state !== 'open') return refusalFor(state)
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
  const result = await insertDocument(db, session.id, document, MAX_DOCUMENTS_PER_SESSION, by)
  if (result === 'finalised') return finalisedRefusal()
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
): Promise<Ok<{ startedIds: number[] }> | { ok: false; errors: FieldErrors; values: DraftInput } | Refusal> {
  const { state, started } = await loadState(db, session)
  if (state !== 'open') return refusalFor(state)
  const startedIds = started.map((c) => c.id)
  const values = options.tickAll ? { ...input, endScreen: startedIds.map(String) } : input
  const draft = readDraft(values, startedIds, { forValidation: options.forValidation })
  if (!draft.ok) return { ...draft, values }
  if (!(await saveDraft(db, session.id, startedIds, draft.value, by))) return finalisedRefusal()
  return ok({ startedIds })
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
  const { state, started } = await loadState(db, session)
  if (state !== 'open') return refusalFor(state)
  if (!started.some((c) => c.id === candidateId)) return null
  if (!(await insertReport(db, session.id, candidateId, report.value, by))) return finalisedRefusal()
  return report
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
  const { state, started } = await loadState(db, session)
  if (state !== 'open') return refusalFor(state)
  if (draft) {
    const startedIds = started.map((c) => c.id)
    const read = readDraft(draft, startedIds)
    if (read.ok) await saveDraft(db, session.id, startedIds, read.value, null)
  }
  if (!(await deleteReport(db, session.id, report.id, by))) return finalisedRefusal()
  const candidate = await findCandidateInSession(db, session.id, report.candidate_id)
  return ok(candidate ? candidateName(candidate) : '')
}

/** Step 2, "Supprimer" a document, while the session is open (with the wizard's draft as typed, saved first). */
export async function removeDocument(
  db: Db,
  session: SessionRow,
  documentId: number,
  by: ChangeBy,
  draft: DraftInput | null = null,
): Promise<Ok<null> | Refusal> {
  const { state, started } = await loadState(db, session)
  if (state !== 'open') return refusalFor(state)
  if (draft) {
    const startedIds = started.map((c) => c.id)
    const read = readDraft(draft, startedIds)
    if (read.ok) await saveDraft(db, session.id, startedIds, read.value, null)
  }
  if (!(await deleteDocument(db, session.id, documentId, by))) return finalisedRefusal()
  return ok(null)
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

/**
 * "Finaliser" on the confirmation page. `sentVersion` is the form's `version` as sent: the draft
 * version the page showed; anything but digits is no confirmation of the stored draft. Besides a
 * refusal: `draft` (the saved draft lacks what "Valider" requires: back to step 3 with the message)
 * and `stale` (the draft changed since the page was shown: the page again, with the current state).
 */
export async function finaliseSession(
  db: Db,
  session: SessionRow,
  userId: number,
  sentVersion: string,
  by: ChangeBy,
): Promise<Ok<null> | Refusal | { ok: false; draft: Msg } | { ok: false; stale: true }> {
  const { state } = await loadState(db, session)
  if (state !== 'open') return refusalFor(state)
  const problem = draftProblems(session)
  if (problem) return { ok: false, draft: problem }
  const result = await finalise(db, session.id, userId, shownVersion(sentVersion), by)
  if (result === 'draft_changed') return { ok: false, stale: true }
  if (result === 'already_finalised') return finalisedRefusal()
  if (result === 'not_started') return refused(msg('finalisation.not_started'))
  if (result === 'draft_invalid') return { ok: false, draft: msg('finalisation.comment.error.empty') }
  return ok(null)
}

/** The bytes of a document of the session, for its download (null: none). */
export { documentContent } from './finalisation.repository.ts'
