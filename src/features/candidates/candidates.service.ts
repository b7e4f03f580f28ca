import { type CandidateData, candidateKey } from './candidate-rules.ts'

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
