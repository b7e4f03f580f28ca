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
export type InvigilatorAccessRow = Selectable<InvigilatorAccessTable>

export type SupervisionAction = 'confirm' | 'cancel' | 'start' | 'end' | 'end_screen_on' | 'end_screen_off' | 'incident' | 'password' | 'login' | 'logout'

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
