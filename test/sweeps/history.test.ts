import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { loggedIn } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { type AppRoute, buildWithRoutes, fillUrl, isStateChanging } from '../lib/routes.ts'
import { seedCentre } from '../lib/seed.ts'
import { type Ctx, SUCCESS, validSession } from '../lib/successful-requests.ts'

/** State-changing routes that change no centre data (accounts, login, the candidate's own page): no history entry. */
const NOT_CENTRE_DATA: Record<string, string> = {
  'POST /connexion': 'logging in',
  'POST /deconnexion': 'logging out',
  'POST /cgu': 'the user accepts the terms',
  'POST /centre': 'switching the centre worked on',
  'POST /installation': 'creates the centre itself, before it has any history',
  'POST /mot-de-passe-oublie': 'the user’s own account',
  'POST /mot-de-passe/nouveau': 'the user’s own account',
  'POST /rejoindre': 'the candidate’s page (reads only)',
  'POST /rejoindre/code': 'the candidate joins: done by the candidate, shown as “rejoint” in the candidate list',
  'POST /mon-compte/mot-de-passe': 'the user’s own account',
  'POST /mon-compte/deconnexion-partout': 'the user’s own account',
  'POST /sessions/import-multiple/import': 'saves the checked plan for its user; nothing of the centre changes before the confirmation',
  'POST /sessions/import-multiple/:planId/confirmation': 'one entry per session created or list replaced, not one per request',
  'POST /surveillance': 'opening an invigilator access (like logging in)',
  'POST /rejoindre/reessayer': 'the candidate’s page: asks again whether presence was confirmed',
  'POST /sessions/:sessionId/surveillance/quitter': 'ends the invigilator access (like logging out)',
  'POST /langue': 'the visitor’s language, a cookie of their browser',
}

const key = (r: AppRoute) => `${r.method} ${r.url}`
const historyCount = async (server: Ctx['server']) =>
  Number(
    (
      await server.db
        .selectFrom('history')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

// Issue 12, item 10: generated from the route table, so a new state-changing route cannot forget its history entry.
t.test('history: every state-changing route, when it succeeds, writes exactly one history entry', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const { client: admin, userId: adminId } = await loggedIn(server, { centre: 'Centre A' })
  const ctx: Ctx = { server, admin, adminId, fresh: () => seedCentre(server, 'Centre A') }
  const posts = routes.filter((r) => isStateChanging(r.method))
  for (const route of posts) {
    const name = key(route)
    if (NOT_CENTRE_DATA[name]) continue
    const build = SUCCESS[name]
    if (!build) {
      t.fail(
        `${name} changes state but test/sweeps/history.test.ts has no successful request for it: add one in test/lib/successful-requests.ts (and a recordHistory call beside its write)`,
      )
      continue
    }
    const c = await build(ctx)
    const client = c.client ?? admin
    if (!c.client) await client.get('/equipe')
    const before = await historyCount(server)
    const started = Date.now()
    let response: LightMyRequestResponse
    if (c.multipart) response = await client.postMultipart(c.url, c.multipart)
    else response = await client.post(c.url, c.form ?? {})
    t.ok([200, 303].includes(response.statusCode), `${name}: succeeds (${response.statusCode})`)
    const entries = await server.db.selectFrom('history').selectAll().orderBy('id').offset(before).limit(10).execute()
    t.equal(entries.length, 1, `${name}: exactly one history entry (${entries.map((e) => e.action).join(', ')})`)
    const entry = entries[0]
    if (!entry) continue
    t.ok(Date.parse(entry.created_at) >= started - 1000, `${name}: dated now`)
    t.ok(entry.actor_name.length > 0, `${name}: says who`)
    const serialised = JSON.stringify(entry)
    t.notMatch(serialised, /jeton|Secret-1234|password|\$argon2/i, `${name}: no password or token in the entry`)
  }
  for (const name of Object.keys(SUCCESS))
    t.ok(
      posts.some((r) => key(r) === name),
      `${name} is a registered route`,
    )
})

t.test('history: a state-changing request that changes nothing writes nothing', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
  // A member (admin routes answer 403) sending the sweeps' plausible forms: most fail validation.
  for (const route of routes.filter((r) => isStateChanging(r.method) && !NOT_CENTRE_DATA[key(r)] && !r.config.public)) {
    await client.get('/equipe')
    const before = await historyCount(server)
    const responses = await send(client, route, fillUrl(route.url, a.ids), { kind: 'own' })
    const failed = responses.every(({ response }) => response.statusCode >= 400)
    if (failed)
      t.equal(await historyCount(server), before, `${key(route)} refused (${responses.map((r) => r.response.statusCode).join(', ')}): no history entry`)
  }
})

t.test('history cannot be edited or deleted, except with the whole centre', async (t) => {
  const { server } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  await client.get('/sessions/nouvelle')
  await client.post('/sessions/nouvelle', validSession)
  t.ok((await historyCount(server)) > 0)
  await t.rejects(server.db.updateTable('history').set({ actor_name: 'Quelqu’un d’autre' }).execute(), /append-only/, 'no UPDATE')
  await t.rejects(server.db.deleteFrom('history').execute(), /append-only/, 'no DELETE')
  await server.db.deleteFrom('centre').where('id', '=', a.centreId).execute()
  t.equal(await historyCount(server), 0, 'deleting the centre takes its history with it')
})
