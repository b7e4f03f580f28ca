import t from 'tap'
import { build, loggedIn } from '../../helper.ts'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../../factories.ts'
import { fileForm, PDF, startedSession } from './fixtures/finalisation-setup.ts'
import { startCourse } from '../../../src/features/supervision/supervision-changes.service.ts'

const NOT_STARTED = 'Cette session n’a pas débuté, vous ne pouvez pas la finaliser. Vous pouvez néanmoins la supprimer.'

/** The draft version the confirmation page puts in its form. */
const versionOf = (body: string) => /<input type="hidden" name="version" value="(\d+)">/.exec(body)?.[1] ?? 'missing'

async function sessionRow(server: Awaited<ReturnType<typeof startedSession>>['server'], id: number) {
  return server.db.selectFrom('certification_session').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

t.test('a session nobody joined cannot be finalised: the page and every POST say so', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  await createCandidate(server.db, session.id)
  const url = `/sessions/${session.id}/finalisation`
  const page = await client.get(url)
  t.equal(page.statusCode, 409)
  t.ok(page.body.includes(NOT_STARTED))
  t.notOk(page.body.includes('Étape 1'))
  for (const [path, form] of [
    [`${url}/confirmation`, {}],
    [url, { action: 'valider' }],
  ] as const) {
    const response = await client.post(path, form)
    t.equal(response.statusCode, 409, path)
    t.ok(response.body.includes(NOT_STARTED))
  }
  t.equal((await sessionRow(server, session.id)).finalised_at, null)
})

t.test('the wizard lists the joined candidates with their certification number', async (t) => {
  const { client, url, session, julieCourse, michelCourse } = await startedSession(t)
  const page = await client.get(url)
  t.equal(page.statusCode, 200)
  for (const text of [
    `Finaliser la session ${session.id}`,
    'Pour finaliser la session, complétez les trois étapes puis validez.',
    'Étape 1 : Renseigner les informations de vos candidats',
    'Étape 2 : Transmettre des documents (facultatif)',
    'Étape 3 : Commenter la session (facultatif)',
    'N° de certification',
    'Écran de fin du test vu',
    'Tout cocher',
    'Ajouter ?',
    'Aucun problème particulier à signaler, dans l’ensemble tout s’est bien déroulé',
    'Je souhaite signaler un ou plusieurs incident(s) ayant impacté la session dans son ensemble',
    '500 caractères au maximum',
    'Sauvegarder',
    'Valider',
  ]) {
    t.ok(page.body.includes(text), text)
  }
  t.match(page.body, new RegExp(`<td[^>]*>Dupont</td>\\s*<td[^>]*>Julie</td>\\s*<td[^>]*>${julieCourse.id}</td>`))
  t.match(page.body, new RegExp(`<td[^>]*>Durand</td>\\s*<td[^>]*>Michel</td>\\s*<td[^>]*>${michelCourse.id}</td>`))
  t.notOk(page.body.includes('Neige'), 'a candidate who did not join is not listed')
})

t.test('Sauvegarder keeps the ticks and the comment; coming back shows them', async (t) => {
  const { server, client, url, session, julie, michel, jean } = await startedSession(t)
  const saved = await client.post(url, {
    action: 'sauvegarder',
    ecran_fin: [String(julie.id), String(jean.id), '999999'],
    choix_commentaire: 'incident',
    commentaire_global: 'Coupure réseau à 10:20',
  })
  t.equal(saved.statusCode, 303)
  t.equal(saved.headers.location, url)
  const candidates = await server.db.selectFrom('candidate').select(['id', 'has_seen_end_screen']).where('session_id', '=', session.id).orderBy('id').execute()
  t.same(
    candidates.map((c) => c.has_seen_end_screen),
    [1, 0, 0],
    'Julie ticked; a candidate who did not join is never ticked',
  )
  const row = await sessionRow(server, session.id)
  t.equal(row.global_comment_choice, 'incident')
  t.equal(row.global_comment, 'Coupure réseau à 10:20')

  const page = await client.get(url)
  t.ok(page.body.includes('Vos informations ont été sauvegardées.'))
  t.match(page.body, new RegExp(`name="ecran_fin" value="${julie.id}" checked`))
  t.match(page.body, new RegExp(`name="ecran_fin" value="${michel.id}">`))
  t.match(page.body, /value="incident" checked/)
  t.ok(page.body.includes('Coupure réseau à 10:20</textarea>'))

  // Unticking works too, and the first choice drops the comment.
  await client.post(url, { action: 'sauvegarder', choix_commentaire: 'none', commentaire_global: 'ignoré' })
  const after = await sessionRow(server, session.id)
  t.same([after.global_comment_choice, after.global_comment], ['none', null])
  const ticks = await server.db.selectFrom('candidate').select('has_seen_end_screen').where('session_id', '=', session.id).execute()
  t.same(
    ticks.map((c) => c.has_seen_end_screen),
    [0, 0, 0],
  )
})

