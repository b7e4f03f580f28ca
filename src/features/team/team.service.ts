import { writeTransaction } from '../../db/transaction.ts'
import type { Db } from '../../db/database.ts'
import { msg, type Msg } from '../../i18n/index.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import { timestampMs, toTimestamp } from '../../lib/timestamps.ts'
import { authenticate, findUserByEmail, normalizeEmail, hashPassword, generateToken, hashToken } from '../accounts/index.ts'
import type { Role } from '../centres/index.ts'
import { type Actor, type ChangeBy, recordHistory } from '../history/index.ts'
import type { MailOutcome, MailQueue } from '../mail/index.ts'
import { invitationMail, type InvitationMailContext } from './invitation-mail.ts'
import {
  addMembership,
  countInvitations,
  countMembers,
  deleteInvitation,
  deleteMembership,
  findInvitation,
  findInvitationByTokenHash,
  findMember,
  findMemberByEmail,
  listInvitations,
  listMembers,
  renewInvitation,
  setInvitationMailStatus,
  spendInvitation,
  updateMemberRole,
  upsertInvitation,
} from './team.repository.ts'
import { displayName } from '../../lib/display-name.ts'

export const INVITATION_DURATION_MS = 7 * 24 * 60 * 60 * 1000

/** What the mail (or the admin's screen, without SMTP) needs: the token exists only here, never in the database. */
export interface SentInvitation {
  id: number
  email: string
  token: string
  expiresAt: number
  renewed: boolean
}

/**
 * How invitations are mailed: through the mail queue (never awaited in a request), with what the
 * mail says besides the invitation. Without SMTP (`queue.sending` false) the mail goes to the log
 * and the invitation keeps no mail status (the admin is shown the link).
 */
export interface InvitationMailer {
  queue: Pick<MailQueue, 'enqueue' | 'sending'>
  context: InvitationMailContext
}

/** The mail status an invitation starts with: 'queued' when a mail really leaves, else none. */
export function initialMailStatus(mailer: InvitationMailer | null): 'queued' | null {
  return mailer?.queue.sending ? 'queued' : null
}

/**
 * Queues the mail of each invitation, once the transaction that wrote them is committed; how each
 * mail went is written on its invitation (`recordInvitationMail`) when the queue is done with it.
 */
export function mailInvitations(db: Db, mailer: InvitationMailer | null, invitations: SentInvitation[]): void {
  if (!mailer) return
  for (const invitation of invitations) {
    const tokenHash = hashToken(invitation.token)
    mailer.queue.enqueue(invitationMail(invitation, mailer.context), (outcome) => recordInvitationMail(db, invitation.id, tokenHash, outcome))
  }
}

/**
 * How an invitation's mail went, for the Équipe page: sent, or failed with SMTP's answer (to be
 * resent). Only while the invitation still carries that mail's token (a resend's newer mail keeps
 * its own status). No history entry: the invitation or the resend was recorded; this is its delivery.
 */
export async function recordInvitationMail(db: Db, invitationId: number, tokenHash: string, outcome: MailOutcome, now = Date.now()): Promise<void> {
  if (outcome.status === 'logged') return
  const error = outcome.status === 'failed' ? outcome.error.slice(0, 500) : null
  await writeTransaction(db, (trx) => setInvitationMailStatus(trx, invitationId, tokenHash, { status: outcome.status, error, at: now }))
}

/**
 * Invites each address (renewing a pending invitation), except those already members, which are
 * reported; the mails are queued through `mailer` (none when null).
 */
export async function inviteMembers(db: Db, by: ChangeBy, emails: string[], role: Role, mailer: InvitationMailer | null = null, now = Date.now()) {
  const centreId = by.centreId
  const invitedBy = by.actor.userId!
  const mailStatus = initialMailStatus(mailer)
  const invited: SentInvitation[] = []
  const alreadyMembers: string[] = []
  await writeTransaction(db, async (trx) => {
    for (const email of emails) {
      if (await findMemberByEmail(trx, centreId, email)) {
        alreadyMembers.push(email)
        continue
      }
      const token = generateToken()
      const expiresAt = now + INVITATION_DURATION_MS
      const { id, renewed } = await upsertInvitation(trx, { centreId, email, role, tokenHash: hashToken(token), invitedBy, now, expiresAt, mailStatus })
      invited.push({ id, email, token, expiresAt, renewed })
    }
    if (invited.length) await recordHistory(trx, { ...by, action: 'member_invited', subject: invited.map((i) => i.email).join(', '), count: invited.length })
  })
  mailInvitations(db, mailer, invited)
  return { invited, alreadyMembers }
}

