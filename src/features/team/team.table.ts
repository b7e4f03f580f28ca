import type { Generated, Selectable } from 'kysely'
import type { Role } from '../centres/index.ts'

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
}
export type InvitationRow = Selectable<InvitationTable>
