import t from 'tap'
import { createCandidate, createSession, finaliseSession } from '../factories.ts'
import { build, Client, loggedIn, type Teardown } from '../helper.ts'

/** Text of a page as a person reads it (entities decoded). */
const text = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
const WAITING =
  'Votre surveillant n’a pas confirmé votre présence dans la salle de test. Vous ne pouvez donc pas encore commencer votre test de certification. Merci de prévenir votre surveillant.'
const identity = (sessionId: number) => ({
  sessionNumber: String(sessionId),
  firstName: 'Julie',
  lastName: 'Dupont',
  birthDay: '13',
  birthMonth: '03',
  birthYear: '1996',
})

async function setup(t: Teardown) {
  const server = await build(t)
  const staff = await loggedIn(server)
  const session = await createSession(server.db, staff.centreId, { access_code: 'GMPB26' })
  const julie = await createCandidate(server.db, session.id)
  return { server, staff, session, julie }
}

async function typeCode(server: Awaited<ReturnType<typeof build>>, sessionId: number) {
  const candidate = new Client(server)
  await candidate.get('/rejoindre')
  await candidate.post('/rejoindre', identity(sessionId))
  const response = await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })
  return { candidate, response }
}

const course = (server: Awaited<ReturnType<typeof build>>, candidateId: number) =>
  server.db.selectFrom('certification_course').selectAll().where('candidate_id', '=', candidateId).executeTakeFirst()

t.test('a candidate waits for the invigilator, retries without typing again, then starts', async (t) => {
  const { server, staff, session, julie } = await setup(t)
  const { candidate, response } = await typeCode(server, session.id)
  t.equal(response.statusCode, 200)
  t.ok(text(response.body).includes(WAITING), 'the waiting message')
  t.ok(text(response.body).includes('J’ai prévenu mon surveillant, réessayer'))
  t.notOk(response.body.includes('N° de certification'))
  t.equal(await course(server, julie.id), undefined, 'not started')
  const arrived = await server.db.selectFrom('candidate').select('arrived_at').where('id', '=', julie.id).executeTakeFirstOrThrow()
  t.ok(arrived.arrived_at, 'the invigilator sees "En attente"')
  t.match((await staff.client.get(`/sessions/${session.id}/surveillance`)).body, /En attente/)

  const waitingCookie = (headers: Record<string, unknown>) =>
    ([headers['set-cookie'] ?? []].flat() as string[]).filter((line) => line.startsWith('certisalle_waiting='))
  t.equal(waitingCookie(response.headers).length, 1, 'the access code sets the waiting cookie')
  const again = await candidate.post('/rejoindre/reessayer')
  t.equal(again.statusCode, 200)
  t.ok(text(again.body).includes(WAITING), 'still waiting until confirmed')
  t.same(waitingCookie(again.headers), [], 'a retry that still waits leaves the waiting cookie as it is (its 4 hours count from the code)')

  await staff.client.post(`/sessions/${session.id}/surveillance/candidats/${julie.id}/presence`)
  const started = await candidate.post('/rejoindre/reessayer')
  t.equal(started.statusCode, 303, 'confirmed: the retry starts the test')
  t.equal(started.headers.location, '/rejoindre')
  const result = await candidate.get('/rejoindre')
  const started1 = await course(server, julie.id)
  t.ok(started1, 'this moment is the start')
  t.ok(result.body.includes('N° de certification'))
  t.ok(result.body.includes(`<dd>${started1!.id}</dd>`))
  t.ok(text(result.body).includes('vous pouvez commencer votre test de certification'))
  t.match((await staff.client.get(`/sessions/${session.id}/surveillance`)).body, /Début : \d\d:\d\d[\s\S]*En cours/)

  // Closed the page: the same steps give the same number.
  const { candidate: back, response: reentered } = await typeCode(server, session.id)
  t.equal(reentered.statusCode, 303)
  t.ok((await back.get('/rejoindre')).body.includes(`<dd>${started1!.id}</dd>`), 'the same number')
  t.equal((await server.db.selectFrom('certification_course').select('id').execute()).length, 1, 'never a second course')
  t.equal((await course(server, julie.id))!.joined_at, started1!.joined_at, 'the start is not moved')

  // Ended by the invigilator.
  await staff.client.post(`/sessions/${session.id}/surveillance/candidats/${julie.id}/terminer`)
  t.ok((await back.get('/rejoindre')).body.includes('Votre test est terminé.'), 'on the result page')
  const { response: afterEnd } = await typeCode(server, session.id)
  t.ok(afterEnd.body.includes('Votre test est terminé.'), 'and when entering again')
})

t.test('the retry needs the waiting cookie; a finalised session or closed entry is said clearly', async (t) => {
  const { server, staff, session, julie } = await setup(t)
  const stranger = new Client(server)
  await stranger.get('/rejoindre')
  const expired = await stranger.post('/rejoindre/reessayer')
  t.equal(expired.statusCode, 400)
  t.ok(expired.body.includes('Votre saisie a expiré'))

  const { candidate } = await typeCode(server, session.id)
  await server.db.updateTable('candidate').set({ presence_confirmed_at: new Date().toISOString() }).where('id', '=', julie.id).execute()
  // Someone else started more than 24 hours ago.
  const other = await createCandidate(server.db, session.id, { last_name: 'Zola', presence_confirmed_at: new Date().toISOString() })
  await server.db
    .insertInto('certification_course')
    .values({ session_id: session.id, candidate_id: other.id, joined_at: new Date(Date.now() - 25 * 3600 * 1000).toISOString() })
    .execute()
  const closed = await candidate.post('/rejoindre/reessayer')
  t.equal(closed.statusCode, 400)
  t.ok(closed.body.includes('Plus de 24 heures se sont écoulées depuis le début de cette session'))
  t.equal(await course(server, julie.id), undefined, 'no start')

  const second = await createSession(server.db, staff.centreId, { access_code: 'GMPB27' })
  const marc = await createCandidate(server.db, second.id)
  const waiting = new Client(server)
  await waiting.get('/rejoindre')
  await waiting.post('/rejoindre', identity(second.id))
  await waiting.post('/rejoindre/code', { accessCode: 'GMPB27' })
  await finaliseSession(server.db, second.id)
  const finalised = await waiting.post('/rejoindre/reessayer')
  t.ok(finalised.body.includes('Cette session est terminée'), 'finalised while waiting')
  t.equal(await course(server, marc.id), undefined)
})
