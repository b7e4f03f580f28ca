import t from 'tap'
import { loggedIn } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { buildWithRoutes, fillUrl, isStateChanging } from '../lib/routes.ts'
import { parseForms } from '../lib/html-form.ts'
import { dumpDatabase, dumpDiff, seedCentre } from '../lib/seed.ts'

// Issue 7, item 6: every state-changing route refuses a request without a token, or with another user's token.
t.test('CSRF: every POST without a token, or with another user’s token, is 403 and changes nothing', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client: owner } = await loggedIn(server, { centre: 'Centre A' })
  const { client: other } = await loggedIn(server, { centre: 'Centre A' })
  await other.get('/cgu')
  const foreignToken = other.csrf
  t.ok(foreignToken, 'the other user has a token')

  const posts = routes.filter((r) => isStateChanging(r.method))
  if (posts.length === 0) {
    t.fail('No POST route registered: the CSRF sweep checked nothing.')
    return
  }
  t.comment(`checking ${posts.length} state-changing routes`)
  let checked = 0
  for (const route of posts) {
    const url = fillUrl(route.url, a.ids)
    for (const csrf of [{ kind: 'none' } as const, { kind: 'token', token: foreignToken } as const]) {
      await owner.get('/cgu')
      const before = await dumpDatabase(server)
      for (const { label, response } of await send(owner, route, url, csrf)) {
        t.equal(response.statusCode, 403, `${label} by the owner's session → 403`)
        checked++
      }
      const after = await dumpDatabase(server)
      if (after !== before) t.fail(`${route.method} ${url} without a valid token changed the database:\n${dumpDiff(before, after)}`)
    }
  }
  t.ok(checked >= 2 * posts.length, `${checked} requests checked`)
})

// Issue 10, item 10: what the browser says about where a POST comes from is checked on every
// unsafe route, before the token: a valid token and session do not make a cross-site POST pass.
const CROSS_SITE: Array<Record<string, string>> = [
  { origin: 'https://evil.example' },
  { origin: 'null' },
  { 'sec-fetch-site': 'cross-site' },
  { 'sec-fetch-site': 'cross-site', origin: 'http://localhost' },
  // A sibling sub-domain of the school: the login CSRF attacker of a planted cookie.
  { 'sec-fetch-site': 'same-site', origin: 'http://autre.localhost' },
]

t.test('Origin / Sec-Fetch-Site: every POST from another site is 403 even with a valid token, and changes nothing', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client: owner } = await loggedIn(server, { centre: 'Centre A' })
  const posts = routes.filter((r) => isStateChanging(r.method))
  if (posts.length === 0) {
    t.fail('No POST route registered: the Origin sweep checked nothing.')
    return
  }
  let checked = 0
  for (const route of posts) {
    const url = fillUrl(route.url, a.ids)
    for (const headers of CROSS_SITE) {
      await owner.get('/cgu')
      const before = await dumpDatabase(server)
      for (const { label, response } of await send(owner, route, url, { kind: 'own' }, headers)) {
        t.equal(response.statusCode, 403, `${label} with ${JSON.stringify(headers)} → 403`)
        t.ok(response.body.includes('Action refusée'), `${label}: the French 403 page`)
        checked++
      }
      const after = await dumpDatabase(server)
      if (after !== before) t.fail(`${route.method} ${url} from another site changed the database:\n${dumpDiff(before, after)}`)
    }
  }
  t.ok(checked >= CROSS_SITE.length * posts.length, `${checked} requests checked`)
})

t.test('Origin / Sec-Fetch-Site: the app’s own pages, a typed address and clients sending neither still pass', async (t) => {
  const { server } = await buildWithRoutes(t, { publicUrl: 'https://certif.lycee.example' })
  const allowed: Array<Record<string, string>> = [
    {},
    { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' },
    { 'sec-fetch-site': 'none' },
    { origin: 'http://localhost' },
    { origin: 'https://certif.lycee.example' },
  ]
  for (const headers of allowed) {
    const { client } = await loggedIn(server, { acceptCgu: false })
    await client.get('/cgu')
    const response = await client.request({
      method: 'POST',
      url: '/cgu',
      payload: `_csrf=${encodeURIComponent(client.csrf)}`,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    })
    t.equal(response.statusCode, 303, `POST /cgu with ${JSON.stringify(headers)} → accepted`)
  }
})

t.test('CSRF: a logged-out visitor’s token does not work for another visitor', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const publicPosts = routes.filter((r) => isStateChanging(r.method) && r.config.public)
  if (publicPosts.length === 0) {
    t.fail('No public POST route (login…) registered: nothing checked.')
    return
  }
  const first = await server.inject('/connexion')
  const token = /name="_csrf" value="([^"]+)"/.exec(first.body)?.[1]
  t.ok(token, 'the login page carries a token')
  for (const route of publicPosts) {
    if (route.url.includes(':')) continue
    const response = await server.inject({
      method: 'POST',
      url: route.url,
      payload: `_csrf=${encodeURIComponent(token!)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    t.equal(response.statusCode, 403, `POST ${route.url} with a token from another visitor's cookie → 403`)
  }
})

// The other half: every form the app renders carries a token, and posts to a route that exists.
t.test('every POST form of every page carries a CSRF token and posts to a registered route', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  const posts = routes.filter((r) => r.method === 'POST').map((r) => ({ url: r.url, re: new RegExp(`^${r.url.replace(/:\w+/g, '[^/]+')}$`) }))
  let forms = 0
  for (const route of routes.filter((r) => r.method === 'GET')) {
    for (const ids of [a.ids, { ...a.ids, candidateId: a.joinedCandidateId }]) {
      const url = fillUrl(route.url, ids)
      const response = await client.get(url)
      if (!String(response.headers['content-type']).startsWith('text/html')) continue
      for (const form of parseForms(response.body).filter((f) => f.method === 'POST')) {
        forms++
        const action = (form.action || url).split('?')[0]!
        t.ok(
          form.fields.some((f) => f.name === '_csrf' && f.value),
          `GET ${url}: the form posting to ${action} carries _csrf`,
        )
        t.ok(
          posts.some((p) => p.re.test(action)),
          `GET ${url}: the form posts to ${action}, a registered POST route`,
        )
      }
    }
  }
  t.ok(forms > 0, `${forms} forms checked`)
})
