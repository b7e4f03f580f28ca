import type { Generated } from 'kysely'

export interface UserTable {
  id: Generated<number>
  email: string
  first_name: string
  last_name: string
  password_hash: string
  cgu_accepted_at: string | null
  created_at: Generated<string>
  /** The OpenID provider's `sub`, stored at the first sign-in through it; unique. */
  oidc_sub: Generated<string | null>
  /** When the account was made an operator (/exploitation); null: not one. */
  operator_since: Generated<string | null>
}

export interface UserSessionTable {
  /** SHA-256 (hex) of the token held in the cookie. */
  id: string
  user_id: number
  centre_id: number | null
  /** Timestamps are ISO-8601 UTC text (src/lib/timestamps.ts). */
  expires_at: string
  created_at: Generated<string>
  /** The ID token of a session opened through the OpenID provider (`id_token_hint` at logout). */
  oidc_id_token: Generated<string | null>
}

/** A sign-in through the OpenID provider, from its start to the callback. */
export interface OidcAttemptTable {
  /** SHA-256 (hex) of the `state` (the state itself is in the browser's cookie and the provider's redirect). */
  id: string
  nonce: string
  code_verifier: string
  /** Where to go after signing in (a local path), or null. */
  next_path: string | null
  expires_at: string
  used_at: string | null
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
