import t from 'tap'
import { createCandidate, createSession, joinCandidate } from '../../factories.ts'
import { build, loggedIn } from '../../helper.ts'

t.test('details: header, tabs, the guide’s table, access code, observations, Modifier', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId, { access_code: 'GMPB26', observations: 'Salle au 2e étage\nPrévoir des écouteurs' })
  const response = await client.get(`/sessions/${session.id}`)
  t.equal(response.statusCode, 200)
  const body = response.body
  t.ok(body.includes('<a class="back-link" href="/sessions">← Sessions de certification</a>'))
  t.ok(body.includes(`<h1>Session ${session.id}</h1>`))
  t.ok(body.includes('<dd>mardi 12 janv. 2021</dd>'))
  t.ok(body.includes('<dt>Heure de début (heure locale)</dt><dd>10:00</dd>'))
  t.match(body, new RegExp(`<a href="/sessions/${session.id}" aria-current="page">Détails</a>\\s*<a href="/sessions/${session.id}/candidats">Candidats</a>`))
  const headers = [...body.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((m) => m[1])
  t.same(headers, ['ID session', 'Nom du site', 'Salle', 'Surveillant(s)', 'Code d’accès', 'Mot de passe de session / Surveillant'])
  t.match(body, new RegExp(`<td>${session.id}</td>\\s*<td>Centre Testix</td>\\s*<td>45</td>\\s*<td>Eric Martin</td>`))
  t.match(body, /<span class="access-code" id="access-code"[^>]*>GMPB26<\/span>/, 'the code, selectable, in its own element')
  // The copy button is added by the script (a text browser would show a dead control): the page only labels it.
  t.match(body, /id="access-code" data-copy-label="Copier"/, 'copy button: labelled for the script')
  t.notMatch(body, /<button[^>]*data-copy=/, 'no copy button without the script')
  t.ok(body.includes('<h2 class="session-details__subtitle">Observations</h2>'))
  t.ok(body.includes('Salle au 2e étage\nPrévoir des écouteurs'))
  t.match(body, new RegExp(`<a class="button" href="/sessions/${session.id}/modifier">Modifier</a>`))
  t.ok(body.includes('Aucun candidat n’a encore rejoint la session.'))
  t.notOk(body.includes('Finaliser la session'), 'nobody joined: no finalisation')
})

t.test('details link the printable pages', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const { id } = await createSession(server.db, centreId)
  const body = (await client.get(`/sessions/${id}`)).body
  t.ok(body.includes(`<a href="/sessions/${id}/impression/feuille-emargement">Feuille d’émargement</a>`))
  t.ok(body.includes(`<a href="/sessions/${id}/impression/pv-incident">PV d’incident</a>`))
  t.ok(body.includes(`<a href="/sessions/${id}/impression/kit-surveillant">Kit surveillant</a>`))
})

t.test('candidates: the tab counts them, the page counts who joined, and offers finalisation', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  const julie = await createCandidate(server.db, session.id)
  await createCandidate(server.db, session.id, { first_name: 'Marc', last_name: 'Durand' })
  await createCandidate(server.db, session.id, { first_name: 'Léa', last_name: 'Petit' })

  let body = (await client.get(`/sessions/${session.id}`)).body
  t.ok(body.includes('>Candidats (3)</a>'))
  t.ok(body.includes('Aucun candidat n’a encore rejoint la session.'))
  t.notOk(body.includes('/finalisation"'))
  t.ok(body.includes(`href="/sessions/${session.id}/supprimer"`), 'nobody joined: can be deleted')

  await joinCandidate(server.db, julie)
  body = (await client.get(`/sessions/${session.id}`)).body
  t.ok(body.includes('1 candidat a rejoint la session.'))
  t.match(body, new RegExp(`<a class="button" href="/sessions/${session.id}/finalisation">Finaliser la session</a>`))
  t.ok(body.includes(`href="/sessions/${session.id}/modifier">Modifier</a>`), 'still editable')
  t.notOk(body.includes(`/sessions/${session.id}/supprimer`), 'no delete once someone joined')

  const rows = await server.db.selectFrom('candidate').selectAll().where('session_id', '=', session.id).where('id', '!=', julie.id).execute()
  for (const row of rows) await joinCandidate(server.db, row)
  body = (await client.get(`/sessions/${session.id}`)).body
  t.ok(body.includes('3 candidats ont rejoint la session.'))
})

t.test('a finalised session: green box with the date, summary link, no Modifier, no Supprimer, no Finaliser', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  await joinCandidate(server.db, await createCandidate(server.db, session.id))
  await server.db.updateTable('certification_session').set({ finalised_at: '2021-01-12T13:05:00.000Z' }).where('id', '=', session.id).execute()
  const body = (await client.get(`/sessions/${session.id}`)).body
  t.match(
    body,
    /<div class="notice notice--success[^"]*">\s*<p class="notice__message">Les informations de finalisation de la session ont déjà été transmises<\/p>/,
  )
  t.ok(body.includes('Session finalisée le 12 janvier 2021 à 14:05.'), 'Paris time')
  t.ok(body.includes(`<a href="/sessions/${session.id}/finalisation/recapitulatif">Récapitulatif de finalisation</a>`))
  t.ok(body.includes('<span class="badge badge--success">Finalisée</span>'))
  t.notOk(body.includes('/modifier"'))
  t.notOk(body.includes('/supprimer"'))
  t.notOk(body.includes('Finaliser la session'))
  t.notOk(body.includes('À transmettre au surveillant'), 'nothing left to hand over')
})

t.test('ids that are not plain numbers are 404s', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  for (const id of ['0', '-1', 'abc', '1.5', '999999']) {
    t.equal((await client.get(`/sessions/${id}`)).statusCode, 404, id)
  }
})