t.test('Tout cocher ticks every joined candidate, without JavaScript', async (t) => {
  const { server, client, url, session } = await startedSession(t)
  const response = await client.post(url, { action: 'tout_cocher', choix_commentaire: 'none' })
  t.equal(response.statusCode, 303)
  const ticks = await server.db
    .selectFrom('candidate')
    .select(['last_name', 'has_seen_end_screen'])
    .where('session_id', '=', session.id)
    .orderBy('id')
    .execute()
  t.same(
    ticks.map((c) => c.has_seen_end_screen),
    [1, 1, 0],
  )
  t.equal((await sessionRow(server, session.id)).global_comment_choice, 'none', 'the rest of the form is saved too')
})

t.test('the global comment is limited to 500 characters by the server', async (t) => {
  const { server, client, url, session, julie } = await startedSession(t)
  const tooLong = await client.post(url, {
    action: 'sauvegarder',
    ecran_fin: String(julie.id),
    choix_commentaire: 'incident',
    commentaire_global: 'é'.repeat(501),
  })
  t.equal(tooLong.statusCode, 400)
  t.ok(tooLong.body.includes('500 caractères au maximum.'))
  t.ok(tooLong.body.includes('aria-invalid="true"'))
  t.ok(tooLong.body.includes('501 / 500'))
  t.ok(tooLong.body.includes('é'.repeat(501)), 'the text typed is kept')
  t.match(tooLong.body, new RegExp(`value="${julie.id}" checked`), 'the ticks typed are kept')
  const row = await sessionRow(server, session.id)
  t.equal(row.global_comment, null, 'nothing saved')
  const exact = await client.post(url, { action: 'sauvegarder', choix_commentaire: 'incident', commentaire_global: 'é'.repeat(500) })
  t.equal(exact.statusCode, 303)
})

t.test('Valider: an incident needs its description, then the confirmation page sums up', async (t) => {
  const { server, client, url, session, julie, michel } = await startedSession(t)
  const empty = await client.post(url, { action: 'valider', choix_commentaire: 'incident', commentaire_global: '' })
  t.equal(empty.statusCode, 400)
  t.ok(empty.body.includes('Décrivez le ou les incident(s) ayant impacté la session'))

  await server.db
    .insertInto('report')
    .values([
      { session_id: session.id, candidate_id: michel.id, category: 'in_challenge', code: 'E2', question_number: 7, details: null },
      { session_id: session.id, candidate_id: michel.id, category: 'technical_problem', code: 'A1', question_number: null, details: 'Écran noir' },
      { session_id: session.id, candidate_id: julie.id, category: 'in_challenge', code: 'E2', question_number: 3, details: null },
    ])
    .execute()
  const validate = await client.post(url, {
    action: 'valider',
    ecran_fin: String(julie.id),
    choix_commentaire: 'incident',
    commentaire_global: 'Alarme incendie',
  })
  t.equal(validate.statusCode, 303)
  t.equal(validate.headers.location, `${url}/confirmation`)
  const confirm = await client.get(`${url}/confirmation`)
  t.equal(confirm.statusCode, 200)
  for (const text of [
    '2 candidats ont rejoint la session.',
    '3 signalements',
    'Le simulateur/l’application ne s’affiche pas',
    'Écran de fin du test non coché pour 1 candidat :',
    'Michel Durand',
    'Alarme incendie',
    'Aucun document transmis.',
    'Vous êtes sur le point de finaliser cette session.',
    'Attention : il ne vous sera plus possible de modifier ces informations par la suite.',
    'Annuler',
    'Finaliser',
  ]) {
    t.ok(confirm.body.includes(text), text)
  }
  t.match(confirm.body, /E2<\/span><\/td><td>[^<]+<\/td><td>2<\/td>/, 'E2 counted twice')
  t.notOk(confirm.body.includes('Julie Dupont ('), 'Julie’s end screen is ticked')
})

