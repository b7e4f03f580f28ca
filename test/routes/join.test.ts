import t from 'tap'
import { createCandidate, createSession, finaliseSession } from '../factories.ts'
import { build, Client, createMember } from '../helper.ts'

/** Text of a page as a person reads it (entities decoded). */
function text(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
}

async function setup(t: Parameters<typeof build>[0], overrides: Parameters<typeof build>[1] = {}) {
  const server = await build(t, overrides)
  const { centreId } = await createMember(server)
  const session = await createSession(server.db, centreId, { access_code: 'GMPB26' })
  // The invigilator has confirmed their presence (Espace surveillant; the waiting step is tested in supervision-join.test.ts).
  const confirmed = { presence_confirmed_at: new Date().toISOString() }
  const julie = await createCandidate(server.db, session.id, confirmed)
  await createCandidate(server.db, session.id, { last_name: 'Durand', first_name: 'Michel', birthdate: '2001-05-06', ...confirmed })
  const candidate = new Client(server)
  await candidate.get('/rejoindre')
  return { server, centreId, session, julie, candidate }
}

const identity = (sessionId: number, values: Record<string, string> = {}) => ({
  sessionNumber: String(sessionId),
  firstName: 'Julie',
  lastName: 'Dupont',
  birthDay: '13',
  birthMonth: '03',
  birthYear: '1996',
  ...values,
})

t.test('the candidate page is public and asks for the four details', async (t) => {
  const { candidate } = await setup(t)
  const page = await candidate.get('/rejoindre')
  t.equal(page.statusCode, 200)
  for (const label of [
    'Rejoindre une session de certification',
    'Numéro de session',
    'Prénom',
    'Nom de naissance',
    'Date de naissance',
    'Jour',
    'Mois',
    'Année',
  ]) {
    t.ok(text(page.body).includes(label), label)
  }
  t.match(page.body, /name="_csrf"/)
})

t.test('a candidate joins: names typed loosely, right code in lower case → one course and the result page', async (t) => {
  const { server, session, julie, candidate } = await setup(t)
  const step1 = await candidate.post('/rejoindre', identity(session.id, { firstName: ' JULIE ', lastName: 'dupônt', birthDay: '13', birthMonth: '3' }))
  t.equal(step1.statusCode, 200)
  t.ok(text(step1.body).includes(`Vous demandez à rejoindre la session ${session.id} en tant que`))
  t.ok(step1.body.includes('JULIE dupônt'), 'the details as typed (nothing is confirmed yet)')
  t.ok(step1.body.includes('né(e) le 13/03/1996'))
  t.ok(step1.body.includes('Code d’accès'))
  t.notOk(step1.body.includes('GMPB26'), 'the code is never shown to the candidate')

  const step2 = await candidate.post('/rejoindre/code', { accessCode: 'gmpb26' })
  t.equal(step2.statusCode, 303)
  t.equal(step2.headers.location, '/rejoindre')
  const courses = await server.db.selectFrom('certification_course').selectAll().execute()
  t.equal(courses.length, 1)
  t.equal(courses[0]!.candidate_id, julie.id)
  t.equal(courses[0]!.session_id, session.id)
  t.ok(courses[0]!.joined_at, 'join time stored')

  const result = await candidate.get('/rejoindre')
  t.equal(result.statusCode, 200)
  const body = text(result.body)
  t.ok(body.includes('Vous avez rejoint la session'))
  t.ok(body.includes('N° de certification'))
  t.match(result.body, new RegExp(`<dd>${courses[0]!.id}</dd>`))
  t.match(result.body, new RegExp(`<dd>${session.id}</dd>`))
  t.ok(body.includes('Julie Dupont'))
  t.ok(body.includes('Et maintenant ?'))
})

