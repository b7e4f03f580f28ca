import t from 'tap'
import { build, Client, createMember, loggedIn, PASSWORD } from '../../helper.ts'

t.test('login page shows the guide wording', async (t) => {
  const server = await build(t)
  const response = await server.inject('/connexion')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /text\/html/)
  for (const text of [
    'Connectez-vous',
    'L’accès à Certisalle est limité aux centres de certification',
    'Adresse e-mail',
    'Mot de passe',
    'Je me connecte',
    'Mot de passe oublié ?',
  ]) {
    t.ok(response.body.includes(text), text)
  }
})

t.test('/ sends a logged-out visitor to /connexion and a logged-in one to the session list', async (t) => {
  const server = await build(t)
  const anonymous = await server.inject('/')
  t.equal(anonymous.statusCode, 303)
  t.equal(anonymous.headers.location, '/connexion')
  const { client } = await loggedIn(server)
  const response = await client.get('/')
  t.equal(response.headers.location, '/sessions')
})

t.test('wrong credentials: one generic message, e-mail kept', async (t) => {
  const server = await build(t)
  const member = await createMember(server)
  const client = new Client(server)
  await client.get('/connexion')
  for (const [email, password] of [
    [member.email, 'wrong-password-123'],
    ['nobody@example.org', PASSWORD],
  ]) {
    const response = await client.post('/connexion', { email: email!, password: password! })
    t.equal(response.statusCode, 401)
    t.ok(response.body.includes('L’adresse e-mail ou le mot de passe est incorrect.'))
    t.ok(response.body.includes(`value="${email}"`), 'e-mail kept')
    t.notOk(client.cookies.has('certisalle_session'))
  }
})

t.test('login sets an HttpOnly SameSite cookie holding a token whose hash only is stored', async (t) => {
  const server = await build(t)
  const member = await createMember(server)
  const client = new Client(server)
  await client.get('/connexion')
  const response = await client.post('/connexion', { email: member.email.toUpperCase(), password: PASSWORD })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/sessions')
  const cookie = (response.cookies as Array<{ name: string; value: string; httpOnly?: boolean; sameSite?: string }>).find(
    (c) => c.name === 'certisalle_session',
  )!
  t.ok(cookie.httpOnly)
  t.equal(cookie.sameSite, 'Lax')
  const rows = await server.db.selectFrom('user_session').selectAll().execute()
  t.equal(rows.length, 1)
  t.not(rows[0]!.id, cookie.value, 'the token itself is not stored')
  t.equal(rows[0]!.id.length, 64)
})

t.test('login redirects to a local "suite" target only', async (t) => {
  const server = await build(t)
  const member = await createMember(server)
  const client = new Client(server)
  await client.get('/connexion?suite=%2Fcgu')
  const local = await client.post('/connexion', { email: member.email, password: PASSWORD, suite: '/cgu' })
  t.equal(local.headers.location, '/cgu')
  const other = new Client(server)
  await other.get('/connexion')
  const remote = await other.post('/connexion', { email: member.email, password: PASSWORD, suite: '//evil.example/' })
  t.equal(remote.headers.location, '/sessions')
})

t.test('logout ends the session server-side', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  const token = client.cookies.get('certisalle_session')!
  const response = await client.post('/deconnexion')
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/connexion')
  t.equal((await server.db.selectFrom('user_session').selectAll().execute()).length, 0)
  const replay = await server.inject({ url: '/cgu', cookies: { certisalle_session: token } })
  t.equal(replay.statusCode, 303)
  t.match(replay.headers.location, /^\/connexion/)
})

/** A server whose failed-tries clock only moves when the test says so. */
async function buildWithClock(t: Parameters<typeof build>[0], max: number) {
  const server = await build(t, { rateLimit: { max, windowMs: 15 * 60_000 } })
  let now = 1_700_000_000_000
  server.tries.now = () => now
  return { server, advance: (ms: number) => (now += ms) }
}

/** Posts the login form from a given IP. */
function loginFrom(client: Client, ip: string, email: string, password: string) {
  return client.request({
    method: 'POST',
    url: '/connexion',
    remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: client.csrf, email, password }).toString(),
  })
}

t.test('login: failures are counted per account, and even the right password waits its turn', async (t) => {
  const { server } = await buildWithClock(t, 3)
  const member = await createMember(server)
  const client = new Client(server)
  await client.get('/connexion')
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) statuses.push((await client.post('/connexion', { email: member.email, password: 'wrong-password-123' })).statusCode)
  t.same(statuses, [401, 401, 401, 429])
  const blocked = await client.post('/connexion', { email: member.email.toUpperCase(), password: PASSWORD })
  t.equal(blocked.statusCode, 429, 'the same account, however typed')
  t.ok(blocked.body.includes('Trop de tentatives'))
  t.ok(Number(blocked.headers['retry-after']) >= 1)
})

