import { writeTransaction } from '../../db/transaction.ts'
import type { Db } from '../../db/database.ts'
import { normalizeEmail, OPERATOR } from '../accounts/index.ts'
import { findCentreByName } from '../centres/index.ts'
import { recordHistory } from '../history/index.ts'
import { deleteMembership } from './team.repository.ts'

/** The operator's view of centres and accounts (CLI: list-centres, list-users, remove-user). */
export function listCentresWithCounts(db: Db) {
  return db
    .selectFrom('centre')
    .leftJoin('membership', 'membership.centre_id', 'centre.id')
    .select((eb) => [
      'centre.id',
      'centre.name',
      eb.fn.count<number>('membership.user_id').as('members'),
      eb.fn.sum<number>(eb.case().when('membership.role', '=', 'admin').then(1).else(0).end()).as('admins'),
    ])
    .groupBy(['centre.id', 'centre.name'])
    .orderBy('centre.name')
    .execute()
}

export function listUsersWithCentres(db: Db, centreId?: number) {
  let query = db
    .selectFrom('user')
    .leftJoin('membership', 'membership.user_id', 'user.id')
    .leftJoin('centre', 'centre.id', 'membership.centre_id')
    .select(['user.email', 'user.first_name', 'user.last_name', 'centre.name as centre', 'membership.role'])
    .orderBy('user.email')
    .orderBy('centre.name')
  if (centreId !== undefined) query = query.where('membership.centre_id', '=', centreId)
  return query.execute()
}

export type RemoveUserResult = 'removed' | 'unknown_centre' | 'unknown_user' | 'not_member' | 'last_admin'

/** Takes the user out of the centre (the account stays); refused for the centre's last administrator. */
export async function removeUserFromCentre(db: Db, email: string, centreName: string): Promise<RemoveUserResult> {
  return writeTransaction(db, async (trx) => {
    const centre = await findCentreByName(trx, centreName.trim())
    if (!centre) return 'unknown_centre'
    const user = await trx.selectFrom('user').select(['id', 'first_name', 'last_name']).where('email', '=', normalizeEmail(email)).executeTakeFirst()
    if (!user) return 'unknown_user'
    const membership = await trx.selectFrom('membership').select('role').where('user_id', '=', user.id).where('centre_id', '=', centre.id).executeTakeFirst()
    if (!membership) return 'not_member'
    if (!(await deleteMembership(trx, centre.id, user.id))) return 'last_admin'
    await recordHistory(trx, { centreId: centre.id, actor: OPERATOR, action: 'member_removed', subject: `${user.first_name} ${user.last_name}` })
    return 'removed'
  })
}
