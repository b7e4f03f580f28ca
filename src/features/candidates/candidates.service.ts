import type { Db } from '../../db/database.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import { type CalendarDate, formatDateShort, todayInParis } from '../../lib/dates.ts'
import { type FieldErrors, shownVersion } from '../../lib/forms.ts'
import { invalid, ok, type Ok, type Refusal, refused, type Result } from '../../lib/result.ts'
import type { ChangeBy } from '../history/index.ts'
import { type CandidateData, type CandidateFormField, type CandidateInput, candidateKey, validateCandidate } from './candidate-rules.ts'
import { type LineProblem, prepareImport } from './candidates.import.ts'
import {
  deleteCandidateNotStarted,
  findListVersion,
  hasStarted,
  insertCandidate,
  listCandidates,
  listIdentities,
  replaceCandidates,
  updateCandidateNotStarted,
} from './candidates.repository.ts'
import { MAX_IMPORT_BYTES } from '../../lib/spreadsheet/file-type.ts'
import type { CandidateRow } from './candidates.table.ts'
import { countStartedCandidates, finalisedRefusal, type SessionRow } from '../sessions/index.ts'

/** What the Candidats tab allows, from the session's state (guide, chapter 4; DOMAIN.md § Joined). */
export interface CandidateListState {
  finalised: boolean
  /** At least one candidate started: the list can no longer be replaced by an import. */
  started: boolean
  canImport: boolean
  canAdd: boolean
}

export function candidateListState(session: { finalised_at: string | null }, startedCount: number): CandidateListState {
  const finalised = session.finalised_at !== null
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

/** "Julie Dupont", from form data or a stored row (flash messages). */
export function candidateName(c: { firstName: string; lastName: string } | { first_name: string; last_name: string }): string {
  return 'firstName' in c ? `${c.firstName} ${c.lastName}` : `${c.first_name} ${c.last_name}`
}

/**
 * The candidate form (add, or edit `existingId`): the field rules, then "not the same person
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
  const validation = validateCandidate(values)
  if (!validation.ok) return invalid(validation.errors as FieldErrors)
  const candidate = validation.value
  if (isDuplicate(candidate, await listIdentities(db, sessionId, existingId ?? undefined))) return invalid({ lastName: msg('candidates.duplicate') })
  if (existingId === null) return (await insertCandidate(db, sessionId, candidate, by)) === 'added' ? ok(candidate) : finalisedRefusal()
  if (await updateCandidateNotStarted(db, sessionId, existingId, candidate, by)) return ok(candidate)
  return (await hasStarted(db, existingId)) ? refused(msg('candidates.started_no_edit')) : finalisedRefusal()
}

/** Deletes a candidate who has not started; refused once started, or once the session is finalised. */
export async function removeCandidate(db: Db, sessionId: number, candidateId: number, by: ChangeBy): Promise<Ok<null> | Refusal> {
  if (await deleteCandidateNotStarted(db, sessionId, candidateId, by)) return ok(null)
  return (await hasStarted(db, candidateId)) ? refused(msg('candidates.started_no_delete')) : finalisedRefusal()
}

/** An .ods sent with the import form (what the multipart reader gives). */
export interface SheetUpload {
  buffer: Buffer
  truncated: boolean
}

/** An import refused for what the file says, or because the list changed: the tab again, with the message. */
export interface ImportProblem {
  ok: false
  importError: { message: Msg; problems?: LineProblem[]; notices?: Msg[] }
  status: 400 | 409
}

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
  const problem = (message: Msg, problems?: LineProblem[], notices?: Msg[]): ImportProblem => ({
    ok: false,
    importError: { message, problems, notices },
    status: 400,
  })
  if (!upload) return problem(msg('candidates.import.no_file'))
  if (upload.truncated || upload.buffer.length > MAX_IMPORT_BYTES) return problem(msg('candidates.import.too_large'))
  const outcome = await prepareImport(upload.buffer, today)
  if (!outcome.ok) {
    if ('refused' in outcome) return problem(outcome.refused)
    return problem(msg('candidates.import.failed_lines', { count: outcome.errors.length }), outcome.errors, outcome.notices)
  }
  // Another import (or an edit) since the form was shown wins: a form without a version never replaces.
  const result = await replaceCandidates(db, session.id, outcome.value.candidates, shownVersion(sentVersion), by)
  if (result === 'finalised') return finalisedRefusal()
  if (result === 'started') return started
  if (result === 'changed') return { ok: false, importError: { message: msg('candidates.import.list_changed') }, status: 409 }
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
