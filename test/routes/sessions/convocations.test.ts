import t from 'tap'
import { createCandidate, createSession, finaliseSession } from '../../factories.ts'
import { build, loggedIn, type Teardown } from '../../helper.ts'

/** Issue 15, items 1 and 2 without SMTP: the print version, the centre's instructions, the explanation. */
const decode = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')

async function setup(t: Teardown) {
  const server = await build(t, { publicUrl: 'https://certif.lycee-exemple.fr' })
  const member = await loggedIn(server, { centre: 'Lycée Testix' })
  const session = await createSession(server.db, member.centreId, { site_name: 'Bâtiment B', room: 'Salle 12', date: '2021-01-12', start_time: '10:00' })
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie', email: 'julie@example.org' })
  const michel = await createCandidate(server.db, session.id, {
    last_name: 'Durand',
    first_name: 'Michel',
    email: null,
    extra_time_percentage: 33,
    convocation_language: 'en',
  })
  return { server, ...member, session, julie, michel, tab: `/sessions/${session.id}/candidats`, print: `/sessions/${session.id}/impression/convocations` }
}

t.test('without SMTP: the tab explains how to configure it and offers the print version; sending is refused', async (t) => {
  const { server, client, tab, session } = await setup(t)
  const page = await client.get(tab)
  const body = decode(page.body)
  t.ok(body.includes('<h2 id="convocations-titre">Convocations</h2>'))
  t.ok(body.includes('L’envoi par e-mail n’est pas configuré sur ce serveur'))
  t.ok(body.includes('SMTP_HOST'))
  t.ok(body.includes('Imprimer les convocations (une par page)'))
  t.ok(body.includes('Imprimer les convocations (deux par page)'))
  t.notOk(body.includes('Envoyer les convocations par e-mail'), 'no send button')
  t.ok(body.includes('Pas d’adresse e-mail'), 'Michel has no address')
  const response = await client.post(`/sessions/${session.id}/convocations/envoi`, { envoi: 'tous' })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, `${tab}#convocations`)
  t.ok(decode((await client.get(tab)).body).includes('L’envoi par e-mail n’est pas configuré sur ce serveur : imprimez les convocations.'))
  t.equal((await server.db.selectFrom('convocation_mail').selectAll().execute()).length, 0)
})

t.test('the print version: every item of the convocation, each candidate in their language; one candidate alone', async (t) => {
  const { client, print, session, julie, michel } = await setup(t)
  const page = await client.get(print)
  t.equal(page.statusCode, 200)
  const body = decode(page.body)
  t.equal(body.match(/<article class="convocation"/g)?.length, 2)
  t.notOk(body.includes('convocations-print--two'))
  for (const text of [
    'Bonjour Julie Dupont,',
    'organisée par Lycée Testix',
    `Session de certification n° ${session.id}`,
    'mardi 12 janvier 2021',
    '<dd>10:00</dd>',
    '09:45, soit 15 minutes avant le début',
    '<dd>Bâtiment B</dd>',
    '<dd>Salle 12</dd>',
    '<dd>1 h 45</dd>',
    'Une pièce d’identité en cours de validité',
    'Arrivez à l’heure',
    'https://certif.lycee-exemple.fr/rejoindre',
    `Saisissez le numéro de session ${session.id}`,
  ]) {
    t.ok(body.includes(text), text)
  }
  t.match(body, /<article class="convocation" lang="fr"[\s\S]*Julie Dupont[\s\S]*<article class="convocation" lang="en"/, 'French order, each in its language')
  t.ok(body.includes('Tuesday, 12 January 2021'), 'the English candidate’s date')
  t.ok(body.includes('2 h 20 min, including 33% extra time'), '105 min + 33 % = 140 min for Michel, in English')
  t.ok(body.includes('Dear Michel Durand,'))
  t.ok(body.includes('What to bring'))
  const two = await client.get(`${print}?par-page=2`)
  t.ok(two.body.includes('convocations-print--two'))
  // An official document: a French page whatever the browser's language, English on request, every convocation then in English.
  t.match(body, /<html lang="fr"/)
  t.ok(body.includes(`href="/sessions/${session.id}/impression/convocations?langue=en"`), 'the link to the English version')
  t.ok(decode(two.body).includes(`href="/sessions/${session.id}/impression/convocations?par-page=2&langue=en"`), 'which keeps two per page')
  const english = decode((await client.get(`${print}?langue=en`)).body)
  t.match(english, /<html lang="en"/)
  t.equal(english.match(/<article class="convocation" lang="en"/g)?.length, 2, 'both convocations in English')
  t.ok(english.includes('Dear Julie Dupont,'))
  t.ok(english.includes(`href="/sessions/${session.id}/impression/convocations"`), 'the link back to the French version')
  const one = decode((await client.get(`${print}?candidat=${julie.id}`)).body)
  t.equal(one.match(/<article class="convocation"/g)?.length, 1)
  t.ok(one.includes('Convocation de Julie Dupont'))
  t.notOk(one.includes('Michel'))
  t.equal((await client.get(`${print}?candidat=${michel.id + 1000}`)).statusCode, 404)
})

