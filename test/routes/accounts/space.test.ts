import t from 'tap'
import { upsertMembership, insertCentre } from '../../../src/features/centres/centres.repository.ts'
import { build, Client, createMember, loggedIn } from '../../helper.ts'
import { onPostgres, testDatabaseUrl } from '../../lib/test-database.ts'

t.test('terms of use: nothing else is reachable until accepted; acceptance time stored', async (t) => {
  const server = await build(t)
  const { client, userId } = await loggedIn(server, { acceptCgu: false })
  t.equal((await client.get('/aucun-centre')).headers.location, '/cgu')
  t.equal((await client.post('/centre', { centreId: '1' })).headers.location, '/cgu', 'a guarded POST too')
  const page = await client.get('/cgu')
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('J’accepte les conditions générales d’utilisation'))
  t.notOk(page.body.includes('Sessions de certification</a>'), 'no navigation before acceptance')
  const accepted = await client.post('/cgu')
  t.equal(accepted.headers.location, '/sessions')
  const user = await server.db.selectFrom('user').select('cgu_accepted_at').where('id', '=', userId).executeTakeFirstOrThrow()
  t.ok(user.cgu_accepted_at && !Number.isNaN(Date.parse(user.cgu_accepted_at)))
  const again = await client.get('/cgu')
  t.ok(again.body.includes('Vous avez accepté ces conditions le'))
})

t.test('header: centre label and name, full name, logout', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server, { firstName: 'Paul', lastName: 'Martin' })
  const page = await client.get('/cgu')
  t.ok(page.body.includes('CENTRE DE CERTIFICATION'))
  t.ok(page.body.includes('Centre Testix'))
  t.ok(page.body.includes('Paul Martin'))
  t.ok(page.body.includes('Se déconnecter'))
})

t.test('a user in several centres switches centre from the header; not to a centre of others', async (t) => {
  const server = await build(t)
  const { client, userId } = await loggedIn(server, { centre: 'Centre A' })
  const other = await insertCentre(server.db, 'Centre B')
  const foreign = await insertCentre(server.db, 'Centre C')
  await upsertMembership(server.db, userId, other, 'member')
  const page = await client.get('/cgu')
  t.ok(page.body.includes('<select id="centre-switch" name="centreId">'))
  const switched = await client.post('/centre', { centreId: String(other) })
  t.equal(switched.statusCode, 303)
  const session = await server.db.selectFrom('user_session').select('centre_id').executeTakeFirstOrThrow()
  t.equal(session.centre_id, other)
  t.match((await client.get('/cgu')).body, /<option value="\d+" selected>Centre B<\/option>/)
  t.equal((await client.post('/centre', { centreId: String(foreign) })).statusCode, 404)
})

t.test('a user in no centre sees a page saying so', async (t) => {
  const server = await build(t)
  const member = await createMember(server)
  await server.db.deleteFrom('membership').where('user_id', '=', member.userId).execute()
  const client = new Client(server)
  await client.login(member.email)
  const response = await client.post('/centre', { centreId: '1' })
  t.equal(response.headers.location, '/aucun-centre')
  const page = await client.get('/aucun-centre')
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('Aucun centre de certification'))
})

t.test('a POST without a valid CSRF token is refused with a French 403 page', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  const missing = await client.post('/deconnexion', { _csrf: '' })
  t.equal(missing.statusCode, 403)
  t.ok(missing.body.includes('Action refusée'))
  const forged = await client.post('/deconnexion', { _csrf: 'forged-token' })
  t.equal(forged.statusCode, 403)
  const { client: other } = await loggedIn(server)
  const stolen = await client.post('/deconnexion', { _csrf: other.csrf })
  t.equal(stolen.statusCode, 403, "another user's token")
  t.equal((await server.db.selectFrom('user_session').selectAll().execute()).length, 2, 'nobody was logged out')
})

t.test('health, 404 page, static files', async (t) => {
  const server = await build(t)
  const health = await server.inject('/sante')
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok', database: onPostgres ? 'postgres' : 'sqlite', tries: 'memory' }, 'names the database it uses')
  const missing = await server.inject('/nulle-part')
  t.equal(missing.statusCode, 404)
  t.ok(missing.body.includes('Page introuvable'))
  t.notOk(missing.body.includes('at '), 'no stack trace')
  const css = await server.inject('/public/css/app.css')
  t.equal(css.statusCode, 200)
  t.match(css.headers['content-type'], /text\/css/)
})

t.test('health: 503 when the database cannot be reached, 200 again once it can', async (t) => {
  const server = await build(t)
  if (onPostgres) {
    // The database refuses every connection (as when its server is down), then accepts again.
    const pg = (await import('pg')).default
    const admin = new pg.Client({ connectionString: testDatabaseUrl })
    await admin.connect()
    t.teardown(() => admin.end())
    const name = new URL(server.config.database.kind === 'postgres' ? server.config.database.url : '').pathname.slice(1)
    await admin.query(`alter database "${name}" allow_connections false`)
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name])
    const down = await server.inject('/sante')
    t.equal(down.statusCode, 503)
    t.same(down.json(), { status: 'indisponible', database: 'postgres', tries: 'memory' })
    await admin.query(`alter database "${name}" allow_connections true`)
    // The pool may still hand out a connection the server closed before it has read the notice of
    // it (it arrives asynchronously): such a check fails and the pool drops that connection. What a
    // monitor polling /sante sees: 200 again within moments.
    let status = 0
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100))
      status = (await server.inject('/sante')).statusCode
    }
    t.equal(status, 200, 'back once the database accepts connections')
  } else {
    const { rmSync } = await import('node:fs')
    await server.db.destroy()
    rmSync(server.config.databaseFile, { force: true })
    const down = await server.inject('/sante')
    t.equal(down.statusCode, 503)
    t.same(down.json(), { status: 'indisponible', database: 'sqlite', tries: 'memory' })
  }
})

t.test('a crash answers a French 500 page without stack trace, and is logged', async (t) => {
  const server = await build(t)
  const errors: unknown[] = []
  server.log.error = ((obj: unknown) => {
    errors.push(obj)
  }) as typeof server.log.error
  server.db.destroy = server.db.destroy.bind(server.db)
  // The web session's lookup (a prepared query, src/db/prepared.ts) is the first to run.
  const original = server.db.executeQuery
  ;(server.db as { executeQuery: unknown }).executeQuery = () => {
    throw new Error('boom')
  }
  const response = await server.inject({ url: '/cgu', cookies: { certisalle_session: 'x' } })
  ;(server.db as { executeQuery: unknown }).executeQuery = original
  t.equal(response.statusCode, 500)
  t.ok(response.body.includes('Une erreur est survenue'))
  t.notOk(response.body.includes('boom'))
  t.ok(errors.length > 0, 'logged')
})
