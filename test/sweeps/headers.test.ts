import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { Client, loggedIn } from '../helper.ts'
import { buildWithRoutes, fillUrl } from '../lib/routes.ts'
import { seedCentre } from '../lib/seed.ts'

type Tap = Test

/** CSP without inline scripts, nosniff, a referrer policy, and no framing. */
function checkHeaders(t: Tap, label: string, response: LightMyRequestResponse) {
  const h = response.headers
  const csp = String(h['content-security-policy'] ?? '')
  t.ok(csp, `${label}: Content-Security-Policy`)
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map((d) => [d[0]!, d.slice(1)]))
  const scriptSrc = directives.get('script-src') ?? directives.get('default-src')
  t.ok(scriptSrc, `${label}: CSP restricts scripts`)
  t.notOk(scriptSrc?.some((s) => s === "'unsafe-inline'" || s === "'unsafe-eval'" || s === '*'), `${label}: no 'unsafe-inline' script (${scriptSrc?.join(' ')})`)
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
    for (const [who, c] of [['logged in', client], ['logged out', anonymous]] as const) {
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
  const cookies = ([...login.cookies, ...logout.cookies] as Array<{ name: string; value: string; httpOnly?: boolean; sameSite?: string; maxAge?: number; expires?: Date }>).filter(
    (c) => c.value !== '' && c.maxAge !== 0 && !(c.expires && c.expires.getTime() < Date.now()),
  )
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