t.test('Consignes aux candidats: admins edit them, they appear on every convocation; members get 403', async (t) => {
  const { server, client, print } = await setup(t)
  const form = await client.get('/equipe/consignes')
  t.equal(form.statusCode, 200)
  t.ok(decode(form.body).includes('Arrivez à l’heure'), 'the default text is shown')
  let response = await client.post('/equipe/consignes', { consignes: 'Venez avec un stylo.\r\nRendez-vous au CDI.' })
  t.equal(response.statusCode, 303)
  const body = decode((await client.get(print)).body)
  t.ok(body.includes('<li>Venez avec un stylo.</li><li>Rendez-vous au CDI.</li>'))
  t.notOk(body.includes('Arrivez à l’heure'), 'instead of the default')
  response = await client.post('/equipe/consignes', { consignes: 'x'.repeat(2001) })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('2000 caractères au maximum.'))
  response = await client.post('/equipe/consignes', { consignes: 'un\u001bdeux' })
  t.equal(response.statusCode, 400)
  // empty: back to the default
  await client.post('/equipe/consignes', { consignes: '' })
  t.ok(decode((await client.get(print)).body).includes('Arrivez à l’heure'))
  const history = await server.db.selectFrom('history').select('action').where('action', '=', 'candidate_instructions_edited').execute()
  t.equal(history.length, 2)
  const { client: member } = await loggedIn(server, { centre: 'Lycée Testix', role: 'member' })
  t.equal((await member.get('/equipe/consignes')).statusCode, 403)
})

t.test('a finalised session sends nothing', async (t) => {
  const { server, client, session, tab } = await setup(t)
  await finaliseSession(server.db, session.id)
  const page = decode((await client.get(tab)).body)
  t.ok(page.includes('La session est finalisée : les convocations ne sont plus envoyées.'))
  t.ok(page.includes('Imprimer les convocations (une par page)'), 'printing stays possible')
})

t.test('a send in progress: the progress says what waits, and the page asks enhance.js to reload it', async (t) => {
  const { server, client, session, julie, tab } = await setup(t)
  t.notOk((await client.get(tab)).body.includes('data-reload-while-pending'), 'nothing waiting: no reload')
  await server.db
    .insertInto('convocation_mail')
    .values({
      session_id: session.id,
      candidate_id: julie.id,
      email: 'julie@example.org',
      status: 'pending',
      session_key: 'x',
      queued_at: new Date().toISOString(),
    })
    .execute()
  const body = decode((await client.get(tab)).body)
  t.ok(body.includes('0 / 1 envoyées'))
  t.ok(body.includes('1 en attente d’envoi'))
  t.ok(body.includes('data-reload-while-pending'))
  t.match(body, /<form method="get" action="[^"]+\/candidats#convocations"><button type="submit" class="button button--secondary">Actualiser<\/button><\/form>/)
})
