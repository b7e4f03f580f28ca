import t from 'tap'
import { finaliseSession } from '../factories.ts'
import { Client, loggedIn } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { buildWithRoutes, fillUrl, isStateChanging } from '../lib/routes.ts'
import { dumpDatabase, dumpDiff, seedCentre } from '../lib/seed.ts'
import { type Case, type Ctx, SUCCESS } from '../lib/successful-requests.ts'

/** The one page of a change refused on a finalised session (views/sessions/finalised.eta). */
const FINALISED_PAGE = 'id="session-finalisee"'

/**
 * State-changing routes of a session that change nothing when staff use them, with the reason:
 * the previous test proves they refuse a finalised session with the finalised page too.
 */
const NO_CHANGE_BY_STAFF: Record<string, string> = {
  'POST /sessions/:sessionId/surveillance/quitter': 'ends an invigilator’s access (like logging out); staff have none to end',
}

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
// every state-changing route of a session gets the request that succeeds there
// (test/lib/successful-requests.ts). On a finalised session each is refused with the one page and
// changes nothing; the same request on an open session changes it, so each refusal is the
// finalised session's and not a malformed request's.
t.test('a finalised session is read-only: every state-changing route refuses a request that would succeed, and changes nothing', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const { client: admin, userId: adminId } = await loggedIn(server, { centre: 'Centre A' })
  const ctx: Ctx = { server, admin, adminId, fresh: () => seedCentre(server, 'Centre A') }
  // The retention hold and the erasure of a candidate are meant for finalised sessions too (test/routes/privacy.test.ts).
  const writes = routes.filter((r) => r.url.includes(':sessionId') && isStateChanging(r.method) && !r.config.afterFinalisation)
  t.ok(writes.length > 10, `${writes.length} state-changing routes of a session`)
  for (const route of writes) {
    const name = `${route.method} ${route.url}`
    if (NO_CHANGE_BY_STAFF[name]) continue
    const build = SUCCESS[name]
    if (!build) {
      t.fail(`${name}: no successful request in test/lib/successful-requests.ts, so nothing proves it refuses a finalised session`)
      continue
    }
    const refused = await build(ctx)
    await finaliseSession(server.db, sessionOf(refused.url), adminId)
    const before = await dump(server)
    const response = await sendCase(refused.client ?? admin, refused, !refused.client)
    t.equal(response.statusCode, 409, `${name} on a finalised session: 409`)
    t.ok(response.body.includes(FINALISED_PAGE), `${name} on a finalised session: the finalised page`)
    const after = await dump(server)
    t.ok(after === before, `${name} leaves a finalised session unchanged${after === before ? '' : `:\n${dumpDiff(before, after)}`}`)

    const accepted = await build(ctx)
    const beforeOpen = await dump(server)
    const control = await sendCase(accepted.client ?? admin, accepted, !accepted.client)
    t.ok([200, 303].includes(control.statusCode), `${name}: the same request succeeds on an open session (${control.statusCode})`)
    t.not(await dump(server), beforeOpen, `${name}: the same request changes an open session`)
  }
})

/**
 * What the convocation sender writes in the background, on its own time, about mail queued by an
 * earlier request: left out of the dumps (a route's own write there is a new queued row).
 */
const SENDER_COLUMNS = { convocation_mail: ['status', 'attempts', 'error', 'claimed_at', 'sent_at'] }
const dump = (server: Ctx['server']) => dumpDatabase(server, { without: SENDER_COLUMNS })

/** The session a URL of the route table points at. */
function sessionOf(url: string): number {
  const match = /^\/sessions\/(\d+)\//.exec(url)
  if (!match) throw new Error(`${url}: no session in the URL`)
  return Number(match[1])
}

async function sendCase(client: Client, c: Case, refreshToken: boolean) {
  if (refreshToken) await client.get('/equipe')
  return c.multipart ? client.postMultipart(c.url, c.multipart) : client.post(c.url, c.form ?? {})
}
