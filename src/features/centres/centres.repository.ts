import type { Db } from '../../db/database.ts'
import { prepared } from '../../db/prepared.ts'
import { compareFrench } from '../../lib/collation.ts'
import type { Role } from './centres.table.ts'

export interface UserCentre {
  id: number
  name: string
  role: Role
}

export async function insertCentre(db: Db, name: string): Promise<number> {
  const row = await db.insertInto('centre').values({ name }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export function findCentreByName(db: Db, name: string) {
  return db.selectFrom('centre').selectAll().where('name', '=', name).executeTakeFirst()
}

/** Adds the user to the centre, or changes the role if already a member. */
export async function upsertMembership(db: Db, userId: number, centreId: number, role: Role): Promise<void> {
  await db
    .insertInto('membership')
    .values({ user_id: userId, centre_id: centreId, role })
    .onConflict((oc) => oc.columns(['user_id', 'centre_id']).doUpdateSet({ role }))
    .execute()
}

/** Read before every page of a logged-in user: prepared once (src/db/prepared.ts). */
const activeCentresOf = prepared((db: Db, userId: number) =>
  db
    .selectFrom('membership')
    .innerJoin('centre', 'centre.id', 'membership.centre_id')
    .select(['centre.id', 'centre.name', 'membership.role'])
    .where('membership.user_id', '=', userId)
    .where('centre.deactivated_at', 'is', null),
)

/** The user's centres, in French alphabetical order; a centre the operator deactivated is not opened. */
export async function listUserCentres(db: Db, userId: number): Promise<UserCentre[]> {
  const rows = await activeCentresOf(db, userId)
  return rows.sort((a, b) => compareFrench(a.name, b.name) || a.id - b.id)
}
