import type { Kysely } from 'kysely'

/**
 * Who approved a candidate's accommodation (extra time or accessibility need) and when: free text
 * (a person's name, one line) and a calendar date (YYYY-MM-DD), both optional.
 * Kysely's schema builder only: the same migration runs on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('candidate').addColumn('accommodation_approved_by', 'text').execute()
  await db.schema.alterTable('candidate').addColumn('accommodation_approved_on', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['accommodation_approved_on', 'accommodation_approved_by']) {
    await db.schema.alterTable('candidate').dropColumn(column).execute()
  }
}