t.test('joining again (same device or another one) shows the same number, never a second course', async (t) => {
  const { server, session, candidate } = await setup(t)
  await candidate.post('/rejoindre', identity(session.id))
  await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })
  const first = await server.db.selectFrom('certification_course').select('id').executeTakeFirstOrThrow()

  // Same device, the identity typed again.
  await candidate.get('/rejoindre?nouveau')
  await candidate.post('/rejoindre', identity(session.id))
  t.equal((await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })).statusCode, 303)
  t.match((await candidate.get('/rejoindre')).body, new RegExp(`<dd>${first.id}</dd>`))

  // Another browser.
  const other = new Client(server)
  await other.get('/rejoindre')
  await other.post('/rejoindre', identity(session.id, { firstName: 'julie', lastName: 'DUPONT' }))
  await other.post('/rejoindre/code', { accessCode: 'GMPB26' })
  t.match((await other.get('/rejoindre')).body, new RegExp(`<dd>${first.id}</dd>`))

  t.equal((await server.db.selectFrom('certification_course').selectAll().execute()).length, 1)
})

t.test('certification numbers are sequential across the server', async (t) => {
  const { server, session, candidate } = await setup(t)
  const { centreId: otherCentre } = await createMember(server, { centre: 'Lycée Voltaire' })
  const otherSession = await createSession(server.db, otherCentre, { access_code: 'BCDF22' })
  await createCandidate(server.db, otherSession.id, {
    first_name: 'Jean',
    last_name: 'Neige',
    birthdate: '1987-09-22',
    presence_confirmed_at: new Date().toISOString(),
  })
  await candidate.post('/rejoindre', identity(session.id))
  await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })
  const jean = new Client(server)
  await jean.get('/rejoindre')
  await jean.post('/rejoindre', identity(otherSession.id, { firstName: 'Jean', lastName: 'Neige', birthDay: '22', birthMonth: '09', birthYear: '1987' }))
  await jean.post('/rejoindre/code', { accessCode: 'BCDF22' })
  const ids = (await server.db.selectFrom('certification_course').select('id').orderBy('id').execute()).map((r) => r.id)
  t.same(ids, [ids[0], ids[0]! + 1])
})

t.test('field errors: 400, French messages, values kept', async (t) => {
  const { candidate } = await setup(t)
  const response = await candidate.post('/rejoindre', {
    sessionNumber: 'abc',
    firstName: '',
    lastName: 'Dupont',
    birthDay: '31',
    birthMonth: '02',
    birthYear: '2000',
  })
  t.equal(response.statusCode, 400)
  const body = text(response.body)
  t.ok(body.includes('Le numéro de session ne contient que des chiffres'))
  t.ok(body.includes('Veuillez indiquer votre prénom.'))
  t.ok(body.includes('Cette date de naissance n’existe pas.'))
  t.match(response.body, /value="abc"/)
  t.match(response.body, /id="field-birthdate" name="birthDay"[^>]*value="31"[^>]*aria-invalid="true"/)
  t.match(response.body, /href="#field-sessionNumber"/)
})

/** A page's text with what legitimately differs between two answers (typed number, CSRF token) blanked. */
function comparable(html: string, sessionNumber: number) {
  return text(html)
    .replace(/name="_csrf" value="[^"]*"/g, '')
    .replace(new RegExp(`(session |value=")${sessionNumber}\\b`, 'g'), '$1N')
}

t.test('step 1 answers alike for an unknown session, a finalised one and a person who is not listed', async (t) => {
  const { server, centreId, session, candidate } = await setup(t)
  const closed = await createSession(server.db, centreId, { access_code: 'RTVW46' })
  await createCandidate(server.db, closed.id)
  await finaliseSession(server.db, closed.id)
  const other = await createSession(server.db, centreId, { access_code: 'KMPQ34' })
  await createCandidate(server.db, other.id, { first_name: 'Jean', last_name: 'Neige', birthdate: '1987-09-22' })
  // Same details everywhere; the number is the only thing typed differently.
  const cases: Array<[string, number]> = [
    ['listed', session.id],
    ['unknown session', other.id + 1000],
    ['finalised session', closed.id],
    ['not listed in this session (listed elsewhere)', other.id],
  ]
  const answers = []
  for (const [name, number] of cases) {
    const response = await candidate.post('/rejoindre', identity(number))
    answers.push({ name, status: response.statusCode, body: comparable(response.body, number) })
  }
  for (const answer of answers.slice(1)) {
    t.equal(answer.status, answers[0]!.status, `${answer.name}: same status`)
    t.equal(answer.body, answers[0]!.body, `${answer.name}: same page`)
  }
  t.equal(answers[0]!.status, 200)
  t.ok(answers[0]!.body.includes('Code d’accès'), 'every answer asks for the access code')
})

