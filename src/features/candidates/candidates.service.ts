import type { Db } from '../../db/database.ts'
import { msg } from '../../i18n/index.ts'
import { formatDateShort } from '../../lib/dates.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { invalid, ok, type Refusal, refused, type Result } from '../../lib/result.ts'
import type { ChangeBy } from '../history/history.ts'
import { type CandidateData, type CandidateFormField, type CandidateInput, candidateKey, validateCandidate } from './candidate-rules.ts'
import { hasJoined, insertCandidate, listIdentities, updateCandidateNotJoined } from './candidates.repository.ts'
import type { CandidateRow } from './candidates.table.ts'

/** What the Candidats tab allows, from the session's state (guide, chapter 4; DOMAIN.md § Joined). */
export interface CandidateListState {
  finalised: boolean
  /** At least one candidate joined: the list can no longer be replaced by an import. */
  started: boolean
  canImport: boolean
  canAdd: boolean
}

export function candidateListState(session: { finalised_at: string | null }, joinedCount: number): CandidateListState {
  const finalised = session.finalised_at !== null
  const started = joinedCount > 0
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
    convocationLanguage: row.convocation_language,
  }
}

/** "Julie Dupont", from form data or a stored row (flash messages). */
export function candidateName(c: { firstName: string; lastName: string } | { first_name: string; last_name: string }): string {
  return 'firstName' in c ? `${c.firstName} ${c.lastName}` : `${c.first_name} ${c.last_name}`
}

/**
 * The candidate form (add, or edit `existingId`): the field rules, then "not the same person
 * twice" in the session, then the write, which checks again that nobody joined and that the
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
  const finalised = refused(msg('sessions.finalised.read_only'), { finalised: true })
  if (existingId === null) return (await insertCandidate(db, sessionId, candidate, by)) === 'added' ? ok(candidate) : finalised
  if (await updateCandidateNotJoined(db, sessionId, existingId, candidate, by)) return ok(candidate)
  return (await hasJoined(db, existingId)) ? refused(msg('candidates.joined_no_edit')) : finalised
}
