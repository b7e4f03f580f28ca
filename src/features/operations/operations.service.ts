import type { Db } from '../../db/database.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { msg } from '../../i18n/index.ts'
import { type FieldErrors, hasErrors } from '../../lib/forms.ts'
import { invalid, ok, type Ok, type Refusal, refused, type Result } from '../../lib/result.ts'
import { controlCharacterErrors } from '../../lib/text.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import { createOrFindUser, isValidEmail, type NewAccount, normalizeEmail, generateToken, hashToken } from '../accounts/index.ts'
import { insertCentre } from '../centres/index.ts'
import { type Actor, recordHistory } from '../history/index.ts'
import { INVITATION_DURATION_MS, initialMailStatus, type InvitationMailer, mailInvitations, type SentInvitation, upsertInvitation } from '../team/index.ts'
import { displayName } from '../../lib/display-name.ts'
import { findCentre, isCentreNameTaken, listCentresOverview, listOperatorHistory, renameCentreRow, setCentreDeactivatedAt } from './operations.repository.ts'

/**
 * The operator console: an académie's operator creates centres and invites their first
 * administrator, renames, deactivates and reactivates them, from the web. Every action is written
 * in the centre's history with the operator as its author (actor kind 'operator', their user id),
 * which is also the operator's own history. An operator is no member: nothing here opens a centre's data.
 */

/** Whether the account may use the operator console: marked by the CLI (`--operator`), or listed in OPERATOR_EMAILS. */
export function isOperator(user: { email: string; operator_since?: string | null }, operatorEmails: readonly string[]): boolean {
  return !!user.operator_since || operatorEmails.includes(normalizeEmail(user.email))
}

/** The operator as the history names them. */
export function operatorActor(user: { id: number; firstName: string; lastName: string }): Actor {
  return { kind: 'operator', userId: user.id, name: displayName(user) }
}

export const centreFields = ['name', 'adminEmail'] as const

function validateCentreName(name: string): FieldErrors {
  const errors: FieldErrors = controlCharacterErrors({ name }, ['name'])
  if (!name) errors.name = msg('operations.centre.name_required')
  else if (name.length > 255) errors.name ??= msg('form.too_long', { max: 255 })
  return errors
}

/**
 * A new centre and the invitation of its first administrator, in one transaction; the link's token
 * is returned once, and the mail queued through `mailer` after the transaction (how it went shows
 * in the console and on the centre's Équipe tab). One history entry (the creation).
 */
export async function createCentreWithAdmin(
  db: Db,
  actor: Actor,
  values: Record<(typeof centreFields)[number], string>,
  mailer: InvitationMailer | null = null,
  now = Date.now(),
): Promise<Result<{ centreId: number; centreName: string; invitation: SentInvitation }>> {
  const errors: FieldErrors = { ...validateCentreName(values.name), ...controlCharacterErrors(values, ['adminEmail']) }
  if (!isValidEmail(values.adminEmail)) errors.adminEmail ??= msg('accounts.email.invalid')
  if (hasErrors(errors)) return invalid(errors)
  const created = await writeTransaction(db, async (trx) => {
    if (await isCentreNameTaken(trx, values.name)) return invalid({ name: msg('operations.centre.name_taken') })
    const centreId = await insertCentre(trx, values.name)
    await recordHistory(trx, { centreId, actor, action: 'centre_created', subject: values.name }, new Date(now))
    const token = generateToken()
    const email = normalizeEmail(values.adminEmail)
    const expiresAt = now + INVITATION_DURATION_MS
    const { id, renewed } = await upsertInvitation(trx, {
      centreId,
      email,
      role: 'admin',
      tokenHash: hashToken(token),
      invitedBy: actor.userId!,
      now,
      expiresAt,
      mailStatus: initialMailStatus(mailer),
    })
    return ok({ centreId, centreName: values.name, invitation: { id, email, token, expiresAt, renewed } })
  })
  if (created.ok) mailInvitations(db, mailer, [created.value.invitation])
  return created
}

export async function renameCentre(db: Db, actor: Actor, centreId: number, name: string): Promise<Result<null> | Refusal> {
  const errors = validateCentreName(name)
  if (hasErrors(errors)) return invalid(errors)
  return writeTransaction(db, async (trx): Promise<Result<null> | Refusal> => {
    const centre = await findCentre(trx, centreId)
    if (!centre) return refused(msg('operations.centre.unknown'))
    if (centre.name === name) return ok(null)
    if (await isCentreNameTaken(trx, name, centreId)) return invalid({ name: msg('operations.centre.name_taken') })
    await renameCentreRow(trx, centreId, name)
    await recordHistory(trx, { centreId, actor, action: 'centre_renamed', subject: `${centre.name} → ${name}` })
    return ok(null)
  })
}

/** Deactivated: members can no longer open the centre; its data is kept. Reactivated: as before. */
export async function setCentreActive(db: Db, actor: Actor, centreId: number, active: boolean, now = Date.now()): Promise<Ok<{ name: string }> | Refusal> {
  return writeTransaction(db, async (trx) => {
    const centre = await findCentre(trx, centreId)
    if (!centre) return refused(msg('operations.centre.unknown'))
    if ((centre.deactivated_at === null) === active) return ok({ name: centre.name })
    await setCentreDeactivatedAt(trx, centreId, active ? null : toTimestamp(now))
    await recordHistory(trx, { centreId, actor, action: active ? 'centre_reactivated' : 'centre_deactivated', subject: centre.name }, new Date(now))
    return ok({ name: centre.name })
  })
}

/** ?page=N: a positive whole number, else the first page. */
export function parsePage(value: unknown): number {
  return typeof value === 'string' && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : 1
}

/**
 * `npm run cli -- create-user … --operator`: the account (created, or found by its e-mail with its
 * password left as it is) may use the operator console. It joins no centre.
 */
export async function createOperator(db: Db, account: NewAccount, now = Date.now()): Promise<{ created: boolean }> {
  return writeTransaction(db, async (trx) => {
    const user = await createOrFindUser(trx, account)
    await trx
      .updateTable('user')
      .set({ operator_since: toTimestamp(now) })
      .where('id', '=', user.id)
      .where('operator_since', 'is', null)
      .execute()
    return { created: user.created }
  })
}

/** The console's list: every centre with its members, sessions of `year` and last activity. */
export function loadCentresOverview(db: Db, year: number) {
  return listCentresOverview(db, year)
}

/** A centre by its id, for the console (undefined: none). */
export function loadCentre(db: Db, centreId: number) {
  return findCentre(db, centreId)
}

/** One page of the operator's own history. */
export function loadOperatorHistory(db: Db, userId: number, page: number) {
  return listOperatorHistory(db, userId, page)
}
