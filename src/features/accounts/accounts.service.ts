import type { Db } from '../../db/database.ts'
import { msg, type Msg } from '../../i18n/index.ts'
import { findCentreByName, insertCentre, upsertMembership, type Role } from '../centres/index.ts'
import { setPasswordHash, spendPasswordResets } from './accounts.repository.ts'
import { decoyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.ts'
import { generateToken, hashToken } from './token.ts'
import { invalidateUserSessions } from './web-session.ts'
import { timestampMs, toTimestamp } from '../../lib/timestamps.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { type Actor, OPERATOR_ACTOR_NAME, recordHistory } from '../history/index.ts'

/** The server operator's command line, as the history names it. */
export const OPERATOR: Actor = { kind: 'operator', userId: null, name: OPERATOR_ACTOR_NAME, email: null }

async function userName(db: Db, userId: number): Promise<string> {
  const row = await db.selectFrom('user').select(['first_name', 'last_name']).where('id', '=', userId).executeTakeFirstOrThrow()
  return `${row.first_name} ${row.last_name}`
}

export const RESET_LINK_DURATION_MS = 60 * 60 * 1000

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** The e-mail rule is shared with the candidates' addresses (src/lib/email.ts). */
export { isValidEmail } from '../../lib/email.ts'

export function checkPassword(password: string): Msg | null {
  if (password.length < MIN_PASSWORD_LENGTH) return msg('accounts.password.too_short', { min: MIN_PASSWORD_LENGTH })
  if (password.length > 200) return msg('accounts.password.too_long')
  return null
}

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('user').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst()
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * The user whose password matches, or null; takes as long whether the e-mail exists or not.
 * A successful login spends the user's outstanding reset links (they remembered the password).
 */
export async function authenticate(db: Db, email: string, password: string) {
  const user = await findUserByEmail(db, email)
  const ok = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), password)
  if (!user || !ok) return null
  await spendPasswordResets(db, user.id)
  return user
}

export interface NewAccount {
  email: string
  password: string
  firstName: string
  lastName: string
}

/** Creates the user, or finds the existing one by e-mail (its password is then left as it is). */
export async function createOrFindUser(db: Db, account: NewAccount): Promise<{ id: number; created: boolean }> {
  const existing = await findUserByEmail(db, account.email)
  if (existing) return { id: existing.id, created: false }
  const row = await db
    .insertInto('user')
    .values({
      email: normalizeEmail(account.email),
      first_name: account.firstName.trim(),
      last_name: account.lastName.trim(),
      password_hash: await hashPassword(account.password),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, created: true }
}

export async function addUserToCentre(db: Db, account: NewAccount, centreName: string, role: Role) {
  const centre = await findCentreByName(db, centreName.trim())
  if (!centre) return { error: msg('accounts.cli.centre_unknown', { name: centreName }) } as const
  const user = await createOrFindUser(db, account)
  await writeTransaction(db, async (trx) => {
    await upsertMembership(trx, user.id, centre.id, role)
    await recordHistory(trx, { centreId: centre.id, actor: OPERATOR, action: 'member_joined', subject: await userName(trx, user.id) })
  })
  return { userId: user.id, created: user.created, centreId: centre.id } as const
}

export async function acceptCgu(db: Db, userId: number, now = new Date()): Promise<void> {
  await db
    .updateTable('user')
    .set({ cgu_accepted_at: toTimestamp(now) })
    .where('id', '=', userId)
    .execute()
}

/** A single-use reset token valid one hour, or null when no account has this e-mail. */
export async function createPasswordReset(db: Db, email: string, now = Date.now()) {
  const user = await findUserByEmail(db, email)
  if (!user) return null
  const token = generateToken()
  await db
    .insertInto('password_reset')
    .values({ id: hashToken(token), user_id: user.id, expires_at: toTimestamp(now + RESET_LINK_DURATION_MS), used_at: null })
    .execute()
  return { token, user }
}

export async function findValidPasswordReset(db: Db, token: string, now = Date.now()) {
  const row = await db.selectFrom('password_reset').selectAll().where('id', '=', hashToken(token)).executeTakeFirst()
  return row && row.used_at === null && timestampMs(row.expires_at) > now ? row : null
}

/** Sets the new password, spends this token and every other one of the user, and ends all their sessions. */
export async function resetPassword(db: Db, token: string, password: string, now = Date.now()): Promise<boolean> {
  const passwordHash = await hashPassword(password)
  return writeTransaction(db, async (trx) => {
    const reset = await findValidPasswordReset(trx, token, now)
    if (!reset) return false
    await setPasswordHash(trx, reset.user_id, passwordHash, now)
    await invalidateUserSessions(trx, reset.user_id)
    return true
  })
}

/** On an empty database, a one-time setup token (printed in the server log). */
export async function createSetupTokenIfEmpty(db: Db, now = Date.now()): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null
  const token = generateToken()
  await writeTransaction(db, async (trx) => {
    await trx.deleteFrom('setup_token').where('used_at', 'is', null).execute()
    await trx
      .insertInto('setup_token')
      .values({ id: hashToken(token), created_at: toTimestamp(now), used_at: null })
      .execute()
  })
  return token
}

/** True while the token is unused and nobody has an account yet. */
export async function isSetupTokenValid(db: Db, token: string): Promise<boolean> {
  const row = await db.selectFrom('setup_token').selectAll().where('id', '=', hashToken(token)).executeTakeFirst()
  return !!row && row.used_at === null && (await countUsers(db)) === 0
}

/** Creates the centre and its first admin in one transaction, spending the setup token. */
export async function completeSetup(db: Db, token: string, centreName: string, account: NewAccount, now = Date.now()) {
  const passwordHash = await hashPassword(account.password)
  return writeTransaction(db, async (trx) => {
    if (!(await isSetupTokenValid(trx, token))) return null
    await trx
      .updateTable('setup_token')
      .set({ used_at: toTimestamp(now) })
      .where('id', '=', hashToken(token))
      .execute()
    const centreId = await insertCentre(trx, centreName.trim())
    const user = await trx
      .insertInto('user')
      .values({ email: normalizeEmail(account.email), first_name: account.firstName.trim(), last_name: account.lastName.trim(), password_hash: passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow()
    await upsertMembership(trx, user.id, centreId, 'admin')
    return { userId: user.id, centreId }
  })
}
