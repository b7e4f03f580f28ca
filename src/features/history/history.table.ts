import type { Generated } from 'kysely'

export type ActorKind = 'user' | 'invigilator' | 'operator'

/** Append-only (database triggers refuse UPDATE, except blanking `subject` when a candidate's data is erased, and DELETE unless the whole centre goes). */
export interface HistoryTable {
  id: Generated<number>
  centre_id: number
  session_id: number | null
  actor_kind: ActorKind
  actor_user_id: number | null
  /** The name as shown in the app when the change was made. */
  actor_name: string
  /** The account's e-mail address when the change was made (null: an invigilator access, the command line, or an entry older than this column). */
  actor_email: string | null
  action: HistoryAction
  /** Who the change was about (a candidate's or member's name, an invited address), never more. */
  subject: string | null
  count: number | null
  created_at: string
}

export const HISTORY_ACTIONS = [
  'session_created',
  'session_edited',
  'session_deleted',
  'candidates_imported',
  'candidate_added',
  'candidate_edited',
  'candidate_deleted',
  'draft_saved',
  'report_added',
  'report_removed',
  'document_added',
  'document_removed',
  'session_finalised',
  'member_invited',
  'invitation_resent',
  'invitation_deleted',
  'member_joined',
  'member_role_changed',
  'member_removed',
  'member_left',
  'presence_confirmed',
  'presence_cancelled',
  'test_ended',
  'end_screen_ticked',
  'end_screen_unticked',
  'invigilator_key_renewed',
  'convocations_queued',
  'convocation_resent',
  'candidate_instructions_edited',
  'account_renamed',
  'account_email_changed',
  'centre_created',
  'centre_renamed',
  'centre_deactivated',
  'centre_reactivated',
  'retention_hold_set',
  'retention_hold_released',
  'candidate_erased',
  'personal_data_purged',
  'personal_data_printed',
  'personal_data_exported',
  'time_added',
  'test_paused',
  'test_resumed',
  'room_paused',
  'room_resumed',
] as const
export type HistoryAction = (typeof HISTORY_ACTIONS)[number]
