import type { Db } from '../../db/database.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import { type CalendarDate, formatDateShort, todayInParis } from '../../lib/dates.ts'
import { type FieldErrors, shownVersion } from '../../lib/forms.ts'
import { invalid, ok, type Ok, type Refusal, refused, type Result, unreachable } from '../../lib/result.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { type ChangeBy, recordHistory } from '../history/index.ts'
import { type CandidateData, type CandidateFormField, type CandidateInput, candidateKey, validateCandidate } from './candidate-rules.ts'
import { type LineProblem, prepareImport } from './candidates.import.ts'
import {
  bumpListVersionFrom,
  deleteCandidateNotStarted,
  deleteCandidatesOfSession,
  findListVersion,
  hasStarted,
  insertCandidate,
  insertCandidates,
  listCandidates,
  listCandidatesForSheet,
  listIdentities,
  updateCandidateNotStarted,
} from './candidates.repository.ts'
import { MAX_IMPORT_BYTES } from '../../lib/spreadsheet/file-type.ts'
import type { CandidateRow } from './candidates.table.ts'
import { countStartedCandidates, finalisedRefusal, hasSessionStarted, isFinalised, isStillOpen, type SessionRow } from '../sessions/index.ts'
import { displayName } from '../../lib/display-name.ts'

/** What the Candidats tab allows, from the session's state (guide, chapter 4; DOMAIN.md § Joined). */
export interface CandidateListState {
  finalised: boolean
  /** At least one candidate started: the list can no longer be replaced by an import. */
  started: boolean
  canImport: boolean
  canAdd: boolean
}

export function candidateListState(session: { finalised_at: string | null }, startedCount: number): CandidateListState {
  const finalised = isFinalised(session)
  const started = startedCount > 0
  return { finalised, started, canImport: !finalised && !started, canAdd: !finalised }
}

/** Whether the same person (names without accents/case, same birthdate) is already among `others`. */
export function isDuplicate(candidate: CandidateData, others: Array<{ last_name: string; first_name: string; birthdate: string }>): boolean {
  const key = candidateKey(candidate)
  return others.some((o) => candidateKey({ lastName: o.last_name, firstName: o.first_name, birthdate: o.birthdate }) === key)
}

export type CandidateFormValues = Record<CandidateFormField, string>

/** The edit form prefilled from a stored candidate, as a person would type it. */
export function candidateFormValues(row: CandidateRow): CandidateFormValues {
  return {
    lastName: row.last_name,
    firstName: row.first_name,
    birthdate: formatDateShort(row.birthdate),
    birthCity: row.birth_city,
    birthDepartment: row.birth_department_code,
    birthCountry: row.birth_country,
    email: row.email ?? '',
    externalId: row.external_id ?? '',
    extraTime: row.extra_time_percentage ? String(row.extra_time_percentage) : '',
    accessibilityNeeded: row.accessibility_needed ? 'oui' : '',
    accessibilityNote: row.accessibility_note ?? '',
    accommodationApprovedBy: row.accommodation_approved_by ?? '',
    accommodationApprovedOn: row.accommodation_approved_on ? formatDateShort(row.accommodation_approved_on) : '',
    convocationLanguage: row.convocation_language,
  }
}

/** The candidates of the attendance sheet (.ods), in the Candidats tab's order. */
export function listSheetCandidates(db: Db, sessionId: number): Promise<CandidateRow[]> {
  return listCandidatesForSheet(db, sessionId)
}

/** Whether a candidate may still be edited or deleted (its page and its form): refused once the candidate started (guide, chapter 4). */
export async function candidateChangeAllowed(db: Db, candidateId: number, change: 'edit' | 'delete'): Promise<Ok<null> | Refusal> {
  if (!(await hasStarted(db, candidateId))) return ok(null)
  return refused(msg(change === 'edit' ? 'candidates.started_no_edit' : 'candidates.started_no_delete'))
}

/**
 * The candidate form (add, or edit `existingId`, refused first when that candidate started): the field rules, then "not the same person
 * twice" in the session, then the write, which checks again that nobody started and that the
 * session is open (a candidate may join, or a colleague finalise, between the page being read and
 * this write). The value is the candidate as saved.
 */
export async function saveCandidate(
  db: Db,
  sessionId: number,
  existingId: number | null,
  values: CandidateInput,
  by: ChangeBy,
): Promise<Result<CandidateData> | Refusal> {
  if (existingId !== null) {
    const allowed = await candidateChangeAllowed(db, existingId, 'edit')
    if (!allowed.ok) return allowed
  }
  const validation = validateCandidate(values)
  if (!validation.ok) return invalid(validation.errors as FieldErrors)
  const candidate = validation.value
  if (isDuplicate(candidate, await listIdentities(db, sessionId, existingId ?? undefined))) return invalid({ lastName: msg('candidates.duplicate') })
  return writeCandidate(db, sessionId, existingId, candidate, by)
}

/**
 * The write of a checked candidate (add, or edit `existingId`), in one transaction with its
 * history entry: refused when the session was finalised or the candidate started meanwhile.
 */
