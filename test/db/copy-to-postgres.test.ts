import { sql } from 'kysely'
import t from 'tap'
import { copyToPostgres } from '../../src/db/copy.ts'
import { createPostgresDb, type Db } from '../../src/db/database.ts'
import { build } from '../helper.ts'
import { cli } from '../lib/cli.ts'
import { seedCentre } from '../lib/seed.ts'
import { createTestDatabase, onPostgres } from '../lib/test-database.ts'

/** Every row of `table`, comparable across dialects (documents' bytes as hex). */
async function rows(db: Db, table: string): Promise<string[]> {
  const found = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows
  return found.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('hex') : v])))).sort()
}

if (!onPostgres) {
  t.plan(0, 'PostgreSQL only (bash scripts/with-postgres.sh): copies a SQLite database into a PostgreSQL one')
} else {
  t.test('copy-to-postgres: every row of every table, documents and sequences; refuses a non-empty target', async (t) => {
    // A school's SQLite database, with everything a centre holds (sessions, candidates, reports, documents, history…).
    const school = await build(t, { database: { kind: 'sqlite' } })
    t.equal(school.dbKind, 'sqlite')
    await seedCentre(school, 'Centre Source')
    await seedCentre(school, 'Centre Autre', { evil: true })
    // A deleted session: its number must never be given again on PostgreSQL either.
    const last = await school.db.selectFrom('certification_session').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
    await school.db.deleteFrom('certification_session').where('id', '=', last.id).execute()

    const database = await createTestDatabase()
    t.teardown(() => database.drop())
    const target = createPostgresDb(database.url, { poolSize: 2 }).db
    t.teardown(() => target.destroy())
    const counts = await copyToPostgres(school.db, target)
    const tables = (await school.db.introspection.getTables()).map((x) => x.name).filter((name) => !name.startsWith('kysely_'))
    t.same(counts.map((c) => c.table).sort(), tables.sort(), 'every table')
    for (const table of tables) t.same(await rows(target, table), await rows(school.db, table), `${table}: the same rows`)
    t.ok(counts.find((c) => c.table === 'session_document')!.rows > 0, 'documents copied')

    const next = await target.insertInto('centre').values({ name: 'Nouveau', created_at: '2026-12-02T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow()
    const maxCentre = await school.db
      .selectFrom('centre')
      .select((eb) => eb.fn.max('id').as('m'))
      .executeTakeFirstOrThrow()
    t.equal(next.id, Number(maxCentre.m) + 1, 'identity sequences continue after the copied ids')
    const session = await target
      .insertInto('certification_session')
      .values({ centre_id: next.id, site_name: 's', room: 'r', date: '2030-01-01', start_time: '10:00', invigilators: 'x', access_code: 'ZZZZZZ' })
      .returning('id')
      .executeTakeFirstOrThrow()
    t.ok(session.id > last.id, 'a deleted session’s number is not given again')

    await t.rejects(copyToPostgres(school.db, target), /n’est pas vide/, 'a non-empty target is refused')
  })

  t.test('npm run cli -- copy-to-postgres prints counts per table, and refuses a second time', async (t) => {
    const school = await build(t, { database: { kind: 'sqlite' } })
    await seedCentre(school, 'Centre CLI')
    const database = await createTestDatabase()
    t.teardown(() => database.drop())
    const env = { DATA_DIR: school.config.dataDir }
    const done = await cli(env, 'copy-to-postgres', '--to', database.url)
    t.equal(done.code, 0, done.stderr)
    t.match(done.stdout, /Copie terminée/)
    t.match(done.stdout, /certification_session\s+\d+/)
    const again = await cli(env, 'copy-to-postgres', '--to', database.url)
    t.equal(again.code, 2)
    t.match(again.stderr, /n’est pas vide/)
  })
}
