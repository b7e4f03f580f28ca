import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export interface CertificationSessionTable {
  id: Generated<number>
  centre_id: number
  site_name: string
  room: string
  /** YYYY-MM-DD */
  date: string
  /** HH:MM, local time */
  start_time: string
  invigilators: string
  observations: string | null
  access_code: string
  /** Invigilator password, 6 characters of the access-code alphabets, shown to staff as C-XXXXXX. */
  invigilator_password: Generated<string>
  /** "Durée de l'épreuve (minutes)": the theoretical end is start + this + the candidate's extra time. */
  test_duration_minutes: Generated<number>
  created_at: Generated<string>
  updated_at: Generated<string>
  global_comment_choice: 'none' | 'incident' | null
  global_comment: string | null
  /** ISO timestamp; set once, makes the session read-only. */
  finalised_at: string | null
  finalised_by_user_id: number | null
  /** Goes up at every change of the finalisation draft: the confirmation page finalises only the version it showed. */
  draft_version: Generated<number>
  /** Goes up at every change of the candidate list: an import replaces only the list the page showed. */
  candidates_version: Generated<number>
  /** ISO timestamp: "Conserver : contestation en cours", the purge skips the session until released. */
  retention_hold_at: Generated<string | null>
  /** ISO timestamp: the retention purge erased the session's personal data. */
  personal_data_erased_at: Generated<string | null>
}
export type SessionRow = Selectable<CertificationSessionTable>
export type NewSession = Insertable<CertificationSessionTable>
export type SessionUpdate = Updateable<CertificationSessionTable>
