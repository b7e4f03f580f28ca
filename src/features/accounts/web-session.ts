import { type Db, isDatabaseBusy } from '../../db/database.ts'
import { preparedFirst } from '../../db/prepared.ts'
import { timestampMs, toTimestamp } from '../../lib/timestamps.ts'
import { generateToken, hashToken } from './token.ts'

/**
 * Lucia's session model, written out (the `lucia` package is deprecated by its authors):
 * a random token in an HttpOnly cookie, its SHA-256 in the database, 30 days of sliding expiry.
 */
export const SESSION_DURATION_MS = 30 * 24 * 60 * 60 * 1000
const RENEW_WHEN_LEFT_MS = 15 * 24 * 60 * 60 * 1000

export interface WebSession {
  id: string
  userId: number
  centreId: number | null
  expiresAt: number
  /** Opened through the OpenID provider: its ID token, the `id_token_hint` of logout. */
  oidcIdToken?: string | null
}

export interface SessionUser {
  id: number
  email: string
  firstName: string
  lastName: string
  cguAcceptedAt: string | null
  /** Marked operator by the CLI (`create-user … --operator`); OPERATOR_EMAILS is the guard's. */
  operatorSince?: string | null
}

export async function createWebSession(
  db: Db,
  userId: number,
  centreId: number | null,
  now = Date.now(),
  oidcIdToken: string | null = null,
): Promise<{ token: string; session: WebSession }> {
  const token = generateToken()
  const session: WebSession = { id: hashToken(token), userId, centreId, expiresAt: now + SESSION_DURATION_MS, oidcIdToken }
  await db
    .insertInto('user_session')
    .values({ id: session.id, user_id: userId, centre_id: centreId, expires_at: toTimestamp(session.expiresAt), oidc_id_token: oidcIdToken })
    .execute()
  return { token, session }
}

/** Read before every page of a logged-in user: prepared once (src/db/prepared.ts). */
const findSessionWithUser = preparedFirst((db: Db, id: string) =>
  db
    .selectFrom('user_session')
    .innerJoin('user', 'user.id', 'user_session.user_id')
    .select([
      'user_session.id',
      'user_session.user_id',
      'user_session.centre_id',
      'user_session.expires_at',
      'user_session.oidc_id_token',
      'user.email',
      'user.first_name',
      'user.last_name',
      'user.cgu_accepted_at',
      'user.operator_since',
    ])
    .where('user_session.id', '=', id),
)

/** The session and its user, or null when unknown or expired; extends the expiry past half-life. */
export async function validateSessionToken(db: Db, token: string, now = Date.now()): Promise<{ session: WebSession; user: SessionUser } | null> {
  const id = hashToken(token)
  const row = await findSessionWithUser(db, id)
  if (!row) return null
  let expiresAt = timestampMs(row.expires_at)
  if (!(now < expiresAt)) {
    await bestEffort(invalidateSession(db, id))
    return null
  }
  if (expiresAt - now < RENEW_WHEN_LEFT_MS) {
    // Renewed next time if the database is busy now: reading a page must not depend on writing.
    if (
      await bestEffort(
        db
          .updateTable('user_session')
          .set({ expires_at: toTimestamp(now + SESSION_DURATION_MS) })
          .where('id', '=', id)
          .execute(),
      )
    ) {
      expiresAt = now + SESSION_DURATION_MS
    }
  }
  return {
    session: { id, userId: row.user_id, centreId: row.centre_id, expiresAt, oidcIdToken: row.oidc_id_token },
    user: {
      id: row.user_id,
      email: row.email,
      firstName: row.first_name,
      lastName: row.last_name,
      cguAcceptedAt: row.cgu_accepted_at,
      operatorSince: row.operator_since,
    },
  }
}

/** A housekeeping write that may wait for a better moment: false when the database is busy. */
async function bestEffort(write: Promise<unknown>): Promise<boolean> {
  try {
    await write
    return true
  } catch (error) {
    if (isDatabaseBusy(error)) return false
    throw error
  }
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute()
}

export async function invalidateUserSessions(db: Db, userId: number, exceptSessionId?: string): Promise<void> {
  let query = db.deleteFrom('user_session').where('user_id', '=', userId)
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId)
  await query.execute()
}

export async function setSessionCentre(db: Db, sessionId: string, centreId: number): Promise<void> {
  await db.updateTable('user_session').set({ centre_id: centreId }).where('id', '=', sessionId).execute()
}
