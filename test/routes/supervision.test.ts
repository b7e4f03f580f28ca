import t from 'tap'
import { hashToken } from '../../src/features/accounts/token.ts'
import { toTimestamp } from '../../src/lib/timestamps.ts'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../factories.ts'
import { build, buildWithRace, Client, loggedIn, stopTriesClock, type Teardown } from '../helper.ts'

type Server = Awaited<ReturnType<typeof build>>

async function setup(t: Teardown, overrides: Parameters<typeof build>[1] = {}) {
  const server = await build(t, overrides)
  const staff = await loggedIn(server, { centre: 'Centre A' })
  const session = await createSession(server.db, staff.centreId, { invigilator_password: 'K7QB2M' })
  const julie = await createCandidate(server.db, session.id, { first_name: 'Julie', last_name: 'Dupont' })
  const marc = await createCandidate(server.db, session.id, { first_name: 'Marc', last_name: 'Zola', birthdate: '1990-01-02', extra_time_percentage: 33 })
  return { server, staff, session, julie, marc }
}

/** A client seen from its own IP address. */
function clientFrom(server: Server, ip = '127.0.0.1') {
  const client = new Client(server)
  const request = client.request.bind(client)
  client.request = (options) => request({ ...options, remoteAddress: ip })
  return client
}

async function invigilatorOf(server: Server, sessionId: number, password = 'C-K7QB2M', ip?: string) {
  const client = clientFrom(server, ip)
  await client.get('/surveillance')
  const response = await client.post('/surveillance', { sessionNumber: String(sessionId), password })
  if (response.statusCode !== 303) throw new Error(`invigilator login failed: ${response.statusCode}`)
  await client.get(`/sessions/${sessionId}/surveillance`)
  return client
}

const rowUrl = (sessionId: number, candidateId: number, action: string) => `/sessions/${sessionId}/surveillance/candidats/${candidateId}/${action}`

async function attendance(server: Server, candidateId: number) {
  return server.db
    .selectFrom('candidate')
    .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .select(['candidate.presence_confirmed_at', 'candidate.has_seen_end_screen', 'certification_course.joined_at', 'certification_course.ended_at'])
    .where('candidate.id', '=', candidateId)
    .executeTakeFirstOrThrow()
}

t.test('the login page and its messages', async (t) => {
  const { server, session } = await setup(t)
  const client = new Client(server)
  const page = await client.get('/surveillance')
  t.equal(page.statusCode, 200)
  for (const text of ['Espace surveillant', 'Surveiller une session', 'Numéro de la session', 'Mot de passe de la session', 'Surveiller la session'])
    t.ok(page.body.includes(text), text)

  const empty = await client.post('/surveillance', { sessionNumber: '', password: '' })
  t.equal(empty.statusCode, 400)
  t.ok(empty.body.includes('Les champs « Numéro de la session » et « Mot de passe de la session » sont obligatoires.'))
  const half = await client.post('/surveillance', { sessionNumber: String(session.id), password: '' })
  t.ok(half.body.includes('sont obligatoires.'), 'one empty field is enough')

  const wrongMessage = 'Le numéro de session et/ou le mot de passe saisis sont incorrects.'
  const wrongPassword = await client.post('/surveillance', { sessionNumber: String(session.id), password: 'C-BBBBBB' })
  const wrongNumber = await client.post('/surveillance', { sessionNumber: '99999', password: 'C-K7QB2M' })
  const notANumber = await client.post('/surveillance', { sessionNumber: 'abc', password: 'C-K7QB2M' })
  for (const [label, r] of [
    ['wrong password', wrongPassword],
    ['unknown number', wrongNumber],
    ['not a number', notANumber],
  ] as const) {
    t.equal(r.statusCode, 400, label)
    t.ok(r.body.includes(wrongMessage), `${label}: the one message`)
    t.notOk(r.body.includes('K7QB2M'), `${label}: the typed password is not sent back`)
  }
  t.notOk(client.cookies.has('certisalle_surveillance'), 'no access given')
})

t.test('the password is accepted with or without "C-", in any case; the access has its own HttpOnly cookie', async (t) => {
  const { server, session } = await setup(t)
  for (const typed of ['C-K7QB2M', 'k7qb2m', 'c-k7qB2m', ' K7Q B2M ']) {
    const client = new Client(server)
    await client.get('/surveillance')
    const response = await client.post('/surveillance', { sessionNumber: ` ${session.id} `, password: typed })
    t.equal(response.statusCode, 303, typed)
    t.equal(response.headers.location, `/sessions/${session.id}/surveillance`)
    t.notOk(String(response.headers.location).includes('K7QB2M'), 'never in a URL')
    const cookie = (response.cookies as Array<{ name: string; value: string; httpOnly?: boolean; sameSite?: string; maxAge?: number }>).find(
      (c) => c.name === 'certisalle_surveillance',
    )
    t.ok(cookie?.httpOnly, 'HttpOnly')
    t.equal(cookie?.sameSite, 'Lax')
    t.ok(cookie!.maxAge! <= 24 * 3600 && cookie!.maxAge! > 23 * 3600, 'at most 24 hours')
    const stored = await server.db.selectFrom('invigilator_access').selectAll().where('id', '=', hashToken(cookie!.value)).executeTakeFirst()
    t.equal(stored?.session_id, session.id, 'the database keeps the hash of the token')
    t.equal(
      await server.db.selectFrom('invigilator_access').select('id').where('id', '=', cookie!.value).executeTakeFirst(),
      undefined,
      'never the token itself',
    )
  }
})

