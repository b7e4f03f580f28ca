import { type Kysely, PostgresAdapter, sql } from 'kysely'

/** PostgreSQL has identity columns where SQLite has AUTOINCREMENT (never reuses an id either). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  const pg = onPostgres(db)
  // Only the SHA-256 of the invitation token is stored; one pending invitation per address and centre.
  await db.schema
    .createTable('invitation')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('centre_id', 'integer', (c) => c.notNull().references('centre.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member')`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'integer', (c) => c.references('user.id').onDelete('set null'))
    /** Milliseconds since the epoch, like the other tokens. */
    .addColumn('sent_at', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('expires_at', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('accepted_at', pg ? 'bigint' : 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute()
  await sql`create unique index invitation_pending_idx on invitation (centre_id, email) where accepted_at is null`.execute(db)
  await db.schema.createIndex('membership_centre_idx').on('membership').columns(['centre_id', 'role']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('membership_centre_idx').execute()
  await db.schema.dropTable('invitation').execute()
}
