import { type Msg, msg } from '../../i18n/index.ts'
import { type FieldErrors, hasErrors } from '../../lib/forms.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { controlCharacterProblem, normaliseNewlines } from '../../lib/text.ts'
import { ALL_CODES } from '../incidents/index.ts'

/**
 * The rules of finalising a session, as plain functions: when it is allowed, what the draft
 * (step 1 ticks, step 3 comment) may hold, and what the confirmation page sums up.
 */

export type FinalisationState = 'not_started' | 'open' | 'finalised'

/** A session can be finalised once a candidate started the test, and only once. */
export function finalisationState(session: { finalised_at: string | null }, startedCount: number): FinalisationState {
  if (session.finalised_at !== null) return 'finalised'
  return startedCount > 0 ? 'open' : 'not_started'
}

export const MAX_GLOBAL_COMMENT_LENGTH = 500
export type GlobalCommentChoice = 'none' | 'incident'

export interface Draft {
  /** Candidate ids whose "Écran de fin du test vu" box is ticked. */
  endScreenSeen: number[]
  globalCommentChoice: GlobalCommentChoice | null
  /** Kept only with the 'incident' choice. */
  globalComment: string | null
}

export const draftFieldNames = { endScreen: 'ecran_fin', choice: 'choix_commentaire', comment: 'commentaire_global' } as const

export interface DraftInput {
  endScreen: string[]
  choice: string
  comment: string
}

/**
 * Reads the step 1 and step 3 fields. Ticks of candidates who did not join are dropped; the
 * comment is kept only with the "incident" choice. `forValidation` is the "Valider" button:
 * then an incident needs its description.
 */
export function readDraft(input: DraftInput, startedCandidateIds: readonly number[], options: { forValidation?: boolean } = {}): Result<Draft> {
  const errors: FieldErrors = {}
  const started = new Set(startedCandidateIds)
  const endScreenSeen = [...new Set(input.endScreen.map(Number))].filter((id) => started.has(id)).sort((a, b) => a - b)
  const choice: GlobalCommentChoice | null = input.choice === 'none' || input.choice === 'incident' ? input.choice : null
  const comment = normaliseNewlines(input.comment).trim()
  if (choice === 'incident') {
    const control = controlCharacterProblem(comment)
    if (control) errors[draftFieldNames.comment] = control
    else if (comment.length > MAX_GLOBAL_COMMENT_LENGTH) errors[draftFieldNames.comment] = msg('form.too_long', { max: MAX_GLOBAL_COMMENT_LENGTH })
    else if (!comment && options.forValidation) errors[draftFieldNames.comment] = msg('finalisation.comment.error.empty')
  }
  if (hasErrors(errors)) return invalid(errors)
  return ok({ endScreenSeen, globalCommentChoice: choice, globalComment: choice === 'incident' && comment ? comment : null })
}

/** A finalisation can go ahead when the saved draft passes the "Valider" checks. */
export function draftProblems(session: { global_comment_choice: string | null; global_comment: string | null }): Msg | null {
  if (session.global_comment_choice === 'incident' && !session.global_comment) return msg('finalisation.comment.error.empty')
  return null
}

export interface SummaryCandidate {
  id: number
  lastName: string
  firstName: string
  certificationNumber: number
  hasSeenEndScreen: boolean
}

export interface SummaryReport {
  candidateId: number
  code: string
}

export interface FinalisationSummary {
  candidateCount: number
  reportCount: number
  /** Codes in the PV's order, with how many reports use each. */
  reportsByCode: Array<{ code: string; count: number }>
  /** Candidates whose end screen box is not ticked, named. */
  endScreenNotSeen: SummaryCandidate[]
}

export function summarise(candidates: readonly SummaryCandidate[], reports: readonly SummaryReport[]): FinalisationSummary {
  const counts = new Map<string, number>()
  for (const r of reports) counts.set(r.code, (counts.get(r.code) ?? 0) + 1)
  const order = (code: string) => (ALL_CODES.includes(code) ? ALL_CODES.indexOf(code) : ALL_CODES.length)
  const reportsByCode = [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => order(a.code) - order(b.code) || a.code.localeCompare(b.code))
  return {
    candidateCount: candidates.length,
    reportCount: reports.length,
    reportsByCode,
    endScreenNotSeen: candidates.filter((c) => !c.hasSeenEndScreen),
  }
}
