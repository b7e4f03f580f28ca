import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import type { Role } from '../centres/index.ts'
import type { InvitationMailStatus } from './team.table.ts'

export interface Member {
  userId: number
  email: string
  firstName: string
  lastName: string
  role: Role
}

function membersQuery(db: Db, centreId: number) {
  return db
    .selectFrom('membership')
    .innerJoin('user', 'user.id', 'membership.user_id')
    .select(['user.id as userId', 'user.email', 'user.first_name as firstName', 'user.last_name as lastName', 'membership.role'])
    .where('membership.centre_id', '=', centreId)
}

/** Members of the centre, by last name then first name. */
export function listMembers(db: Db, centreId: number): Promise<Member[]> {
  return membersQuery(db, centreId).orderBy('user.last_name').orderBy('user.first_name').orderBy('user.id').execute()
}

export function findMember(db: Db, centreId: number, userId: number): Promise<Member | undefined> {
  return membersQuery(db, centreId).where('user.id', '=', userId).executeTakeFirst()
}

export function findMemberByEmail(db: Db, centreId: number, email: string): Promise<Member | undefined> {
  return membersQuery(db, centreId).where('user.email', '=', email).executeTakeFirst()
}

export async function countMembers(db: Db, centreId: number): Promise<number> {
  const row = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('centre_id', '=', centreId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** At least one other admin stays: written into the statement itself, so two concurrent requests cannot both pass. */
const anotherAdminRemains = (centreId: number, userId: number) =>
  sql<boolean>`(role <> 'admin' or exists (select 1 from membership other where other.centre_id = ${centreId} and other.role = 'admin' and other.user_id <> ${userId}))`

/** Changes the role; false when the member is the last admin being demoted (or is not a member). */
export async function updateMemberRole(db: Db, centreId: number, userId: number, role: Role): Promise<boolean> {
  let query = db.updateTable('membership').set({ role }).where('centre_id', '=', centreId).where('user_id', '=', userId)
  if (role !== 'admin') query = query.where(anotherAdminRemains(centreId, userId))
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * Removes the membership and ends that person's web sessions in this centre (except `keepSessionId`,
 * the leaver's own, which is detached from the centre); false for the last admin.
 */
export async function deleteMembership(db: Db, centreId: number, userId: number, keepSessionId?: string): Promise<boolean> {
  const result = await db
    .deleteFrom('membership')
    .where('centre_id', '=', centreId)
    .where('user_id', '=', userId)
    .where(anotherAdminRemains(centreId, userId))
    .executeTakeFirst()
  if (Number(result.numDeletedRows) !== 1) return false
  // A session with no centre chosen yet works in the user's first centre, possibly this one: it ends too.
  let sessions = db
    .deleteFrom('user_session')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('centre_id', '=', centreId), eb('centre_id', 'is', null)]))
  if (keepSessionId) {
    sessions = sessions.where('id', '!=', keepSessionId)
    await db.updateTable('user_session').set({ centre_id: null }).where('id', '=', keepSessionId).execute()
  }
  await sessions.execute()
  return true
}

export function listInvitations(db: Db, centreId: number) {
  return db
    .selectFrom('invitation')
    .selectAll()
    .where('centre_id', '=', centreId)
    .where('accepted_at', 'is', null)
    .orderBy('sent_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

export async function countInvitations(db: Db, centreId: number): Promise<number> {
  const row = await db
    .selectFrom('invitation')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('centre_id', '=', centreId)
    .where('accepted_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A pending invitation of the centre. */
export function findInvitation(db: Db, centreId: number, id: number) {
  return db.selectFrom('invitation').selectAll().where('centre_id', '=', centreId).where('id', '=', id).where('accepted_at', 'is', null).executeTakeFirst()
}

export function findInvitationByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('invitation')
    .innerJoin('centre', 'centre.id', 'invitation.centre_id')
    .selectAll('invitation')
    .select('centre.name as centreName')
    .where('invitation.token_hash', '=', tokenHash)
    .executeTakeFirst()
}

/** Creates the invitation, or renews the pending one of that address (new token, new date, new role). */
export async function upsertInvitation(
  db: Db,
  values: {
    centreId: number
    email: string
    role: Role
    tokenHash: string
    invitedBy: number
    now: number
    expiresAt: number
    mailStatus: InvitationMailStatus | null
  },
) {
  const pending = await db
    .selectFrom('invitation')
    .select('id')
    .where('centre_id', '=', values.centreId)
    .where('email', '=', values.email)
    .where('accepted_at', 'is', null)
    .executeTakeFirst()
  if (pending) {
    await renewInvitation(db, pending.id, values)
    return { id: pending.id, renewed: true }
  }
  const row = await db
    .insertInto('invitation')
    .values({
      centre_id: values.centreId,
      email: values.email,
      role: values.role,
      token_hash: values.tokenHash,
      invited_by: values.invitedBy,
      sent_at: toTimestamp(values.now),
      expires_at: toTimestamp(values.expiresAt),
      accepted_at: null,
      created_at: toTimestamp(values.now),
      mail_status: values.mailStatus,
      mail_status_at: values.mailStatus ? toTimestamp(values.now) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, renewed: false }
}

export async function renewInvitation(
  db: Db,
  id: number,
  values: { role?: Role; tokenHash: string; invitedBy: number; now: number; expiresAt: number; mailStatus: InvitationMailStatus | null },
) {
  await db
    .updateTable('invitation')
    .set({
      token_hash: values.tokenHash,
      invited_by: values.invitedBy,
      sent_at: toTimestamp(values.now),
      expires_at: toTimestamp(values.expiresAt),
      mail_status: values.mailStatus,
      mail_error: null,
      mail_status_at: values.mailStatus ? toTimestamp(values.now) : null,
      ...(values.role ? { role: values.role } : {}),
    })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .execute()
}

/**
 * How the mail of a pending invitation went, written only while it still has the token that mail
 * carried: the outcome of an older mail never overwrites the status of a resent one.
 */
export async function setInvitationMailStatus(
  db: Db,
  id: number,
  tokenHash: string,
  values: { status: Exclude<InvitationMailStatus, 'queued'>; error: string | null; at: number },
): Promise<void> {
  await db
    .updateTable('invitation')
    .set({ mail_status: values.status, mail_error: values.error, mail_status_at: toTimestamp(values.at) })
    .where('id', '=', id)
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .execute()
}

export async function deleteInvitation(db: Db, centreId: number, id: number): Promise<void> {
  await db.deleteFrom('invitation').where('centre_id', '=', centreId).where('id', '=', id).where('accepted_at', 'is', null).execute()
}

/** Spends the invitation: true for exactly one caller, even when two tabs accept at the same time. */
export async function spendInvitation(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('invitation')
    .set({ accepted_at: toTimestamp(now) })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', toTimestamp(now))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Adds the member with the invitation's role; a person already a member keeps their role. */
export async function addMembership(db: Db, centreId: number, userId: number, role: Role): Promise<void> {
  await db
    .insertInto('membership')
    .values({ user_id: userId, centre_id: centreId, role })
    .onConflict((oc) => oc.columns(['user_id', 'centre_id']).doNothing())
    .execute()
}
