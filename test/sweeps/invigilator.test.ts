import t from 'tap'
import { finaliseSession } from '../factories.ts'
import { Client, type Teardown } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { type AppRoute, buildWithRoutes, fillUrl, INVIGILATOR_ALLOWED, isStateChanging } from '../lib/routes.ts'
import { dumpDatabase, dumpDiff, seedCentre } from '../lib/seed.ts'

// Issue 11: the sweeps extended to the invigilator access kind, generated from the route table.
// An invigilator access opened for session A reaches A's `invigilator: true` routes and nothing else.

async function setup(t: Teardown) {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const sameCentre = await seedCentre(server, 'Centre A')
  const otherCentre = await seedCentre(server, 'Centre B')
  const { invigilator_password: password } = await server.db
    .selectFrom('certification_session')
    .select('invigilator_password')
    .where('id', '=', a.sessionId)
    .executeTakeFirstOrThrow()
  const client = new Client(server)
  await client.get('/surveillance')
  const login = await client.post('/surveillance', { sessionNumber: String(a.sessionId), password })
  if (login.statusCode !== 303) throw new Error('invigilator login failed')
  await client.get(`/sessions/${a.sessionId}/surveillance`) // a token bound to this access
  return { server, routes, a, sameCentre, otherCentre, client }
}

const invigilatorRoutes = (routes: AppRoute[]) => routes.filter((r) => r.config.invigilator)
// "Quitter la surveillance" ends the access: kept for last where it matters.
const last = (routes: AppRoute[]) => [...routes.filter((r) => !r.url.endsWith('/quitter')), ...routes.filter((r) => r.url.endsWith('/quitter'))]

t.test('the invigilator route kind is declared only on the Espace surveillant and the kit', async (t) => {
  const { routes } = await buildWithRoutes(t)
  const declared = invigilatorRoutes(routes)
  t.ok(declared.length >= 10, `${declared.length} invigilator routes`)
  for (const route of declared)
    t.ok(
      INVIGILATOR_ALLOWED.some((re) => re.test(route.url)),
      `${route.method} ${route.url} may be reached with an invigilator access`,
    )
})

t.test('an invigilator access: every staff route → the staff login, changing nothing', async (t) => {
  const { server, routes, a, client } = await setup(t)
  const staffRoutes = routes.filter((r) => !r.config.public && !r.config.invigilator)
  t.ok(staffRoutes.length > 20)
  for (const route of staffRoutes) {
    const before = await dumpDatabase(server)
    for (const { label, response } of await send(client, route, fillUrl(route.url, { ...a.ids, candidateId: a.joinedCandidateId }), { kind: 'own' })) {
      t.equal(response.statusCode, 303, `${label} with an invigilator access → 303`)
      t.match(response.headers.location, /^\/connexion(\?|$)/, `${label} → /connexion`)
    }
    const after = await dumpDatabase(server)
    if (after !== before) t.fail(`${route.method} ${route.url} changed the database:\n${dumpDiff(before, after)}`)
  }
})

t.test('an invigilator access: every invigilator route of another session → 404, changing nothing', async (t) => {
  const { server, routes, a, sameCentre, otherCentre, client } = await setup(t)
  for (const route of last(invigilatorRoutes(routes))) {
    for (const [who, ids] of [
      ['another session of the same centre', sameCentre.ids],
      ['a session of another centre', otherCentre.ids],
      ["A's session with another session's candidate", { ...a.ids, candidateId: sameCentre.joinedCandidateId }],
    ] as const) {
      if (who.startsWith("A's") && !route.url.includes(':candidateId')) continue
      const before = await dumpDatabase(server)
      for (const { label, response } of await send(client, route, fillUrl(route.url, ids), { kind: 'own' }))
        t.equal(response.statusCode, 404, `${label} (${who}) → 404`)
      const after = await dumpDatabase(server)
      if (after !== before) t.fail(`${route.method} ${route.url} (${who}) changed the database:\n${dumpDiff(before, after)}`)
    }
  }
  // Control: the same routes with A's ids are reachable.
  t.equal((await client.get(`/sessions/${a.sessionId}/surveillance`)).statusCode, 200, "A's own page is reachable: the 404s come from the scoping")
})

t.test('an invigilator access: every POST without a token, or with another access’s token, is 403 and changes nothing', async (t) => {
  const { server, routes, a, client } = await setup(t)
  const { invigilator_password: password } = await server.db
    .selectFrom('certification_session')
    .select('invigilator_password')
    .where('id', '=', a.sessionId)
    .executeTakeFirstOrThrow()
  const other = new Client(server)
  await other.get('/surveillance')
  await other.post('/surveillance', { sessionNumber: String(a.sessionId), password })
  await other.get(`/sessions/${a.sessionId}/surveillance`)
  const posts = invigilatorRoutes(routes).filter((r) => isStateChanging(r.method))
  t.ok(posts.length >= 5)
  for (const route of posts) {
    for (const csrf of [{ kind: 'none' } as const, { kind: 'token', token: other.csrf } as const]) {
      const before = await dumpDatabase(server)
      for (const { label, response } of await send(client, route, fillUrl(route.url, { ...a.ids, candidateId: a.joinedCandidateId }), csrf))
        t.equal(response.statusCode, 403, `${label} → 403`)
      const after = await dumpDatabase(server)
      if (after !== before) t.fail(`${route.method} ${route.url} (${csrf.kind}) changed the database:\n${dumpDiff(before, after)}`)
    }
  }
})

t.test('an invigilator access on a finalised session: every POST is refused and changes nothing', async (t) => {
  const { server, routes, a, client } = await setup(t)
  const posts = last(invigilatorRoutes(routes).filter((r) => isStateChanging(r.method)))
  // Control first: the same requests change an open session.
  let changed = 0
  for (const route of posts.filter((r) => !r.url.endsWith('/quitter'))) {
    await client.get(`/sessions/${a.sessionId}/surveillance`)
    const before = await dumpDatabase(server)
    await send(client, route, fillUrl(route.url, { ...a.ids, candidateId: a.joinedCandidateId }), { kind: 'own' })
    if ((await dumpDatabase(server)) !== before) changed++
  }
  t.ok(changed > 0, `${changed} of the requests change an open session (the sweep's requests are real enough)`)

  await finaliseSession(server.db, a.sessionId)
  const token = client.csrf
  const cookie = [...client.cookies].find(([name]) => name.endsWith('certisalle_surveillance'))!
  for (const route of posts) {
    // The first refusal ends the access: each route is tried with the access as it was.
    client.cookies.set(cookie[0], cookie[1])
    await server.db.updateTable('invigilator_access').set({ ended_at: null }).execute()
    const before = await dumpDatabase(server)
    const url = fillUrl(route.url, { ...a.ids, candidateId: a.joinedCandidateId })
    for (const { label, response } of await send(client, route, url, { kind: 'token', token })) {
      // "Quitter" too: the access ends, with the page of a finalised session rather than the open-session warning.
      t.equal(response.statusCode, 409, `${label} on a finalised session: refused with the message`)
      t.ok(response.body.includes('a été finalisée'), `${label}: says why`)
    }
    const after = await dumpDatabase(server)
    // The only write allowed: the access itself ends (finalisation ends every invigilator access).
    const relevant = (dump: string) => JSON.stringify({ ...JSON.parse(dump), invigilator_access: null })
    t.ok(
      relevant(after) === relevant(before),
      `${route.method} ${url} leaves a finalised session unchanged${relevant(after) === relevant(before) ? '' : `:\n${dumpDiff(before, after)}`}`,
    )
  }
})
