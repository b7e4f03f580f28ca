import { type Kysely, PostgresAdapter } from 'kysely'

/**
 * Finalisation documents move into the database: their bytes in `session_document.content`
 * (BLOB on SQLite, bytea on PostgreSQL), written with their row. The files an older version left
 * under DATA_DIR/uploads are moved in at start-up, after the migrations (moveUploadsIntoDatabase
 * in src/features/finalisation/document-storage.ts: a migration is not told where DATA_DIR is).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const type = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob'
  await db.schema.alterTable('session_document').addColumn('content', type).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('session_document').dropColumn('content').execute()
}
