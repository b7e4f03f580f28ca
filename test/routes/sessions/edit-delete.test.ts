import t from 'tap'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../../factories.ts'
import { build, buildWithRace, loggedIn } from '../../helper.ts'

const form = {
  siteName: 'Lycée Victor Hugo',
  room: 'B12',
  date: '15/03/2026',
  startTime: '14:30',
  invigilators: 'Ana Lopez, Eric Martin',
  observations: 'Tiers temps : 2 candidats',
}
const valueOf = (body: string, field: string) => new RegExp(`<input id="field-${field}" name="${field}" type="\\w+" value="([^"]*)"`).exec(body)?.[1]
const findSession = (server: Awaited<ReturnType<typeof build>>, id: number) =>
  server.db.selectFrom('certification_session').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

t.test('edit: the same form, prefilled, with the guide’s title and buttons', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId, { observations: 'Salle au 2e étage' })
  const response = await client.get(`/sessions/${session.id}/modifier`)
  t.equal(response.statusCode, 200)
  const body = response.body
  t.ok(body.includes('<h1>Modification d’une session de certification</h1>'))
  t.equal(valueOf(body, 'siteName'), 'Centre Testix')
  t.equal(valueOf(body, 'room'), '45')
  t.equal(valueOf(body, 'date'), '2021-01-12')
  t.equal(valueOf(body, 'startTime'), '10:00')
  t.equal(valueOf(body, 'invigilators'), 'Eric Martin')
  t.match(body, /<textarea id="field-observations"[^>]*>Salle au 2e étage<\/textarea>/)
  t.match(body, new RegExp(`<a class="button button--secondary" href="/sessions/${session.id}">Annuler</a>`), 'Annuler goes back to the details')
  t.match(body, /<button type="submit" class="button">Modifier la session<\/button>/)
  t.match(body, new RegExp(`<form method="post" action="/sessions/${session.id}/modifier"`))
})

t.test('edit: saved with a message; the id and access code never change', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId, { access_code: 'GMPB26' })
  await client.get(`/sessions/${session.id}/modifier`)
  const response = await client.post(`/sessions/${session.id}/modifier`, { ...form, id: '999', access_code: 'BBBB22' })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, `/sessions/${session.id}`)
  t.match(await findSession(server, session.id), {
    id: session.id,
    access_code: 'GMPB26',
    site_name: 'Lycée Victor Hugo',
    room: 'B12',
    date: '2026-03-15',
    start_time: '14:30',
    invigilators: 'Ana Lopez, Eric Martin',
    observations: 'Tiers temps : 2 candidats',
  })
  const details = await client.get(`/sessions/${session.id}`)
  t.ok(details.body.includes(`Les modifications de la session ${session.id} ont été enregistrées.`))
  t.ok(details.body.includes('GMPB26'))
  // Emptying the observations clears them.
  await client.get(`/sessions/${session.id}/modifier`)
  await client.post(`/sessions/${session.id}/modifier`, { ...form, observations: '' })
  t.equal((await findSession(server, session.id)).observations, null)
})

t.test('edit: same validation, nothing changed on error', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  await client.get(`/sessions/${session.id}/modifier`)
  const response = await client.post(`/sessions/${session.id}/modifier`, {
    ...form,
    siteName: '',
    date: '31/02/2026',
    startTime: '24:00',
    room: 'x'.repeat(256),
  })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('<h1>Modification d’une session de certification</h1>'))
  for (const message of [
    'Veuillez indiquer un nom de site.',
    'Le nom de la salle ne doit pas dépasser 255 caractères.',
    'Veuillez indiquer une date de début (valide).',
    'Veuillez indiquer une heure de début (valide).',
  ]) {
    t.ok(response.body.includes(`<a href="#field-`) && response.body.includes(message), message)
  }
  t.equal(valueOf(response.body, 'invigilators'), 'Ana Lopez, Eric Martin', 'values typed are kept')
  t.equal(valueOf(response.body, 'date'), '31/02/2026')
  t.match(await findSession(server, session.id), { site_name: 'Centre Testix', room: '45', date: '2021-01-12' })
})

