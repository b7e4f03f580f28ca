import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import * as XLSX from 'xlsx'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../factories.ts'
import { build, Client, loggedIn, type Teardown } from '../helper.ts'
import { smtpListener } from '../lib/smtp.ts'

/** Issue 26: the pages, the hold, the erasure on request, the access journal, the centre export, the printed address. */
const decode = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')

const LOOPBACK = /localhost|127\.\d+\.\d+\.\d+|\[::1\]/

async function setup(t: Teardown, overrides: Parameters<typeof build>[1] = {}) {
  const server = await build(t, overrides)
  const admin = await loggedIn(server, { centre: 'Lycée Testix', firstName: 'Claire', lastName: 'Admin' })
  const session = await createSession(server.db, admin.centreId, { room: 'Salle 12' })
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie', email: 'julie@example.org', external_id: 'INE-42' })
  const paul = await createCandidate(server.db, session.id, {
    last_name: 'Durand',
    first_name: 'Paul',
    extra_time_percentage: 33,
    accommodation_approved_by: 'Dr Martin',
    accommodation_approved_on: '2026-11-30',
  })
  return { server, ...admin, session, julie, paul, tab: `/sessions/${session.id}/candidats` }
}

const historyOf = (server: Awaited<ReturnType<typeof setup>>['server'], sessionId?: number) => {
  let query = server.db.selectFrom('history').select(['action', 'subject', 'actor_name', 'session_id', 'count'])
  if (sessionId !== undefined) query = query.where('session_id', '=', sessionId)
  return query.orderBy('id').execute()
}

t.test('"Données personnelles" and "Accessibilité": public, linked from every page, the settings shown, English too', async (t) => {
  const server = await build(t, { retentionMonths: 18, privacyContact: 'dpo@lycee-testix.fr' })
  for (const url of ['/connexion', '/rejoindre', '/surveillance']) {
    const page = await server.inject({ url })
    t.match(page.body, /href="\/donnees-personnelles"/, `${url}: footer link to Données personnelles`)
    t.match(page.body, /href="\/accessibilite"/, `${url}: footer link to Accessibilité`)
  }
  const privacy = await server.inject({ url: '/donnees-personnelles' })
  t.equal(privacy.statusCode, 200, 'public')
  const body = decode(privacy.body)
  t.match(body, /<strong>18 mois<\/strong> après la finalisation/, 'the configured retention')
  t.match(body, /dpo@lycee-testix\.fr/, 'the operator’s contact')
  t.match(body, /mission d’intérêt public/)
  t.notMatch(body, /export-donnees\.ods/, 'no export link for a visitor')
  const english = decode((await server.inject({ url: '/donnees-personnelles', headers: { 'accept-language': 'en' } })).body)
  t.match(english, /<strong>18 months<\/strong> after the session is finalised/)
  const accessibility = decode((await server.inject({ url: '/accessibilite' })).body)
  t.match(accessibility, /<strong>non conforme<\/strong>/, 'the level claimed honestly')
  t.match(accessibility, /axe-core/)
  t.match(accessibility, /6 décembre 2026/, 'dated')
  t.match(accessibility, /Défenseur des droits/, 'how to appeal')
  t.match(decode((await server.inject({ url: '/accessibilite', headers: { 'accept-language': 'en' } })).body), /<strong>not compliant<\/strong>/)
})

t.test('the pages can be replaced per installation by files in DATA_DIR/pages', async (t) => {
  const server = await build(t)
  mkdirSync(server.config.pagesDir, { recursive: true })
  writeFileSync(path.join(server.config.pagesDir, 'accessibilite.fr.html'), '<p id="texte-etablissement">Audit RGAA du 1er mars 2027 : 82 %.</p>')
  const page = await server.inject({ url: '/accessibilite' })
  t.match(page.body, /<p id="texte-etablissement">Audit RGAA du 1er mars 2027 : 82 %.<\/p>/)
  t.notMatch(page.body, /non conforme/, 'our text replaced')
  t.match(
    (await server.inject({ url: '/accessibilite', headers: { 'accept-language': 'en' } })).body,
    /texte-etablissement/,
    'the French file serves English too',
  )
  t.match((await server.inject({ url: '/donnees-personnelles' })).body, /mission d’intérêt public/, 'the other page keeps our text')
})

