import SQLite from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import t from 'tap'
import { PG_WRITE_LOCK } from '../../src/db/database.ts'
import { timestampMs, toTimestamp } from '../../src/lib/timestamps.ts'
import { build, loggedIn, type Teardown } from '../helper.ts'

const form = { siteName: 'Centre Testix', room: '45', date: '2021-01-12', startTime: '10:00', invigilators: 'Eric Martin', observations: '' }

/**
 * A second process's connection holding the write lock: an admin's sqlite3 shell (BEGIN
 * IMMEDIATE), or on PostgreSQL a psql session holding the writers' lock and the tables (reads
 * still flow); the app's writes wait for its statement timeout (short here), then get the 503.
 */
async function holdWriteLock(t: Teardown, server: FastifyInstance): Promise<() => Promise<void>> {
  const database = server.config.database
  if (database.kind === 'postgres') {
    const other = new pg.Client({ connectionString: database.url })
    await other.connect()
    await other.query('begin')
    await other.query('select pg_advisory_xact_lock($1)', [PG_WRITE_LOCK])
    await other.query('lock table certification_session, user_session in exclusive mode')
    let released = false
    const release = async () => {
      if (released) return
      released = true
      await other.query('rollback')
      await other.end()
    }
    t.teardown(release)
    return release
  }
  const other = new SQLite(server.config.databaseFile)
  other.exec('BEGIN IMMEDIATE')
  let released = false
  const release = async () => {
    if (released) return
    released = true
    other.exec('ROLLBACK')
    other.close()
  }
  t.teardown(release)
  return release
}

const busyBuild = (t: Teardown) => build(t, {}, { statementTimeoutMs: 500 })

t.test('a write lock held by another process: reads and static files flow, writes get a French 503, then work again', async (t) => {
  const server = await busyBuild(t)
  const { client } = await loggedIn(server)
  await client.get('/sessions/nouvelle')
  const release = await holdWriteLock(t, server)

  const page = await client.get('/sessions')
  t.equal(page.statusCode, 200, 'a page is read')
  const css = await client.get('/public/css/app.css')
  t.equal(css.statusCode, 200, 'a static file is served')

  const refused = await client.post('/sessions/nouvelle', form)
  t.equal(refused.statusCode, 503)
  t.match(refused.body, /Réessayez dans un instant/)
  t.match(refused.body, /votre action n’a pas été enregistrée/)
  t.equal(refused.headers['retry-after'], '5')
  t.equal((await server.db.selectFrom('certification_session').select('id').execute()).length, 0, 'nothing written')

  await release()
  await client.get('/sessions/nouvelle')
  const accepted = await client.post('/sessions/nouvelle', form)
  t.equal(accepted.statusCode, 303, 'the same form goes through once the lock is released')
  t.equal((await server.db.selectFrom('certification_session').select('id').execute()).length, 1)
})

t.test('a single-statement write (no transaction) under the lock is a 503 too', async (t) => {
  const server = await busyBuild(t)
  const { client } = await loggedIn(server)
  await client.get('/sessions/nouvelle')
  const created = await client.post('/sessions/nouvelle', form)
  const url = created.headers.location as string
  await client.get(`${url}/modifier`)
  const release = await holdWriteLock(t, server)
  const refused = await client.post(`${url}/modifier`, { ...form, room: '46' })
  t.equal(refused.statusCode, 503)
  t.match(refused.body, /Réessayez dans un instant/)
  await release()
  const row = await server.db.selectFrom('certification_session').select('room').executeTakeFirstOrThrow()
  t.equal(row.room, '45')
})

t.test('a login session due for renewal still reads pages under the lock, and is renewed afterwards', async (t) => {
  const server = await busyBuild(t)
  const { client, userId } = await loggedIn(server)
  // Past half-life: the next request renews it (a write).
  const soon = Date.now() + 24 * 60 * 60 * 1000
  await server.db
    .updateTable('user_session')
    .set({ expires_at: toTimestamp(soon) })
    .where('user_id', '=', userId)
    .execute()
  const release = await holdWriteLock(t, server)
  const page = await client.get('/sessions')
  t.equal(page.statusCode, 200)
  await release()
  await client.get('/sessions')
  const row = await server.db.selectFrom('user_session').select('expires_at').where('user_id', '=', userId).executeTakeFirstOrThrow()
  t.ok(timestampMs(row.expires_at) > soon, 'renewed once the database is free')
})
