import type { Kysely } from 'kysely'

/**
 * The session list sorts by date, then time, then id (newest first) within one centre, and filters
 * by date range: one index in that order serves both, so 20,000 sessions list as fast as 200.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('certification_session_list_idx').on('certification_session').columns(['centre_id', 'date', 'start_time', 'id']).execute()
  await db.schema.dropIndex('certification_session_centre_idx').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('certification_session_centre_idx').on('certification_session').columns(['centre_id', 'date']).execute()
  await db.schema.dropIndex('certification_session_list_idx').execute()
}