export async function writeCandidate(
  db: Db,
  sessionId: number,
  existingId: number | null,
  candidate: CandidateData,
  by: ChangeBy,
): Promise<Ok<CandidateData> | Refusal> {
  const subject = displayName(candidate)
  return writeTransaction(db, async (trx) => {
    if (existingId === null) {
      if (!(await isStillOpen(trx, sessionId))) return finalisedRefusal()
      await insertCandidate(trx, sessionId, candidate)
      await recordHistory(trx, { ...by, action: 'candidate_added', sessionId, subject })
      return ok(candidate)
    }
    if (!(await updateCandidateNotStarted(trx, sessionId, existingId, candidate)))
      return (await hasStarted(trx, existingId)) ? refused(msg('candidates.started_no_edit')) : finalisedRefusal()
    await recordHistory(trx, { ...by, action: 'candidate_edited', sessionId, subject })
    return ok(candidate)
  })
}

/** Deletes a candidate who has not started; refused once started, or once the session is finalised. */
export async function removeCandidate(db: Db, sessionId: number, candidateId: number, by: ChangeBy): Promise<Ok<null> | Refusal> {
  return writeTransaction(db, async (trx) => {
    const removed = await deleteCandidateNotStarted(trx, sessionId, candidateId)
    if (!removed) return (await hasStarted(trx, candidateId)) ? refused(msg('candidates.started_no_delete')) : finalisedRefusal()
    await recordHistory(trx, { ...by, action: 'candidate_deleted', sessionId, subject: displayName(removed) })
    return ok(null)
  })
}

export type ReplaceResult = 'replaced' | 'started' | 'changed' | 'finalised'

/**
 * Replaces the whole list in one transaction, only if the session is still open ('finalised':
 * finalised since the request read it), it is still the list the import form was shown with
 * (`shownVersion`, else 'changed': another import or edit came first) and nobody started
 * ('started'): an import never deletes a started candidate nor silently overwrites a colleague's
 * import.
 */
export async function replaceCandidates(db: Db, sessionId: number, candidates: CandidateData[], shownVersion: number, by: ChangeBy): Promise<ReplaceResult> {
  return writeTransaction(db, async (trx) => {
    if (!(await isStillOpen(trx, sessionId))) return 'finalised'
    if (await hasSessionStarted(trx, sessionId)) return 'started'
    if (!(await bumpListVersionFrom(trx, sessionId, shownVersion))) return 'changed'
    await deleteCandidatesOfSession(trx, sessionId)
    await insertCandidates(trx, sessionId, candidates)
    await recordHistory(trx, { ...by, action: 'candidates_imported', sessionId, count: candidates.length })
    return 'replaced'
  })
}

/** An .ods sent with the import form (what the multipart reader gives). */
export interface SheetUpload {
  buffer: Buffer
  truncated: boolean
}

/**
 * An import refused for what the file says (`bad_file`, with every bad line and the notices about
 * the file), or because the list changed since the form was shown (`stale`): the tab again, with the message.
 */
export type ImportProblem = Refusal<'bad_file' | 'stale'> & { problems?: LineProblem[]; notices?: Msg[] }

/**
 * "Importer" on the Candidats tab: the file (≤ MAX_IMPORT_BYTES) read and every line checked, then
 * the whole list replaced in one transaction, only while nobody started, the session is open and the
 * list is still the one the form was shown with (`sentVersion`, the form's `version_liste` as
 * sent). The value is the non-blocking warnings.
 */
export async function importCandidates(
  db: Db,
  session: Pick<SessionRow, 'id' | 'finalised_at'>,
  upload: SheetUpload | null,
  sentVersion: string,
  by: ChangeBy,
  today: CalendarDate = todayInParis(),
): Promise<Ok<Msg[]> | Refusal | ImportProblem> {
  const started = refused(msg('candidates.import.started'))
  if (!candidateListState(session, await countStartedCandidates(db, session.id)).canImport) return started
  const problem = (message: Msg, problems?: LineProblem[], notices?: Msg[]): ImportProblem => ({ ...refused(message, 'bad_file'), problems, notices })
  if (!upload) return problem(msg('candidates.import.no_file'))
  if (upload.truncated || upload.buffer.length > MAX_IMPORT_BYTES) return problem(msg('candidates.import.too_large'))
  const outcome = await prepareImport(upload.buffer, today)
  if (!outcome.ok) {
    switch (outcome.reason) {
      case 'invalid':
        return problem(msg('candidates.import.failed_lines', { count: outcome.errors.length }), outcome.errors, outcome.notices)
      case 'refused':
      case 'finalised':
        return problem(outcome.refused)
      default:
        return unreachable(outcome)
    }
  }
  // Another import (or an edit) since the form was shown wins: a form without a version never replaces.
  const result = await replaceCandidates(db, session.id, outcome.value.candidates, shownVersion(sentVersion), by)
  if (result === 'finalised') return finalisedRefusal()
  if (result === 'started') return started
  if (result === 'changed') return refused(msg('candidates.import.list_changed'), 'stale')
  return ok(outcome.value.warnings)
}

/**
 * What the Candidats tab shows: the list (with who started), its version for the import form, and
 * what can be done with it. Each candidate's convocation is the convocations feature's
 * (`loadListConvocations`, given this list): convocations reads candidates, not the other way.
 */
export async function loadCandidatesTab(db: Db, session: SessionRow) {
  // Read before the list, so the import form never carries a version newer than the list it shows.
  const listVersion = await findListVersion(db, session.id)
  const candidates = await listCandidates(db, session.id)
  const started = candidates.filter((c) => c.certification_course_id !== null).length
  return { candidates, listVersion, state: candidateListState(session, started) }
}