t.test('step 2: any miss gives one message and the identity form with the typed values', async (t) => {
  const { server, centreId, session, candidate } = await setup(t)
  const closed = await createSession(server.db, centreId, { access_code: 'RTVW46' })
  await createCandidate(server.db, closed.id)
  await finaliseSession(server.db, closed.id)
  const cases: Array<[string, Record<string, string>, string]> = [
    ['wrong code', identity(session.id), 'GMPB27'],
    ['unknown session', identity(session.id + 1000), 'GMPB26'],
    ['not listed', identity(session.id, { birthYear: '1997' }), 'GMPB26'],
    ['finalised session, wrong code', identity(closed.id), 'GMPB26'],
  ]
  const pages = new Set<string>()
  for (const [name, form, code] of cases) {
    await candidate.post('/rejoindre', form)
    const response = await candidate.post('/rejoindre/code', { accessCode: code })
    t.equal(response.statusCode, 400, name)
    const body = text(response.body)
    t.ok(body.includes('Vérifiez le numéro de session et vos informations'), name)
    t.notOk(body.includes('Michel') || body.includes('Durand') || body.includes('julie.dupont@'), `${name}: nobody else named`)
    t.match(response.body, new RegExp(`name="sessionNumber"[^>]*value="${form.sessionNumber}"`), `${name}: the number kept`)
    t.match(response.body, /name="lastName"[^>]*value="Dupont"/, `${name}: the names kept`)
    t.match(response.body, new RegExp(`name="birthYear"[^>]*value="${form.birthYear}"`), `${name}: the date kept`)
    pages.add(comparable(response.body, Number(form.sessionNumber)).replace(/value="[^"]*"/g, ''))
  }
  t.equal(pages.size, 1, 'the same page for every miss')
  t.equal((await server.db.selectFrom('certification_course').selectAll().execute()).length, 0)
})

t.test('with the right code: two matching candidates and a finalised session have their own messages', async (t) => {
  const { server, centreId, candidate } = await setup(t)
  const twins = await createSession(server.db, centreId, { access_code: 'KMPQ34' })
  await createCandidate(server.db, twins.id)
  await createCandidate(server.db, twins.id, { last_name: 'DUPONT', email: null })
  await candidate.post('/rejoindre', identity(twins.id))
  const several = await candidate.post('/rejoindre/code', { accessCode: 'KMPQ34' })
  t.equal(several.statusCode, 400)
  t.ok(text(several.body).includes('Ces informations correspondent à plusieurs inscriptions dans cette session'))
  await candidate.post('/rejoindre', identity(twins.id))
  const wrong = await candidate.post('/rejoindre/code', { accessCode: 'KMPQ35' })
  t.notOk(text(wrong.body).includes('plusieurs inscriptions'), 'not before the code is right')

  const closed = await createSession(server.db, centreId, { access_code: 'RTVW46' })
  await createCandidate(server.db, closed.id)
  await finaliseSession(server.db, closed.id)
  await candidate.post('/rejoindre', identity(closed.id))
  const finalised = await candidate.post('/rejoindre/code', { accessCode: 'RTVW46' })
  t.equal(finalised.statusCode, 400)
  t.ok(text(finalised.body).includes('Cette session est terminée : il n’est plus possible de la rejoindre.'))
  t.equal((await server.db.selectFrom('certification_course').selectAll().execute()).length, 0)
})

t.test('wrong access code: no course; the details typed again and the right code work', async (t) => {
  const { server, session, candidate } = await setup(t)
  const step1 = await candidate.post('/rejoindre', identity(session.id))
  t.match(step1.body, /href="\/rejoindre\?modifier"/)
  const empty = await candidate.post('/rejoindre/code', { accessCode: '' })
  t.equal(empty.statusCode, 400)
  t.ok(text(empty.body).includes('Veuillez indiquer le code d’accès'))
  t.ok(empty.body.includes('Julie Dupont'), 'still step 2')
  const back = await candidate.get('/rejoindre?modifier')
  t.match(back.body, /name="firstName"[^>]*value="Julie"/, '"Modifier" fills the form with what was typed')
  const wrong = await candidate.post('/rejoindre/code', { accessCode: 'GMPB27' })
  t.equal(wrong.statusCode, 400)
  t.ok(text(wrong.body).includes('Vérifiez le numéro de session et vos informations'))
  t.equal((await server.db.selectFrom('certification_course').selectAll().execute()).length, 0)
  await candidate.post('/rejoindre', identity(session.id))
  t.equal((await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })).statusCode, 303)
})