t.test('a finalised session cannot be supervised', async (t) => {
  const { server, session } = await setup(t)
  await finaliseSession(server.db, session.id)
  const client = new Client(server)
  await client.get('/surveillance')
  const response = await client.post('/surveillance', { sessionNumber: String(session.id), password: 'C-K7QB2M' })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes(`La session ${session.id} est finalisée : elle ne peut plus être surveillée.`))
  t.notOk(client.cookies.has('certisalle_surveillance'))
  const wrong = await client.post('/surveillance', { sessionNumber: String(session.id), password: 'C-BBBBBB' })
  t.ok(wrong.body.includes('sont incorrects'), 'with a wrong password, nothing is said about the session')
})

t.test('rate limits: per session number and per IP', async (t) => {
  // max 2 per window: per session number 3 × 2 = 6 tries; per IP 5 × 2 = 10.
  const { server, session } = await setup(t, { rateLimit: { max: 2, windowMs: 60_000 } })
  stopTriesClock(server)
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) {
    const client = clientFrom(server, `10.0.1.${i}`) // a different device each time, one session number
    await client.get('/surveillance')
    statuses.push((await client.post('/surveillance', { sessionNumber: String(session.id), password: 'C-BBBBBB' })).statusCode)
  }
  t.same(statuses, [400, 400, 400, 400, 400, 400, 429], 'per session number: 6 tries, then refused from any IP')

  const room = clientFrom(server, '10.0.2.1')
  await room.get('/surveillance')
  const fromOneIp: number[] = []
  for (let i = 0; i < 11; i++) fromOneIp.push((await room.post('/surveillance', { sessionNumber: String(1000 + i), password: 'C-BBBBBB' })).statusCode)
  t.same(fromOneIp, [...Array(10).fill(400), 429], 'per IP: 10 tries, whatever the session number')
  t.ok(
    (await room.post('/surveillance', { sessionNumber: '5', password: 'x' })).body.includes('Trop d’essais ont échoué'),
    'the login page says how long to wait',
  )
})

t.test('an invigilator access reaches its session’s invigilator pages and the kit, nothing else', async (t) => {
  const { server, staff, session, julie } = await setup(t)
  const other = await createSession(server.db, staff.centreId, { invigilator_password: 'QQQQ22' })
  const otherCentre = await loggedIn(server, { centre: 'Centre B' })
  const foreign = await createSession(server.db, otherCentre.centreId)
  const invigilator = await invigilatorOf(server, session.id)

  const page = await invigilator.get(`/sessions/${session.id}/surveillance`)
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes(`Surveiller la session n° ${session.id}`))
  t.equal((await invigilator.get(`/sessions/${session.id}/impression/kit-surveillant`)).statusCode, 200, 'the kit')
  t.equal((await invigilator.get(`/sessions/${session.id}/surveillance/liste`)).statusCode, 200, 'the refresh fragment')

  for (const url of [
    `/sessions/${other.id}/surveillance`,
    `/sessions/${foreign.id}/surveillance`,
    `/sessions/${other.id}/impression/kit-surveillant`,
    `/sessions/${other.id}/surveillance/liste`,
  ]) {
    t.equal((await invigilator.get(url)).statusCode, 404, `${url}: another session is 404`)
  }
  const post = await invigilator.post(rowUrl(other.id, julie.id, 'presence'))
  t.equal(post.statusCode, 404, 'an action on another session is 404')
  for (const url of [
    '/sessions',
    `/sessions/${session.id}`,
    `/sessions/${session.id}/candidats`,
    `/sessions/${session.id}/finalisation`,
    `/sessions/${session.id}/impression/feuille-emargement`,
    `/sessions/${session.id}/mot-de-passe-surveillant`,
  ]) {
    const response = await invigilator.get(url)
    t.equal(response.statusCode, 303, `${url}: a staff page`)
    t.match(response.headers.location, /^\/connexion/, `${url}: sends to the staff login`)
  }
  t.equal((await invigilator.post(`/sessions/${session.id}/mot-de-passe-surveillant`)).statusCode, 303)
  t.equal(
    (await server.db.selectFrom('certification_session').select('invigilator_password').where('id', '=', session.id).executeTakeFirstOrThrow())
      .invigilator_password,
    'K7QB2M',
    'nothing changed',
  )

  const anonymous = new Client(server)
  const refused = await anonymous.get(`/sessions/${session.id}/surveillance`)
  t.equal(refused.statusCode, 303, 'without an access: to the invigilator login')
  t.equal(refused.headers.location, '/surveillance')
})

