import type { Kysely } from 'kysely'

/**
 * Version counters, so that a form can tell whether what it showed is still what is stored:
 * `draft_version` goes up at every change of the finalisation draft (ticks, comment, reports,
 * documents), `candidates_version` at every change of the candidate list.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('certification_session')
    .addColumn('draft_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('certification_session')
    .addColumn('candidates_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('certification_session').dropColumn('candidates_version').execute()
  await db.schema.alterTable('certification_session').dropColumn('draft_version').execute()
}
