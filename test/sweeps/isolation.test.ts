import t from 'tap'
import { loggedIn } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { buildWithRoutes, fillUrl, isScoped, paramsOf } from '../lib/routes.ts'
import { dumpDatabase, dumpDiff, seedCentre } from '../lib/seed.ts'

// Issue 7, item 5: every route that loads owned data by id answers 404 to another centre, and changes nothing.
t.test('centre isolation: routes with a session/candidate/report/document id are 404 for another centre', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client } = await loggedIn(server, { centre: 'Centre B' })
  const b = await seedCentre(server, 'Centre B')
  await client.get('/cgu') // a fresh token bound to B's login session

  const scoped = routes.filter(isScoped)
  if (scoped.length === 0) {
    t.fail('No route with a :sessionId/:candidateId/:reportId/:documentId parameter is registered: the isolation sweep checked nothing.')
    return
  }
  t.comment(`checking ${scoped.length} scoped routes`)

  // A's real ids, both candidates (joined or not); and B's own session with A's child ids (children are scoped to their session).
  const variants = (params: string[]) => {
    const list: Array<{ who: string; ids: Record<string, number | string> }> = [
      { who: "A's ids", ids: a.ids },
      { who: "A's ids (joined candidate)", ids: { ...a.ids, candidateId: a.joinedCandidateId } },
    ]
    if (params.some((p) => p !== 'sessionId')) list.push({ who: "B's session with A's child ids", ids: { ...a.ids, sessionId: b.sessionId } })
    return params.includes('candidateId') ? list : list.slice(0, 1).concat(list.slice(2))
  }

  let checked = 0
  for (const route of scoped) {
    for (const { who, ids } of variants(paramsOf(route.url))) {
      const url = fillUrl(route.url, ids)
      const before = await dumpDatabase(server)
      for (const { label, response } of await send(client, route, url, { kind: 'own' })) {
        t.equal(response.statusCode, 404, `${label} as a member of centre B, ${who} → 404`)
        checked++
      }
      const after = await dumpDatabase(server)
      if (after !== before) t.fail(`${route.method} ${url} (${who}) changed the database:\n${dumpDiff(before, after)}`)
    }
  }
  t.ok(checked > 0, `${checked} requests checked`)
  // The same requests with B's own ids are not all 404 (otherwise the sweep would prove nothing).
  const page = scoped.find((r) => r.method === 'GET')
  if (page) {
    const own = await client.get(fillUrl(page.url, b.ids))
    t.not(own.statusCode, 404, `GET ${page.url} with B's own ids is reachable: the 404s above come from the scoping, not from a broken route`)
  }
})
