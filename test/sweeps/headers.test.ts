import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { Client, loggedIn } from '../helper.ts'
import { startOidcProvider } from '../lib/oidc-provider.ts'
import { buildWithRoutes, fillUrl } from '../lib/routes.ts'
import { seedCentre } from '../lib/seed.ts'

type Tap = Test

/** CSP without inline scripts, nosniff, a referrer policy, and no framing. */
function checkHeaders(t: Tap, label: string, response: LightMyRequestResponse) {
  const h = response.headers
  const csp = String(h['content-security-policy'] ?? '')
  t.ok(csp, `${label}: Content-Security-Policy`)
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map((d) => [d[0]!, d.slice(1)]),
  )
  const scriptSrc = directives.get('script-src') ?? directives.get('default-src')
  t.ok(scriptSrc, `${label}: CSP restricts scripts`)
  t.notOk(
    scriptSrc?.some((s) => s === "'unsafe-inline'" || s === "'unsafe-eval'" || s === '*'),
    `${label}: no 'unsafe-inline' script (${scriptSrc?.join(' ')})`,
  )
  t.equal(h['x-content-type-options'], 'nosniff', `${label}: X-Content-Type-Options: nosniff`)
  t.ok(h['referrer-policy'], `${label}: Referrer-Policy`)
  const frameAncestors = directives.get('frame-ancestors')
  const xfo = String(h['x-frame-options'] ?? '').toUpperCase()
  t.ok((frameAncestors && !frameAncestors.includes('*')) || xfo === 'DENY' || xfo === 'SAMEORIGIN', `${label}: frame protection`)
}

