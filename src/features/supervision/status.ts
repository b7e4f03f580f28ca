/**
 * The invigilator's view of one candidate, as a small state machine (DOMAIN.md § Espace surveillant):
 *
 *   Inscrit ──(types the access code)──▶ En attente ──(presence confirmed)──▶ Présent ──(starts)──▶ En cours ──(test ended)──▶ Terminé
 *   Inscrit ──(presence confirmed before arriving)──▶ Présent;  Présent ──(confirmation cancelled)──▶ Inscrit / En attente
 *
 * Plain functions, no I/O: the repository's conditional updates enforce the same transitions.
 */
export type CandidateStatus = 'registered' | 'waiting' | 'present' | 'started' | 'ended'

export interface Attendance {
  arrivedAt: string | null
  confirmedAt: string | null
  /** The certification course's start (its creation). */
  startedAt: string | null
  endedAt: string | null
}

export function candidateStatus(a: Attendance): CandidateStatus {
  if (a.startedAt) return a.endedAt ? 'ended' : 'started'
  if (a.confirmedAt) return 'present'
  return a.arrivedAt ? 'waiting' : 'registered'
}

/** Nobody may start more than this after the session's first start (Pix, 2026). */
export const ENTRY_WINDOW_MS = 24 * 60 * 60 * 1000

/** Extra time, in whole minutes (rounded up, never in the candidate's disfavour). */
export function extraMinutes(durationMinutes: number, extraTimePercentage: number | null): number {
  if (!extraTimePercentage) return 0
  return Math.ceil((durationMinutes * extraTimePercentage) / 100)
}

/** "Fin théorique": start + the session's duration + the candidate's extra time. */
export function theoreticalEnd(startedAt: string, durationMinutes: number, extraTimePercentage: number | null): Date {
  const minutes = durationMinutes + extraMinutes(durationMinutes, extraTimePercentage)
  return new Date(new Date(startedAt).getTime() + minutes * 60_000)
}

/** Entry is closed 24 hours after the first candidate of the session started. */
export function entryClosed(firstStartAt: string | null, now: Date = new Date()): boolean {
  if (!firstStartAt) return false
  return now.getTime() > new Date(firstStartAt).getTime() + ENTRY_WINDOW_MS
}

export interface AllowedActions {
  confirm: boolean
  cancel: boolean
  end: boolean
  endScreen: boolean
  incident: boolean
}

/**
 * What the invigilator may do for a candidate in this status. Nothing on a finalised session;
 * once entry is closed, only "Terminer le test" remains (and what concerns a started test).
 */
export function allowedActions(status: CandidateStatus, context: { finalised: boolean; entryClosed: boolean }): AllowedActions {
  const none = { confirm: false, cancel: false, end: false, endScreen: false, incident: false }
  if (context.finalised) return none
  const notStarted = status === 'registered' || status === 'waiting' || status === 'present'
  return {
    confirm: !context.entryClosed && (status === 'registered' || status === 'waiting'),
    cancel: !context.entryClosed && status === 'present',
    end: status === 'started',
    endScreen: !notStarted,
    incident: !notStarted,
  }
}
