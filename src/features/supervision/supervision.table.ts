import type { Generated, Selectable } from 'kysely'

/** An invigilator's access to one session, opened with the session's number and password. */
export interface InvigilatorAccessTable {
  /** SHA-256 (hex) of the token held in the cookie. */
  id: string
  session_id: number
  created_at: string
  /** ISO-8601 UTC text, like every `*_at` (src/lib/timestamps.ts). */
  expires_at: string
  /** Set by "Quitter la surveillance" or a new password. */
  ended_at: string | null
}

export type SupervisionAction =
  | 'confirm'
  | 'cancel'
  | 'start'
  | 'end'
  | 'end_screen_on'
  | 'end_screen_off'
  | 'incident'
  | 'password'
  | 'login'
  | 'logout'
  | 'add_time'
  | 'pause'
  | 'resume'
  | 'room_pause'
  | 'room_resume'

/** Who changed what and when (an invigilator access or a staff user). */
export interface SupervisionEventTable {
  id: Generated<number>
  session_id: number
  candidate_id: number | null
  action: SupervisionAction
  at: string
  user_id: number | null
  access_id: string | null
}

/** Why time was added or a clock paused: the short list of the Espace surveillant. */
export const CLOCK_REASONS = ['incident', 'alarme', 'coupure', 'amenagement'] as const
export type ClockReason = (typeof CLOCK_REASONS)[number]

/**
 * A time change of the Espace surveillant: minutes added to a candidate ("add"), or a
 * pause ("pause") of one candidate, or of the whole room when candidate_id is null, closed by
 * "Reprendre" (ended_at).
 */
export interface ClockChangeTable {
  id: Generated<number>
  session_id: number
  candidate_id: number | null
  kind: 'add' | 'pause'
  /** Minutes added ("add" only). */
  minutes: number | null
  reason: ClockReason
  details: string | null
  /** When it was done (the pause's start). */
  started_at: string
  /** A pause's end ("Reprendre"); null while it lasts, and for added time. */
  ended_at: string | null
  user_id: number | null
  access_id: string | null
}
export type ClockChangeRow = Selectable<ClockChangeTable>
