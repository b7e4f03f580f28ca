import { type Kysely, PostgresAdapter, sql } from 'kysely'

/** PostgreSQL has identity columns where SQLite has AUTOINCREMENT (never reuses an id either). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

/**
 * Time control in the Espace surveillant: each "Ajouter du temps" and each pause
 * ("Suspendre" for one candidate; for the whole room when candidate_id is null), with its reason,
 * who did it and when; a pause is closed by "Reprendre" (ended_at). The reports each action
 * writes for the finalisation point back to it, so "Reprendre" completes their text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = onPostgres(db)
  await db.schema
    .createTable('clock_change')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'integer', (c) => c.notNull().references('certification_session.id').onDelete('cascade'))
    .addColumn('candidate_id', 'integer', (c) => c.references('candidate.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('add', 'pause')`))
    .addColumn('minutes', 'integer')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('user_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('access_id', 'text', (c) => c.references('invigilator_access.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('clock_change_session_idx').on('clock_change').column('session_id').execute()
  await db.schema
    .alterTable('report')
    .addColumn('clock_change_id', 'integer', (c) => c.references('clock_change.id').onDelete('set null'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report').dropColumn('clock_change_id').execute()
  await db.schema.dropTable('clock_change').execute()
}