t.test('delete: a confirmation page, then the session and its candidates are gone', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  await createCandidate(server.db, session.id)
  await createCandidate(server.db, session.id, { first_name: 'Marc' })
  const confirm = await client.get(`/sessions/${session.id}/supprimer`)
  t.equal(confirm.statusCode, 200)
  t.ok(confirm.body.includes(`<h1>Supprimer la session ${session.id} ?</h1>`))
  t.ok(confirm.body.includes('La session et ses 2 candidats inscrits seront supprimés définitivement.'))
  t.match(confirm.body, new RegExp(`<a class="button button--secondary" href="/sessions/${session.id}">Annuler</a>`))
  t.match(confirm.body, /<button type="submit" class="button button--danger">Supprimer la session<\/button>/)
  t.ok(await findSession(server, session.id), 'the GET deletes nothing')

  const response = await client.post(`/sessions/${session.id}/supprimer`)
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/sessions')
  t.equal(await server.db.selectFrom('certification_session').selectAll().where('id', '=', session.id).executeTakeFirst(), undefined)
  t.equal((await server.db.selectFrom('candidate').selectAll().execute()).length, 0)
  const list = await client.get('/sessions')
  t.ok(list.body.includes(`La session ${session.id} a été supprimée.`))
  t.equal((await client.get(`/sessions/${session.id}`)).statusCode, 404)
})

t.test('delete: refused with the guide’s message once a candidate joined', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  await joinCandidate(server.db, await createCandidate(server.db, session.id))
  const message = 'Au moins un candidat a rejoint la session, vous ne pouvez pas la supprimer.'

  const page = await client.get(`/sessions/${session.id}/supprimer`)
  t.equal(page.statusCode, 303)
  t.equal(page.headers.location, `/sessions/${session.id}`)
  t.ok((await client.get(`/sessions/${session.id}`)).body.includes(message))

  const response = await client.post(`/sessions/${session.id}/supprimer`)
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, `/sessions/${session.id}`)
  t.ok((await client.get(`/sessions/${session.id}`)).body.includes(message))
  t.ok(await findSession(server, session.id), 'still there')
})

t.test('a finalised session is read-only: edit and delete refused with a clear message', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  await joinCandidate(server.db, await createCandidate(server.db, session.id))
  await finaliseSession(server.db, session.id)
  const details = `/sessions/${session.id}`

  // The one refusal of a finalised session (scope.ts, `openSession`): 409, when, and the way back.
  const refused = (response: { statusCode: number; body: string }, what: string) => {
    t.equal(response.statusCode, 409, `${what}: 409`)
    t.ok(
      response.body.includes('Cette session a été finalisée le') && response.body.includes('Ses informations ne peuvent plus être modifiées.'),
      `${what}: says why`,
    )
    t.ok(response.body.includes(`href="${details}"`), `${what}: back to the session`)
  }
  await client.get(details)
  refused(await client.post(`${details}/modifier`, form), 'POST modifier')
  t.match(await findSession(server, session.id), { site_name: 'Centre Testix' }, 'nothing changed')
  refused(await client.get(`${details}/modifier`), 'GET modifier')
  refused(await client.get(`${details}/supprimer`), 'GET supprimer')
  refused(await client.post(`${details}/supprimer`), 'POST supprimer')
  t.ok(await findSession(server, session.id))
})

t.test('a finalised session with nobody joined cannot be deleted either', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  await finaliseSession(server.db, session.id)
  t.equal((await client.get(`/sessions/${session.id}/supprimer`)).statusCode, 409)
  await client.get(`/sessions/${session.id}`)
  t.equal((await client.post(`/sessions/${session.id}/supprimer`)).statusCode, 409)
  t.ok(await findSession(server, session.id))
})

t.test('finalised between the check and the write: edit and delete answer the one page of a finalised session', async (t) => {
  const { server, race } = await buildWithRace(t)
  const { client, centreId, userId } = await loggedIn(server, { firstName: 'Anne', lastName: 'Roux' })
  const session = await createSession(server.db, centreId)
  const details = `/sessions/${session.id}`

  await client.get(`${details}/modifier`)
  race.finalise(session.id, userId)
  const edited = await client.post(`${details}/modifier`, form)
  t.ok(race.done, 'finalised after scope.ts let the request through')
  t.equal(edited.statusCode, 409)
  t.match(edited.body, /Cette session a été finalisée le .+ par Anne Roux\. Ses informations ne peuvent plus être modifiées\./)
  t.match(await findSession(server, session.id), { site_name: 'Centre Testix' }, 'nothing changed')

  const other = await createSession(server.db, centreId)
  await client.get(`/sessions/${other.id}/supprimer`)
  race.finalise(other.id, userId)
  const deleted = await client.post(`/sessions/${other.id}/supprimer`)
  t.ok(race.done)
  t.equal(deleted.statusCode, 409)
  t.match(deleted.body, /Cette session a été finalisée le .+ par Anne Roux\./)
  t.ok(await findSession(server, other.id), 'not deleted')
})
