import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { crossSiteReason } from '../../../src/plugins/app/same-origin.ts'
import { build, Client, createMember, PASSWORD } from '../../helper.ts'

t.test('crossSiteReason: Sec-Fetch-Site decides when present, else Origin, else nothing', async (t) => {
  const allowed = ['https://certif.lycee.example']
  const cases: Array<[string | undefined, string | undefined, boolean]> = [
    ['same-origin', undefined, true],
    ['none', undefined, true],
    ['same-origin', 'https://certif.lycee.example', true],
    ['cross-site', undefined, false],
    ['same-site', 'https://autre.lycee.example', false],
    ['cross-site', 'https://certif.lycee.example', false],
    ['something-new', undefined, false],
    [undefined, 'https://certif.lycee.example', true],
    [undefined, 'https://CERTIF.lycee.example:443', true],
    [undefined, 'http://certif.lycee.example', false],
    [undefined, 'https://certif.lycee.example:8443', false],
    [undefined, 'https://certif.lycee.example.evil.example', false],
    [undefined, 'null', false],
    [undefined, 'javascript:alert(1)', false],
    [undefined, '', false],
    [undefined, undefined, true],
  ]
  for (const [secFetchSite, origin, passes] of cases) {
    t.equal(
      crossSiteReason({ secFetchSite, origin, allowed }) === null,
      passes,
      `Sec-Fetch-Site ${secFetchSite ?? '—'}, Origin ${origin ?? '—'} → ${passes ? 'passes' : 'refused'}`,
    )
  }
})

t.test('login CSRF from a sibling sub-domain: refused before the password is even checked', async (t) => {
  const server = await build(t)
  const attacker = await createMember(server)
  const victim = new Client(server)
  await victim.get('/connexion')
  const response = await victim.request({
    method: 'POST',
    url: '/connexion',
    payload: new URLSearchParams({ _csrf: victim.csrf, email: attacker.email, password: PASSWORD }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-site', origin: 'http://blog.localhost' },
  })
  t.equal(response.statusCode, 403)
  t.ok(response.body.includes('Action refusée'))
  t.equal((await server.db.selectFrom('user_session').selectAll().execute()).length, 0, 'no session created')
})

/** A login attempt with a valid token and a wrong password: 401 once past the origin check, 403 if refused by it. */
async function tryLogin(server: FastifyInstance, headers: Record<string, string>) {
  const client = new Client(server)
  await client.request({ method: 'GET', url: '/connexion', headers })
  const response = await client.request({
    method: 'POST',
    url: '/connexion',
    payload: new URLSearchParams({ _csrf: client.csrf, email: 'personne@example.org', password: 'pas-le-bon-mot-de-passe' }).toString(),
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
  })
  return response.statusCode
}

t.test('the request’s own origin: its Host, in https when cookies are Secure; PUBLIC_URL’s origin too', async (t) => {
  const server = await build(t, { secureCookies: true, publicUrl: 'https://certif.lycee.example' })
  const host = 'salle.lycee.example'
  t.equal(await tryLogin(server, { host, origin: 'https://salle.lycee.example' }), 401, 'own host in https')
  t.equal(await tryLogin(server, { host, origin: 'https://certif.lycee.example' }), 401, 'PUBLIC_URL')
  t.equal(await tryLogin(server, { host, origin: 'http://salle.lycee.example' }), 403, 'plain http is another origin')
  t.equal(await tryLogin(server, { host, origin: 'https://autre.lycee.example' }), 403, 'a sibling sub-domain')
})

t.test('behind a proxy, X-Forwarded-Host/-Proto count only with TRUST_PROXY=true', async (t) => {
  const forwarded = { 'x-forwarded-host': 'certif-b.lycee.example', 'x-forwarded-proto': 'https', origin: 'https://certif-b.lycee.example' }
  // TRUST_PROXY=1: the one proxy in front (here the test's inject, from 127.0.0.1) is trusted.
  for (const trustProxy of [1, false] as const) {
    const server = await build(t, { trustProxy })
    t.equal(await tryLogin(server, forwarded), trustProxy ? 401 : 403, `TRUST_PROXY ${trustProxy}`)
  }
})
