import t from 'tap'
import { build, Client, loggedIn } from '../helper.ts'
import { createSession } from '../factories.ts'

const langOf = (html: string) => /<html lang="(\w+)">/.exec(html)?.[1]

t.test('"Français / English": a form on the login page; the choice is a cookie for a year, then back to the page', async (t) => {
  const server = await build(t)
  const client = new Client(server)
  const login = await client.get('/connexion')
  t.equal(langOf(login.body), 'fr')
  t.match(login.body, /<form method="post" action="\/langue"[^>]*>/)
  t.match(login.body, /name="retour" value="\/connexion"/)
  t.match(login.body, /<button type="submit" name="langue" value="en" lang="en"/)
  const response = await client.post('/langue', { langue: 'en', retour: '/connexion?suite=%2Fsessions' })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/connexion?suite=%2Fsessions')
  const cookie = response.cookies.find((c) => c.name === 'certisalle_langue')
  t.ok(cookie, 'language cookie set')
  t.equal(cookie?.value, 'en')
  t.equal(cookie?.maxAge, 365 * 24 * 60 * 60, 'remembered for a year')
  t.equal(cookie?.httpOnly, true)
  t.equal(cookie?.path, '/')
  t.equal(langOf((await client.get('/connexion')).body), 'en')
  t.match((await client.get('/connexion')).body, /value="en" lang="en" class="link-button" aria-pressed="true"/)
  await client.post('/langue', { langue: 'fr', retour: '/connexion' })
  t.equal(langOf((await client.get('/connexion')).body), 'fr')
})

t.test('back to a path of this site only; an unknown language changes nothing', async (t) => {
  const server = await build(t)
  const client = new Client(server)
  await client.get('/connexion')
  for (const retour of ['https://evil.example/', '//evil.example', '/\\evil.example', '/%2e%2e//evil.example', 'javascript:alert(1)', '', '/\t/evil.example']) {
    const response = await client.post('/langue', { langue: 'en', retour })
    t.equal(response.statusCode, 303, JSON.stringify(retour))
    t.equal(response.headers.location, '/', `${JSON.stringify(retour)} → /`)
  }
  const fresh = new Client(server)
  await fresh.get('/connexion')
  const response = await fresh.post('/langue', { langue: 'de', retour: '/connexion' })
  t.equal(response.statusCode, 303)
  t.notOk(
    response.cookies.find((c) => c.name === 'certisalle_langue'),
    'no cookie for a language we do not have',
  )
})

t.test('the switch is a POST with the CSRF token like any other', async (t) => {
  const server = await build(t)
  const client = new Client(server)
  await client.get('/connexion')
  const response = await client.post('/langue', { _csrf: 'forged', langue: 'en', retour: '/connexion' })
  t.equal(response.statusCode, 403)
  t.notOk(response.cookies.find((c) => c.name === 'certisalle_langue'))
  const get = await client.get('/langue')
  t.equal(get.statusCode, 404, 'no GET: a link cannot change the language')
})