t.test('"Ajouter ?" saves the draft, then opens the report page of that candidate', async (t) => {
  const { server, client, url, session, julie, jean } = await startedSession(t)
  const response = await client.post(url, { action: `signaler-${julie.id}`, ecran_fin: String(julie.id) })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, `${url}/candidats/${julie.id}/signalement`)
  const row = await server.db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', julie.id).executeTakeFirstOrThrow()
  t.equal(row.has_seen_end_screen, 1)
  const notJoined = await client.post(url, { action: `signaler-${jean.id}` })
  t.equal(notJoined.statusCode, 404)
  t.ok(session)
})

t.test('Finaliser records when and who, then the session is finalised and printable', async (t) => {
  const { server, client, url, session, userId, julie } = await startedSession(t)
  const before = await client.get(`${url}/recapitulatif`)
  t.equal(before.statusCode, 303, 'no summary before finalisation')
  await client.post(url, { action: 'sauvegarder', ecran_fin: String(julie.id), choix_commentaire: 'none' })
  const version = versionOf((await client.get(`${url}/confirmation`)).body)
  const done = await client.post(`${url}/confirmation`, { version })
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, `/sessions/${session.id}`)
  const row = await sessionRow(server, session.id)
  t.ok(row.finalised_at)
  t.equal(row.finalised_by_user_id, userId)

  const details = await client.get(`/sessions/${session.id}`)
  t.ok(details.body.includes(`La session ${session.id} a été finalisée.`))
  t.ok(details.body.includes('Les informations de finalisation de la session ont déjà été transmises'))
  t.ok(details.body.includes(`href="/sessions/${session.id}/finalisation/recapitulatif"`))
  t.notOk(details.body.includes(`href="/sessions/${session.id}/finalisation">`), 'no "Finaliser la session" button any more')

  const page = await client.get(url)
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('Les informations de finalisation de la session ont déjà été transmises'))
  t.ok(page.body.includes('Finalisée'))
  t.ok(page.body.includes('par Paul Martin'))
  t.notOk(page.body.includes('<form id="finalisation-form"'), 'read-only')

  const summary = await client.get(`${url}/recapitulatif`)
  t.equal(summary.statusCode, 200)
  t.ok(summary.body.includes('print-page.css'))
  for (const text of [
    `Récapitulatif de finalisation de la session ${session.id}`,
    'Dupont',
    'Durand',
    'Oui',
    'Non',
    'Aucun problème particulier à signaler',
    'Paul Martin',
    'Aucun document transmis.',
  ]) {
    t.ok(summary.body.includes(text), text)
  }
  const confirmAgain = await client.get(`${url}/confirmation`)
  t.equal(confirmAgain.statusCode, 303)
})

t.test('two finalisations at once: exactly one succeeds, the other is told clearly', async (t) => {
  const { server, client, url, session, userId } = await startedSession(t)
  const other = await loggedIn(server, { firstName: 'Anne', lastName: 'Roux' })
  const version = versionOf((await client.get(`${url}/confirmation`)).body)
  await other.client.get(`${url}/confirmation`)
  const responses = await Promise.all([client.post(`${url}/confirmation`, { version }), other.client.post(`${url}/confirmation`, { version })])
  const statuses = responses.map((r) => r.statusCode).sort()
  t.same(statuses, [303, 409])
  const loser = responses.find((r) => r.statusCode === 409)!
  t.match(loser.body, /Cette session a été finalisée le .+ par (Paul Martin|Anne Roux)\. Ses informations ne peuvent plus être modifiées\./)
  const row = await sessionRow(server, session.id)
  t.ok(row.finalised_at)
  const winner = responses[0]!.statusCode === 303 ? userId : other.userId
  t.equal(row.finalised_by_user_id, winner, 'recorded as finalised by the one who succeeded')
  t.ok(loser.body.includes(winner === userId ? 'par Paul Martin' : 'par Anne Roux'))
})