t.test('hold: an admin keeps a finalised session, then releases it; both in the history; a member is refused', async (t) => {
  const { server, client, session, centreId } = await setup(t)
  await finaliseSession(server.db, session.id)
  const details = decode((await client.get(`/sessions/${session.id}`)).body)
  t.match(details, /effacées 12 mois après la finalisation/)
  t.match(details, /Conserver : contestation en cours<\/button>/)
  const set = await client.post(`/sessions/${session.id}/conservation`, { conserver: 'oui' })
  t.equal(set.statusCode, 303)
  t.equal(set.headers.location, `/sessions/${session.id}#conservation`)
  const row = await server.db.selectFrom('certification_session').select('retention_hold_at').where('id', '=', session.id).executeTakeFirstOrThrow()
  t.ok(row.retention_hold_at, 'held')
  const held = decode((await client.get(`/sessions/${session.id}`)).body)
  t.match(held, /Conserver : contestation en cours\. Depuis le/)
  t.match(held, /Lever la conservation<\/button>/)
  t.match(held, /La session est conservée/, 'the flash')
  const again = await client.post(`/sessions/${session.id}/conservation`, { conserver: 'oui' })
  t.equal(again.statusCode, 303)
  t.match(decode((await client.get(`/sessions/${session.id}`)).body), /Cette session est déjà conservée/)
  await client.post(`/sessions/${session.id}/conservation`, { conserver: 'non' })
  t.same(
    (await historyOf(server, session.id)).map((h) => h.action),
    ['retention_hold_set', 'retention_hold_released'],
    'the hold and its release are in the history, once each',
  )
  const member = await loggedIn(server, { centre: 'Lycée Testix', role: 'member' })
  t.notMatch((await member.client.get(`/sessions/${session.id}`)).body, /conservation/, 'no hold form for a member')
  t.equal((await member.client.post(`/sessions/${session.id}/conservation`, { conserver: 'oui' })).statusCode, 403)
  t.ok(centreId)
})

