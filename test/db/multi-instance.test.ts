import { randomBytes } from 'node:crypto'
import pg from 'pg'
import t from 'tap'
import { createPostgresDb, type Db, PG_WRITE_LOCK } from '../../src/db/database.ts'
import { SCHOOL } from '../../src/plugins/app/limits.ts'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { fixture } from '../features/candidates/fixtures/sheets.ts'
import { PASSWORD } from '../helper.ts'
import { hasRedisServer, startRedis } from '../lib/redis.ts'
import { addProcessMember, emptyDataDir, HttpClient, type ServerProcess, seedProcessCentre, startServer } from '../lib/server-process.ts'
import { onPostgres, testDatabaseEnv } from '../lib/test-database.ts'

// Issue 14, item 8: an académie runs several app processes on one PostgreSQL and one Redis, behind
// a load balancer that may send each request of a browser to either. test/db/instances.test.ts
// proves the database rules with two pools in one process; here two real servers (src/server.ts,
// each its own DATA_DIR and port, the same DATABASE_URL, REDIS_URL and COOKIE_SECRET) serve one
// browser. The moments that matter are reached by holding a PostgreSQL lock from the test's own
// connection and waiting until the app's backend waits for it (pg_locks): no timing.
if (!onPostgres) {
  t.plan(0, 'PostgreSQL only (bash scripts/with-postgres.sh): several app processes share one PostgreSQL; SQLite serves one process per file')
} else {
  /** RATE_LIMIT_MAX of both processes: the login limit per IP is SCHOOL tries (src/routes/accounts/login.ts). */
  const RATE_LIMIT_MAX = 1
  /** The address a school's tries come from (X-Forwarded-For, set by the load balancer). */
  const SCHOOL_IP = '198.51.100.14'

  /** Polls `check` (a condition of the database, not a delay) until it holds. */
  async function waitUntil(what: string, check: () => Promise<boolean>) {
    const deadline = Date.now() + 20_000
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`still not so after 20 s: ${what}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  const candidateNames = async (db: Db, sessionId: number) =>
    (await db.selectFrom('candidate').select('last_name').where('session_id', '=', sessionId).orderBy('id').execute()).map((r) => r.last_name)

  t.test('two app processes on one PostgreSQL and one Redis', async (t) => {
    const env = await testDatabaseEnv(t)
    const { db } = createPostgresDb(env.DATABASE_URL!, { poolSize: 2 })
    t.teardown(() => db.destroy())
    /** The test's own connection, to hold locks while the app's requests wait for them. */
    const locker = new pg.Client({ connectionString: env.DATABASE_URL })
    await locker.connect()
    t.teardown(() => locker.end())
    const waiting = async (sql: string, params: unknown[]) => (await locker.query(sql, params)).rows

    const paul = await seedProcessCentre(db)
    const sophie = { email: 'sophie.process@example.org', userId: 0 }
    sophie.userId = await addProcessMember(db, { email: sophie.email, firstName: 'Sophie', lastName: 'Durand' })
    /** A session a candidate joined (documents, finalisation need one). */
    const startedSession = async () => {
      const session = await createSession(db, paul.centreId)
      await joinCandidate(db, await createCandidate(db, session.id))
      return session.id
    }

    const redisUrl = process.env.TEST_REDIS_URL || (hasRedisServer() ? await startRedis(t) : '')
    const shared = {
      ...env,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
      TRUST_PROXY: 'loopback',
    }
    // Both start at once on the same database (each runs the migrations check and the purge).
    const [a, b] = await Promise.all([startServer(t, emptyDataDir(t), shared), startServer(t, emptyDataDir(t), shared)])
    const on = (server: ServerProcess) => new HttpClient(server.baseUrl)

    await t.test('log in through A, continue through B', async (t) => {
      const browser = on(a)
      await browser.login(paul.email) // the form, the POST and a page on A: the token below is A's
      browser.baseUrl = b.baseUrl
      const created = await browser.post('/sessions/nouvelle', {
        siteName: 'Lycée Multi',
        room: 'B12',
        date: '2030-03-15',
        startTime: '14:30',
        invigilators: 'Eric Martin',
        observations: '',
      })
      t.equal(created.status, 303, 'B takes the login session and the CSRF token A gave')
      const location = created.headers.get('location') ?? ''
      t.match(location, /^\/sessions\/\d+$/)
      browser.baseUrl = a.baseUrl
      const details = await browser.get(location)
      t.equal(details.status, 200, 'A shows the session B created')
      t.ok(details.text.includes('Lycée Multi'))
      browser.baseUrl = b.baseUrl
      t.equal((await browser.post('/deconnexion')).status, 303, 'log out on B, with the token of A’s page')
      browser.baseUrl = a.baseUrl
      const after = await browser.get('/sessions')
      t.equal(after.status, 303, 'A no longer knows the login session B ended')
      t.match(after.headers.get('location'), /^\/connexion/)
    })

    await t.test('a document uploaded through A downloads through B', async (t) => {
      const sessionId = await startedSession()
      const wizard = `/sessions/${sessionId}/finalisation`
      const browser = on(a)
      await browser.login(paul.email)
      await browser.get(wizard)
      const content = Buffer.concat([Buffer.from('%PDF-1.4\n%'), randomBytes(2048), Buffer.from('\n%%EOF\n')])
      const form = new FormData()
      form.append('fichier', new Blob([new Uint8Array(content)]), 'procès-verbal.pdf')
      form.append('commentaire', 'Envoyé par A')
      t.equal((await browser.postMultipart(`${wizard}/documents`, form)).status, 303, 'A stores the document')
      browser.baseUrl = b.baseUrl
      const page = await browser.get(wizard)
      const link = new RegExp(`href="(${wizard}/documents/\\d+)"`).exec(page.text)?.[1]
      t.ok(link, 'B lists it on the wizard')
      const download = await browser.download(link ?? `${wizard}/documents/0`)
      t.equal(download.status, 200)
      t.equal(download.headers.get('content-type'), 'application/pdf')
      t.ok(download.body.equals(content), 'B sends the very bytes A received')
    })

    await t.test(
      'the login limit counts the tries made on A and B together',
      { skip: redisUrl ? false : 'no Redis (redis-server not installed): each process counts its own tries' },
      async (t) => {
        const limit = RATE_LIMIT_MAX * SCHOOL
        const browser = on(a)
        await browser.get('/connexion')
        const tryLogin = (server: ServerProcess, email: string, password: string) => {
          browser.baseUrl = server.baseUrl
          const body = new URLSearchParams({ _csrf: browser.csrf, email, password }).toString()
          return browser.request('POST', '/connexion', body, { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': SCHOOL_IP })
        }
        // A school's wrong passwords, one per account (no account reaches its own limit), half on each instance.
        const statuses: number[] = []
        for (let i = 0; i < limit; i++) statuses.push((await tryLogin(i % 2 ? b : a, `inconnu${i}@multi.example.org`, 'wrong-password-123')).status)
        t.same([...new Set(statuses)], [401], `${limit} wrong passwords, ${limit / 2} on each: all answered 401`)
        const refused = await tryLogin(b, paul.email, PASSWORD)
        t.equal(refused.status, 429, `the next try from that school is refused, even the right password on B, which saw ${limit / 2} failures itself`)
        t.ok(Number(refused.headers.get('retry-after')) > 0, 'with Retry-After')
        t.equal((await tryLogin(a, paul.email, PASSWORD)).status, 429, 'and on A')
      },
    )

    await t.test('A and B validate the same finalisation at the same moment: exactly one wins', async (t) => {
      const sessionId = await startedSession()
      const confirmation = `/sessions/${sessionId}/finalisation/confirmation`
      const onA = on(a)
      const onB = on(b)
      await onA.login(paul.email)
      await onB.login(sophie.email)
      const version = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? ''
      const shown = [version((await onA.get(confirmation)).text), version((await onB.get(confirmation)).text)]
      t.ok(shown[0] && shown[0] === shown[1], 'both confirmation pages show the same draft')
      // The test takes the write lock, so both requests pass every check before it and wait for it together.
      await locker.query('select pg_advisory_lock($1)', [PG_WRITE_LOCK])
      const posted = Promise.all([onA.post(confirmation, { version: shown[0]! }), onB.post(confirmation, { version: shown[1]! })])
      await waitUntil('two finalisations wait for the write lock', async () => {
        const rows = await waiting(
          `select pid from pg_locks where locktype = 'advisory' and objid = $1 and not granted and database = (select oid from pg_database where datname = current_database())`,
          [PG_WRITE_LOCK],
        )
        return rows.length === 2
      })
      await locker.query('select pg_advisory_unlock($1)', [PG_WRITE_LOCK])
      const [fromA, fromB] = await posted
      const outcomes = [fromA.status, fromB.status]
      t.same([...outcomes].sort(), [303, 409], `one is finalised, the other refused (A: ${fromA.status}, B: ${fromB.status})`)
      const winner = fromA.status === 303 ? { user: paul, name: 'Paul Martin' } : { user: sophie, name: 'Sophie Durand' }
      const loser = fromA.status === 303 ? fromB : fromA
      t.equal((fromA.status === 303 ? fromA : fromB).headers.get('location'), `/sessions/${sessionId}`)
      t.ok(loser.text.includes('id="session-finalisee"') && loser.text.includes(winner.name), 'the other is told the session was finalised, and by whom')
      const row = await db
        .selectFrom('certification_session')
        .select(['finalised_at', 'finalised_by_user_id'])
        .where('id', '=', sessionId)
        .executeTakeFirstOrThrow()
      t.ok(row.finalised_at, 'the session is finalised')
      t.equal(row.finalised_by_user_id, winner.user.userId, 'by the one told so')
      const entries = await db.selectFrom('history').select('id').where('session_id', '=', sessionId).where('action', '=', 'session_finalised').execute()
      t.equal(entries.length, 1, 'one finalisation in the history')
    })

    // Last: A does not come back.
    await t.test('SIGKILL of A in the middle of an import: the list stays as it was and B keeps serving', async (t) => {
      const session = await createSession(db, paul.centreId)
      for (const name of ['Ancienne', 'Ancien', 'Anciens']) await createCandidate(db, session.id, { last_name: name })
      const before = await candidateNames(db, session.id)
      const tab = `/sessions/${session.id}/candidats`
      const upload = (browser: HttpClient) => {
        const form = new FormData()
        form.append('fichier', new Blob([new Uint8Array(fixture('filled.ods'))]), 'feuille-emargement.ods')
        return browser.postMultipart(`${tab}/import`, form)
      }
      const onA = on(a)
      await onA.login(paul.email)
      await onA.get(tab)

      // The import's history line is its last write: with the history table locked by the test,
      // A's transaction has bumped the version, deleted the old list and inserted the new one, and waits.
      await locker.query('begin')
      await locker.query('lock table history in share mode')
      const importing = upload(onA).then(
        (response) => response.status,
        () => 'no answer',
      )
      let backend = 0
      await waitUntil('A’s import waits to write its history line', async () => {
        const rows = await waiting(`select pid from pg_locks where locktype = 'relation' and relation = 'history'::regclass and not granted`, [])
        backend = rows[0]?.pid ?? 0
        return backend !== 0
      })
      const holds = await waiting(`select 1 from pg_locks where locktype = 'advisory' and objid = $1 and granted and pid = $2`, [PG_WRITE_LOCK, backend])
      t.equal(holds.length, 1, 'A is inside its write transaction (it holds the write lock)')
      await a.kill('SIGKILL')
      t.equal(await importing, 'no answer', 'A died before answering')

      const onB = on(b)
      onB.cookies = onA.cookies // the same browser, now sent to B
      const during = await onB.get(tab)
      t.equal(during.status, 200, 'B serves the Candidats tab')
      const open = await waiting('select 1 from pg_stat_activity where pid = $1', [backend])
      t.equal(open.length, 1, 'meanwhile A’s transaction is still open in PostgreSQL (its backend waits for the lock)')
      t.ok(during.text.includes('Liste des candidats (3)') && !during.text.includes('Dupont'), 'B shows the old list: nothing of A’s import')
      t.same(await candidateNames(db, session.id), before, 'the database holds the old list')

      // The test lets go; A's backend finds its client gone and rolls back, which frees the write lock.
      await locker.query('rollback')
      t.same(await candidateNames(db, session.id), before, 'the old list, after A’s transaction ended')
      await onB.get(tab)
      const imported = await upload(onB)
      t.equal(imported.status, 303, 'B’s next write goes through: the write lock A held is free')
      const after = await onB.get(tab)
      t.ok(after.text.includes('Liste des candidats (10)'), 'B shows the list it imported')
      const entries = await db.selectFrom('history').select('id').where('session_id', '=', session.id).where('action', '=', 'candidates_imported').execute()
      t.equal(entries.length, 1, 'one import in the history: B’s')
      t.equal((await fetch(`${b.baseUrl}/sante`)).status, 200, 'B is healthy')
    })
  })
}
