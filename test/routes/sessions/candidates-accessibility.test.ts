import t from 'tap'
import { createCandidate, createSession, joinCandidate } from '../../factories.ts'
import { build, loggedIn, type Teardown } from '../../helper.ts'

/** Issue 15, item 7: a candidate's accessibility need, and item 12: the convocation language. */
async function setup(t: Teardown) {
  const server = await build(t)
  const member = await loggedIn(server)
  const session = await createSession(server.db, member.centreId)
  return { server, ...member, session, url: `/sessions/${session.id}/candidats` }
}

const form = {
  lastName: 'Neige',
  firstName: 'Jean',
  birthdate: '22/09/1987',
  birthCity: 'Montpellier',
  birthDepartment: '34',
  birthCountry: 'France',
  email: 'jean.neige@example.org',
  externalId: '',
  extraTime: '',
}
const stored = (server: Awaited<ReturnType<typeof setup>>['server'], sessionId: number) =>
  server.db
    .selectFrom('candidate')
    .select(['id', 'accessibility_needed', 'accessibility_note', 'convocation_language'])
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .execute()

t.test('add form: the checkbox, the optional detail and the language; stored and shown in the Accessibilité column', async (t) => {
  const { server, client, session, url } = await setup(t)
  const page = await client.get(`${url}/nouveau`)
  t.match(page.body, /<input id="field-accessibilityNeeded" name="accessibilityNeeded" type="checkbox" value="oui">/)
  t.ok(page.body.includes('Le candidat a besoin d’un aménagement'))
  t.ok(page.body.includes('Aménagement d’accessibilité numérique'))
  t.match(page.body, /name="accessibilityNote"[^>]*maxlength="200"/)
  t.match(page.body, /value="fr" checked/, 'French by default')
  const response = await client.post(`${url}/nouveau`, {
    ...form,
    accessibilityNeeded: 'oui',
    accessibilityNote: '  Tiers temps  et lecteur   d’écran ',
    convocationLanguage: 'en',
  })
  t.equal(response.statusCode, 303)
  t.same(
    (await stored(server, session.id)).map(({ id: _, ...r }) => r),
    [{ accessibility_needed: 1, accessibility_note: 'Tiers temps et lecteur d’écran', convocation_language: 'en' }],
  )
  const list = await client.get(url)
  t.ok(list.body.includes('<th scope="col">Accessibilité</th>'))
  t.match(
    list.body,
    /<td class="candidates-table__accessibility"[^>]*><span class="badge">Oui<\/span> <span class="candidates-table__note">Tiers temps et lecteur d’écran<\/span><\/td>/,
  )
  // without a need: an empty cell, French
  await client.post(`${url}/nouveau`, { ...form, lastName: 'Durand' })
  const rows = await stored(server, session.id)
  t.same(rows.map(({ id: _, ...r }) => r)[1], { accessibility_needed: 0, accessibility_note: null, convocation_language: 'fr' })
})

t.test('the detail: 200 characters at most, no control character, not without the box; values kept on error', async (t) => {
  const { server, client, session, url } = await setup(t)
  await client.get(`${url}/nouveau`)
  let response = await client.post(`${url}/nouveau`, { ...form, accessibilityNeeded: 'oui', accessibilityNote: 'a'.repeat(201) })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('200 caractères au maximum.'))
  t.match(response.body, /id="field-accessibilityNeeded"[^>]*checked/, 'the box stays ticked')
  response = await client.post(`${url}/nouveau`, { ...form, accessibilityNeeded: 'oui', accessibilityNote: 'un\u0007deux' })
  t.equal(response.statusCode, 400)
  t.match(response.body, /id="field-accessibilityNote-error"/)
  response = await client.post(`${url}/nouveau`, { ...form, accessibilityNote: 'Fauteuil' })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Cochez « Le candidat a besoin d’un aménagement » pour préciser l’aménagement, ou videz ce champ.'))
  response = await client.post(`${url}/nouveau`, { ...form, convocationLanguage: 'de' })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Choisissez le français ou l’anglais.'))
  t.same(await stored(server, session.id), [], 'nothing saved')
  // exactly 200 is fine
  response = await client.post(`${url}/nouveau`, { ...form, accessibilityNeeded: 'oui', accessibilityNote: 'é'.repeat(200) })
  t.equal(response.statusCode, 303)
})

t.test('editable until the candidate joins: prefilled, unticking removes the detail', async (t) => {
  const { server, client, session, url } = await setup(t)
  const candidate = await createCandidate(server.db, session.id, { accessibility_needed: 1, accessibility_note: 'Loupe', convocation_language: 'en' })
  const edit = await client.get(`${url}/${candidate.id}/modifier`)
  t.match(edit.body, /id="field-accessibilityNeeded"[^>]*checked/)
  t.match(edit.body, />Loupe<\/textarea>/)
  t.match(edit.body, /value="en" checked/)
  const response = await client.post(`${url}/${candidate.id}/modifier`, {
    lastName: 'Dupont',
    firstName: 'Julie',
    birthdate: '13/03/1996',
    birthCity: 'Le Havre',
    birthDepartment: '76',
    birthCountry: 'France',
    email: '',
    externalId: '',
    extraTime: '',
    convocationLanguage: 'fr',
  })
  t.equal(response.statusCode, 303)
  t.same(
    (await stored(server, session.id)).map(({ id: _, ...r }) => r),
    [{ accessibility_needed: 0, accessibility_note: null, convocation_language: 'fr' }],
  )
  await joinCandidate(server.db, candidate)
  const refused = await client.post(`${url}/${candidate.id}/modifier`, { ...form, accessibilityNeeded: 'oui' })
  t.equal(refused.statusCode, 303)
  t.equal((await stored(server, session.id))[0]!.accessibility_needed, 0, 'a joined candidate is no longer edited')
})

t.test('the mark on the attendance sheet and in the Espace surveillant', async (t) => {
  const { server, client, session } = await setup(t)
  await createCandidate(server.db, session.id, { last_name: 'Neige', first_name: 'Jean', accessibility_needed: 1, accessibility_note: 'Fauteuil roulant' })
  await createCandidate(server.db, session.id, { last_name: 'Durand', first_name: 'Michel', accessibility_needed: 1 })
  await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie' })
  const sheet = await client.get(`/sessions/${session.id}/impression/feuille-emargement`)
  t.equal(sheet.statusCode, 200)
  t.match(sheet.body, /Neige<span class="sheet-accessibility">Aménagement : Fauteuil roulant<\/span>/)
  t.match(sheet.body, /Durand<span class="sheet-accessibility">Aménagement<\/span>/)
  t.equal(sheet.body.match(/sheet-accessibility"/g)?.length, 2, 'only the candidates with a need')
  const supervision = await client.get(`/sessions/${session.id}/surveillance`)
  t.equal(supervision.statusCode, 200)
  t.match(supervision.body, /<span class="tag tag--accessibility">Aménagement : Fauteuil roulant<\/span>/)
  t.match(supervision.body, /<span class="tag tag--accessibility">Aménagement<\/span>/)
  t.equal(supervision.body.match(/tag--accessibility/g)?.length, 2)
})