t.test('erasure on request: confirmation page, then a "Candidat effacé" row in a finalised session, the name out of the history', async (t) => {
  const { server, client, session, julie, tab } = await setup(t)
  await joinCandidate(server.db, julie)
  await client.get(`${tab}/nouveau`)
  await client.post(`${tab}/${julie.id}/modifier`, {}) // refused (joined): no change, nothing recorded
  await server.db
    .insertInto('history')
    .values({
      centre_id: julie.session_id
        ? (await server.db.selectFrom('certification_session').select('centre_id').where('id', '=', session.id).executeTakeFirstOrThrow()).centre_id
        : 0,
      session_id: session.id,
      actor_kind: 'user',
      actor_user_id: null,
      actor_name: 'Claire Admin',
      action: 'candidate_added',
      subject: 'Julie Dupont',
      count: null,
      created_at: new Date().toISOString(),
    })
    .execute()
  await finaliseSession(server.db, session.id)
  const list = decode((await client.get(tab)).body)
  t.match(
    list,
    new RegExp(`href="${tab}/${julie.id}/effacer" aria-label="Effacer les données de Julie Dupont"`),
    'the admin’s erase link, finalised session too',
  )
  const confirm = await client.get(`${tab}/${julie.id}/effacer`)
  t.equal(confirm.statusCode, 200)
  const confirmBody = decode(confirm.body)
  t.match(confirmBody, /Effacer les données personnelles de Julie Dupont/)
  t.match(confirmBody, /une ligne « Candidat effacé » reste dans la liste/)
  const erased = await client.post(`${tab}/${julie.id}/effacer`)
  t.equal(erased.statusCode, 303)
  t.equal(erased.headers.location, tab)
  const after = decode((await client.get(tab)).body)
  t.match(after, /Les données personnelles du candidat ont été effacées/)
  t.match(after, /<td[^>]*>Candidat effacé<\/td>/, 'the placeholder row')
  t.notMatch(after, /Julie|INE-42|julie@example\.org/, 'nothing of Julie left on the tab')
  t.match(after, /Candidats \(2\)|2 candidats/, 'the count stays true')
  const history = await historyOf(server, session.id)
  t.notMatch(JSON.stringify(history), /Julie|Dupont/, 'her name is out of the history')
  t.ok(
    history.some((h) => h.action === 'candidate_erased' && h.subject === null && h.actor_name === 'Claire Admin'),
    'the erasure is recorded, without the name',
  )
  t.match(decode((await client.get(`/sessions/${session.id}`)).body), /Données d’un candidat effacées à sa demande/)
  for (const url of [`/sessions/${session.id}/finalisation/recapitulatif`, `/sessions/${session.id}/impression/feuille-emargement`]) {
    const printed = decode((await client.get(url)).body)
    t.match(printed, /Candidat effacé/, `${url}: the placeholder`)
    t.notMatch(printed, /Julie|Dupont/, `${url}: nothing of Julie`)
  }
  const twice = await client.get(`${tab}/${julie.id}/effacer`)
  t.equal(twice.statusCode, 303, 'an erased candidate has no confirmation page')
  const member = await loggedIn(server, { centre: 'Lycée Testix', role: 'member' })
  t.notMatch((await member.client.get(tab)).body, /\/effacer"/, 'no erase link for a member')
})

t.test('erasure on request in an open session: a candidate who has not joined is removed from the list', async (t) => {
  const { server, client, paul, tab } = await setup(t)
  t.match(decode((await client.get(`${tab}/${paul.id}/effacer`)).body), /il est retiré de la liste/)
  await client.post(`${tab}/${paul.id}/effacer`)
  t.notOk(await server.db.selectFrom('candidate').select('id').where('id', '=', paul.id).executeTakeFirst())
})

t.test('access journal: printing or downloading personal data is recorded, by whom', async (t) => {
  const { server, client, session } = await setup(t)
  const base = `/sessions/${session.id}`
  for (const url of [
    `${base}/impression/kit-surveillant`,
    `${base}/impression/feuille-emargement`,
    `${base}/impression/pv-incident`,
    `${base}/impression/convocations`,
    `${base}/candidats/feuille-emargement.ods`,
  ]) {
    t.equal((await client.get(url)).statusCode, 200, url)
  }
  t.same(
    (await historyOf(server, session.id)).map((h) => [h.action, h.subject, h.actor_name]),
    [
      ['personal_data_printed', 'Kit surveillant', 'Claire Admin'],
      ['personal_data_printed', 'Feuille d’émargement', 'Claire Admin'],
      ['personal_data_printed', 'PV d’incident', 'Claire Admin'],
      ['personal_data_printed', 'Convocations', 'Claire Admin'],
      ['personal_data_exported', 'Feuille d’émargement (.ods)', 'Claire Admin'],
    ],
  )
  t.match(decode((await client.get(base)).body), /Données personnelles imprimées : Kit surveillant/, 'shown in the session’s history')
})

t.test('centre export: an .ods with every session, candidate, report and history row of the admin’s centre only', async (t) => {
  const { server, client, session, julie, centreId } = await setup(t)
  await server.db
    .insertInto('report')
    .values({ session_id: session.id, candidate_id: julie.id, category: 'C', code: 'C3', question_number: 4, details: 'Écran figé' })
    .execute()
  const other = await loggedIn(server, { centre: 'Autre centre' })
  const otherSession = await createSession(server.db, other.centreId)
  await createCandidate(server.db, otherSession.id, { last_name: 'Étranger', first_name: 'Léon' })
  await client.get(`/sessions/${session.id}/impression/kit-surveillant`)
  const privacy = decode((await client.get('/donnees-personnelles')).body)
  t.match(privacy, /href="\/equipe\/export-donnees\.ods"/, 'the admin sees the export link')
  const response = await client.get('/equipe/export-donnees.ods')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'application/vnd.oasis.opendocument.spreadsheet')
  t.match(String(response.headers['content-disposition']), /certisalle-lycee-testix-\d{4}-\d{2}-\d{2}\.ods/)
  const book = XLSX.read(response.rawPayload, { type: 'buffer' })
  t.same(book.SheetNames, ['Sessions', 'Candidats', 'Signalements', 'Historique'])
  const rows = (name: string) => XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets[name]!)
  t.same(
    rows('Sessions').map((r) => r['N° de session']),
    [session.id],
  )
  t.same(
    rows('Candidats')
      .map((r) => r['Nom'])
      .sort(),
    ['Dupont', 'Durand'],
    'every candidate of the centre, none of another',
  )
  t.equal(rows('Candidats').find((r) => r['Nom'] === 'Dupont')!['Identifiant externe'], 'INE-42')
  t.match(
    rows('Candidats').find((r) => r['Nom'] === 'Durand'),
    { 'Temps majoré (%)': 33, 'Aménagement accordé par': 'Dr Martin', 'Accordé le': '2026-11-30' },
    'who approved an accommodation, and when',
  )
  t.match(rows('Signalements'), [{ Code: 'C3', Question: 4, Détails: 'Écran figé', Candidat: 'Julie Dupont' }])
  t.same(
    rows('Historique')
      .map((r) => r['Modification'])
      .slice(-2),
    ['Données personnelles imprimées : Kit surveillant', 'Données personnelles exportées : Export du centre (.ods)'],
    'the history, the export itself included',
  )
  t.notMatch(JSON.stringify(rows('Historique')), /Étranger|Autre centre/, 'nothing of another centre')
  const last = (await historyOf(server)).filter((h) => h.action === 'personal_data_exported')
  t.equal(last.length, 1, 'the export is recorded')
  t.equal(last[0]!.session_id, null)
  const member = await loggedIn(server, { centre: 'Lycée Testix', role: 'member' })
  t.equal((await member.client.get('/equipe/export-donnees.ods')).statusCode, 403, 'admins only')
  t.ok(centreId)
})

