import { writeTransaction } from '../../db/transaction.ts'
import type { Db } from '../../db/database.ts'
import { msg } from '../../i18n/index.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { nameCharacter } from '../../lib/text.ts'
import { type Actor, isReservedActorName, recordHistory } from '../history/index.ts'
import { findUserName } from './accounts.repository.ts'
import { checkPassword, findUserByEmail, isValidEmail, normalizeEmail } from './accounts.service.ts'
import { hashPassword, verifyPassword } from './password.ts'
import { invalidateUserSessions } from './web-session.ts'
import { displayName } from '../../lib/display-name.ts'

export const nameFields = ['firstName', 'lastName'] as const
/** `password` is the current password, asked before the address changes. */
export const emailFields = ['email', 'password'] as const
export const passwordFields = ['currentPassword', 'newPassword', 'confirmation'] as const

/**
 * The one rule for a person's name (an account's first and last name), wherever it is typed:
 * setup, the invitation page, Mon compte, the CLI. Required, 255 characters at
 * most, one line without control or invisible format characters (no line break to add a fake
 * paragraph to an e-mail quoting it, no bidi override to make it read backwards), and never a
 * name the history keeps for an actor without an account.
 */
export function validateName(values: Record<(typeof nameFields)[number], string>): FieldErrors {
  const errors: FieldErrors = {}
  const required = { firstName: msg('accounts.first_name.required'), lastName: msg('accounts.last_name.required') }
  for (const field of nameFields) {
    const value = values[field]
    const char = nameCharacter(value)
    if (char) errors[field] = msg('form.control_character', { char })
    else if (!value) errors[field] = required[field]
    else if (value.length > 255) errors[field] = msg('form.too_long', { max: 255 })
  }
  if (!errors.firstName && !errors.lastName && isReservedActorName(displayName(values))) errors.lastName = msg('accounts.name.reserved')
  return errors
}

/** New password typed twice, at least 12 characters. */
export function validateNewPassword(values: { password: string; confirmation: string }): FieldErrors {
  const errors: FieldErrors = {}
  const problem = checkPassword(values.password)
  if (problem) errors.password = problem
  else if (values.password !== values.confirmation) errors.confirmation = msg('accounts.password.mismatch')
  return errors
}

async function currentPasswordMatches(db: Db, userId: number, password: string): Promise<boolean> {
  const row = await db.selectFrom('user').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow()
  return password !== '' && verifyPassword(row.password_hash, password)
}

/**
 * Renames the account and records it in the history of each of its centres, in one transaction:
 * "Ancien nom → Nouveau nom", by the account under its former name and its
 * address, so a name taken to look like someone else's shows where it came from.
 */
export async function updateName(db: Db, userId: number, firstName: string, lastName: string): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const before = (await findUserName(trx, userId))!
    const formerName = before.name
    const newName = displayName({ firstName, lastName })
    if (formerName === newName) return
    await trx.updateTable('user').set({ first_name: firstName, last_name: lastName }).where('id', '=', userId).execute()
    const actor: Actor = { kind: 'user', userId, name: formerName, email: before.email }
    await recordInEachCentre(trx, userId, actor, 'account_renamed', `${formerName} → ${newName}`)
  })
}

/** "Modifier mon nom" on Mon compte: the one name rule, then the rename; the fields' errors, or done. */
export async function saveName(db: Db, userId: number, values: Record<(typeof nameFields)[number], string>): Promise<Result<null>> {
  const errors = validateName(values)
  if (Object.keys(errors).length > 0) return invalid(errors)
  await updateName(db, userId, values.firstName, values.lastName)
  return ok(null)
}

/** One entry in the history of each centre of the account: how the account is shown there changed. */
async function recordInEachCentre(trx: Db, userId: number, actor: Actor, action: 'account_renamed' | 'account_email_changed', subject: string): Promise<void> {
  const centres = await trx.selectFrom('membership').select('centre_id').where('user_id', '=', userId).orderBy('centre_id').execute()
  for (const { centre_id } of centres) await recordHistory(trx, { centreId: centre_id, actor, action, subject })
}

/** Changes the login address: current password required, address unique. */
export async function changeEmail(db: Db, userId: number, values: Record<(typeof emailFields)[number], string>): Promise<Result<null>> {
  const email = normalizeEmail(values.email)
  if (!isValidEmail(email)) return invalid({ email: msg('accounts.email.invalid') })
  if (!(await currentPasswordMatches(db, userId, values.password))) return invalid({ password: msg('accounts.my_account.current_password_wrong') })
  return writeTransaction(db, async (trx): Promise<Result<null>> => {
    const owner = await findUserByEmail(trx, email)
    if (owner && owner.id !== userId) return invalid({ email: msg('accounts.my_account.email_taken') })
    const before = (await findUserName(trx, userId))!
    if (before.email === email) return ok(null)
    await trx.updateTable('user').set({ email }).where('id', '=', userId).execute()
    // The history shows users by name and address: a new address is recorded like a new name.
    const actor: Actor = { kind: 'user', userId, name: before.name, email: before.email }
    await recordInEachCentre(trx, userId, actor, 'account_email_changed', `${before.email} → ${email}`)
    return ok(null)
  })
}

/**
 * Changes the password: current one required. Every other web session of the user ends and
 * every pending reset link is spent (a link sent before the change must not undo it).
 */
export async function changePassword(
  db: Db,
  userId: number,
  keepSessionId: string,
  values: Record<(typeof passwordFields)[number], string>,
): Promise<Result<null>> {
  const errors = validateNewPassword({ password: values.newPassword, confirmation: values.confirmation })
  if (errors.password) {
    errors.newPassword = errors.password
    delete errors.password
  }
  if (!(await currentPasswordMatches(db, userId, values.currentPassword))) errors.currentPassword = msg('accounts.my_account.current_password_wrong')
  if (Object.keys(errors).length) return invalid(errors)
  const passwordHash = await hashPassword(values.newPassword)
  await writeTransaction(db, async (trx) => {
    await trx.updateTable('user').set({ password_hash: passwordHash }).where('id', '=', userId).execute()
    // Spends the reset tokens (inline here; the `accounts` branch may provide one function for it).
    await trx.deleteFrom('password_reset').where('user_id', '=', userId).execute()
    await invalidateUserSessions(trx, userId, keepSessionId)
  })
  return ok(null)
}