/** A new token and date for a pending invitation of the centre (the old link stops working), mailed again; or null. */
export async function resendInvitation(
  db: Db,
  by: ChangeBy,
  invitationId: number,
  mailer: InvitationMailer | null = null,
  now = Date.now(),
): Promise<SentInvitation | null> {
  const resent = await writeTransaction(db, async (trx) => {
    const invitation = await findInvitation(trx, by.centreId, invitationId)
    if (!invitation) return null
    const token = generateToken()
    const expiresAt = now + INVITATION_DURATION_MS
    await renewInvitation(trx, invitation.id, {
      tokenHash: hashToken(token),
      invitedBy: by.actor.userId!,
      now,
      expiresAt,
      mailStatus: initialMailStatus(mailer),
    })
    await recordHistory(trx, { ...by, action: 'invitation_resent', subject: invitation.email })
    return { id: invitation.id, email: invitation.email, token, expiresAt, renewed: true }
  })
  if (resent) mailInvitations(db, mailer, [resent])
  return resent
}

export async function removeInvitation(db: Db, by: ChangeBy, invitationId: number): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const invitation = await findInvitation(trx, by.centreId, invitationId)
    if (!invitation) return
    await deleteInvitation(trx, by.centreId, invitationId)
    await recordHistory(trx, { ...by, action: 'invitation_deleted', subject: invitation.email })
  })
}

export type InvitationCheck = Ok<{ invitation: NonNullable<Awaited<ReturnType<typeof findInvitationByTokenHash>>>; hasAccount: boolean }> | Refusal<'refused'>

/** The invitation behind a link, or why it can no longer be used. */
export async function checkInvitation(db: Db, token: string, now = Date.now()): Promise<InvitationCheck> {
  const invitation = token ? await findInvitationByTokenHash(db, hashToken(token)) : undefined
  if (invitation?.accepted_at) return refused(msg('team.accept.already_accepted'))
  if (!invitation || timestampMs(invitation.expires_at) <= now) return refused(msg('team.accept.invalid'))
  return ok({ invitation, hasAccount: !!(await findUserByEmail(db, invitation.email)) })
}

/**
 * An accepted invitation: the new member and their centre. Refused as `login` when the person must
 * do something else on the page (log in: the account exists; a wrong password), as `refused` when
 * the link itself can no longer be used.
 */
export type Acceptance = Ok<{ userId: number; centreId: number; centreName: string }> | Refusal<'refused' | 'login'>

/** Spends the token and adds the member, in one transaction: exactly one of two simultaneous tabs succeeds. */
async function spendAndJoin(
  db: Db,
  token: string,
  now: number,
  userFor: (db: Db, invitation: { email: string }) => Promise<{ id: number; name: string; email: string } | Msg>,
): Promise<Acceptance> {
  return writeTransaction(db, async (trx): Promise<Acceptance> => {
    const check = await checkInvitation(trx, token, now)
    if (!check.ok) return check
    const { invitation } = check.value
    if (!(await spendInvitation(trx, invitation.id, now))) return refused(msg('team.accept.already_accepted'))
    const user = await userFor(trx, invitation)
    if ('key' in user) throw Object.assign(new Error('refused'), { refusal: user })
    await addMembership(trx, invitation.centre_id, user.id, invitation.role)
    const actor: Actor = { kind: 'user', userId: user.id, name: user.name, email: user.email }
    await recordHistory(trx, { centreId: invitation.centre_id, actor, action: 'member_joined', subject: user.name }, new Date(now))
    return ok({ userId: user.id, centreId: invitation.centre_id, centreName: invitation.centreName })
  }).catch((err: unknown): Acceptance => {
    const refusal = (err as { refusal?: Msg }).refusal
    if (refusal) return refused(refusal, 'login')
    throw err
  })
}