t.test('without PUBLIC_URL: printed pages use the address staff browse; a loopback one is flagged to admins', async (t) => {
  const { client, session, julie } = await setup(t)
  const kit = `/sessions/${session.id}/impression/kit-surveillant`
  const convocations = `/sessions/${session.id}/impression/convocations`
  for (const url of [kit, convocations, `${convocations}?candidat=${julie.id}`]) {
    const school = decode((await client.request({ method: 'GET', url, headers: { host: 'certif.ecole.test' } })).body)
    t.match(school, /http:\/\/certif\.ecole\.test\/rejoindre/, `${url}: the address browsed`)
    t.notMatch(school, LOOPBACK, `${url}: no loopback address`)
    t.notMatch(school, /id="adresse-locale"/, `${url}: no notice`)
    const local = decode((await client.get(url)).body)
    t.match(local, /id="adresse-locale"/, `${url}: browsed as localhost, the admin is warned`)
    t.match(local, /l’adresse imprimée \(http:\/\/localhost(:80)?\) est une adresse locale/)
  }
})

t.test('PUBLIC_URL keeps precedence over the address browsed', async (t) => {
  const { client, session } = await setup(t, { publicUrl: 'https://certif.lycee.fr' })
  const kit = decode(
    (await client.request({ method: 'GET', url: `/sessions/${session.id}/impression/kit-surveillant`, headers: { host: 'autre.ecole.test' } })).body,
  )
  t.match(kit, /https:\/\/certif\.lycee\.fr\/rejoindre/)
  t.notMatch(kit, /autre\.ecole\.test/)
})

t.test('without PUBLIC_URL: mail queued from a request carries the address browsed (reset link, convocation)', async (t) => {
  const smtp = await smtpListener(t)
  const server = await build(t, { smtp: smtp.smtp, convocationsPerMinute: 600_000 })
  const admin = await loggedIn(server, { centre: 'Lycée Testix' })
  const session = await createSession(server.db, admin.centreId)
  await createCandidate(server.db, session.id, { email: 'julie@example.org' })
  const host = { host: 'certif.ecole.test' }
  await admin.client.request({ method: 'GET', url: `/sessions/${session.id}/candidats`, headers: host })
  const body = new URLSearchParams({ _csrf: admin.client.csrf, envoi: 'tous' }).toString()
  const sent = await admin.client.request({
    method: 'POST',
    url: `/sessions/${session.id}/convocations/envoi`,
    payload: body,
    headers: { ...host, 'content-type': 'application/x-www-form-urlencoded' },
  })
  t.equal(sent.statusCode, 303)
  await server.convocations.idle()
  const anonymous = await server.inject({ method: 'GET', url: '/mot-de-passe-oublie', headers: host })
  const token = /name="_csrf" value="([^"]+)"/.exec(anonymous.body)![1]!
  const cookie = anonymous.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  await server.inject({
    method: 'POST',
    url: '/mot-de-passe-oublie',
    payload: new URLSearchParams({ _csrf: token, email: admin.email }).toString(),
    headers: { ...host, cookie, 'content-type': 'application/x-www-form-urlencoded' },
  })
  await server.mail.drained()
  t.ok(smtp.received.length >= 1, `${smtp.received.length} mails`)
  for (const mail of smtp.received) {
    t.match(mail.text, /http:\/\/certif\.ecole\.test\//, `${mail.subject}: the address browsed`)
    t.notMatch(mail.text, LOOPBACK, `${mail.subject}: no loopback address`)
  }
})

t.test('access journal: an invigilator access printing the kit is recorded as the session’s invigilator', async (t) => {
  const server = await build(t)
  const admin = await loggedIn(server, { centre: 'Lycée Testix' })
  const session = await createSession(server.db, admin.centreId, { invigilator_password: 'K7QB2M' })
  await createCandidate(server.db, session.id)
  const invigilator = new Client(server)
  await invigilator.get('/surveillance')
  t.equal((await invigilator.post('/surveillance', { sessionNumber: String(session.id), password: 'C-K7QB2M' })).statusCode, 303)
  t.equal((await invigilator.get(`/sessions/${session.id}/impression/kit-surveillant`)).statusCode, 200)
  t.same(
    (await historyOf(server, session.id)).map((h) => [h.action, h.subject, h.actor_name]),
    [['personal_data_printed', 'Kit surveillant', 'Surveillant (mot de passe de session)']],
  )
})
