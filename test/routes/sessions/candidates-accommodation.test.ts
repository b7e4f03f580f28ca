import t from 'tap'
import { createCandidate, createSession } from '../../factories.ts'
import { build, loggedIn, type Teardown } from '../../helper.ts'

/** Who approved a candidate's extra time or accessibility need, and when: the form, the tab, the sheet, the Espace surveillant. */
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
  email: '',
  externalId: '',
  extraTime: '',
}
const stored = (server: Awaited<ReturnType<typeof setup>>['server'], sessionId: number) =>
  server.db
    .selectFrom('candidate')
    .select(['extra_time_percentage', 'accessibility_needed', 'accommodation_approved_by', 'accommodation_approved_on'])
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .execute()

t.test('add form: "accordé par" and "le" stored with the extra time, shown after it on the Candidats tab', async (t) => {
  const { server, client, session, url } = await setup(t)
  const page = await client.get(`${url}/nouveau`)
  t.match(page.body, /name="accommodationApprovedBy"[^>]*maxlength="100"/)
  t.match(page.body, /name="accommodationApprovedOn"/)
  t.ok(page.body.includes('Aménagement accordé par'))
  t.ok(page.body.includes('Aménagement accordé le'))
  const response = await client.post(`${url}/nouveau`, {
    ...form,
    extraTime: '33',
    accommodationApprovedBy: '  Mme   Martin ',
    accommodationApprovedOn: '2/9/2026',
  })
  t.equal(response.statusCode, 303)
  t.same(await stored(server, session.id), [
    { extra_time_percentage: 33, accessibility_needed: 0, accommodation_approved_by: 'Mme Martin', accommodation_approved_on: '2026-09-02' },
  ])
  const list = await client.get(url)
  t.match(list.body, /33 %<\/span> <span class="accommodation-approval">Accordé par Mme Martin le 02\/09\/2026<\/span><\/td>/)
  t.equal(list.body.match(/accommodation-approval"/g)?.length, 1, 'shown once, after the extra time')
})

t.test('with an accessibility need only: shown after the need; either field alone is fine', async (t) => {
  const { server, client, session, url } = await setup(t)
  let response = await client.post(`${url}/nouveau`, { ...form, accessibilityNeeded: 'oui', accommodationApprovedBy: 'Le médecin scolaire' })
  t.equal(response.statusCode, 303)
  response = await client.post(`${url}/nouveau`, { ...form, lastName: 'Durand', accessibilityNeeded: 'oui', accommodationApprovedOn: '01/10/2026' })
  t.equal(response.statusCode, 303)
  t.same(
    (await stored(server, session.id)).map((r) => [r.accommodation_approved_by, r.accommodation_approved_on]),
    [
      ['Le médecin scolaire', null],
      [null, '2026-10-01'],
    ],
  )
  const list = await client.get(url)
  t.match(list.body, /<span class="badge">Oui<\/span> <span class="accommodation-approval">Accordé par Le médecin scolaire<\/span><\/td>/)
  t.match(list.body, /<span class="badge">Oui<\/span> <span class="accommodation-approval">Accordé le 01\/10\/2026<\/span><\/td>/)
})

t.test('refused without extra time or need, too long, on two lines, an invalid or future date: clear messages, values kept', async (t) => {
  const { server, client, session, url } = await setup(t)
  await client.get(`${url}/nouveau`)
  let response = await client.post(`${url}/nouveau`, { ...form, accommodationApprovedBy: 'Mme Martin', accommodationApprovedOn: '02/09/2026' })
  t.equal(response.statusCode, 400)
  t.equal(
    response.body.match(/Ce candidat n’a ni temps majoré ni aménagement : indiquez-en un, ou videz ce champ\./g)?.length,
    4,
    'both fields, in the summary and at the field',
  )
  t.match(response.body, /name="accommodationApprovedBy"[^>]*value="Mme Martin"/)
  t.match(response.body, /name="accommodationApprovedOn"[^>]*value="02\/09\/2026"/)
  t.match(response.body, /name="lastName"[^>]*value="Neige"/)

  response = await client.post(`${url}/nouveau`, { ...form, extraTime: '25', accommodationApprovedBy: 'a'.repeat(101) })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('100 caractères au maximum.'))
  t.match(response.body, /name="extraTime"[^>]*value="25"/)

  response = await client.post(`${url}/nouveau`, { ...form, extraTime: '25', accommodationApprovedBy: 'Mme\nMartin' })
  t.equal(response.statusCode, 400)
  t.match(response.body, /id="field-accommodationApprovedBy-error"/)

  response = await client.post(`${url}/nouveau`, { ...form, extraTime: '25', accommodationApprovedOn: '31/02/2026' })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('« 31/02/2026 » n’est pas une date valide : indiquez la date de l’accord au format jj/mm/aaaa'))

  response = await client.post(`${url}/nouveau`, { ...form, extraTime: '25', accommodationApprovedOn: '01/01/2999' })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('La date de l’accord ne peut pas être dans le futur'))
  t.match(response.body, /name="accommodationApprovedOn"[^>]*value="01\/01\/2999"/)
  t.same(await stored(server, session.id), [], 'nothing written')
})

