import type { Db } from '../../db/database.ts'
import { asTimestamp, type Msg, msg } from '../../i18n/index.ts'
import { countCandidates, findSessionForCentre } from '../sessions/sessions.repository.ts'
import type { SessionRow } from '../sessions/sessions.table.ts'
import type { SessionDocumentRow, ReportRow } from './finalisation.table.ts'
import { finalisationState, type FinalisationState, summarise, type FinalisationSummary } from './finalisation.rules.ts'
import { findUserName, insertDocument, type JoinedCandidate, listDocuments, listJoinedCandidates, listReports } from './finalisation.repository.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { hasErrors } from '../../lib/forms.ts'
import { invalid, ok, type Refusal, refused, type Result } from '../../lib/result.ts'
import { controlCharacterProblem } from '../../lib/text.ts'
import type { ChangeBy } from '../history/history.ts'
import { documentDisplayName, documentProblem, MAX_DOCUMENT_COMMENT_LENGTH, MAX_DOCUMENTS_PER_SESSION, sniffDocumentType } from './documents.ts'

/** Everything the finalisation pages show about one session, read in one place. */
export interface FinalisationView {
  session: SessionRow
  state: FinalisationState
  candidateCount: number
  candidates: Array<JoinedCandidate & { reports: ReportRow[] }>
  reports: ReportRow[]
  documents: SessionDocumentRow[]
  summary: FinalisationSummary
  finalisedByName: string | null
}

export async function loadFinalisation(db: Db, session: SessionRow): Promise<FinalisationView> {
  const [joined, reports, documents, candidateCount, finalisedByName] = await Promise.all([
    listJoinedCandidates(db, session.id),
    listReports(db, session.id),
    listDocuments(db, session.id),
    countCandidates(db, session.id),
    findUserName(db, session.finalised_by_user_id),
  ])
  const joinedIds = new Set(joined.map((c) => c.id))
  // Reports of a candidate who is no longer joined are not part of the finalisation.
  const kept = reports.filter((r) => joinedIds.has(r.candidate_id))
  return {
    session,
    state: finalisationState(session, joined.length),
    candidateCount,
    candidates: joined.map((c) => ({ ...c, reports: kept.filter((r) => r.candidate_id === c.id) })),
    reports: kept,
    documents,
    summary: summarise(
      joined,
      kept.map((r) => ({ candidateId: r.candidate_id, code: r.code })),
    ),
    finalisedByName,
  }
}

/** Just the state, for routes that only need to know whether changes are allowed. */
export async function loadState(db: Db, session: SessionRow): Promise<{ state: FinalisationState; joined: JoinedCandidate[] }> {
  const joined = await listJoinedCandidates(db, session.id)
  return { state: finalisationState(session, joined.length), joined }
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
  if (state === 'finalised') return refused(msg('sessions.finalised.read_only'), { finalised: true })
  if (state !== 'open') return refused(msg('finalisation.not_started'))
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
  if (result === 'finalised') return refused(msg('sessions.finalised.read_only'), { finalised: true })
  if (result === 'too_many') return invalid({ fichier: msg('finalisation.documents.error.too_many', { max: MAX_DOCUMENTS_PER_SESSION }) })
  return ok(name)
}
