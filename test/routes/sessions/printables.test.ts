import t from 'tap'
import { createCandidate, createSession } from '../../factories.ts'
import { build, loggedIn } from '../../helper.ts'

function text(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
}

async function setup(t: Parameters<typeof build>[0]) {
  const server = await build(t, { publicUrl: 'https://certif.lycee-exemple.fr' })
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId, { access_code: 'GMPB26', site_name: 'Centre Testix', room: '45', invigilators: 'Eric Martin' })
  return { server, client, centreId, session }
}

const pages = ['feuille-emargement', 'pv-incident', 'kit-surveillant']

t.test('the attendance sheet: session block, candidates in alphabetical order, then blank rows', async (t) => {
  const { server, client, session } = await setup(t)
  await createCandidate(server.db, session.id, {
    last_name: 'Neige',
    first_name: 'Jean',
    birthdate: '1987-09-22',
    birth_city: 'Montpellier',
    birth_department_code: '34',
    email: 'jean.neige@gmail.com',
  })
  await createCandidate(server.db, session.id, {
    last_name: 'Durand',
    first_name: 'Michel',
    birthdate: '2001-05-06',
    extra_time_percentage: 33,
    external_id: 'ELEVE-12',
  })
  await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie' })
  const response = await client.get(`/sessions/${session.id}/impression/feuille-emargement`)
  t.equal(response.statusCode, 200)
  const body = text(response.body)
  for (const label of [
    'Feuille d’émargement',
    'N° de session :',
    'Date',
    'Heure locale (début/fin)',
    '10:00 – 12:00',
    'Nom du site',
    'Centre Testix',
    'Nom de la salle',
    'Session surveillée par :',
    'Eric Martin',
    'Signature des surveillant(s) :',
    'Participants',
  ]) {
    t.ok(body.includes(label), label)
  }
  for (const column of [
    'Nom de naissance',
    'Prénom',
    'Date de naissance (format : jj/mm/aaaa)',
    'Commune de naissance',
    'Code du département de naissance',
    'Pays de naissance',
    'Adresse e-mail de convocation',
    'Identifiant local',
    'Temps majoré ?',
    'Signature',
    'Écran de fin de test vu (cocher)',
  ]) {
    t.ok(body.includes(`<th scope="col">${column}</th>`), column)
  }
  t.ok(body.indexOf('Dupont') < body.indexOf('Durand') && body.indexOf('Durand') < body.indexOf('Neige'), 'alphabetical order')
  t.ok(body.includes('13/03/1996') && body.includes('22/09/1987'))
  t.ok(body.includes('33 %') && body.includes('ELEVE-12'))
  const blanks = (response.body.match(/<tr class="blank">/g) ?? []).length
  t.ok(blanks >= 5, 'blank rows fill the rest of the page')
  t.match(response.body, new RegExp(`<td class="num">${3 + blanks}</td>`), 'numbered through the last blank row')
  t.match(response.body, /<td class="num">8<\/td>/, 'rows numbered on through the blank ones')
  t.match(response.body, /class="print-page print-landscape"/, 'landscape')
  t.notOk(response.body.includes('class="site-header"'), 'no app navigation')
  t.ok(body.includes('Imprimer'), 'print hint')
  t.match(response.body, /href="\/public\/css\/print-page.css"/)
})

