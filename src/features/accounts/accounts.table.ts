import type { Generated, Insertable, Selectable } from 'kysely'

export interface UserTable {
  id: Generated<number>
  email: string
  first_name: string
  last_name: string
  password_hash: string
  cgu_accepted_at: string | null
  created_at: Generated<string>
}
export type UserRow = Selectable<UserTable>
export type NewUser = Insertable<UserTable>

export interface UserSessionTable {
  /** SHA-256 (hex) of the token held in the cookie. */
  id: string
  user_id: number
  centre_id: number | null
  /** Timestamps are ISO-8601 UTC text (src/lib/timestamps.ts). */
  expires_at: string
  created_at: Generated<string>
}

export interface PasswordResetTable {
  id: string
  user_id: number
  expires_at: string
  used_at: string | null
}

export interface SetupTokenTable {
  id: string
  created_at: string
  used_at: string | null
}