t.test('the page: header, counter, statuses, times, empty state and search', async (t) => {
  const { server, staff, session, julie, marc } = await setup(t)
  const invigilator = await invigilatorOf(server, session.id)
  let page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  for (const text of [
    'Nom du site',
    'Salle',
    'Surveillant(s)',
    'Code d’accès (candidats)',
    session.access_code,
    'Kit surveillant',
    'Quitter la surveillance',
    'Actualiser la liste',
    'Liste à jour à',
    'Rechercher un candidat',
  ]) {
    t.ok(page.includes(text), text)
  }
  t.ok(page.includes('0/2 candidats présents'))
  t.ok(page.includes('Temps majoré : 33 %'))
  t.match(page, /id="candidat-\d+"[\s\S]*Inscrit/)

  await server.db.updateTable('candidate').set({ arrived_at: new Date().toISOString() }).where('id', '=', julie.id).execute()
  page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.match(page, new RegExp(`id="candidat-${julie.id}"[\\s\\S]*?En attente`), 'joined, not confirmed: En attente')
  await invigilator.post(rowUrl(session.id, julie.id, 'presence'))
  page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.match(page, new RegExp(`id="candidat-${julie.id}"[\\s\\S]*?Présent`))
  t.ok(page.includes('1/2 candidats présents'))

  const start = '2026-12-01T09:00:00.000Z' // 10:00 in Paris
  await server.db.updateTable('candidate').set({ presence_confirmed_at: start }).where('id', '=', marc.id).execute()
  await server.db.insertInto('certification_course').values({ session_id: session.id, candidate_id: marc.id, joined_at: start }).execute()
  page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.match(page, new RegExp(`id="candidat-${marc.id}"[\\s\\S]*?Début : 10:00[\\s\\S]*?Fin théorique : 12:20[\\s\\S]*?En cours`), '105 min + 33 % (35 min)')

  const search = (await invigilator.get(`/sessions/${session.id}/surveillance?recherche=zol`)).body
  t.ok(search.includes(`id="candidat-${marc.id}"`))
  t.notOk(search.includes(`id="candidat-${julie.id}"`), 'the search filters the list')
  t.ok(
    (await invigilator.get(`/sessions/${session.id}/surveillance?recherche=${encodeURIComponent('JULIE dupont')}`)).body.includes(`id="candidat-${julie.id}"`),
    'any case, first name first',
  )

  const empty = await createSession(server.db, staff.centreId, { invigilator_password: 'PPPP33' })
  const emptyInvigilator = await invigilatorOf(server, empty.id, 'C-PPPP33')
  t.ok((await emptyInvigilator.get(`/sessions/${empty.id}/surveillance`)).body.includes('Aucun candidat inscrit à cette session'))

  const fragment = await invigilator.get(`/sessions/${session.id}/surveillance/liste`)
  t.notOk(fragment.body.includes('<html'), 'the fragment has no layout')
  t.ok(fragment.body.includes('candidats présents'))
})

t.test('confirm ↔ cancel, end, end screen, each a 303 back to the row; who and when are recorded', async (t) => {
  const { server, session, julie } = await setup(t)
  const invigilator = await invigilatorOf(server, session.id)
  const accessId = (await server.db.selectFrom('invigilator_access').select('id').executeTakeFirstOrThrow()).id

  const confirmed = await invigilator.post(rowUrl(session.id, julie.id, 'presence'))
  t.equal(confirmed.statusCode, 303)
  t.equal(confirmed.headers.location, `/sessions/${session.id}/surveillance#candidat-${julie.id}`)
  t.ok((await attendance(server, julie.id)).presence_confirmed_at)
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('La présence de Julie Dupont est confirmée'))

  const again = await invigilator.post(rowUrl(session.id, julie.id, 'presence'))
  t.equal(again.statusCode, 303)
  t.ok(
    (await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Cette action n’est plus possible'),
    'confirming twice is refused with a message',
  )

  t.equal((await invigilator.post(rowUrl(session.id, julie.id, 'terminer'))).statusCode, 303)
  t.equal((await attendance(server, julie.id)).ended_at, null, 'no end before start')
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Cette action n’est plus possible'))
  await invigilator.post(rowUrl(session.id, julie.id, 'ecran-de-fin'), { vu: '1' })
  t.equal((await attendance(server, julie.id)).has_seen_end_screen, 0, 'no end screen before start')

  t.equal((await invigilator.post(rowUrl(session.id, julie.id, 'presence/annuler'))).statusCode, 303)
  t.equal((await attendance(server, julie.id)).presence_confirmed_at, null, 'cancelled')
  await invigilator.post(rowUrl(session.id, julie.id, 'presence'))

  // The candidate starts (the candidate page creates the course).
  await server.db.insertInto('certification_course').values({ session_id: session.id, candidate_id: julie.id, joined_at: new Date().toISOString() }).execute()
  await invigilator.post(rowUrl(session.id, julie.id, 'presence/annuler'))
  t.ok((await attendance(server, julie.id)).presence_confirmed_at, 'no cancellation once started')

  const step = await invigilator.get(`/sessions/${session.id}/surveillance?terminer=${julie.id}`)
  t.ok(
    step.body.includes('Terminer le test de Julie Dupont ? Attention : cette action entraîne la fin de son test de certification et est irréversible.'),
    'the confirmation step',
  )
  t.ok(step.body.includes('data-refresh-paused'), 'the refresh pauses while it is open')
  t.equal((await invigilator.post(rowUrl(session.id, julie.id, 'terminer'))).statusCode, 303)
  t.ok((await attendance(server, julie.id)).ended_at, 'ended')
  const page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.ok(page.includes('Succès ! Le test de Julie Dupont est terminé.'))
  t.match(page, new RegExp(`id="candidat-${julie.id}"[\\s\\S]*?Terminé`))

  await invigilator.post(rowUrl(session.id, julie.id, 'ecran-de-fin'), { vu: '1' })
  t.equal((await attendance(server, julie.id)).has_seen_end_screen, 1, 'end screen ticked')
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('aria-pressed="true"'))
  await invigilator.post(rowUrl(session.id, julie.id, 'ecran-de-fin'), { vu: '0' })
  t.equal((await attendance(server, julie.id)).has_seen_end_screen, 0, 'and unticked')

  const events = await server.db
    .selectFrom('supervision_event')
    .select(['action', 'candidate_id', 'access_id', 'user_id', 'at'])
    .where('session_id', '=', session.id)
    .orderBy('id')
    .execute()
  t.same(
    events.map((e) => e.action),
    ['confirm', 'cancel', 'confirm', 'end', 'end_screen_on', 'end_screen_off'],
    'each change recorded once; refused ones not at all',
  )
  t.ok(
    events.every((e) => e.access_id === accessId && e.user_id === null && e.candidate_id === julie.id && e.at),
    'by this invigilator access, with the time',
  )
})

