import { randomInt } from 'node:crypto'
import { type Kysely, PostgresAdapter, sql } from 'kysely'

/** PostgreSQL has identity columns where SQLite has AUTOINCREMENT (never reuses an id either). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

// The access code's alphabets (src/features/sessions/access-code.ts), copied: migrations never import app code.
const ALPHABET = 'BCDFGHJKMPQRTVWXY2346789'

function password(): string {
  let value = ''
  for (let i = 0; i < 6; i++) value += ALPHABET[randomInt(ALPHABET.length)]
  return value
}

/**
 * Espace surveillant: the invigilator password and the test duration of each session,
 * each candidate's arrival and confirmed presence, the end of each certification course (its
 * start is `joined_at`), who did what and when, invigilator accesses, and reports recorded live.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = onPostgres(db)
  await db.schema
    .alterTable('certification_session')
    .addColumn('invigilator_password', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('certification_session')
    .addColumn('test_duration_minutes', 'integer', (c) => c.notNull().defaultTo(105))
    .execute()
  const sessions = await db.selectFrom('certification_session').select('id').execute()
  for (const { id } of sessions) {
    await db.updateTable('certification_session').set({ invigilator_password: password() }).where('id', '=', id).execute()
  }

  // Typed the access code (waiting for the invigilator), and presence confirmed by the invigilator.
  await db.schema.alterTable('candidate').addColumn('arrived_at', 'text').execute()
  await db.schema.alterTable('candidate').addColumn('presence_confirmed_at', 'text').execute()
  // The course is created when the candidate starts (joined_at); ended by the invigilator.
  await db.schema.alterTable('certification_course').addColumn('ended_at', 'text').execute()

  await db.schema
    .createTable('invigilator_access')
    // SHA-256 (hex) of the token held in the cookie, as for web sessions.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'integer', (c) => c.notNull().references('certification_session.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', pg ? 'bigint' : 'integer', (c) => c.notNull()) // ms since the epoch
    .addColumn('ended_at', 'text')
    .execute()
  await db.schema.createIndex('invigilator_access_session_idx').on('invigilator_access').column('session_id').execute()

  // Who changed what, and when: an invigilator access or a staff user.
  await db.schema
    .createTable('supervision_event')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'integer', (c) => c.notNull().references('certification_session.id').onDelete('cascade'))
    .addColumn('candidate_id', 'integer', (c) => c.references('candidate.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('access_id', 'text', (c) => c.references('invigilator_access.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('supervision_event_session_idx').on('supervision_event').column('session_id').execute()

  // Reports recorded by the invigilator during the session (source 'invigilator'), with the time.
  await db.schema
    .alterTable('report')
    .addColumn('source', 'text', (c) =>
      c
        .notNull()
        .defaultTo('finalisation')
        .check(sql`source in ('finalisation', 'invigilator')`),
    )
    .execute()
  await db.schema.alterTable('report').addColumn('recorded_at', 'text').execute()
  await db.schema
    .alterTable('report')
    .addColumn('recorded_by_user_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .execute()
  await db.schema
    .alterTable('report')
    .addColumn('recorded_by_access_id', 'text', (c) => c.references('invigilator_access.id').onDelete('set null'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['recorded_by_access_id', 'recorded_by_user_id', 'recorded_at', 'source'])
    await db.schema.alterTable('report').dropColumn(column).execute()
  await db.schema.dropTable('supervision_event').execute()
  await db.schema.dropTable('invigilator_access').execute()
  await db.schema.alterTable('certification_course').dropColumn('ended_at').execute()
  for (const column of ['presence_confirmed_at', 'arrived_at']) await db.schema.alterTable('candidate').dropColumn(column).execute()
  for (const column of ['test_duration_minutes', 'invigilator_password']) await db.schema.alterTable('certification_session').dropColumn(column).execute()
}
