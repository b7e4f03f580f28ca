import t from 'tap'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../../factories.ts'
import { build, loggedIn, type Teardown } from '../../helper.ts'

async function setup(t: Teardown) {
  const server = await build(t)
  const member = await loggedIn(server)
  const session = await createSession(server.db, member.centreId)
  return { server, ...member, session, url: `/sessions/${session.id}/candidats` }
}
const names = async (server: Awaited<ReturnType<typeof setup>>['server'], sessionId: number) =>
  (await server.db.selectFrom('candidate').select('last_name').where('session_id', '=', sessionId).orderBy('id').execute()).map((r) => r.last_name)

const form = {
  lastName: ' Neige ',
  firstName: 'Jean',
  birthdate: '22/9/1987',
  birthCity: 'Montpellier',
  birthDepartment: '34',
  birthCountry: 'france',
  email: 'jean.neige@example.org',
  externalId: 'E-42',
  extraTime: '33 %',
}

t.test('the Candidats tab has the guide wording, empty then with the table', async (t) => {
  const { server, client, session, url } = await setup(t)
  let page = await client.get(url)
  t.equal(page.statusCode, 200)
  for (const text of [
    'Ajouter des candidats',
    'Télécharger la feuille d’émargement',
    'Renseignez les informations des candidats (Nom, Prénom, ...)',
    'Télécharger (.ods)',
    'Importer la feuille d’émargement',
    'Attention, tout nouvel import efface la liste des candidats existante.',
    'Importer (.ods)',
    'Liste des candidats (0)',
    'Ajouter un candidat',
    'En attente de candidats',
  ]) {
    t.ok(page.body.includes(text), text)
  }
  t.match(page.body, /<form method="post" action="[^"]+\/import" enctype="multipart\/form-data"/)
  t.match(page.body, /type="file"[^>]*name="fichier"|name="fichier"[^>]*type="file"/)
  await createCandidate(server.db, session.id, { extra_time_percentage: 33, external_id: 'ABC-1' })
  page = await client.get(url)
  for (const text of [
    'Liste des candidats (1)',
    'Nom de naissance',
    'Département de naissance',
    'Identifiant externe',
    'Temps majoré',
    '33 %',
    'ABC-1',
    '13/03/1996',
  ]) {
    t.ok(page.body.includes(text), text)
  }
  t.notOk(page.body.includes('En attente de candidats'))
  t.match(page.body, /aria-label="Supprimer le candidat Julie Dupont"/, 'trash icon has an accessible name')
  t.notOk(page.body.includes('N° de certification'), 'no joined column while nobody joined')
})

t.test('add a candidate: 303 back to the tab with a confirmation, values normalised', async (t) => {
  const { server, client, session, url } = await setup(t)
  await client.get(`${url}/nouveau`)
  const response = await client.post(`${url}/nouveau`, form)
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, url)
  const page = await client.get(url)
  t.ok(page.body.includes('Le candidat Jean Neige a été ajouté.'))
  const row = await server.db.selectFrom('candidate').selectAll().where('session_id', '=', session.id).executeTakeFirstOrThrow()
  t.match(row, {
    last_name: 'Neige',
    birthdate: '1987-09-22',
    birth_department_code: '34',
    birth_country: 'France',
    extra_time_percentage: 33,
    external_id: 'E-42',
  })
})

t.test('add form: errors per field, values kept, nothing saved', async (t) => {
  const { server, client, session, url } = await setup(t)
  await client.get(`${url}/nouveau`)
  const response = await client.post(`${url}/nouveau`, { ...form, lastName: '', birthdate: '31/02/2000', birthDepartment: '20', extraTime: '0', email: 'x@' })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Veuillez indiquer le nom de naissance du candidat.'))
  t.ok(response.body.includes('« 31/02/2000 » n’est pas une date valide'))
  t.ok(response.body.includes('« 20 » n’est pas un code de département'))
  t.ok(response.body.includes('« 0 » n’est pas un temps majoré valide'))
  t.ok(response.body.includes('« x@ » n’est pas une adresse e-mail valide'))
  t.match(response.body, /id="field-birthdate"[^>]*value="31\/02\/2000"|value="31\/02\/2000"[^>]*id="field-birthdate"/)
  t.match(response.body, /aria-invalid="true"/)
  t.same(await names(server, session.id), [])
})

