import { type Kysely, PostgresAdapter, sql } from 'kysely'

/** PostgreSQL has identity columns where SQLite has AUTOINCREMENT (never reuses an id either). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  const pg = onPostgres(db)
  await db.schema
    .createTable('centre')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute()

  await db.schema
    .createTable('user')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('cgu_accepted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute()

  await db.schema
    .createTable('membership')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('centre_id', 'integer', (c) => c.notNull().references('centre.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member')`))
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .addPrimaryKeyConstraint('membership_pk', ['user_id', 'centre_id'])
    .execute()

  // Only the SHA-256 of the session token is stored (Lucia's session model).
  await db.schema
    .createTable('user_session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('centre_id', 'integer', (c) => c.references('centre.id').onDelete('set null'))
    .addColumn('expires_at', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute()
  await db.schema.createIndex('user_session_user_idx').on('user_session').column('user_id').execute()

  await db.schema
    .createTable('password_reset')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('expires_at', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('used_at', pg ? 'bigint' : 'integer')
    .execute()

  await db.schema
    .createTable('setup_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', pg ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('used_at', pg ? 'bigint' : 'integer')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['setup_token', 'password_reset', 'user_session', 'membership', 'user', 'centre']) {
    await db.schema.dropTable(table).execute()
  }
}