t.test('incidents: the finalisation’s categories, recorded with the time and listed on the row', async (t) => {
  const { server, session, julie } = await setup(t)
  const invigilator = await invigilatorOf(server, session.id)
  await joinCandidate(server.db, julie)
  const form = await invigilator.get(`/sessions/${session.id}/surveillance?signalement=${julie.id}`)
  t.ok(form.body.includes('Signaler un incident — Julie Dupont'))
  t.ok(form.body.includes('name="categorie" value="technical_problem"'), 'the finalisation’s categories')
  t.ok(form.body.includes('data-refresh-paused'))

  const invalid = await invigilator.post(rowUrl(session.id, julie.id, 'signalement'), { categorie: 'technical_problem' })
  t.equal(invalid.statusCode, 400, 'A1 needs details')
  t.ok(invalid.body.includes('field__error'))

  const recorded = await invigilator.post(rowUrl(session.id, julie.id, 'signalement'), {
    categorie: 'technical_problem',
    details_technical_problem: 'Écran noir',
  })
  t.equal(recorded.statusCode, 303)
  t.equal(recorded.headers.location, `/sessions/${session.id}/surveillance#candidat-${julie.id}`)
  const report = await server.db.selectFrom('report').selectAll().where('session_id', '=', session.id).executeTakeFirstOrThrow()
  t.match(report, { candidate_id: julie.id, code: 'A1', category: 'technical_problem', details: 'Écran noir', source: 'invigilator' })
  t.ok(report.recorded_at && report.recorded_by_access_id, 'when and by which access')
  const page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.match(page, /A1<\/span> <span class="report-list__text">[^<]*— signalé pendant la session à \d\d:\d\d/)
})

t.test('staff reach the page from the details tab, act with their own login, and regenerate the password', async (t) => {
  const { server, staff, session, julie } = await setup(t)
  const details = await staff.client.get(`/sessions/${session.id}`)
  t.ok(details.body.includes('Mot de passe de session / Surveillant'))
  t.ok(details.body.includes('C-K7QB2M'))
  t.ok(details.body.includes(`href="/sessions/${session.id}/surveillance"`), '"Surveiller la session"')
  t.ok(details.body.includes('Générer un nouveau mot de passe'))
  t.ok((await staff.client.get(`/sessions/${session.id}/impression/kit-surveillant`)).body.includes('C-K7QB2M'), 'printed on the kit')

  const page = await staff.client.get(`/sessions/${session.id}/surveillance`)
  t.equal(page.statusCode, 200)
  t.notOk(page.body.includes('Quitter la surveillance'), 'staff have no invigilator access to leave')
  await staff.client.post(rowUrl(session.id, julie.id, 'presence'))
  const event = await server.db.selectFrom('supervision_event').selectAll().where('action', '=', 'confirm').executeTakeFirstOrThrow()
  t.match(event, { user_id: staff.userId, access_id: null }, 'recorded as the staff user')

  const invigilator = await invigilatorOf(server, session.id)
  const confirm = await staff.client.get(`/sessions/${session.id}/mot-de-passe-surveillant`)
  t.ok(confirm.body.includes('Oui, générer un nouveau mot de passe'), 'a confirmation step')
  const regenerated = await staff.client.post(`/sessions/${session.id}/mot-de-passe-surveillant`)
  t.equal(regenerated.statusCode, 303)
  const password = (await server.db.selectFrom('certification_session').select('invigilator_password').where('id', '=', session.id).executeTakeFirstOrThrow())
    .invigilator_password
  t.not(password, 'K7QB2M')
  t.match(password, /^[BCDFGHJKMPQRTVWXY2346789]{6}$/)
  t.notOk(String(regenerated.headers.location).includes(password), 'not in the URL')
  t.ok((await staff.client.get(`/sessions/${session.id}`)).body.includes(`C-${password}`))

  const ended = await invigilator.get(`/sessions/${session.id}/surveillance`)
  t.equal(ended.statusCode, 303, 'the open access ended')
  t.equal(ended.headers.location, '/surveillance')
  t.ok((await invigilator.get('/surveillance')).body.includes('Votre accès à la surveillance de cette session a pris fin.'))
  t.equal((await invigilator.post(rowUrl(session.id, julie.id, 'presence/annuler'))).statusCode, 303)
  t.ok((await attendance(server, julie.id)).presence_confirmed_at, 'an ended access changes nothing')
  const again = new Client(server)
  await again.get('/surveillance')
  t.equal((await again.post('/surveillance', { sessionNumber: String(session.id), password: 'C-K7QB2M' })).statusCode, 400, 'the old password no longer works')
  t.equal((await again.post('/surveillance', { sessionNumber: String(session.id), password: `C-${password}` })).statusCode, 303, 'the new one does')
})

