import t from 'tap'
import { fileForm, PDF, startedSession } from './fixtures/finalisation-setup.ts'

// Issue 25: every button of the wizard submits the form it sits in (no form= / formaction, which
// text and older browsers ignore); the draft as typed is saved by whichever button is pressed.

const ticked = async (server: Awaited<ReturnType<typeof startedSession>>['server'], id: number) =>
  (await server.db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', id).executeTakeFirstOrThrow()).has_seen_end_screen
const choice = async (server: Awaited<ReturnType<typeof startedSession>>['server'], id: number) =>
  await server.db.selectFrom('certification_session').select(['global_comment_choice', 'global_comment']).where('id', '=', id).executeTakeFirstOrThrow()

t.test('the wizard has one form: no form=, formaction or formmethod, and no upload field of another form', async (t) => {
  const { client, url, julie } = await startedSession(t)
  await client.post(`${url}/candidats/${julie.id}/signalement`, { categorie: 'fraud' })
  await client.postMultipart(`${url}/documents`, fileForm('pv.pdf', PDF))
  const page = (await client.get(url)).body
  t.notMatch(page, /\sform(action|method)?=/)
  t.same(
    page.match(/<form [^>]*action="\/sessions\/[^"]*"/g),
    [`<form id="finalisation-form" method="post" action="${url}"`],
    'one form of the session: the wizard',
  )
  t.notMatch(page, /type="file"/, 'the upload is a page of its own')
  t.match(page, /<button type="submit" name="action" value="supprimer-signalement-\d+"/)
  t.match(page, /<button type="submit" name="action" value="supprimer-document-\d+"/)
  t.match(page, /<button type="submit" name="action" value="document"[^>]*>Ajouter un document</)
})

t.test('"Supprimer" a report from the wizard saves the draft typed so far, then removes it', async (t) => {
  const { server, client, url, session, julie, michel } = await startedSession(t)
  await client.post(`${url}/candidats/${julie.id}/signalement`, { categorie: 'fraud' })
  const report = await server.db.selectFrom('report').select('id').executeTakeFirstOrThrow()
  const draft = { ecran_fin: String(michel.id), choix_commentaire: 'incident', commentaire_global: 'Coupure réseau' }
  const removed = await client.post(url, { ...draft, brouillon: '1', action: `supprimer-signalement-${report.id}` })
  t.equal(removed.statusCode, 303)
  t.equal(removed.headers.location, `${url}#candidat-${julie.id}`)
  t.equal((await server.db.selectFrom('report').select('id').execute()).length, 0)
  t.equal(await ticked(server, michel.id), 1)
  t.same(await choice(server, session.id), { global_comment_choice: 'incident', global_comment: 'Coupure réseau' })
  t.ok((await client.get(url)).body.includes('Le signalement C6 de Julie Dupont a été supprimé.'))
})

t.test('"Supprimer" a document from the wizard saves the draft, then removes it', async (t) => {
  const { server, client, url, julie } = await startedSession(t)
  await client.postMultipart(`${url}/documents`, fileForm('pv.pdf', PDF))
  const document = await server.db.selectFrom('session_document').select('id').executeTakeFirstOrThrow()
  const removed = await client.post(url, { ecran_fin: String(julie.id), choix_commentaire: 'none', action: `supprimer-document-${document.id}` })
  t.equal(removed.statusCode, 303)
  t.equal(removed.headers.location, `${url}#etape-2`)
  t.equal((await server.db.selectFrom('session_document').select('id').execute()).length, 0)
  t.equal(await ticked(server, julie.id), 1)
  t.ok((await client.get(url)).body.includes('Le document « pv.pdf » a été supprimé.'))
})

t.test('another session’s report or document named by a button is a 404 and nothing moves', async (t) => {
  const mine = await startedSession(t)
  const theirs = await startedSession(t, mine.server)
  await theirs.client.post(`${theirs.url}/candidats/${theirs.julie.id}/signalement`, { categorie: 'fraud' })
  await theirs.client.postMultipart(`${theirs.url}/documents`, fileForm('pv.pdf', PDF))
  const report = await mine.server.db.selectFrom('report').select('id').executeTakeFirstOrThrow()
  const document = await mine.server.db.selectFrom('session_document').select('id').executeTakeFirstOrThrow()
  for (const action of [`supprimer-signalement-${report.id}`, `supprimer-document-${document.id}`, 'supprimer-document-99999']) {
    t.equal((await mine.client.post(mine.url, { action })).statusCode, 404, action)
  }
  t.equal((await mine.server.db.selectFrom('report').select('id').execute()).length, 1)
  t.equal((await mine.server.db.selectFrom('session_document').select('id').execute()).length, 1)
})

t.test('"Ajouter un document" saves the draft and opens the upload page; a mistake there keeps the comment', async (t) => {
  const { server, client, url, julie } = await startedSession(t)
  const opened = await client.post(url, { ecran_fin: String(julie.id), choix_commentaire: 'none', action: 'document' })
  t.equal(opened.statusCode, 303)
  t.equal(opened.headers.location, `${url}/documents`)
  t.equal(await ticked(server, julie.id), 1)
  const page = await client.get(`${url}/documents`)
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('Vos informations ont été sauvegardées.'))
  t.match(page.body, /<form method="post" action="[^"]+\/finalisation\/documents" enctype="multipart\/form-data"/)
  t.match(page.body, /<input type="file" id="field-fichier" name="fichier"/)
  t.notMatch(page.body, /\sform(action|method)?=/)

  const missing = new FormData()
  missing.append('commentaire', 'PV de fraude de Julie')
  const refused = await client.postMultipart(`${url}/documents`, missing)
  t.equal(refused.statusCode, 400)
  t.ok(refused.body.includes('Choisissez un fichier à transmettre.'))
  t.ok(refused.body.includes('>PV de fraude de Julie</textarea>'), 'the comment typed is kept')
  t.match(refused.body, /<input type="file" id="field-fichier"/, 'the upload page again, not the wizard')

  const sent = await client.postMultipart(`${url}/documents`, fileForm('pv.pdf', PDF, 'application/pdf', 'PV'))
  t.equal(sent.statusCode, 303)
  t.equal(sent.headers.location, `${url}#etape-2`)
})
