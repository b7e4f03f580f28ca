import type { Db } from '../../db/database.ts'
import { compareFrench } from '../../lib/collation.ts'
import { paginate } from '../../lib/pagination.ts'
import { displayName } from '../../lib/display-name.ts'

/** Every centre, with what the operator console shows of it: members, sessions of the year, last activity. */
export async function listCentresOverview(db: Db, year: number) {
  const [centres, members, sessions, activity, failedMails] = await Promise.all([
    db.selectFrom('centre').select(['id', 'name', 'deactivated_at', 'created_at']).execute(),
    db
      .selectFrom('membership')
      .innerJoin('user', 'user.id', 'membership.user_id')
      .select(['membership.centre_id', 'membership.role', 'user.first_name', 'user.last_name', 'user.email'])
      .execute(),
    db
      .selectFrom('certification_session')
      .select((eb) => ['centre_id', eb.fn.countAll<number>().as('n')])
      .where('date', '>=', `${year}-01-01`)
      .where('date', '<=', `${year}-12-31`)
      .groupBy('centre_id')
      .execute(),
    db
      .selectFrom('history')
      .select((eb) => ['centre_id', eb.fn.max('created_at').as('last')])
      .groupBy('centre_id')
      .execute(),
    db
      .selectFrom('invitation')
      .select(['centre_id', 'email', 'mail_error'])
      .where('accepted_at', 'is', null)
      .where('mail_status', '=', 'failed')
      .orderBy('id')
      .execute(),
  ])
  const sessionCount = new Map(sessions.map((s) => [s.centre_id, Number(s.n)]))
  const lastActivity = new Map(activity.map((a) => [a.centre_id, a.last as string | null]))
  return centres
    .map((centre) => ({
      id: centre.id,
      name: centre.name,
      deactivatedAt: centre.deactivated_at,
      members: members
        .filter((m) => m.centre_id === centre.id)
        .map((m) => ({ name: displayName(m), email: m.email, role: m.role }))
        .sort((a, b) => (a.role === b.role ? compareFrench(a.name, b.name) : a.role === 'admin' ? -1 : 1)),
      sessionsThisYear: sessionCount.get(centre.id) ?? 0,
      lastActivity: lastActivity.get(centre.id) ?? null,
      /** Pending invitations whose mail SMTP refused (the first administrator's, from the console). */
      failedInvitationMails: failedMails.filter((i) => i.centre_id === centre.id).map((i) => ({ email: i.email, error: i.mail_error })),
    }))
    .sort((a, b) => compareFrench(a.name, b.name) || a.id - b.id)
}

export function findCentre(db: Db, centreId: number) {
  return db.selectFrom('centre').select(['id', 'name', 'deactivated_at']).where('id', '=', centreId).executeTakeFirst()
}

export async function isCentreNameTaken(db: Db, name: string, exceptId?: number): Promise<boolean> {
  let query = db.selectFrom('centre').select('id').where('name', '=', name)
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId)
  return !!(await query.executeTakeFirst())
}

export async function renameCentreRow(db: Db, centreId: number, name: string): Promise<void> {
  await db.updateTable('centre').set({ name }).where('id', '=', centreId).execute()
}

export async function setCentreDeactivatedAt(db: Db, centreId: number, deactivatedAt: string | null): Promise<void> {
  await db.updateTable('centre').set({ deactivated_at: deactivatedAt }).where('id', '=', centreId).execute()
}

export const OPERATOR_HISTORY_PAGE_SIZE = 30

/** What this operator did from the console, newest first, with each centre's current name. */
export async function listOperatorHistory(db: Db, userId: number, page: number) {
  const base = db.selectFrom('history').where('history.actor_kind', '=', 'operator').where('history.actor_user_id', '=', userId)
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const pagination = paginate(Number(n), page, OPERATOR_HISTORY_PAGE_SIZE)
  const entries = await base
    .innerJoin('centre', 'centre.id', 'history.centre_id')
    .select(['history.id', 'history.created_at', 'history.action', 'history.subject', 'history.count', 'centre.name as centreName'])
    .orderBy('history.id', 'desc')
    .limit(pagination.limit)
    .offset(pagination.offset)
    .execute()
  return { entries, pagination }
}