t.test('login: a whole school logs in from one IP; successes never count', async (t) => {
  const { server } = await buildWithClock(t, 10)
  const statuses: number[] = []
  for (let i = 0; i < 40; i++) {
    const member = await createMember(server)
    const client = new Client(server)
    await client.get('/connexion')
    if (i % 2 === 0) await loginFrom(client, '192.0.2.1', member.email, 'typo-in-password') // some mistype first
    statuses.push((await loginFrom(client, '192.0.2.1', member.email, PASSWORD)).statusCode)
  }
  t.same(statuses, Array(40).fill(303))
})

t.test('login: failures from many IPs slow the owner down, never lock them out', async (t) => {
  const { server, advance } = await buildWithClock(t, 10)
  const member = await createMember(server)
  const attacker = new Client(server)
  await attacker.get('/connexion')
  for (let i = 0; i < 10; i++) t.equal((await loginFrom(attacker, `10.0.0.${i + 1}`, member.email, 'guess-123456')).statusCode, 401)
  const owner = new Client(server)
  await owner.get('/connexion')
  const slowed = await loginFrom(owner, '192.0.2.7', member.email, PASSWORD)
  t.equal(slowed.statusCode, 429)
  t.equal(slowed.headers['retry-after'], '1', 'a second, not 15 minutes')
  // The attacker keeps guessing each time the delay ends, for an hour: the delays stay short.
  let elapsed = 0
  let waits = 0
  for (let ip = 100; elapsed < 3600_000; ip++) {
    const response = await loginFrom(attacker, `10.0.1.${ip % 250}`, member.email, 'guess-123456')
    if (response.statusCode === 429) {
      const wait = Number(response.headers['retry-after'])
      t.ok(wait <= 300, `waits ${wait} s at most 5 minutes`)
      advance(wait * 1000)
      elapsed += wait * 1000
      waits++
    }
  }
  t.ok(waits > 10)
  // The owner, once the current delay is over, gets in, and their account starts afresh.
  let response = await loginFrom(owner, '192.0.2.7', member.email, PASSWORD)
  if (response.statusCode === 429) {
    advance(Number(response.headers['retry-after']) * 1000)
    response = await loginFrom(owner, '192.0.2.7', member.email, PASSWORD)
  }
  t.equal(response.statusCode, 303)
  const again = new Client(server)
  await again.get('/connexion')
  for (let i = 0; i < 9; i++) t.equal((await loginFrom(again, '192.0.2.8', member.email, 'typo')).statusCode, 401, 'a success cleared the account’s failures')
})

t.test('login: per IP, a school’s worth of failures across e-mails', async (t) => {
  // max 1: 30 failures from one IP, then it waits; other IPs do not.
  const { server } = await buildWithClock(t, 1)
  const member = await createMember(server)
  const client = new Client(server)
  await client.get('/connexion')
  const statuses: number[] = []
  for (let i = 0; i < 31; i++) statuses.push((await loginFrom(client, '10.0.0.9', `nobody${i}@example.org`, 'wrong-password-123')).statusCode)
  t.same(statuses.slice(0, 30), Array(30).fill(401))
  t.equal(statuses[30], 429)
  t.equal((await loginFrom(client, '10.0.0.10', member.email, PASSWORD)).statusCode, 303)
})

// Issue 10, item 9: the path must still be local once the URL parser has normalised it.
const WAYS_OUT = [
  '//evil.example/x',
  '/.//evil.example/x',
  '/././/evil.example/x',
  '/a/..//evil.example/x',
  '/%2e%2e//evil.example/x',
  '/%2E%2E//evil.example/x',
  '/%2e//evil.example/x',
  '/.%2e//evil.example/x',
  '/..//evil.example/x',
  '/\\evil.example/x',
  '/.\\/evil.example/x',
  '/\t/evil.example/x',
  '/.//\t/evil.example/x',
  '/\n/evil.example/x',
  '/\r/evil.example/x',
  'https:evil.example',
  'https:/evil.example',
  'https://evil.example/',
  'HTTPS://evil.example/',
  'javascript:alert(1)',
]

t.test('a raw login POST never answers a Location that leaves the site', async (t) => {
  const server = await build(t, { rateLimit: { max: 1000, windowMs: 60_000 } })
  const member = await createMember(server)
  for (const suite of WAYS_OUT) {
    const client = new Client(server)
    await client.get('/connexion')
    const response = await client.post('/connexion', { email: member.email, password: PASSWORD, suite })
    t.equal(response.statusCode, 303)
    t.equal(response.headers.location, '/sessions', `suite=${JSON.stringify(suite)}`)
  }
})

