import type { Generated, Selectable } from 'kysely'

export type ConvocationStatus = 'pending' | 'sending' | 'sent' | 'failed'

/** One convocation e-mail to one candidate (one row per send); the sender marks each row in its own transaction. */
export interface ConvocationMailTable {
  id: Generated<number>
  session_id: number
  candidate_id: number
  /** The address when queued. */
  email: string
  status: ConvocationStatus
  /** `sessionKey(session)` when queued: date, time, site and room. */
  session_key: string
  attempts: Generated<number>
  /** The SMTP error in plain words (addresses blanked). */
  error: string | null
  queued_at: string
  /** When a sender took it ('sending'). */
  claimed_at: string | null
  sent_at: string | null
  /** The address the staff member was browsing when queued, without PUBLIC_URL; null: the configured one. */
  public_url: Generated<string | null>
}
export type ConvocationMailRow = Selectable<ConvocationMailTable>
