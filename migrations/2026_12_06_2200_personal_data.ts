import { type Kysely, PostgresAdapter, sql } from 'kysely'

const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

/**
 * Candidates' personal data. A session can be held ("Conserver : contestation en
 * cours") and records when its personal data was erased; a candidate erased keeps a placeholder
 * row (counts stay true); a convocation queued from a request keeps the address the staff member
 * was browsing. The history stays append-only, with one exception: a row may lose its subject (the
 * candidate's name) and nothing else.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('certification_session').addColumn('retention_hold_at', 'text').execute()
  await db.schema.alterTable('certification_session').addColumn('personal_data_erased_at', 'text').execute()
  await db.schema.alterTable('candidate').addColumn('erased_at', 'text').execute()
  await db.schema.alterTable('convocation_mail').addColumn('public_url', 'text').execute()
  await db.schema.createIndex('session_finalised_idx').on('certification_session').columns(['finalised_at']).execute()
  if (onPostgres(db)) {
    await sql`create function history_subject_erasure_only() returns trigger language plpgsql as $$
      begin
        if new.subject is null and new.id = old.id and new.centre_id = old.centre_id
          and new.session_id is not distinct from old.session_id and new.actor_kind = old.actor_kind
          and new.actor_user_id is not distinct from old.actor_user_id and new.actor_name = old.actor_name
          and new.action = old.action and new.count is not distinct from old.count and new.created_at = old.created_at
        then return new; end if;
        raise exception 'history is append-only';
      end $$`.execute(db)
    await sql`drop trigger history_no_update on history`.execute(db)
    await sql`create trigger history_no_update before update on history for each row execute function history_subject_erasure_only()`.execute(db)
    return
  }
  await sql`drop trigger history_no_update`.execute(db)
  await sql`create trigger history_no_update before update on history
    when not (new.subject is null and new.id = old.id and new.centre_id = old.centre_id and new.session_id is old.session_id
      and new.actor_kind = old.actor_kind and new.actor_user_id is old.actor_user_id and new.actor_name = old.actor_name
      and new.action = old.action and new.count is old.count and new.created_at = old.created_at)
    begin select raise(abort, 'history is append-only'); end`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    await sql`drop trigger history_no_update on history`.execute(db)
    await sql`drop function history_subject_erasure_only()`.execute(db)
    await sql`create trigger history_no_update before update on history for each row execute function history_append_only()`.execute(db)
  } else {
    await sql`drop trigger history_no_update`.execute(db)
    await sql`create trigger history_no_update before update on history begin select raise(abort, 'history is append-only'); end`.execute(db)
  }
  await db.schema.dropIndex('session_finalised_idx').execute()
  await db.schema.alterTable('convocation_mail').dropColumn('public_url').execute()
  await db.schema.alterTable('candidate').dropColumn('erased_at').execute()
  await db.schema.alterTable('certification_session').dropColumn('personal_data_erased_at').execute()
  await db.schema.alterTable('certification_session').dropColumn('retention_hold_at').execute()
}