/** A newcomer's account, created with the invitation's address, terms accepted. */
export async function acceptWithNewAccount(
  db: Db,
  token: string,
  account: { firstName: string; lastName: string; password: string },
  now = Date.now(),
): Promise<Acceptance> {
  const passwordHash = await hashPassword(account.password)
  return spendAndJoin(db, token, now, async (trx, invitation) => {
    if (await findUserByEmail(trx, invitation.email)) return msg('team.accept.account_exists')
    const row = await trx
      .insertInto('user')
      .values({
        email: normalizeEmail(invitation.email),
        first_name: account.firstName,
        last_name: account.lastName,
        password_hash: passwordHash,
        cgu_accepted_at: toTimestamp(now),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { id: row.id, name: displayName(account), email: normalizeEmail(invitation.email) }
  })
}

/** Only the account of the invited address may accept: a link forwarded or seen over a shoulder adds nobody else. */
function wrongAccount(invitationEmail: string): Msg {
  return msg('team.accept.wrong_account', { email: invitationEmail })
}

/** Someone who already has an account logs in on the invitation page and is added, if that account has the invited address. */
export async function acceptWithLogin(db: Db, token: string, email: string, password: string, now = Date.now()): Promise<Acceptance> {
  const check = await checkInvitation(db, token, now)
  if (!check.ok) return check
  // Refused before any password is checked: another account's right password opens nothing here.
  if (normalizeEmail(email) !== normalizeEmail(check.value.invitation.email)) return refused(wrongAccount(check.value.invitation.email), 'login')
  const user = email && password ? await authenticate(db, email, password) : null
  if (!user) return refused(msg('accounts.login.invalid'), 'login')
  return spendAndJoin(db, token, now, async (_trx, invitation) =>
    // Again inside the transaction, on the account itself (its address may have changed meanwhile).
    normalizeEmail(user.email) === normalizeEmail(invitation.email)
      ? { id: user.id, name: displayName(user), email: user.email }
      : wrongAccount(invitation.email),
  )
}

/** Nobody changes their own role; the last administrator stays one. */
export async function changeMemberRole(db: Db, by: ChangeBy, userId: number, role: Role): Promise<Ok<null> | Refusal> {
  if (by.actor.userId === userId) return refused(msg('team.role.self'))
  return writeTransaction(db, async (trx) => {
    const member = await findMember(trx, by.centreId, userId)
    if (!member) return refused(msg('team.member.unknown'))
    if (!(await updateMemberRole(trx, by.centreId, userId, role))) return refused(msg('team.role.last_admin'))
    await recordHistory(trx, { ...by, action: 'member_role_changed', subject: displayName(member) })
    return ok(null)
  })
}

/** Removes another member (and their web sessions in this centre); never the last administrator. */
export async function removeMember(db: Db, by: ChangeBy, userId: number): Promise<Ok<null> | Refusal> {
  if (by.actor.userId === userId) return refused(msg('team.remove.self'))
  return writeTransaction(db, async (trx) => {
    const member = await findMember(trx, by.centreId, userId)
    if (!member) return refused(msg('team.member.unknown'))
    if (!(await deleteMembership(trx, by.centreId, userId))) return refused(msg('team.remove.last_admin'))
    await recordHistory(trx, { ...by, action: 'member_removed', subject: displayName(member) })
    return ok(null)
  })
}

/** The member leaves the centre; the last administrator cannot. */
export async function leaveCentre(db: Db, by: ChangeBy, webSessionId: string): Promise<Ok<null> | Refusal> {
  const userId = by.actor.userId!
  return writeTransaction(db, async (trx) => {
    if (!(await deleteMembership(trx, by.centreId, userId, webSessionId))) return refused(msg('team.leave.last_admin'))
    await recordHistory(trx, { ...by, action: 'member_left', subject: by.actor.name })
    return ok(null)
  })
}

/** The counts on the Équipe tabs: the members, and the pending invitations for an administrator (the only one who sees them). */
export async function teamCounts(db: Db, centreId: number, isAdmin: boolean): Promise<{ memberCount: number; invitationCount: number }> {
  const [memberCount, invitationCount] = await Promise.all([countMembers(db, centreId), isAdmin ? countInvitations(db, centreId) : 0])
  return { memberCount, invitationCount }
}

/**
 * One tab of the Équipe page: the counts, and the list that tab shows (the other is not read); on
 * the invitations tab, the addresses whose mail SMTP refused (`mailFailed`), to resend.
 */
export async function loadTeamPage(db: Db, centreId: number, tab: 'members' | 'invitations', isAdmin: boolean) {
  const [counts, members, invitations] = await Promise.all([
    teamCounts(db, centreId, isAdmin),
    tab === 'members' ? listMembers(db, centreId) : [],
    tab === 'invitations' ? listInvitations(db, centreId) : [],
  ])
  const mailFailed = invitations.filter((i) => i.mail_status === 'failed').map((i) => i.email)
  return { ...counts, members, invitations, mailFailed }
}

/**
 * An invitation accepted through the OpenID provider. `account`: the account already
 * linked to (or matched by) the identity, which joins like a login; otherwise a new account is
 * created, linked to the identity's `sub`, only when the provider vouches (`email_verified`) for
 * the very address invited. Its password is random (the person may choose one with "Mot de passe
 * oublié ?"); the terms are asked for at the first page.
 */
export async function acceptWithIdentity(
  db: Db,
  token: string,
  identity: {
    account: { id: number; name: string; email: string } | null
    sub: string
    email: string | null
    emailVerified: boolean
    firstName: string
    lastName: string
  },
  now = Date.now(),
): Promise<Acceptance> {
  if (identity.account) {
    const account = identity.account
    // An invitation is for its address, whichever way its account signs in.
    return spendAndJoin(db, token, now, async (_trx, invitation) =>
      normalizeEmail(account.email) === normalizeEmail(invitation.email) ? account : wrongAccount(invitation.email),
    )
  }
  const passwordHash = await hashPassword(generateToken())
  return spendAndJoin(db, token, now, async (trx, invitation) => {
    if (!identity.email || !identity.emailVerified || normalizeEmail(identity.email) !== normalizeEmail(invitation.email)) {
      return msg('oidc.invitation.other_email', { email: invitation.email })
    }
    if (await findUserByEmail(trx, invitation.email)) return msg('team.accept.account_exists')
    const firstName = identity.firstName || invitation.email.split('@')[0]!
    const lastName = identity.lastName || firstName
    const row = await trx
      .insertInto('user')
      .values({ email: normalizeEmail(invitation.email), first_name: firstName, last_name: lastName, password_hash: passwordHash, oidc_sub: identity.sub })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { id: row.id, name: displayName({ firstName, lastName }), email: normalizeEmail(invitation.email) }
  })
}