t.test('safeRedirect: every answer is a single-slash local path, whatever the trick', async (t) => {
  const { safeRedirect } = await import('../../../src/plugins/app/auth.ts')
  for (const target of [...WAYS_OUT, ' /evil.example']) t.equal(safeRedirect(target), '/sessions', JSON.stringify(target))
  // Encoded slashes and backslashes stay encoded: a path on this site, never another host.
  for (const target of ['/%2f%2fevil.example/x', '/%5c%5cevil.example/x', '/.%2f/evil.example', '/%09/evil.example', '/%2e%2e%2f%2fevil.example']) {
    const result = safeRedirect(target)
    t.match(result, /^\/(?![/\\])/, `${JSON.stringify(target)} → ${result}`)
    t.equal(new URL(result, 'https://lycee.example').host, 'lycee.example', `${JSON.stringify(target)} stays on the site`)
  }
  t.equal(safeRedirect('/sessions/./3/../4?page=2'), '/sessions/4?page=2', 'dot segments are resolved')
  t.equal(safeRedirect('/.//evil.example/x', ''), '', 'the fallback is the caller’s')
})

t.test('safeRedirect keeps local paths and refuses every way out of the site', async (t) => {
  const { safeRedirect } = await import('../../../src/plugins/app/auth.ts')
  t.equal(safeRedirect('/sessions/3?page=2#haut'), '/sessions/3?page=2#haut')
  for (const target of ['//evil.example/', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', 'https://evil.example/', 'javascript:alert(1)', '', 42]) {
    t.equal(safeRedirect(target), '/sessions', JSON.stringify(target))
  }
})

// Issue 10, item 10: login CSRF by a planted cookie. A sibling sub-domain (or a plain-HTTP page of
// the domain) can set `certisalle_session=<the attacker's own token>; Domain=.lycee.fr` in the
// victim's browser; it must not log the victim into the attacker's account.
t.test('with SECURE_COOKIES=true, a planted unprefixed session cookie is ignored', async (t) => {
  const server = await build(t, { secureCookies: true })
  const attacker = await createMember(server)
  const attackerClient = new Client(server)
  const login = await attackerClient.login(attacker.email)
  const issued = (login.cookies as Array<{ name: string; value: string }>).find((c) => c.value)!
  t.equal(issued.name, '__Host-certisalle_session', 'the session cookie carries the __Host- prefix')
  const token = attackerClient.cookies.get('__Host-certisalle_session')!
  t.equal((await server.inject({ url: '/cgu', cookies: { '__Host-certisalle_session': token } })).statusCode, 200, 'the real cookie works')
  const planted = await server.inject({ url: '/cgu', cookies: { certisalle_session: token } })
  t.equal(planted.statusCode, 303, 'the planted cookie logs nobody in')
  t.match(planted.headers.location, /^\/connexion/)
})

t.test('flooding the counters with junk keys never lifts an account’s hold', async (t) => {
  const { server } = await buildWithClock(t, 2)
  // A small store, so that the flood overflows it many times over.
  const { MemoryTryStore, TryLimiter } = await import('../../../src/lib/tries.ts')
  const store = new MemoryTryStore({ maxKeys: 100, maxBlocked: 50 })
  const clock = server.tries.now
  server.tries = new TryLimiter(store)
  server.tries.now = clock
  const member = await createMember(server)
  const client = new Client(server)
  await client.get('/connexion')
  for (let i = 0; i < 2; i++) await loginFrom(client, `10.0.0.${i + 1}`, member.email, 'guess-123456')
  t.equal((await loginFrom(client, '10.0.0.3', member.email, PASSWORD)).statusCode, 429, 'held back')
  // 400 junk access-code tries from 400 addresses: 1,200 new keys (person, session number, IP).
  const junk = new Client(server)
  await junk.get('/rejoindre')
  for (let i = 0; i < 400; i++) {
    const ip = `172.16.${Math.floor(i / 200)}.${(i % 200) + 1}`
    await junk.request({
      method: 'POST',
      url: '/rejoindre',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: junk.csrf,
        sessionNumber: String(100_000 + i),
        firstName: `X${i}`,
        lastName: 'Y',
        birthDay: '1',
        birthMonth: '1',
        birthYear: '2000',
      }).toString(),
    })
    await junk.request({
      method: 'POST',
      url: '/rejoindre/code',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: junk.csrf, accessCode: 'ZZZZ99' }).toString(),
    })
  }
  t.ok(store.size.counting <= 100, 'the store stayed bounded')
  t.equal((await loginFrom(client, '10.0.0.3', member.email, PASSWORD)).statusCode, 429, 'still held back')
})