t.test('add and edit forms refuse control characters and formula-looking names, per field', async (t) => {
  const { server, client, url, session } = await setup(t)
  const response = await client.post(`${url}/nouveau`, { ...form, lastName: "=cmd|' /C calc'!A0", firstName: 'Ju\u000blie', birthCity: '=1+1' })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Le nom de naissance ne peut pas contenir « = »'))
  t.ok(response.body.includes('Ce champ contient un caractère de contrôle invisible (U+000B)'))
  t.ok(response.body.includes('La commune de naissance ne peut pas contenir « = »'))
  t.same(await names(server, session.id), [])
  const candidate = await createCandidate(server.db, session.id, { last_name: 'Neige' })
  await client.get(`${url}/${candidate.id}/modifier`)
  const edited = await client.post(`${url}/${candidate.id}/modifier`, { ...form, lastName: 'Dup\u0000ont' })
  t.equal(edited.statusCode, 400)
  t.ok(edited.body.includes('(U+0000)'))
  t.same(await names(server, session.id), ['Neige'])
  t.equal(
    (await client.post(`${url}/${candidate.id}/modifier`, { ...form, lastName: 'O’Brien', firstName: "N'Diaye" })).statusCode,
    303,
    'real names still go through',
  )
})

t.test('the same person twice in a session is refused', async (t) => {
  const { server, client, session, url } = await setup(t)
  await createCandidate(server.db, session.id, { last_name: 'Neige', first_name: 'Jean', birthdate: '1987-09-22' })
  await client.get(`${url}/nouveau`)
  const response = await client.post(`${url}/nouveau`, { ...form, lastName: 'NEIGE', firstName: 'jean' })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Ce candidat est déjà inscrit à la session'))
  t.same(await names(server, session.id), ['Neige'])
})

t.test('edit a candidate, until they join', async (t) => {
  const { server, client, session, url } = await setup(t)
  const candidate = await createCandidate(server.db, session.id)
  const edit = await client.get(`${url}/${candidate.id}/modifier`)
  t.equal(edit.statusCode, 200)
  t.ok(edit.body.includes('value="13/03/1996"'), 'form filled with the candidate')
  const response = await client.post(`${url}/${candidate.id}/modifier`, { ...form, lastName: 'Dupond' })
  t.equal(response.statusCode, 303)
  t.same(await names(server, session.id), ['Dupond'])
  t.ok((await client.get(url)).body.includes('Le candidat Jean Dupond a été modifié.'))

  await joinCandidate(server.db, candidate)
  const refused = await client.post(`${url}/${candidate.id}/modifier`, { ...form, lastName: 'Autre' })
  t.equal(refused.statusCode, 303)
  t.ok((await client.get(url)).body.includes('Ce candidat a déjà rejoint la session.'))
  t.same(await names(server, session.id), ['Dupond'])
})

t.test('delete: confirmation page, then 303; refused once the candidate joined', async (t) => {
  const { server, client, session, url } = await setup(t)
  const a = await createCandidate(server.db, session.id, { last_name: 'Aaa' })
  const b = await createCandidate(server.db, session.id, { last_name: 'Bbb' })
  const confirm = await client.get(`${url}/${a.id}/supprimer`)
  t.equal(confirm.statusCode, 200)
  t.ok(confirm.body.includes('Voulez-vous vraiment supprimer le candidat Julie Aaa'))
  const response = await client.post(`${url}/${a.id}/supprimer`)
  t.equal(response.statusCode, 303)
  t.ok((await client.get(url)).body.includes('Le candidat Julie Aaa a été supprimé.'))
  t.same(await names(server, session.id), ['Bbb'])

  await joinCandidate(server.db, b)
  const page = await client.get(url)
  t.ok(page.body.includes('Présent'), 'joined badge')
  t.ok(page.body.includes('N° de certification'))
  t.notOk(page.body.includes(`${url}/${b.id}/supprimer`), 'no delete button for a joined candidate')
  const refused = await client.post(`${url}/${b.id}/supprimer`)
  t.equal(refused.statusCode, 303)
  t.ok((await client.get(url)).body.includes('Ce candidat a déjà rejoint la session. Vous ne pouvez pas le supprimer.'))
  t.same(await names(server, session.id), ['Bbb'])
})

