import t from 'tap'
import { startedSession } from './fixtures/finalisation-setup.ts'

t.test('the report page names the candidate and offers every category with its help text', async (t) => {
  const { client, url, julie, julieCourse } = await startedSession(t)
  const page = await client.get(`${url}/candidats/${julie.id}/signalement`)
  t.equal(page.statusCode, 200)
  for (const text of [
    'Signalement du candidat',
    `Julie Dupont — N° de certification ${julieCourse.id}`,
    'Modification infos candidat',
    'Retard, absence ou départ',
    'Connexion et fin de test',
    'Problème sur une question',
    'Problème technique',
    'Autre incident',
    'Suspicion de fraude',
    'Modification des prénom/nom/date de naissance',
    'Numéro de la question',
    'Type de problème',
    'Le lien ne fonctionne pas',
    'Joignez le PV de fraude',
    '500 caractères au maximum',
    'Annuler',
    'Valider',
  ]) {
    t.ok(page.body.includes(text), text)
  }
  t.match(page.body, /maxlength="500"/)
})

t.test('two reports on one candidate, added one at a time, listed in step 1', async (t) => {
  const { server, client, url, julie } = await startedSession(t)
  const first = await client.post(`${url}/candidats/${julie.id}/signalement`, {
    categorie: 'candidate_information',
    code_candidate_information: 'C1',
    details_candidate_information: 'Kirkove et non Kirokov',
  })
  t.equal(first.statusCode, 303)
  t.equal(first.headers.location, `${url}#candidat-${julie.id}`)
  const second = await client.post(`${url}/candidats/${julie.id}/signalement`, { categorie: 'in_challenge', numero_question: '12', code_in_challenge: 'E4' })
  t.equal(second.statusCode, 303)
  const rows = await server.db.selectFrom('report').select(['candidate_id', 'category', 'code', 'question_number', 'details']).orderBy('id').execute()
  t.same(rows, [
    { candidate_id: julie.id, category: 'candidate_information', code: 'C1', question_number: null, details: 'Kirkove et non Kirokov' },
    { candidate_id: julie.id, category: 'in_challenge', code: 'E4', question_number: 12, details: null },
  ])
  const page = await client.get(url)
  t.ok(page.body.includes('Le signalement E4 a été ajouté pour Julie Dupont.'))
  t.ok(page.body.includes('Modification des prénom/nom/date de naissance'))
  t.ok(page.body.includes('Kirkove et non Kirokov'))
  t.ok(page.body.includes('(question 12)'))
  const reportPage = await client.get(`${url}/candidats/${julie.id}/signalement`)
  t.ok(reportPage.body.includes('Signalements déjà ajoutés pour ce candidat'))
})

t.test('a missing required part re-renders with its message and the choices kept', async (t) => {
  const { server, client, url, julie } = await startedSession(t)
  const post = (form: Record<string, string>) => client.post(`${url}/candidats/${julie.id}/signalement`, form)

  const none = await post({})
  t.equal(none.statusCode, 400)
  t.ok(none.body.includes('Choisissez l’incident concerné.'))

  const noQuestion = await post({ categorie: 'in_challenge', code_in_challenge: 'E2', numero_question: '501' })
  t.equal(noQuestion.statusCode, 400)
  t.ok(noQuestion.body.includes('Indiquez un numéro de question entre 1 et 500.'))
  t.match(noQuestion.body, /value="in_challenge"[^>]*checked/, 'category kept')
  t.match(noQuestion.body, /value="E2"[^>]*checked/, 'type kept')
  t.match(noQuestion.body, /name="numero_question"[^>]*value="501"/, 'number kept')
  t.match(noQuestion.body, /href="#field-numero_question"/, 'the error summary links to the field')

  const noDetails = await post({ categorie: 'technical_problem' })
  t.equal(noDetails.statusCode, 400)
  t.ok(noDetails.body.includes('Veuillez préciser les détails du signalement.'))
  t.match(noDetails.body, /id="field-details_technical_problem"[^>]*aria-invalid="true"/)

  const tooLong = await post({ categorie: 'other', details_other: 'x'.repeat(501) })
  t.equal(tooLong.statusCode, 400)
  t.ok(tooLong.body.includes('500 caractères au maximum.'))
  t.ok(tooLong.body.includes('x'.repeat(501)), 'text kept')

  const e7 = await post({ categorie: 'in_challenge', numero_question: '4', code_in_challenge: 'E7' })
  t.equal(e7.statusCode, 400)

  t.equal((await server.db.selectFrom('report').select('id').execute()).length, 0, 'nothing stored')
})

t.test('removing a report; from the step 1 form it keeps the draft typed so far', async (t) => {
  const { server, client, url, session, julie, michel } = await startedSession(t)
  await client.post(`${url}/candidats/${julie.id}/signalement`, { categorie: 'fraud' })
  await client.post(`${url}/candidats/${julie.id}/signalement`, { categorie: 'connection_or_end_screen' })
  const [fraud] = await server.db.selectFrom('report').select('id').orderBy('id').execute()
  await client.get(url)
  const removed = await client.post(`${url}/signalements/${fraud!.id}/supprimer`, { brouillon: '1', ecran_fin: String(michel.id), choix_commentaire: 'none' })
  t.equal(removed.statusCode, 303)
  t.equal(removed.headers.location, `${url}#candidat-${julie.id}`)
  const codes = await server.db.selectFrom('report').select('code').execute()
  t.same(
    codes.map((r) => r.code),
    ['C5'],
  )
  t.equal((await server.db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', michel.id).executeTakeFirstOrThrow()).has_seen_end_screen, 1)
  t.equal(
    (await server.db.selectFrom('certification_session').select('global_comment_choice').where('id', '=', session.id).executeTakeFirstOrThrow())
      .global_comment_choice,
    'none',
  )
  const page = await client.get(url)
  t.ok(page.body.includes('Le signalement C6 de Julie Dupont a été supprimé.'))

  // Without the draft marker (a plain POST), the ticks are left alone.
  const [c5] = await server.db.selectFrom('report').select('id').execute()
  await client.post(`${url}/signalements/${c5!.id}/supprimer`)
  t.equal((await server.db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', michel.id).executeTakeFirstOrThrow()).has_seen_end_screen, 1)
  t.equal((await server.db.selectFrom('report').select('id').execute()).length, 0)
})

t.test('every report form needs the CSRF token', async (t) => {
  const { client, url, julie } = await startedSession(t)
  const response = await client.post(`${url}/candidats/${julie.id}/signalement`, { _csrf: 'forged', categorie: 'fraud' })
  t.equal(response.statusCode, 403)
})
