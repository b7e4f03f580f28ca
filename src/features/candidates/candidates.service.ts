import { formatDateShort } from '../../lib/dates.ts'
import { type CandidateData, type CandidateFormField, candidateKey } from './candidate-rules.ts'
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
