import t from 'tap'
import { finaliseSession } from '../factories.ts'
import { loggedIn } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { buildWithRoutes, fillUrl, isScoped, isStateChanging } from '../lib/routes.ts'
import { dumpDatabase, dumpDiff, seedCentre } from '../lib/seed.ts'

// CONTRIBUTING.md: a finalised session is read-only everywhere. Generated from the route table:
// every state-changing route of a finalised session, sent by its own centre with a valid token, changes nothing.
t.test('a finalised session is read-only: every POST of its routes changes nothing', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const { client, userId } = await loggedIn(server, { centre: 'Centre A' })
  const a = await seedCentre(server, 'Centre A')
  await finaliseSession(server.db, a.sessionId, userId)
  const posts = routes.filter((r) => isScoped(r) && r.url.includes(':sessionId') && isStateChanging(r.method))
  if (posts.length === 0) {
    t.fail('No state-changing route of a session is registered: nothing checked.')
    return
  }
  for (const route of posts) {
    for (const ids of [a.ids, { ...a.ids, candidateId: a.joinedCandidateId }]) {
      if (ids !== a.ids && !route.url.includes(':candidateId')) continue
      const url = fillUrl(route.url, ids)
      await client.get('/cgu')
      const before = await dumpDatabase(server)
      for (const { label, response } of await send(client, route, url, { kind: 'own' })) {
        t.ok([303, 409, 400, 403, 404].includes(response.statusCode), `${label} on a finalised session: refused (${response.statusCode})`)
      }
      const after = await dumpDatabase(server)
      t.ok(after === before, `${route.method} ${url} leaves a finalised session unchanged${after === before ? '' : `:\n${dumpDiff(before, after)}`}`)
    }
  }
  // Control: the same requests do change a session that is not finalised (so the sweep's requests are real enough).
  const open = await seedCentre(server, 'Centre A')
  let changed = 0
  for (const route of posts) {
    await client.get('/cgu')
    const before = await dumpDatabase(server)
    await send(client, route, fillUrl(route.url, open.ids), { kind: 'own' })
    if ((await dumpDatabase(server)) !== before) changed++
  }
  t.ok(changed > 0, `${changed} of ${posts.length} of the same requests change a session that is not finalised`)
})