t.test('step 2 trusts only the signed cookie: none, forged or another session’s candidate → start again', async (t) => {
  const { server, session, julie, candidate } = await setup(t)
  const fresh = new Client(server)
  await fresh.get('/rejoindre')
  const none = await fresh.post('/rejoindre/code', { accessCode: 'GMPB26' })
  t.equal(none.statusCode, 400)
  t.ok(text(none.body).includes('Votre saisie a expiré.'))

  const unsigned = Buffer.from(JSON.stringify([session.id, 'Julie', 'Dupont', '1996-03-13', Date.now() + 60_000])).toString('base64url')
  fresh.cookies.set('certisalle_join', unsigned)
  const forged = await fresh.post('/rejoindre/code', { accessCode: 'GMPB26', candidateId: String(julie.id) })
  t.equal(forged.statusCode, 400)
  t.ok(text(forged.body).includes('Votre saisie a expiré.'))
  t.equal((await server.db.selectFrom('certification_course').selectAll().execute()).length, 0)

  // A well-signed cookie is still checked against the database: the candidate removed meanwhile.
  await candidate.post('/rejoindre', identity(session.id))
  await server.db.deleteFrom('candidate').where('id', '=', julie.id).execute()
  const gone = await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })
  t.equal(gone.statusCode, 400)
  t.ok(text(gone.body).includes('Vérifiez le numéro de session et vos informations'))
})

t.test('a session finalised between the two steps cannot be joined', async (t) => {
  const { server, session, candidate } = await setup(t)
  await candidate.post('/rejoindre', identity(session.id))
  await finaliseSession(server.db, session.id)
  const response = await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })
  t.equal(response.statusCode, 400)
  t.ok(text(response.body).includes('Cette session est terminée'))
  t.equal((await server.db.selectFrom('certification_course').selectAll().execute()).length, 0)
})

t.test('a joined candidate whose session is finalised sees no result page any more on a new try', async (t) => {
  const { server, session, candidate } = await setup(t)
  await candidate.post('/rejoindre', identity(session.id))
  await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })
  await finaliseSession(server.db, session.id)
  await candidate.get('/rejoindre?nouveau')
  await candidate.post('/rejoindre', identity(session.id))
  const again = await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })
  t.equal(again.statusCode, 400)
  t.ok(text(again.body).includes('Cette session est terminée'))
})

t.test('"nouveau" clears the result so the next person on this computer starts afresh', async (t) => {
  const { session, candidate } = await setup(t)
  await candidate.post('/rejoindre', identity(session.id))
  await candidate.post('/rejoindre/code', { accessCode: 'GMPB26' })
  t.ok((await candidate.get('/rejoindre')).body.includes('N° de certification'))
  const fresh = await candidate.get('/rejoindre?nouveau')
  t.ok(fresh.body.includes('name="sessionNumber"'))
  t.ok((await candidate.get('/rejoindre')).body.includes('name="sessionNumber"'), 'stays on step 1')
})

t.test('CSRF is checked on the public form too', async (t) => {
  const { session, candidate } = await setup(t)
  const response = await candidate.post('/rejoindre', { ...identity(session.id), _csrf: 'forged' })
  t.equal(response.statusCode, 403)
})