t.test('without a choice, Accept-Language decides; the cookie wins over it', async (t) => {
  const server = await build(t)
  const page = (headers: Record<string, string>) => server.inject({ method: 'GET', url: '/connexion', headers })
  t.equal(langOf((await page({})).body), 'fr')
  t.equal(langOf((await page({ 'accept-language': 'en-GB,en;q=0.9' })).body), 'en')
  t.equal(langOf((await page({ 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' })).body), 'fr')
  t.equal(langOf((await page({ 'accept-language': 'de-DE' })).body), 'fr')
  t.equal(langOf((await page({ 'accept-language': 'en-GB', cookie: 'certisalle_langue=fr' })).body), 'fr')
  t.equal(langOf((await page({ cookie: 'certisalle_langue=en' })).body), 'en')
  t.equal(langOf((await page({ cookie: 'certisalle_langue=xx' })).body), 'fr', 'a cookie of no known language is ignored')
})

t.test('the switch is on the candidate page, the invigilator login and every staff page', async (t) => {
  const server = await build(t)
  for (const url of ['/rejoindre', '/surveillance', '/mot-de-passe-oublie']) {
    const response = await server.inject({ method: 'GET', url })
    t.match(response.body, /action="\/langue"/, url)
  }
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  for (const url of ['/sessions', `/sessions/${session.id}`, `/sessions/${session.id}/candidats`, '/mon-compte']) {
    const response = await client.get(url)
    t.equal(response.statusCode, 200, url)
    t.match(response.body, new RegExp(`name="retour" value="${url}"`), `${url}: back to itself`)
  }
})

t.test('official documents: French whatever the page language, English with ?langue=en', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  await client.post('/langue', { langue: 'en', retour: '/sessions' })
  for (const doc of ['feuille-emargement', 'pv-incident', 'kit-surveillant']) {
    const url = `/sessions/${session.id}/impression/${doc}`
    const french = await client.get(url)
    t.equal(french.statusCode, 200)
    t.equal(langOf(french.body), 'fr', `${doc}: French by default`)
    t.match(french.body, new RegExp(`href="${url}\\?langue=en" lang="en" hreflang="en">English version</a>`))
    const english = await client.get(`${url}?langue=en`)
    t.equal(langOf(english.body), 'en', `${doc}: English on request`)
    t.match(english.body, new RegExp(`href="${url}" lang="fr" hreflang="fr">Version française</a>`))
  }
})

t.test('e-mails in the language of the page they were asked from', async (t) => {
  const server = await build(t)
  const sent: Array<{ to: string; subject: string; text: string }> = []
  server.mail.enqueue = (mail) => void sent.push(mail)
  server.mail.sendNow = async (mail) => void sent.push(mail)
  const { client, email } = await loggedIn(server, { role: 'admin' })

  const english = new Client(server)
  await english.get('/mot-de-passe-oublie')
  await english.post('/langue', { langue: 'en', retour: '/mot-de-passe-oublie' })
  const page = await english.get('/mot-de-passe-oublie')
  t.match(page.body, 'Forgotten password')
  await english.post('/mot-de-passe-oublie', { email })
  t.equal(sent.at(-1)?.subject, 'Certisalle: choose a new password')
  t.match(sent.at(-1)?.text, /^Hello /)

  const french = new Client(server)
  await french.get('/mot-de-passe-oublie')
  await french.post('/mot-de-passe-oublie', { email })
  t.equal(sent.at(-1)?.subject, 'Certisalle : choisir un nouveau mot de passe')

  await client.post('/langue', { langue: 'en', retour: '/equipe/invitations' })
  await client.get('/equipe/invitations')
  const invited = await client.post('/equipe/invitations', { emails: 'new.colleague@example.org', role: 'member' })
  t.ok([200, 303].includes(invited.statusCode), 'invited (without SMTP: the links page)')
  const invitation = sent.find((m) => m.to === 'new.colleague@example.org')
  t.match(invitation?.subject, /^Invitation to join .+ on Certisalle$/)
  t.match(invitation?.text, /valid until \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}/, 'the expiry date in English')
})

t.test('pages in English: words, dates and plurals', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId, { date: '2021-01-12' })
  await client.get('/sessions')
  await client.post('/langue', { langue: 'en', retour: '/sessions' })
  const list = await client.get('/sessions')
  t.match(list.body, '<h1>Certification sessions</h1>')
  t.match(list.body, 'Created')
  t.notMatch(list.body, 'Créée')
  const details = await client.get(`/sessions/${session.id}`)
  t.match(details.body, 'No candidate has joined the session yet.')
  t.match(details.body, 'Tuesday, 12 Jan 2021', 'the date in English')
  const candidates = await client.get(`/sessions/${session.id}/candidats`)
  t.match(candidates.body, 'List of candidates (0)')
  // the form's error summary: English plural rules
  const form = await client.post('/sessions/nouvelle', {})
  t.equal(form.statusCode, 400)
  t.match(form.body, /Correct the \d+ errors below\./)
  t.match(form.body, 'Enter a site name.')
})

t.test('the terms of use in English too; "label: value" punctuation follows the language', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  t.match((await client.get('/cgu')).body, '1. Objet')
  await client.post('/langue', { langue: 'en', retour: '/cgu' })
  const english = await client.get('/cgu')
  t.match(english.body, '1. Purpose')
  t.notMatch(english.body, 'Objet')
})

t.test('the import’s messages follow the language of the person importing', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  const url = `/sessions/${session.id}/candidats`
  await client.get(url)
  await client.post('/langue', { langue: 'en', retour: url })
  await client.get(url)
  const data = new FormData()
  data.append('fichier', new Blob([new Uint8Array(Buffer.from('nom;prénom\nDupont;Julie\n'))]), 'feuille.csv')
  const response = await client.postMultipart(`${url}/import`, data)
  const page = response.statusCode === 303 ? await client.get(response.headers.location as string) : response
  t.match(page.body, 'This file is a text file (CSV), not an .ods file.')
  t.notMatch(page.body, 'Ce fichier est un fichier texte')
})