t.test('"Quitter la surveillance" ends the access, after a confirmation step', async (t) => {
  const { server, session, julie } = await setup(t)
  const invigilator = await invigilatorOf(server, session.id)
  const confirm = await invigilator.get(`/sessions/${session.id}/surveillance/quitter`)
  t.ok(confirm.body.includes('Attention, assurez-vous que tous les candidats aient terminé leur test avant de quitter la surveillance.'))
  const left = await invigilator.post(`/sessions/${session.id}/surveillance/quitter`)
  t.equal(left.statusCode, 303)
  t.equal(left.headers.location, '/surveillance')
  t.notOk(invigilator.cookies.has('certisalle_surveillance'), 'the cookie is cleared')
  const row = await server.db.selectFrom('invigilator_access').select('ended_at').executeTakeFirstOrThrow()
  t.ok(row.ended_at, 'ended in the database')
  t.equal((await invigilator.get(`/sessions/${session.id}/surveillance`)).statusCode, 303)
  t.equal((await invigilator.post(rowUrl(session.id, julie.id, 'presence'))).statusCode, 303)
  t.equal((await attendance(server, julie.id)).presence_confirmed_at, null, 'nothing changed')
})

t.test('"Quitter la surveillance" on a finalised session: the page says the session is finalised, not "make sure everyone finished"', async (t) => {
  const { server, staff, session } = await setup(t)
  for (const method of ['get', 'post'] as const) {
    const invigilator = await invigilatorOf(server, session.id)
    await server.db.updateTable('certification_session').set({ finalised_at: null }).execute()
    await finaliseSession(server.db, session.id, staff.userId)
    const response = await invigilator[method](`/sessions/${session.id}/surveillance/quitter`)
    t.equal(response.statusCode, 409, `${method}: refused as everywhere on a finalised session`)
    t.ok(response.body.includes(`La session ${session.id} a été finalisée : la surveillance est terminée.`), `${method}: says why`)
    t.notOk(response.body.includes('assurez-vous que tous les candidats'), `${method}: no warning as if the session were open`)
    t.notOk(response.body.includes('Revenir à la surveillance'), `${method}: no way back to a supervision that is over`)
    t.notOk(invigilator.cookies.has('certisalle_surveillance'), `${method}: the access ends (cookie cleared)`)
    t.equal((await invigilator.get(`/sessions/${session.id}/surveillance`)).statusCode, 303, `${method}: and in the database`)
    await server.db.updateTable('certification_session').set({ finalised_at: null }).execute()
  }
})

t.test('the search matches names as the duplicate rule does (personNameKey)', async (t) => {
  const { server, session } = await setup(t)
  const damico = await createCandidate(server.db, session.id, { first_name: 'Julie', last_name: "D'Amico", birthdate: '1991-05-05' })
  const saint = await createCandidate(server.db, session.id, { first_name: 'Marc', last_name: 'Saint-Pierre', birthdate: '1992-05-05' })
  const invigilator = await invigilatorOf(server, session.id)
  const found = async (typed: string) => (await invigilator.get(`/sessions/${session.id}/surveillance?recherche=${encodeURIComponent(typed)}`)).body
  t.ok((await found('Damico')).includes(`id="candidat-${damico.id}"`), '"Damico" finds D\'Amico')
  t.ok((await found('d’amico julie')).includes(`id="candidat-${damico.id}"`), 'curly apostrophe, first name after')
  t.ok((await found('saintpierre')).includes(`id="candidat-${saint.id}"`), '"saintpierre" finds Saint-Pierre')
  const st = await found('St Pierre')
  t.notOk(st.includes(`id="candidat-${saint.id}"`), '"St Pierre" is another person, as at import')
})

t.test('an access expires after 24 hours; a replayed ended token gets nothing', async (t) => {
  const { server, session, julie } = await setup(t)
  const invigilator = await invigilatorOf(server, session.id)
  const token = invigilator.cookies.get('certisalle_surveillance')!
  await server.db
    .updateTable('invigilator_access')
    .set({ expires_at: toTimestamp(Date.now() - 1) })
    .execute()
  const response = await invigilator.post(rowUrl(session.id, julie.id, 'presence'))
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/surveillance')
  t.equal((await attendance(server, julie.id)).presence_confirmed_at, null, 'refused, nothing changed')
  const replay = new Client(server)
  replay.cookies.set('certisalle_surveillance', token)
  t.equal((await replay.get(`/sessions/${session.id}/surveillance`)).statusCode, 303)
})

