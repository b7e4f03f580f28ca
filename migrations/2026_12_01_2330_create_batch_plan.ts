import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * "Créer/éditer plusieurs sessions": the plan validated at step 1, kept server-side until it is
 * confirmed (never trusted from the browser), bound to the user and the centre, for one hour.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // ISO text, as every timestamp (the app also writes it explicitly: SQLite's default here is CURRENT_TIMESTAMP's format).
  const now =
    db.getExecutor().adapter instanceof PostgresAdapter ? sql.raw(`to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`) : sql`CURRENT_TIMESTAMP`
  await db.schema
    .createTable('batch_plan')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('centre_id', 'integer', (c) => c.notNull().references('centre.id').onDelete('cascade'))
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('result', 'text')
    .execute()
  await db.schema.createIndex('batch_plan_expiry_idx').on('batch_plan').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('batch_plan').execute()
}