t.test('Finaliser finalises only the draft the person saw: a draft saved meanwhile is refused and shown', async (t) => {
  const { server, client, url, session, julie, michel } = await startedSession(t)
  const colleague = await loggedIn(server, { firstName: 'Anne', lastName: 'Roux' })
  await client.post(url, { action: 'valider', ecran_fin: [String(julie.id), String(michel.id)], choix_commentaire: 'none' })
  // A opens the confirmation: no incident, every end screen ticked.
  const seen = await client.get(`${url}/confirmation`)
  t.ok(seen.body.includes('Tous les écrans de fin du test ont été cochés.'))
  const version = versionOf(seen.body)
  // B saves another draft from their own tab.
  await colleague.client.get(url)
  const saved = await colleague.client.post(url, {
    action: 'sauvegarder',
    ecran_fin: String(julie.id),
    choix_commentaire: 'incident',
    commentaire_global: 'Coupure de courant (texte de B)',
  })
  t.equal(saved.statusCode, 303)
  // A clicks "Finaliser" on the page shown before B's save.
  const refused = await client.post(`${url}/confirmation`, { version })
  t.equal(refused.statusCode, 409)
  t.ok(refused.body.includes('La session n’a pas été finalisée : ses informations ont été modifiées'))
  t.ok(refused.body.includes('Coupure de courant (texte de B)'), 'the new summary is shown')
  t.ok(refused.body.includes('Écran de fin du test non coché pour 1 candidat :'))
  t.equal((await sessionRow(server, session.id)).finalised_at, null, 'not finalised')
  // A form with no version at all does not finalise either.
  t.equal((await client.post(`${url}/confirmation`, {})).statusCode, 409)
  t.equal((await sessionRow(server, session.id)).finalised_at, null)
  // Having seen B's draft, A can finalise it.
  const done = await client.post(`${url}/confirmation`, { version: versionOf(refused.body) })
  t.equal(done.statusCode, 303)
  const row = await sessionRow(server, session.id)
  t.ok(row.finalised_at)
  t.equal(row.global_comment, 'Coupure de courant (texte de B)')
})

t.test('a report or a document added after the confirmation page was shown also stops the finalisation', async (t) => {
  const { server, client, url, session, julie } = await startedSession(t)
  await client.post(url, { action: 'sauvegarder', choix_commentaire: 'none' })
  const version = versionOf((await client.get(`${url}/confirmation`)).body)
  await client.get(`${url}/candidats/${julie.id}/signalement`)
  t.equal((await client.post(`${url}/candidats/${julie.id}/signalement`, { categorie: 'fraud' })).statusCode, 303)
  const refused = await client.post(`${url}/confirmation`, { version })
  t.equal(refused.statusCode, 409)
  t.ok(refused.body.includes('1 signalement'))
  t.equal((await sessionRow(server, session.id)).finalised_at, null)
})

t.test('a candidate who joins after the confirmation page was shown also stops the finalisation', async (t) => {
  const { server, client, url, session, jean } = await startedSession(t)
  await client.post(url, { action: 'sauvegarder', choix_commentaire: 'none' })
  const version = versionOf((await client.get(`${url}/confirmation`)).body)
  await server.db.updateTable('candidate').set({ presence_confirmed_at: new Date().toISOString() }).where('id', '=', jean.id).execute()
  t.ok(await startCourse(server.db, session.id, jean.id, new Date()), 'Jean starts (presence confirmed by the invigilator)')
  const refused = await client.post(`${url}/confirmation`, { version })
  t.equal(refused.statusCode, 409)
  t.ok(refused.body.includes('3 candidats ont rejoint la session.'))
  t.equal((await sessionRow(server, session.id)).finalised_at, null)
})

