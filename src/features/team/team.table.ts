import type { Generated, Selectable } from 'kysely'
import type { Role } from '../centres/index.ts'

/** 'queued': waiting in the mail queue; 'sent': SMTP accepted it; 'failed': SMTP refused it (or the queue dropped it). */
export type InvitationMailStatus = 'queued' | 'sent' | 'failed'

export interface InvitationTable {
  id: Generated<number>
  centre_id: number
  /** Normalised (trimmed, lower case). */
  email: string
  role: Role
  /** SHA-256 (hex) of the token put in the link; the token itself is never stored. */
  token_hash: string
  invited_by: number | null
  /** ISO-8601 UTC text, like every `*_at` (src/lib/timestamps.ts). */
  sent_at: string
  expires_at: string
  accepted_at: string | null
  created_at: string
  /** How its e-mail went (the mail queue's outcome); null: no mail sent (no SMTP) or made before. */
  mail_status: InvitationMailStatus | null
  /** SMTP's answer when the mail failed (addresses blanked). */
  mail_error: string | null
  mail_status_at: string | null
}
export type InvitationRow = Selectable<InvitationTable>
