import { type Kysely, PostgresAdapter, sql } from 'kysely'

/** PostgreSQL has identity columns where SQLite has AUTOINCREMENT (never reuses an id either). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  const pg = onPostgres(db)
  // One append-only table of every change of a centre's data. No foreign key on the session or the
  // actor: the history of a deleted session, or by a removed member, stays as it was written.
  await db.schema
    .createTable('history')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('centre_id', 'integer', (c) => c.notNull().references('centre.id').onDelete('cascade'))
    .addColumn('session_id', 'integer')
    .addColumn('actor_kind', 'text', (c) => c.notNull().check(sql`actor_kind in ('user', 'invigilator', 'operator')`))
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('count', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('history_centre_idx').on('history').columns(['centre_id', 'id']).execute()
  await db.schema.createIndex('history_session_idx').on('history').columns(['session_id', 'id']).execute()
  // Nothing edits or deletes it, except deleting the whole centre (the cascade runs once the centre row is gone).
  if (pg) {
    await sql`create function history_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and not exists (select 1 from centre where id = old.centre_id) then return old; end if;
        raise exception 'history is append-only';
      end $$`.execute(db)
    await sql`create trigger history_no_update before update on history for each row execute function history_append_only()`.execute(db)
    await sql`create trigger history_no_delete before delete on history for each row execute function history_append_only()`.execute(db)
    return
  }
  await sql`create trigger history_no_update before update on history begin select raise(abort, 'history is append-only'); end`.execute(db)
  await sql`create trigger history_no_delete before delete on history when exists (select 1 from centre where id = old.centre_id) begin select raise(abort, 'history is append-only'); end`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    await db.schema.dropTable('history').execute()
    await sql`drop function history_append_only()`.execute(db)
    return
  }
  await sql`drop trigger history_no_delete`.execute(db)
  await sql`drop trigger history_no_update`.execute(db)
  await db.schema.dropTable('history').execute()
}