t.test('after finalisation every change is refused and nothing moves', async (t) => {
  const { server, client, url, session, julie, userId } = await startedSession(t)
  const form = new FormData()
  form.append('fichier', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'pv.pdf')
  await client.postMultipart(`${url}/documents`, form)
  const report = await server.db
    .insertInto('report')
    .values({ session_id: session.id, candidate_id: julie.id, category: 'fraud', code: 'C6', question_number: null, details: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  const document = await server.db.selectFrom('session_document').select('id').where('session_id', '=', session.id).executeTakeFirstOrThrow()
  await finaliseSession(server.db, session.id, userId)
  const frozen = JSON.stringify(await sessionRow(server, session.id))

  const attempts: Array<[string, () => Promise<{ statusCode: number; body: string }>]> = [
    ['save', () => client.post(url, { action: 'sauvegarder', ecran_fin: String(julie.id), choix_commentaire: 'incident', commentaire_global: 'Trop tard' })],
    ['check all', () => client.post(url, { action: 'tout_cocher' })],
    ['add report', () => client.post(`${url}/candidats/${julie.id}/signalement`, { categorie: 'fraud' })],
    ['report page', () => client.get(`${url}/candidats/${julie.id}/signalement`)],
    ['remove report', () => client.post(`${url}/signalements/${report.id}/supprimer`)],
    ['upload', () => client.postMultipart(`${url}/documents`, fileForm('autre.pdf', PDF))],
    ['remove document', () => client.post(`${url}/documents/${document.id}/supprimer`)],
    ['finalise again', () => client.post(`${url}/confirmation`)],
  ]
  for (const [name, attempt] of attempts) {
    const response = await attempt()
    t.equal(response.statusCode, 409, name)
    t.match(response.body, /Cette session a été finalisée le .+ par Paul Martin/, name)
  }
  t.equal(JSON.stringify(await sessionRow(server, session.id)), frozen)
  t.equal((await server.db.selectFrom('report').select('id').where('session_id', '=', session.id).execute()).length, 1)
  t.equal((await server.db.selectFrom('session_document').select('id').where('session_id', '=', session.id).execute()).length, 1)
  t.equal((await server.db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', julie.id).executeTakeFirstOrThrow()).has_seen_end_screen, 0)
  const download = await client.get(`${url}/documents/${document.id}`)
  t.equal(download.statusCode, 200, 'documents stay downloadable')
})

t.test('another centre’s session, candidate, report or document answers 404', async (t) => {
  const server = await build(t)
  const mine = await startedSession(t, server)
  const theirs = await loggedIn(server, { centre: 'Lycée Voisin' })
  const theirSession = await createSession(server.db, theirs.centreId)
  const theirCandidate = await createCandidate(server.db, theirSession.id)
  await joinCandidate(server.db, theirCandidate)
  await theirs.client.get(`/sessions/${theirSession.id}/finalisation`)
  await theirs.client.postMultipart(`/sessions/${theirSession.id}/finalisation/documents`, fileForm('pv.pdf', PDF))
  const theirReport = await server.db
    .insertInto('report')
    .values({ session_id: theirSession.id, candidate_id: theirCandidate.id, category: 'fraud', code: 'C6', question_number: null, details: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  const theirDocument = await server.db.selectFrom('session_document').select('id').where('session_id', '=', theirSession.id).executeTakeFirstOrThrow()

  const client = mine.client
  const theirUrl = `/sessions/${theirSession.id}/finalisation`
  const checks: Array<[string, () => Promise<{ statusCode: number }>]> = [
    ['their wizard', () => client.get(theirUrl)],
    ['their save', () => client.post(theirUrl, { action: 'sauvegarder' })],
    ['their confirmation', () => client.get(`${theirUrl}/confirmation`)],
    ['their finalisation', () => client.post(`${theirUrl}/confirmation`)],
    ['their summary', () => client.get(`${theirUrl}/recapitulatif`)],
    ['their document', () => client.get(`${theirUrl}/documents/${theirDocument.id}`)],
    ['their document through my session', () => client.get(`${mine.url}/documents/${theirDocument.id}`)],
    ['delete their document through my session', () => client.post(`${mine.url}/documents/${theirDocument.id}/supprimer`)],
    ['their report through my session', () => client.post(`${mine.url}/signalements/${theirReport.id}/supprimer`)],
    ['their candidate through my session', () => client.get(`${mine.url}/candidats/${theirCandidate.id}/signalement`)],
    ['a candidate who did not join', () => client.get(`${mine.url}/candidats/${mine.jean.id}/signalement`)],
    ['nonsense id', () => client.get('/sessions/abc/finalisation')],
  ]
  for (const [name, check] of checks) t.equal((await check()).statusCode, 404, name)
  t.equal((await server.db.selectFrom('report').select('id').where('id', '=', theirReport.id).execute()).length, 1)
  t.equal((await server.db.selectFrom('session_document').select('id').where('id', '=', theirDocument.id).execute()).length, 1)
  t.equal(
    (await server.db.selectFrom('certification_session').select('finalised_at').where('id', '=', theirSession.id).executeTakeFirstOrThrow()).finalised_at,
    null,
  )
})

t.test('logged-out visitors are sent to the login page', async (t) => {
  const { server, url } = await startedSession(t)
  const response = await server.inject(url)
  t.equal(response.statusCode, 303)
  t.match(response.headers.location, /^\/connexion/)
})
