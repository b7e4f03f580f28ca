import { type Kysely } from 'kysely'

/**
 * The history names each actor unambiguously. Beside the name at the time of
 * the change, the account's e-mail address at that time (null for an invigilator access or the
 * command line, and for the entries written before). Adding a column is not an UPDATE: the
 * append-only triggers are untouched, and the older entries keep what they said.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('history').addColumn('actor_email', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('history').dropColumn('actor_email').execute()
}