t.test('a finalised session: the page says so, every action is refused, the access ends', async (t) => {
  const { server, staff, session, julie } = await setup(t)
  await joinCandidate(server.db, julie)
  const invigilator = await invigilatorOf(server, session.id)
  await finaliseSession(server.db, session.id, staff.userId)
  for (const [action, form] of [
    ['presence', {}],
    ['presence/annuler', {}],
    ['terminer', {}],
    ['ecran-de-fin', { vu: '1' }],
    ['signalement', { categorie: 'technical_problem', details_technical_problem: 'x' }],
  ] as const) {
    const before = await attendance(server, julie.id)
    const response = await staff.client.post(rowUrl(session.id, julie.id, action), form)
    t.equal(response.statusCode, 409, `${action} by staff: refused`)
    t.ok(response.body.includes('Cette session a été finalisée le'), 'with the one page of a finalised session')
    t.same(await attendance(server, julie.id), before, 'nothing changed')
  }
  t.equal((await server.db.selectFrom('report').select('id').execute()).length, 0)
  const page = await invigilator.get(`/sessions/${session.id}/surveillance`)
  t.equal(page.statusCode, 409)
  t.ok(page.body.includes('la surveillance est terminée'))
  t.equal((await invigilator.get(`/sessions/${session.id}/surveillance`)).statusCode, 303, 'the access has ended')
})

t.test('without a CSRF token, or with another access’s token, an action is refused', async (t) => {
  const { server, session, julie } = await setup(t)
  const invigilator = await invigilatorOf(server, session.id)
  const other = await invigilatorOf(server, session.id)
  t.equal((await invigilator.post(rowUrl(session.id, julie.id, 'presence'), { _csrf: '' })).statusCode, 403)
  t.equal((await invigilator.post(rowUrl(session.id, julie.id, 'presence'), { _csrf: other.csrf })).statusCode, 403, 'a token is bound to its access')
  t.equal((await attendance(server, julie.id)).presence_confirmed_at, null)
})

t.test('24 hours after the first start nobody may start: no confirm button, only "Terminer le test"', async (t) => {
  const { server, session, julie, marc } = await setup(t)
  const longAgo = new Date(Date.now() - 25 * 3600 * 1000).toISOString()
  await server.db.updateTable('candidate').set({ presence_confirmed_at: longAgo }).where('id', '=', marc.id).execute()
  await server.db.insertInto('certification_course').values({ session_id: session.id, candidate_id: marc.id, joined_at: longAgo }).execute()
  const invigilator = await invigilatorOf(server, session.id)
  const page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.ok(page.includes('Plus de 24 heures se sont écoulées depuis le premier démarrage de cette session'))
  t.notOk(page.includes(`action="${rowUrl(session.id, julie.id, 'presence')}"`), 'no confirm button')
  t.ok(page.includes(`terminer=${marc.id}`), '"Terminer le test" remains')
  await invigilator.post(rowUrl(session.id, julie.id, 'presence'))
  t.equal((await attendance(server, julie.id)).presence_confirmed_at, null, 'a confirmation is refused')
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('plus aucun candidat ne peut commencer son test.'))
  await invigilator.post(rowUrl(session.id, marc.id, 'terminer'))
  t.ok((await attendance(server, marc.id)).ended_at, 'ending a test still works')
})

t.test('two invigilators and staff at once: one consistent state', async (t) => {
  const { server, staff, session, julie, marc } = await setup(t)
  const a = await invigilatorOf(server, session.id)
  const b = await invigilatorOf(server, session.id)
  await Promise.all([
    a.post(rowUrl(session.id, julie.id, 'presence')),
    b.post(rowUrl(session.id, julie.id, 'presence')),
    staff.client.post(rowUrl(session.id, julie.id, 'presence')),
  ])
  const confirms = await server.db.selectFrom('supervision_event').select('id').where('action', '=', 'confirm').execute()
  t.equal(confirms.length, 1, 'three confirmations at once: one takes effect')

  await joinCandidate(server.db, marc)
  await Promise.all([a.post(rowUrl(session.id, marc.id, 'terminer')), b.post(rowUrl(session.id, marc.id, 'terminer'))])
  const ends = await server.db.selectFrom('supervision_event').select('id').where('action', '=', 'end').execute()
  t.equal(ends.length, 1, 'two ends at once: one')

  await Promise.all([a.post(rowUrl(session.id, julie.id, 'presence/annuler')), b.post(rowUrl(session.id, julie.id, 'presence/annuler'))])
  t.equal((await server.db.selectFrom('supervision_event').select('id').where('action', '=', 'cancel').execute()).length, 1)
  t.equal((await attendance(server, julie.id)).presence_confirmed_at, null)
})