// Issue 7, item 8: every HTML page carries the security headers; every GET page answers without a server error.
t.test('headers: every HTML page reachable with GET', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  const anonymous = new Client(server)
  const gets = routes.filter((r) => r.method === 'GET')
  let html = 0
  for (const route of gets) {
    const url = fillUrl(route.url, a.ids)
    for (const [who, c] of [
      ['logged in', client],
      ['logged out', anonymous],
    ] as const) {
      const response = await c.get(url)
      const label = `GET ${url} (${who}, ${response.statusCode})`
      t.ok(response.statusCode < 500, `${label}: no server error`)
      t.equal(response.headers['x-content-type-options'], 'nosniff', `${label}: nosniff on every answer`)
      if (!String(response.headers['content-type']).startsWith('text/html')) continue
      html++
      checkHeaders(t, label, response)
    }
  }
  // Error pages are HTML pages too.
  checkHeaders(t, 'GET /nexiste-pas (404)', await client.get('/nexiste-pas'))
  const forbidden = await client.request({ method: 'POST', url: '/cgu', payload: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(forbidden.statusCode, 403)
  checkHeaders(t, 'POST /cgu without token (403)', forbidden)
  if (html === 0) t.fail('No HTML page answered a GET: the header sweep checked nothing.')
  else t.comment(`${html} HTML answers checked`)
})

t.test('cookies: the session cookie (and the others) are HttpOnly and SameSite', async (t) => {
  const { server } = await buildWithRoutes(t)
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  const logout = await client.post('/deconnexion') // sets the flash cookie
  const again = await loggedIn(server, { centre: 'Centre A' })
  const login = await again.client.login(again.email)
  // Cookies being cleared (empty, expired) carry nothing; the ones set are checked.
  const cookies = (
    [...login.cookies, ...logout.cookies] as Array<{ name: string; value: string; httpOnly?: boolean; sameSite?: string; maxAge?: number; expires?: Date }>
  ).filter((c) => c.value !== '' && c.maxAge !== 0 && !(c.expires && c.expires.getTime() < Date.now()))
  const session = cookies.find((c) => c.name === 'certisalle_session')
  t.ok(session, 'the login answer sets the session cookie')
  for (const cookie of cookies) {
    t.ok(cookie.httpOnly, `${cookie.name}: HttpOnly`)
    t.match(cookie.sameSite ?? '', /^(Lax|Strict)$/, `${cookie.name}: SameSite`)
  }
  const csrfPage = await server.inject('/connexion')
  for (const cookie of csrfPage.cookies as Array<{ name: string; httpOnly?: boolean; sameSite?: string }>) {
    t.ok(cookie.httpOnly, `${cookie.name}: HttpOnly`)
    t.match(cookie.sameSite ?? '', /^(Lax|Strict)$/, `${cookie.name}: SameSite`)
  }
})

// Issue 10, item 10: behind HTTPS a cookie planted by a sibling sub-domain or over plain HTTP
// never carries a name the app reads: every name has a prefix the browser enforces.
t.test('cookies with SECURE_COOKIES=true: __Host- (or __Secure- on /rejoindre) names, Secure, and cleared with the same attributes', async (t) => {
  // With an OpenID provider (issue 30): its sign-in cookie is checked like the others.
  const provider = await startOidcProvider(t, 'http://localhost:3000')
  const { server } = await buildWithRoutes(t, { secureCookies: true, publicUrl: 'http://localhost:3000', oidc: provider.oidcConfig() })
  type SetCookie = { name: string; value: string; secure?: boolean; path?: string; domain?: string }
  const seen: SetCookie[] = []
  const keep = (response: LightMyRequestResponse) => seen.push(...(response.cookies as SetCookie[]))

  keep(await server.inject('/connexion'))
  const { client, email } = await loggedIn(server, { centre: 'Centre A' })
  keep(await client.login(email))
  keep(await client.post('/langue', { langue: 'en', retour: '/sessions' })) // language remembered
  keep(await client.post('/deconnexion')) // flash set, session cleared
  keep(await client.get('/connexion')) // flash shown and cleared

  const a = await seedCentre(server, 'Centre A')
  const session = await server.db.selectFrom('certification_session').selectAll().where('id', '=', a.sessionId).executeTakeFirstOrThrow()
  const candidate = new Client(server)
  await candidate.get('/rejoindre')
  const identity = { sessionNumber: String(session.id), firstName: 'Julie', lastName: 'Dupont', birthDay: '13', birthMonth: '03', birthYear: '1996' }
  const step1 = await candidate.post('/rejoindre', identity)
  t.equal(step1.statusCode, 200, 'step 1 of /rejoindre')
  keep(step1)
  const step2 = await candidate.post('/rejoindre/code', { accessCode: session.access_code })
  t.equal(step2.statusCode, 200, 'step 2 of /rejoindre: waiting for the invigilator')
  keep(step2)
  await server.db.updateTable('candidate').set({ presence_confirmed_at: new Date().toISOString() }).where('session_id', '=', session.id).execute()
  const retried = await candidate.post('/rejoindre/reessayer')
  t.equal(retried.statusCode, 303, 'confirmed: the retry starts')
  keep(retried)
  keep(await candidate.get('/rejoindre?nouveau'))

  const invigilator = new Client(server)
  await invigilator.get('/surveillance')
  const supervising = await invigilator.post('/surveillance', { sessionNumber: String(session.id), password: session.invigilator_password })
  t.equal(supervising.statusCode, 303, 'invigilator login')
  keep(supervising)
  await invigilator.get(`/sessions/${session.id}/surveillance`)
  keep(await invigilator.post(`/sessions/${session.id}/surveillance/quitter`)) // access cleared

  const signingIn = new Client(server)
  keep(await signingIn.get('/connexion/oidc')) // the sign-in's state, set
  keep(await signingIn.get('/connexion/oidc/retour?error=access_denied')) // and cleared at the callback

  const names = server.cookieNames
  for (const name of Object.values(names))
    t.ok(
      seen.some((c) => c.name === name),
      `${name} was set or cleared`,
    )
  for (const cookie of seen) {
    const label = `${cookie.name}${cookie.value ? '' : ' (cleared)'}`
    t.match(cookie.name, /^__(Host|Secure)-/, `${label}: prefixed name`)
    t.ok(cookie.secure, `${label}: Secure`)
    if (cookie.name.startsWith('__Host-')) {
      t.equal(cookie.path, '/', `${label}: Path=/`)
      t.notOk(cookie.domain, `${label}: no Domain`)
    }
  }
})
