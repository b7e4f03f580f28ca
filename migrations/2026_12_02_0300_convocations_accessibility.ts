import { type Kysely, PostgresAdapter, sql } from 'kysely'

/** PostgreSQL has identity columns where SQLite has AUTOINCREMENT (never reuses an id either). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

/**
 * A candidate's accessibility need (a flag and an optional note)
 * and convocation language; the centre's "Consignes aux candidats"; the convocation mail queue
 * (one row per candidate per send, the sender marks each row in its own transaction).
 * Kysely's schema builder only: the same migration runs on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = onPostgres(db)
  await db.schema
    .alterTable('candidate')
    .addColumn('accessibility_needed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('candidate').addColumn('accessibility_note', 'text').execute()
  await db.schema
    .alterTable('candidate')
    .addColumn('convocation_language', 'text', (c) => c.notNull().defaultTo('fr'))
    .execute()

  // Null: the default text of the catalog.
  await db.schema.alterTable('centre').addColumn('candidate_instructions', 'text').execute()

  await db.schema
    .createTable('convocation_mail')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'integer', (c) => c.notNull().references('certification_session.id').onDelete('cascade'))
    .addColumn('candidate_id', 'integer', (c) => c.notNull().references('candidate.id').onDelete('cascade'))
    // The address at the time of queueing (the candidate may change it later).
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'sending', 'sent', 'failed')`))
    // The session's date, time, site and room when queued: a later change flags "à renvoyer".
    .addColumn('session_key', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('sent_at', 'text')
    .execute()
  await db.schema.createIndex('convocation_mail_status_idx').on('convocation_mail').columns(['status', 'id']).execute()
  await db.schema.createIndex('convocation_mail_session_idx').on('convocation_mail').columns(['session_id', 'candidate_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('convocation_mail').execute()
  await db.schema.alterTable('centre').dropColumn('candidate_instructions').execute()
  for (const column of ['convocation_language', 'accessibility_note', 'accessibility_needed']) {
    await db.schema.alterTable('candidate').dropColumn(column).execute()
  }
}
