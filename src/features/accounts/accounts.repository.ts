import type { Db } from '../../db/database.ts'
import { displayName } from '../../lib/display-name.ts'
import { toTimestamp } from '../../lib/timestamps.ts'

/**
 * The one look-up of a user's name: how the pages and the history name them (the display name)
 * and their address; null for no user (none given, or an account deleted since).
 */
export async function findUserName(db: Db, userId: number | null): Promise<{ name: string; email: string } | null> {
  if (userId === null) return null
  const row = await db.selectFrom('user').select(['first_name', 'last_name', 'email']).where('id', '=', userId).executeTakeFirst()
  return row ? { name: displayName(row), email: row.email } : null
}

/**
 * Spends every outstanding reset link of the user. Called when a link is used, when the password
 * changes and on a successful login: an older link found later in a mailbox is worth nothing.
 */
export async function spendPasswordResets(db: Db, userId: number, now = Date.now()): Promise<void> {
  await db
    .updateTable('password_reset')
    .set({ used_at: toTimestamp(now) })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute()
}

/** The new password hash; every reset link of the user is spent with it. */
export async function setPasswordHash(db: Db, userId: number, passwordHash: string, now = Date.now()): Promise<void> {
  await db.updateTable('user').set({ password_hash: passwordHash }).where('id', '=', userId).execute()
  await spendPasswordResets(db, userId, now)
}
