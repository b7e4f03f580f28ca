import t from 'tap'
import { createCandidate, createSession, finaliseSession } from '../factories.ts'
import { build, Client, loggedIn, type Teardown } from '../helper.ts'

type Server = Awaited<ReturnType<typeof build>>
const NOW = new Date().toISOString()

async function setup(t: Teardown) {
  const server = await build(t)
  const staff = await loggedIn(server, { centre: 'Centre A' })
  const session = await createSession(server.db, staff.centreId, { invigilator_password: 'K7QB2M' })
  const names = ['Ada', 'Bob', 'Cléo', 'Dan', 'Eva', 'Fabien']
  const people = []
  for (const [i, first] of names.entries())
    people.push(await createCandidate(server.db, session.id, { first_name: first, last_name: 'Martin', birthdate: `199${i}-01-01` }))
  const invigilator = new Client(server)
  await invigilator.get('/surveillance')
  await invigilator.post('/surveillance', { sessionNumber: String(session.id), password: 'C-K7QB2M' })
  await invigilator.get(`/sessions/${session.id}/surveillance`)
  return { server, staff, session, people, invigilator }
}

const arrive = (server: Server, ids: number[]) => server.db.updateTable('candidate').set({ arrived_at: NOW }).where('id', 'in', ids).execute()
async function startAll(server: Server, people: Array<{ id: number; session_id: number }>) {
  for (const p of people) {
    await server.db.updateTable('candidate').set({ presence_confirmed_at: NOW }).where('id', '=', p.id).execute()
    await server.db.insertInto('certification_course').values({ session_id: p.session_id, candidate_id: p.id, joined_at: NOW }).execute()
  }
}
const bulk = (sessionId: number) => `/sessions/${sessionId}/surveillance/groupe`
const confirmed = async (server: Server) =>
  (await server.db.selectFrom('candidate').select('id').where('presence_confirmed_at', 'is not', null).orderBy('id').execute()).map((r) => r.id)

t.test('"Confirmer la présence" for the ticked candidates and every candidate waiting: one transaction, each one’s event, one history entry', async (t) => {
  const { server, session, people, invigilator } = await setup(t)
  const [ada, bob, cleo, dan] = people
  await arrive(server, [ada!.id, bob!.id, cleo!.id])
  const page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  const bulkForm = /<form method="post" action="[^"]*\/groupe"[\s\S]*?<\/form>/.exec(page)?.[0] ?? ''
  t.ok(bulkForm.includes(`name="candidats" value="${ada!.id}" id="coche-${ada!.id}"`), 'each candidate has a tick box inside the bulk form itself')
  t.notOk(page.includes('form="groupe-form"'), 'no tick tied to the form by an attribute (text and older browsers ignore it)')
  t.ok(page.includes('Tous les candidats en attente'))
  const response = await invigilator.post(bulk(session.id), { action: 'confirmer', tous: 'en-attente', candidats: [String(dan!.id)] })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, `/sessions/${session.id}/surveillance#groupe`)
  t.same(
    await confirmed(server),
    [ada!.id, bob!.id, cleo!.id, dan!.id].sort((a, b) => a - b),
    'the three waiting and the ticked one',
  )
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Présence confirmée pour 4 candidats'))
  const events = await server.db.selectFrom('supervision_event').select('candidate_id').where('action', '=', 'confirm').execute()
  t.equal(events.length, 4, 'one event per candidate')
  const history = await server.db.selectFrom('history').select(['action', 'count']).where('session_id', '=', session.id).execute()
  t.same(history, [{ action: 'presence_confirmed', count: 4 }])
})

