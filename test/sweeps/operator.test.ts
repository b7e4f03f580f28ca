import t from 'tap'
import { loggedIn } from '../helper.ts'
import { operatorClient } from '../lib/operator.ts'
import { send } from '../lib/requests.ts'
import { type AppRoute, buildWithRoutes, fillUrl, isScoped, OPERATOR_ONLY } from '../lib/routes.ts'
import { dumpDatabase, dumpDiff, seedCentre } from '../lib/seed.ts'

const describe = (r: AppRoute) => `${r.method} ${r.url}`

// Issue 30, item 4: the operator console is declared on its routes (`config: { operator: true }`, read by the
// guard); members, administrators included, get a French 403 and change nothing. Generated from the route table.
t.test('operator: every console route declares it, and answers members (admins too) 403 with a French page', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client: admin } = await loggedIn(server, { centre: 'Centre A', role: 'admin' })
  const { client: member } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
  const { client: operator } = await operatorClient(server)

  for (const route of routes) {
    const expected = OPERATOR_ONLY.some((re) => re.test(route.url))
    t.equal(route.config.operator === true, expected, `${describe(route)} ${expected ? 'declares' : 'does not declare'} operator: true`)
  }
  const operatorOnly = routes.filter((r) => r.config.operator)
  if (operatorOnly.length === 0) {
    t.fail('No operator route registered: the sweep checked nothing.')
    return
  }
  for (const [who, client] of [
    ['an admin', admin],
    ['a member', member],
  ] as const) {
    for (const route of operatorOnly) {
      await client.get('/equipe')
      const before = await dumpDatabase(server)
      for (const { label, response } of await send(client, route, fillUrl(route.url, a.ids), { kind: 'own' })) {
        t.equal(response.statusCode, 403, `${label} by ${who} → 403`)
        t.ok(
          response.body.includes('<html lang="fr"') && response.body.includes('réservée aux personnes chargées de l’exploitation'),
          `${label}: the French page`,
        )
      }
      const after = await dumpDatabase(server)
      if (after !== before) t.fail(`${describe(route)} by ${who} changed the database:\n${dumpDiff(before, after)}`)
    }
  }
  // Control: the operator is not refused on the GET pages (so the 403s come from the declaration).
  for (const route of operatorOnly.filter((r) => r.method === 'GET')) {
    const response = await operator.get(fillUrl(route.url, a.ids))
    t.equal(response.statusCode, 200, `GET ${route.url} by the operator → 200`)
  }
})

// An operator manages centres, not their data: every route that loads a centre's data by id is a 404 to them.
t.test('operator: 404 on every URL of a centre’s data (sessions, candidates, members…), and nothing changes', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  await loggedIn(server, { centre: 'Centre A' })
  const { client: operator } = await operatorClient(server)
  const scoped = routes.filter(isScoped)
  if (scoped.length === 0) {
    t.fail('No scoped route: the sweep checked nothing.')
    return
  }
  let checked = 0
  for (const route of scoped) {
    await operator.get('/exploitation')
    const before = await dumpDatabase(server)
    for (const { label, response } of await send(operator, route, fillUrl(route.url, a.ids), { kind: 'own' })) {
      t.equal(response.statusCode, 404, `${label} by the operator → 404`)
      checked++
    }
    const after = await dumpDatabase(server)
    if (after !== before) t.fail(`${describe(route)} by the operator changed the database:\n${dumpDiff(before, after)}`)
  }
  t.ok(checked > 0, `${checked} requests checked`)
  // Control: the centre's own admin reaches the first such page, so the 404s come from the operator not being a member.
  const { client: admin } = await loggedIn(server, { centre: 'Centre A' })
  const page = scoped.find((r) => r.method === 'GET')!
  t.equal((await admin.get(fillUrl(page.url, a.ids))).statusCode, 200, `GET ${page.url} by the centre's admin → 200`)
})
