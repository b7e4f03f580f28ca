import type { Db } from '../../db/database.ts'

/** The cheapest question the database can answer (GET /sante); rejects when it cannot. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute()
}
