import t from 'tap'
import { loggedIn } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { ADMIN_ONLY, type AppRoute, buildWithRoutes, fillUrl } from '../lib/routes.ts'
import { dumpDatabase, dumpDiff, seedCentre } from '../lib/seed.ts'

const describe = (r: AppRoute) => `${r.method} ${r.url}`

// Issue 12: role checks are declared on the route (`config: { role: 'admin' }`, read by the guard);
// a member gets a French 403 page on every admin-only route, and changes nothing. Generated from the route table.
t.test('roles: every admin-only route declares it, and answers a member 403 with a French page', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client: member } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
  const { client: admin } = await loggedIn(server, { centre: 'Centre A', role: 'admin' })

  for (const route of routes) {
    const expected = ADMIN_ONLY.some((re) => re.test(route.url))
    t.equal(route.config.role === 'admin', expected, `${describe(route)} ${expected ? 'declares' : 'does not declare'} role: 'admin'`)
  }
  const adminOnly = routes.filter((r) => r.config.role === 'admin')
  if (adminOnly.length === 0) {
    t.fail('No admin-only route registered: the roles sweep checked nothing.')
    return
  }
  for (const route of adminOnly) {
    await member.get('/equipe')
    const before = await dumpDatabase(server)
    for (const { label, response } of await send(member, route, fillUrl(route.url, a.ids), { kind: 'own' })) {
      t.equal(response.statusCode, 403, `${label} by a member → 403`)
      t.ok(response.body.includes('<html lang="fr"') && response.body.includes('réservée aux administrateurs'), `${label}: the French page`)
    }
    const after = await dumpDatabase(server)
    if (after !== before) t.fail(`${describe(route)} by a member changed the database:\n${dumpDiff(before, after)}`)
  }
  // Control: the admin of the same centre is not refused on the GET pages (so the 403s come from the role).
  for (const route of adminOnly.filter((r) => r.method === 'GET')) {
    const response = await admin.get(fillUrl(route.url, a.ids))
    t.equal(response.statusCode, 200, `GET ${route.url} by an admin → 200`)
  }
})
