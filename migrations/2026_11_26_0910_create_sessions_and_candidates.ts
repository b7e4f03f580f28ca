import { type Kysely, PostgresAdapter, sql } from 'kysely'

/** PostgreSQL has identity columns where SQLite has AUTOINCREMENT (never reuses an id either). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  const pg = onPostgres(db)
  await db.schema
    .createTable('certification_session')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('centre_id', 'integer', (c) => c.notNull().references('centre.id').onDelete('cascade'))
    .addColumn('site_name', 'text', (c) => c.notNull())
    .addColumn('room', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull()) // YYYY-MM-DD
    .addColumn('start_time', 'text', (c) => c.notNull()) // HH:MM, local time
    .addColumn('invigilators', 'text', (c) => c.notNull())
    .addColumn('observations', 'text')
    .addColumn('access_code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    // Finalisation draft (step 3) and final state.
    .addColumn('global_comment_choice', 'text', (c) => c.check(sql`global_comment_choice in ('none', 'incident')`))
    .addColumn('global_comment', 'text')
    .addColumn('finalised_at', 'text')
    .addColumn('finalised_by_user_id', 'integer', (c) => c.references('user.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('certification_session_centre_idx').on('certification_session').columns(['centre_id', 'date']).execute()
  // Access codes are unique among sessions not yet finalised.
  await db.schema
    .createIndex('certification_session_open_code_idx')
    .on('certification_session')
    .column('access_code')
    .unique()
    .where(sql.ref('finalised_at'), 'is', null)
    .execute()

  await db.schema
    .createTable('candidate')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'integer', (c) => c.notNull().references('certification_session.id').onDelete('cascade'))
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('birthdate', 'text', (c) => c.notNull()) // YYYY-MM-DD
    .addColumn('birth_city', 'text', (c) => c.notNull())
    .addColumn('birth_department_code', 'text', (c) => c.notNull())
    .addColumn('birth_country', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('external_id', 'text')
    .addColumn('extra_time_percentage', 'integer')
    .addColumn('has_seen_end_screen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute()
  await db.schema.createIndex('candidate_session_idx').on('candidate').column('session_id').execute()

  // A joined ("linked") candidate has exactly one certification course; its id is the N° de certification.
  await db.schema
    .createTable('certification_course')
    .addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'integer', (c) => c.notNull().references('certification_session.id').onDelete('cascade'))
    .addColumn('candidate_id', 'integer', (c) => c.notNull().unique().references('candidate.id').onDelete('cascade'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('certification_course_session_idx').on('certification_course').column('session_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['certification_course', 'candidate', 'certification_session']) {
    await db.schema.dropTable(table).execute()
  }
}
