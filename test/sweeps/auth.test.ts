import t from 'tap'
import { createOrFindUser, acceptCgu } from '../../src/features/accounts/accounts.service.ts'
import { Client, loggedIn, PASSWORD } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { type AppRoute, buildWithRoutes, fillUrl, PUBLIC_ALLOWED, WITHOUT_CGU_ALLOWED } from '../lib/routes.ts'
import { seedCentre } from '../lib/seed.ts'

const describe = (r: AppRoute) => `${r.method} ${r.url}`

// Issue 7, item 7: the guard holds for every route, generated from the route table.
t.test('authentication: every non-public route sends a logged-out visitor to /connexion', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const publicRoutes = routes.filter((r) => r.config.public)
  for (const route of publicRoutes) {
    t.ok(
      PUBLIC_ALLOWED.some((re) => re.test(route.url)),
      `${describe(route)} is public: only login, reset, setup, candidate page, health and static may be`,
    )
  }
  const guarded = routes.filter((r) => !r.config.public)
  if (guarded.length === 0) {
    t.fail('No guarded route registered: the authentication sweep checked nothing.')
    return
  }
  const anonymous = new Client(server)
  await anonymous.get('/connexion')
  for (const route of guarded) {
    for (const { label, response } of await send(anonymous, route, fillUrl(route.url, a.ids), { kind: 'own' })) {
      t.equal(response.statusCode, 303, `${label} logged out → 303`)
      // Espace surveillant pages send to the invigilator login instead.
      if (route.config.invigilator && route.url.includes('/surveillance'))
        t.equal(response.headers.location, '/surveillance', `${label} logged out → /surveillance`)
      else t.match(response.headers.location, /^\/connexion(\?|$)/, `${label} logged out → /connexion`)
    }
  }
})

t.test('a user who has not accepted the terms reaches only the terms page (and logout)', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client } = await loggedIn(server, { centre: 'Centre A', acceptCgu: false })
  const beforeCgu = routes.filter((r) => r.config.allowWithoutCgu)
  for (const route of beforeCgu) {
    t.ok(
      WITHOUT_CGU_ALLOWED.some((re) => re.test(route.url)),
      `${describe(route)} is reachable before the terms: only /cgu and logout may be`,
    )
  }
  t.equal((await client.get('/cgu')).statusCode, 200, 'the terms page is shown')
  const guarded = routes.filter((r) => !r.config.public && !r.config.allowWithoutCgu)
  if (guarded.length === 0) {
    t.fail('No route requires the terms: nothing checked.')
    return
  }
  for (const route of guarded) {
    await client.get('/cgu')
    for (const { label, response } of await send(client, route, fillUrl(route.url, a.ids), { kind: 'own' })) {
      t.equal(response.statusCode, 303, `${label} before the terms → 303`)
      t.equal(response.headers.location, '/cgu', `${label} before the terms → /cgu`)
    }
  }
})

t.test('a user of no centre reaches only the pages that need none', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const user = await createOrFindUser(server.db, { email: 'nocentre@example.org', password: PASSWORD, firstName: 'Ana', lastName: 'Nyme' })
  await acceptCgu(server.db, user.id)
  const client = new Client(server)
  await client.login('nocentre@example.org')
  const guarded = routes.filter((r) => !r.config.public && !r.config.allowWithoutCentre)
  t.ok(guarded.length > 0, `${guarded.length} routes need a centre`)
  for (const route of guarded) {
    await client.get('/cgu')
    for (const { label, response } of await send(client, route, fillUrl(route.url, a.ids), { kind: 'own' })) {
      t.equal(response.statusCode, 303, `${label} without a centre → 303`)
      t.equal(response.headers.location, '/aucun-centre', `${label} without a centre → /aucun-centre`)
    }
  }
})
