import type { Generated, Selectable } from 'kysely'
import type { Role } from '../centres/centres.table.ts'

export interface InvitationTable {
  id: Generated<number>
  centre_id: number
  /** Normalised (trimmed, lower case). */
  email: string
  role: Role
  /** SHA-256 (hex) of the token put in the link; the token itself is never stored. */
  token_hash: string
  invited_by: number | null
  /** Milliseconds since the epoch. */
  sent_at: number
  expires_at: number
  accepted_at: number | null
  created_at: Generated<string>
}
export type InvitationRow = Selectable<InvitationTable>
