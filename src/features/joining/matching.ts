import { sameName } from './names.ts'

/** What the candidate typed on the candidate page. */
export interface Identity {
  firstName: string
  lastName: string
  /** YYYY-MM-DD */
  birthdate: string
}

/** The listed candidates' fields that identify them. */
export interface ListedCandidate {
  id: number
  first_name: string
  last_name: string
  birthdate: string
}

export type MatchResult<C> = { kind: 'none' } | { kind: 'one'; candidate: C } | { kind: 'several' }

/**
 * Finds the listed candidate the identity belongs to: names compared normalised, the birthdate
 * exactly. Two or more matches is its own answer: the page must not pick one of them.
 */
export function matchCandidate<C extends ListedCandidate>(candidates: readonly C[], identity: Identity): MatchResult<C> {
  const matches = candidates.filter(
    (c) => c.birthdate === identity.birthdate && sameName(c.last_name, identity.lastName) && sameName(c.first_name, identity.firstName),
  )
  if (matches.length === 0) return { kind: 'none' }
  if (matches.length > 1) return { kind: 'several' }
  return { kind: 'one', candidate: matches[0]! }
}

/** Access codes are shown in capitals; candidates may type them in any case, with stray spaces. */
export function accessCodeMatches(typed: string, accessCode: string): boolean {
  const cleaned = typed.replace(/\s+/g, '').toUpperCase()
  return cleaned.length > 0 && cleaned === accessCode.toUpperCase()
}