t.test('edit form: prefilled as typed, changed, and refused once the extra time is removed while they stay', async (t) => {
  const { server, client, session, url } = await setup(t)
  const candidate = await createCandidate(server.db, session.id, {
    extra_time_percentage: 33,
    accommodation_approved_by: 'Mme Martin',
    accommodation_approved_on: '2026-09-02',
  })
  const edit = await client.get(`${url}/${candidate.id}/modifier`)
  t.match(edit.body, /name="accommodationApprovedBy"[^>]*value="Mme Martin"/)
  t.match(edit.body, /name="accommodationApprovedOn"[^>]*value="02\/09\/2026"/)
  const values = { ...form, lastName: candidate.last_name, firstName: candidate.first_name }
  let response = await client.post(`${url}/${candidate.id}/modifier`, {
    ...values,
    extraTime: '',
    accommodationApprovedBy: 'Mme Martin',
    accommodationApprovedOn: '02/09/2026',
  })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Ce candidat n’a ni temps majoré ni aménagement'))
  response = await client.post(`${url}/${candidate.id}/modifier`, {
    ...values,
    extraTime: '50',
    accommodationApprovedBy: 'M. Durand',
    accommodationApprovedOn: '',
  })
  t.equal(response.statusCode, 303)
  t.same(await stored(server, session.id), [
    { extra_time_percentage: 50, accessibility_needed: 0, accommodation_approved_by: 'M. Durand', accommodation_approved_on: null },
  ])
  response = await client.post(`${url}/${candidate.id}/modifier`, { ...values, extraTime: '' })
  t.equal(response.statusCode, 303)
  t.same(
    await stored(server, session.id),
    [{ extra_time_percentage: null, accessibility_needed: 0, accommodation_approved_by: null, accommodation_approved_on: null }],
    'cleared together',
  )
})

t.test('on the attendance sheet (in the extra time cell, or after the need) and on the invigilator’s row', async (t) => {
  const { server, client, session } = await setup(t)
  await createCandidate(server.db, session.id, {
    last_name: 'Neige',
    first_name: 'Jean',
    extra_time_percentage: 33,
    accommodation_approved_by: 'Mme Martin',
    accommodation_approved_on: '2026-09-02',
  })
  await createCandidate(server.db, session.id, { last_name: 'Durand', first_name: 'Michel', accessibility_needed: 1, accommodation_approved_by: 'Dr Petit' })
  await createCandidate(server.db, session.id, { last_name: 'Zola', first_name: 'Émile' })
  const sheet = await client.get(`/sessions/${session.id}/impression/feuille-emargement`)
  t.equal(sheet.statusCode, 200)
  t.match(sheet.body, /<td[^>]*>33 % — Accordé par Mme Martin le 02\/09\/2026<\/td>/)
  t.match(sheet.body, /Durand<span class="sheet-accessibility">Aménagement — Accordé par Dr Petit<\/span>/)
  t.equal(sheet.body.match(/Accordé/g)?.length, 2, 'not for the candidate without any')
  const supervision = await client.get(`/sessions/${session.id}/surveillance`)
  t.equal(supervision.statusCode, 200)
  t.match(supervision.body, /<span class="accommodation-approval">Accordé par Mme Martin le 02\/09\/2026<\/span>/)
  t.match(supervision.body, /<span class="accommodation-approval">Accordé par Dr Petit<\/span>/)
  t.equal(supervision.body.match(/accommodation-approval"/g)?.length, 2)
})