t.test('once someone joined: no import, but adding stays possible', async (t) => {
  const { server, client, session, url } = await setup(t)
  await joinCandidate(server.db, await createCandidate(server.db, session.id))
  const page = await client.get(url)
  t.ok(page.body.includes('La session a débuté, il n’est plus possible de modifier la liste des candidats.'))
  t.notOk(page.body.includes('Importer (.ods)'))
  t.ok(page.body.includes('Ajouter un candidat'))
  const added = await client.post(`${url}/nouveau`, form)
  t.equal(added.statusCode, 303)
  t.same(await names(server, session.id), ['Dupont', 'Neige'])
})

t.test('a finalised session is read-only', async (t) => {
  const { server, client, session, url, userId } = await setup(t)
  const candidate = await createCandidate(server.db, session.id)
  await finaliseSession(server.db, session.id, userId)
  const page = await client.get(url)
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('Cette session est finalisée'))
  t.notOk(page.body.includes('Importer (.ods)'))
  t.notOk(page.body.includes(`${url}/nouveau`))
  t.notOk(page.body.includes('/supprimer'))
  for (const [method, path] of [
    ['GET', `${url}/nouveau`],
    ['POST', `${url}/nouveau`],
    ['GET', `${url}/${candidate.id}/modifier`],
    ['POST', `${url}/${candidate.id}/modifier`],
    ['POST', `${url}/${candidate.id}/supprimer`],
  ] as const) {
    const response = method === 'GET' ? await client.get(path) : await client.post(path, form)
    t.equal(response.statusCode, 409, `${method} ${path}`)
    t.ok(response.body.includes('Cette session a été finalisée le'), `${method} ${path}: says when`)
  }
  t.same(await names(server, session.id), ['Dupont'])
  t.equal((await client.get(`${url}/feuille-emargement.ods`)).statusCode, 200, 'the sheet can still be downloaded')
})

t.test('another centre’s session or candidate answers 404', async (t) => {
  const { server, client, url } = await setup(t)
  const other = await loggedIn(server, { centre: 'Autre centre' })
  const theirs = await createSession(server.db, other.centreId)
  const theirCandidate = await createCandidate(server.db, theirs.id)
  const mine = await createSession(
    server.db,
    (
      await server.db
        .selectFrom('certification_session')
        .select('centre_id')
        .where('id', '=', Number(url.split('/')[2]))
        .executeTakeFirstOrThrow()
    ).centre_id,
  )
  await client.get(url)
  for (const path of [
    `/sessions/${theirs.id}/candidats`,
    `/sessions/${theirs.id}/candidats/feuille-emargement.ods`,
    `/sessions/${theirs.id}/candidats/${theirCandidate.id}/modifier`,
    `/sessions/${mine.id}/candidats/${theirCandidate.id}/modifier`,
  ]) {
    t.equal((await client.get(path)).statusCode, 404, path)
  }
  t.equal((await client.post(`/sessions/${mine.id}/candidats/${theirCandidate.id}/supprimer`)).statusCode, 404)
  t.equal((await client.post(`/sessions/${theirs.id}/candidats/${theirCandidate.id}/supprimer`)).statusCode, 404)
  t.equal((await server.db.selectFrom('candidate').select('id').where('id', '=', theirCandidate.id).execute()).length, 1)
})