t.test(
  'finalising ends every invigilator access of the session at once: the old cookie opens neither the kit nor the Espace surveillant (issue 23, item 8)',
  async (t) => {
    const { server, staff, session, julie } = await setup(t)
    await joinCandidate(server.db, julie)
    const first = await invigilatorOf(server, session.id)
    const second = await invigilatorOf(server, session.id, 'C-K7QB2M', '10.0.0.2')
    const kit = `/sessions/${session.id}/impression/kit-surveillant`
    t.equal((await first.get(kit)).statusCode, 200, 'the kit, before')
    const url = `/sessions/${session.id}/finalisation`
    await staff.client.post(url, { action: 'sauvegarder', ecran_fin: String(julie.id), choix_commentaire: 'none' })
    const version = /<input type="hidden" name="version" value="(\d+)">/.exec((await staff.client.get(`${url}/confirmation`)).body)?.[1] ?? 'missing'
    t.equal((await staff.client.post(`${url}/confirmation`, { version })).statusCode, 303, 'finalised')
    const open = await server.db.selectFrom('invigilator_access').select('id').where('session_id', '=', session.id).where('ended_at', 'is', null).execute()
    t.same(open, [], 'no access left open, recorded by the finalisation itself')
    for (const invigilator of [first, second]) {
      const response = await invigilator.get(kit)
      t.equal(response.statusCode, 303, 'the kit (with the password and the access code) is closed')
      t.notOk(response.body.includes('K7QB2M'))
      const page = await invigilator.get(`/sessions/${session.id}/surveillance`)
      t.equal(page.statusCode, 303)
      t.equal(page.headers.location, '/surveillance', 'the Espace surveillant sends to the invigilator login')
    }
    t.equal((await staff.client.get(kit)).statusCode, 200, 'staff still print the kit')
  },
)

t.test('what the invigilator recorded pre-fills the finalisation and the printables', async (t) => {
  const { server, staff, session, julie, marc } = await setup(t)
  const start = '2026-12-01T09:00:00.000Z' // 10:00 in Paris
  for (const c of [julie, marc]) {
    await server.db.updateTable('candidate').set({ presence_confirmed_at: start }).where('id', '=', c.id).execute()
    await server.db.insertInto('certification_course').values({ session_id: session.id, candidate_id: c.id, joined_at: start }).execute()
  }
  const invigilator = await invigilatorOf(server, session.id)
  await invigilator.post(rowUrl(session.id, julie.id, 'signalement'), { categorie: 'technical_problem', details_technical_problem: 'Écran noir' })
  await invigilator.post(rowUrl(session.id, julie.id, 'ecran-de-fin'), { vu: '1' })
  await invigilator.post(rowUrl(session.id, julie.id, 'terminer'))

  for (let i = 0; i < 2; i++) {
    const wizard = (await staff.client.get(`/sessions/${session.id}/finalisation`)).body
    t.match(
      wizard,
      /A1<\/span>\s*<span class="report-list__text">[^<]*<span class="report-list__live">— signalé pendant la session à \d\d:\d\d<\/span>/,
      'the report, marked',
    )
    t.match(wizard, new RegExp(`id="ecran-fin-${julie.id}" name="ecran_fin" value="${julie.id}" checked`), 'the end screen ticked')
    t.notMatch(wizard, new RegExp(`id="ecran-fin-${marc.id}" name="ecran_fin" value="${marc.id}" checked`), 'not for the other candidate')
    t.equal((wizard.match(/report-list__live/g) ?? []).length, 1, `opened ${i + 1} time(s): one report, nothing copied twice`)
  }
  t.equal((await server.db.selectFrom('report').select('id').execute()).length, 1)

  const pv = (await staff.client.get(`/sessions/${session.id}/impression/pv-incident`)).body
  t.match(pv, /<td>Julie Dupont<\/td><td>A1<\/td><td><\/td><td>Écran noir/, 'the PV d’incident lists the recorded report')
  const sheet = (await staff.client.get(`/sessions/${session.id}/impression/feuille-emargement`)).body
  t.match(sheet, /<td class="times">10:00 – \d\d:\d\d<\/td>/, 'the attendance sheet shows start and end')
  t.match(sheet, /<td class="times">10:00<\/td>/, 'a test not ended shows its start')

  // The report is removable like any other.
  const report = await server.db.selectFrom('report').select('id').executeTakeFirstOrThrow()
  await staff.client.get(`/sessions/${session.id}/finalisation`)
  t.equal((await staff.client.post(`/sessions/${session.id}/finalisation/signalements/${report.id}/supprimer`)).statusCode, 303)
  t.equal((await server.db.selectFrom('report').select('id').execute()).length, 0, 'removed')
  await invigilator.post(rowUrl(session.id, julie.id, 'signalement'), { categorie: 'technical_problem', details_technical_problem: 'Écran noir' })

  await staff.client.get(`/sessions/${session.id}/finalisation`)
  await staff.client.post(`/sessions/${session.id}/finalisation`, { ecran_fin: [String(julie.id)], choix_commentaire: 'none', action: 'valider' })
  const confirmation = (await staff.client.get(`/sessions/${session.id}/finalisation/confirmation`)).body
  const version = /<input type="hidden" name="version" value="(\d+)">/.exec(confirmation)?.[1] ?? 'missing'
  t.equal((await staff.client.post(`/sessions/${session.id}/finalisation/confirmation`, { version })).statusCode, 303)
  const summary = (await staff.client.get(`/sessions/${session.id}/finalisation/recapitulatif`)).body
  t.match(summary, /<td class="nowrap">10:00<\/td><td class="nowrap">\d\d:\d\d<\/td>/, 'the summary shows start and end')
  t.match(summary, /signalé pendant la session à \d\d:\d\d/)
})