t.test('the PV d’incident: global comment, individual reports, the three code tables and the notes as in the guide', async (t) => {
  const { client, session } = await setup(t)
  const response = await client.get(`/sessions/${session.id}/impression/pv-incident`)
  t.equal(response.statusCode, 200)
  const body = text(response.body)
  const expected = [
    'PV d’incident',
    'N° de session :',
    'Commentaire global sur la session (optionnel – ne rien indiquer si tout s’est bien déroulé)',
    'Signalements individuels',
    'Prénom/Nom',
    'Code (*)',
    'N° épreuve',
    'Détails',
    'Signalements liés au candidat',
    'Signalements sur une épreuve - précisez le numéro de l’épreuve',
    'Autres signalements',
    'Détails attendus',
    '<td class="code">C1</td><td>Modification des prénom/nom/date de naissance</td><td>Précisez l’information à modifier</td>',
    '<td class="code">C2</td><td>Ajout/modification du temps majoré</td><td>Précisez le temps majoré</td>',
    '<td class="code">C3</td><td>Écran de fin de test non vu</td><td>Précisez et indiquez l’heure de sortie</td>',
    '<td class="code">C4</td><td>Était présent(e) mais a oublié de signer, ou a signé sur la mauvaise ligne</td><td>Précisez</td>',
    '<td class="code">C5</td><td>Le candidat n’a pas pu terminer, faute de temps</td><td></td>',
    '<td class="code">C6</td><td>Suspicion de fraude</td><td>PV de fraude</td>',
    '<td class="code">E1</td><td>L’image ne s’affiche pas</td><td></td>',
    '<td class="code">E2</td><td>Le simulateur/l’application ne s’affiche pas</td><td></td>',
    '<td class="code">E3</td><td>Le fichier à télécharger ne s’ouvre pas</td><td></td>',
    '<td class="code">E4</td><td>Le site à visiter est indisponible/en maintenance/inaccessible</td><td></td>',
    '<td class="code">E5</td><td>Le site est bloqué par les restrictions réseau de l’établissement</td><td></td>',
    '<td class="code">E6</td><td>Le lien ne fonctionne pas</td><td></td>',
    '<td class="code">E7</td><td>Autre incident lié à une question</td><td>Précisez</td>',
    '<td class="code">A1</td><td>Problème technique (ex : l’ordinateur s’est éteint, lenteur significative du réseau et/ou de l’appareil, etc...)</td><td>Décrivez l’incident</td>',
    '<td class="code">A2</td><td>Autre (si aucune des catégories ci-dessus ne correspond au signalement)</td><td>Décrivez l’incident</td>',
    'Si le candidat a quitté temporairement, sous surveillance, la salle d’examen ou est arrivé en retard, il n’est pas nécessaire de l’indiquer',
    'Si le candidat a rencontré des difficultés pour se connecter à la session ou a dû se reconnecter à la session, il n’est pas nécessaire de l’indiquer',
  ]
  for (const part of expected) t.ok(body.includes(part), part.slice(0, 60))
  t.match(response.body, new RegExp(`N° de session : <strong>${session.id}</strong>`))
  t.equal((response.body.match(/<tr class="blank">/g) ?? []).length, 8, 'empty report rows')
  t.match(response.body, /class="write-box"/, 'global comment box')
})

t.test('the invigilator kit: number, access code, date, time, room and the candidate page on this server', async (t) => {
  const { client, session } = await setup(t)
  const response = await client.get(`/sessions/${session.id}/impression/kit-surveillant`)
  t.equal(response.statusCode, 200)
  const body = text(response.body)
  for (const part of [
    'Kit surveillant',
    'GMPB26',
    'mardi 12 janv. 2021',
    '10:00',
    '45',
    'Centre Testix',
    'Eric Martin',
    'https://certif.lycee-exemple.fr/rejoindre',
    `Saisissez le numéro de session ${session.id}`,
    'Saisissez le code d’accès',
  ]) {
    t.ok(body.includes(part), part)
  }
  t.match(response.body, new RegExp(`<p class="kit-key__value">${session.id}</p>`))
})

t.test('another centre’s session, an unknown id or a logged-out visitor: nothing printed', async (t) => {
  const { server, client } = await setup(t)
  const { centreId: otherCentre } = await loggedIn(server, { centre: 'Lycée Voltaire' })
  const foreign = await createSession(server.db, otherCentre, { access_code: 'BCDF23' })
  await createCandidate(server.db, foreign.id, { last_name: 'Secret' })
  for (const page of pages) {
    const response = await client.get(`/sessions/${foreign.id}/impression/${page}`)
    t.equal(response.statusCode, 404, `${page}: another centre`)
    t.notOk(response.body.includes('Secret') || response.body.includes('BCDF23'))
    t.equal((await client.get(`/sessions/999999/impression/${page}`)).statusCode, 404, `${page}: unknown`)
    const anonymous = await server.inject(`/sessions/${foreign.id}/impression/${page}`)
    t.equal(anonymous.statusCode, 303, `${page}: logged out`)
    t.match(anonymous.headers.location, /^\/connexion/)
  }
})

t.test('names and places are escaped', async (t) => {
  const { server, client, session } = await setup(t)
  await server.db.updateTable('certification_session').set({ room: '<script>x</script>' }).where('id', '=', session.id).execute()
  await createCandidate(server.db, session.id, { last_name: '<b>Evil</b>' })
  for (const page of pages) {
    const response = await client.get(`/sessions/${session.id}/impression/${page}`)
    t.notOk(response.body.includes('<script>x</script>') || response.body.includes('<b>Evil</b>'), page)
  }
})