t.test('all or nothing: one candidate who cannot be confirmed and nobody is', async (t) => {
  const { server, session, people, invigilator } = await setup(t)
  const [ada, bob] = people
  await startAll(server, [ada!])
  const before = await confirmed(server)
  await invigilator.post(bulk(session.id), { action: 'confirmer', candidats: [String(ada!.id), String(bob!.id)] })
  t.same(await confirmed(server), before, 'Bob not confirmed either')
  t.ok(
    (await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Rien n’a été fait : la présence de Ada Martin ne peut pas être confirmée'),
  )
  t.equal((await server.db.selectFrom('history').select('id').where('session_id', '=', session.id).execute()).length, 0)
})

t.test('"Ajouter du temps", "Suspendre", "Reprendre" for several; errors keep the ticks and the typed values', async (t) => {
  const { server, session, people, invigilator } = await setup(t)
  const [ada, bob, cleo] = people
  await startAll(server, [ada!, bob!, cleo!])
  const ticked = [String(ada!.id), String(bob!.id)]
  const noAction = await invigilator.post(bulk(session.id), { action: '', candidats: ticked })
  t.equal(noAction.statusCode, 400)
  t.ok(noAction.body.includes('Choisissez une action.'))
  const bad = await invigilator.post(bulk(session.id), { action: 'temps', minutes: '90', motif: 'incident', precisions: 'Panne', candidats: ticked })
  t.equal(bad.statusCode, 400)
  t.ok(bad.body.includes('Indiquez un nombre entier de minutes entre 1 et 60.'))
  t.ok(bad.body.includes(`id="coche-${ada!.id}" checked`) && bad.body.includes(`id="coche-${bob!.id}" checked`))
  t.notOk(bad.body.includes(`id="coche-${cleo!.id}" checked`))
  t.ok(bad.body.includes('Panne'), 'typed details kept')

  t.equal((await invigilator.post(bulk(session.id), { action: 'temps', minutes: '15', motif: 'incident', precisions: '', candidats: ticked })).statusCode, 303)
  const added = await server.db.selectFrom('clock_change').select(['candidate_id', 'minutes']).where('kind', '=', 'add').orderBy('candidate_id').execute()
  t.same(added, [
    { candidate_id: ada!.id, minutes: 15 },
    { candidate_id: bob!.id, minutes: 15 },
  ])
  t.equal((await server.db.selectFrom('report').select('id').where('code', '=', 'C2').execute()).length, 2, 'a report each')
  await invigilator.get(`/sessions/${session.id}/surveillance`)
  await invigilator.post(bulk(session.id), { action: 'suspendre', minutes: '', motif: 'coupure', precisions: '', candidats: ticked })
  let page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.equal((page.match(/tag--paused/g) ?? []).length, 2)
  await invigilator.post(bulk(session.id), { action: 'reprendre', candidats: ticked })
  page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.equal((page.match(/tag--paused/g) ?? []).length, 0)
  const history = (await server.db.selectFrom('history').select('action').where('session_id', '=', session.id).orderBy('id').execute()).map((h) => h.action)
  t.same(history, ['time_added', 'test_paused', 'test_resumed'], 'one entry per action')
})

t.test('"Terminer le test" for several: the irreversible step lists the names, then ends them all', async (t) => {
  const { server, session, people, invigilator } = await setup(t)
  await startAll(server, people.slice(0, 5))
  const ticked = people.slice(0, 5).map((p) => String(p.id))
  const step = await invigilator.post(bulk(session.id), { action: 'terminer', candidats: ticked })
  t.equal(step.statusCode, 200)
  t.ok(step.body.includes('Le test des 5 candidats suivants sera terminé. Cette action est irréversible.'))
  for (const p of people.slice(0, 5)) t.ok(step.body.includes(`<li>${p.first_name} Martin</li>`), `${p.first_name} listed`)
  t.equal((await server.db.selectFrom('certification_course').select('id').where('ended_at', 'is not', null).execute()).length, 0, 'nothing ended yet')
  const done = await invigilator.post(bulk(session.id), { action: 'terminer', confirme: '1', candidats: ticked })
  t.equal(done.statusCode, 303)
  t.equal((await server.db.selectFrom('certification_course').select('id').where('ended_at', 'is not', null).execute()).length, 5)
  t.equal((await server.db.selectFrom('supervision_event').select('id').where('action', '=', 'end').execute()).length, 5)
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('5 tests terminés'))
  await invigilator.post(bulk(session.id), { action: 'terminer', confirme: '1', candidats: ticked.slice(0, 1) })
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Rien n’a été fait : le test de Ada Martin n’est pas en cours.'))
})

t.test('isolation, CSRF, nothing ticked, a finalised session', async (t) => {
  const { server, staff, session, people, invigilator } = await setup(t)
  const otherSession = await createSession(server.db, staff.centreId, {})
  const stranger = await createCandidate(server.db, otherSession.id, { first_name: 'Eve', last_name: 'Autre' })
  const other = await loggedIn(server, { centre: 'Centre B' })
  const foreignSession = await createSession(server.db, other.centreId, {})
  for (const client of [invigilator, staff.client]) {
    t.equal(
      (await client.post(bulk(session.id), { action: 'confirmer', candidats: [String(people[0]!.id), String(stranger.id)] })).statusCode,
      404,
      'another session’s id',
    )
    t.equal(
      (await client.post(bulk(foreignSession.id), { action: 'confirmer', candidats: [String(people[0]!.id)] })).statusCode,
      404,
      'another centre’s session',
    )
  }
  t.same(await confirmed(server), [])
  t.equal((await invigilator.post(bulk(session.id), { action: 'confirmer', candidats: [String(people[0]!.id)], _csrf: '' })).statusCode, 403)
  await invigilator.post(bulk(session.id), { action: 'confirmer' })
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Cochez au moins un candidat.'))
  await finaliseSession(server.db, session.id, staff.userId)
  t.equal((await staff.client.post(bulk(session.id), { action: 'confirmer', candidats: [String(people[0]!.id)] })).statusCode, 409)
  t.same(await confirmed(server), [])
})