// Issue 12, item 8: the Espace surveillant's changes are in the centre's history too, saying who.
t.test('changes made with the invigilator password are in the centre’s history, as the invigilator access', async (t) => {
  const { server, staff, session, julie } = await setup(t)
  const invigilator = await invigilatorOf(server, session.id)
  t.equal((await invigilator.post(rowUrl(session.id, julie.id, 'presence'))).statusCode, 303)
  await staff.client.get(`/sessions/${session.id}/surveillance`)
  t.equal((await staff.client.post(rowUrl(session.id, julie.id, 'presence/annuler'))).statusCode, 303)
  const entries = await server.db
    .selectFrom('history')
    .select(['actor_kind', 'actor_name', 'action', 'subject', 'centre_id', 'session_id'])
    .where('session_id', '=', session.id)
    .orderBy('id')
    .execute()
  t.same(entries, [
    {
      actor_kind: 'invigilator',
      actor_name: 'Surveillant (mot de passe de session)',
      action: 'presence_confirmed',
      subject: 'Julie Dupont',
      centre_id: staff.centreId,
      session_id: session.id,
    },
    { actor_kind: 'user', actor_name: 'Paul Martin', action: 'presence_cancelled', subject: 'Julie Dupont', centre_id: staff.centreId, session_id: session.id },
  ])
  const page = await staff.client.get(`/sessions/${session.id}`)
  t.ok(page.body.includes('Présence confirmée : Julie Dupont'), 'shown in the session’s Historique')
})

t.test('a new invigilator password asked for as the session is finalised: the one page of a finalised session, the password kept', async (t) => {
  const { server, race } = await buildWithRace(t)
  const staff = await loggedIn(server, { centre: 'Centre A', firstName: 'Anne', lastName: 'Roux' })
  const session = await createSession(server.db, staff.centreId, { invigilator_password: 'K7QB2M' })
  await staff.client.get(`/sessions/${session.id}/mot-de-passe-surveillant`)
  race.finalise(session.id, staff.userId)
  const response = await staff.client.post(`/sessions/${session.id}/mot-de-passe-surveillant`)
  t.ok(race.done, 'finalised after scope.ts let the request through')
  t.equal(response.statusCode, 409)
  t.match(response.body, /Cette session a été finalisée le .+ par Anne Roux\. Ses informations ne peuvent plus être modifiées\./)
  const row = await server.db.selectFrom('certification_session').select('invigilator_password').where('id', '=', session.id).executeTakeFirstOrThrow()
  t.equal(row.invigilator_password, 'K7QB2M', 'not replaced')
})

t.test('the refreshed list: 304 while nothing changed, the list again after a change', async (t) => {
  const { server, session, julie, marc } = await setup(t)
  const invigilator = await invigilatorOf(server, session.id)
  const url = `/sessions/${session.id}/surveillance/liste`
  const fetchList = (tag?: string) => invigilator.request({ method: 'GET', url, headers: tag ? { 'if-none-match': tag } : {} })

  const first = await fetchList()
  t.equal(first.statusCode, 200)
  const tag = String(first.headers.etag)
  t.match(tag, /^W\/"[\w-]+"$/, 'a weak entity tag')
  t.match(first.body, /<p class="supervision-updated" data-time="(\d\d:\d\d:\d\d)">Liste à jour à \1<\/p>/, 'the time of the list, also as data-time')
  t.equal((await fetchList()).headers.etag, tag, 'the same list, the same tag')

  const unchanged = await fetchList(tag)
  t.equal(unchanged.statusCode, 304, 'unchanged: 304')
  t.equal(unchanged.body, '', 'with no body')
  t.match(String(unchanged.headers['certisalle-updated']), /^\d\d:\d\d:\d\d$/, 'and the time of this check')

  t.equal((await invigilator.post(rowUrl(session.id, julie.id, 'presence'))).statusCode, 303)
  const changed = await fetchList(tag)
  t.equal(changed.statusCode, 200, 'a presence confirmed: the list again')
  t.not(changed.headers.etag, tag, 'with a new tag')
  t.ok(changed.body.includes('Annuler la confirmation'), 'showing the change')
  const running = String(changed.headers.etag)

  // A running test (with extra time): its clock is in the list, and still a 304 from one fetch to the next.
  await joinCandidate(server.db, marc)
  const started = await fetchList(running)
  t.equal(started.statusCode, 200, 'a candidate started: the list again')
  t.equal((await fetchList(String(started.headers.etag))).statusCode, 304, 'then 304 again while the test runs')

  const otherOrder = await invigilator.request({ method: 'GET', url: `${url}?tri=nom`, headers: { 'if-none-match': String(started.headers.etag) } })
  t.equal(otherOrder.statusCode, 200, 'another order is another list')
})
