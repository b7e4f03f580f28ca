import t from 'tap'
import { finaliseSession } from '../factories.ts'
import { Client, loggedIn } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { buildWithRoutes, fillUrl, isScoped, isStateChanging } from '../lib/routes.ts'
import { dumpDatabase, dumpDiff, seedCentre } from '../lib/seed.ts'

/** The one page of a change refused on a finalised session (views/sessions/finalised.eta). */
const FINALISED_PAGE = 'id="session-finalisee"'

// CONTRIBUTING.md, "Open sessions": "needs an open session" is declared once on the route, and read by scope.ts.
t.test('every state-changing route of a session declares that it needs an open session', async (t) => {
  const { routes } = await buildWithRoutes(t)
  // Issue 26: the retention hold and the erasure of a candidate are writes meant for finalised sessions too.
  const writes = routes.filter((r) => r.url.includes(':sessionId') && isStateChanging(r.method) && !r.config.afterFinalisation)
  t.ok(writes.length > 10, `${writes.length} state-changing routes of a session`)
  for (const route of writes) t.ok(route.config.openSession, `${route.method} ${route.url}: config { openSession: true }`)
})

t.test('a finalised session: every route declared openSession refuses with the same page, for staff and invigilators', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const { client, userId } = await loggedIn(server, { centre: 'Centre A' })
  const a = await seedCentre(server, 'Centre A')
  const flagged = routes.filter((r) => r.config.openSession)
  t.ok(flagged.some((r) => r.method === 'GET') && flagged.some((r) => r.config.invigilator), 'forms and Espace surveillant routes are declared too')
  const { invigilator_password: password } = await server.db
    .selectFrom('certification_session')
    .select('invigilator_password')
    .where('id', '=', a.sessionId)
    .executeTakeFirstOrThrow()
  // One invigilator access per route, opened while the session is open: each is ended by its refusal.
  const invigilators = new Map<(typeof flagged)[number], Client>()
  for (const route of flagged.filter((r) => r.config.invigilator)) {
    const invigilator = new Client(server)
    await invigilator.get('/surveillance')
    t.equal((await invigilator.post('/surveillance', { sessionNumber: String(a.sessionId), password })).statusCode, 303, 'invigilator logged in')
    await invigilator.get(fillUrl('/sessions/:sessionId/surveillance', a.ids))
    invigilators.set(route, invigilator)
  }
  await finaliseSession(server.db, a.sessionId, userId)
  for (const route of flagged) {
    const url = fillUrl(route.url, { ...a.ids, candidateId: a.joinedCandidateId })
    await client.get('/cgu')
    for (const { label, response } of await send(client, route, url, { kind: 'own' })) {
      t.equal(response.statusCode, 409, `${label} (staff): 409`)
      t.ok(response.body.includes(FINALISED_PAGE) && response.body.includes('Cette session a été finalisée le'), `${label} (staff): the finalised page`)
    }
    const invigilator = invigilators.get(route)
    if (!invigilator) continue
    for (const { label, response } of await send(invigilator, route, url, { kind: 'own' })) {
      t.equal(response.statusCode, 409, `${label} (invigilator): 409`)
      t.ok(response.body.includes(FINALISED_PAGE) && response.body.includes('la surveillance est terminée'), `${label} (invigilator): the finalised page`)
      t.notOk(
        [...invigilator.cookies.keys()].some((name) => name.endsWith('certisalle_surveillance')),
        `${label} (invigilator): the access ends`,
      )
    }
  }
  t.ok(invigilators.size > 5, `${invigilators.size} Espace surveillant routes checked with an invigilator access`)
})

// CONTRIBUTING.md: a finalised session is read-only everywhere. Generated from the route table:
// every state-changing route of a finalised session, sent by its own centre with a valid token, changes nothing.
t.test('a finalised session is read-only: every POST of its routes changes nothing', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const { client, userId } = await loggedIn(server, { centre: 'Centre A' })
  const a = await seedCentre(server, 'Centre A')
  await finaliseSession(server.db, a.sessionId, userId)
  // Issue 26: the retention hold and the erasure of a candidate are meant for finalised sessions (test/routes/privacy.test.ts).
  const posts = routes.filter((r) => isScoped(r) && r.url.includes(':sessionId') && isStateChanging(r.method) && !r.config.afterFinalisation)
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
