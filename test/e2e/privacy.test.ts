import { readFileSync } from 'node:fs'
import t from 'tap'
import * as XLSX from 'xlsx'
import { chromium } from 'playwright-core'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../factories.ts'
import { build, createMember } from '../helper.ts'
import { fillUrl, URL_MAP } from '../lib/routes.ts'
import { seedCentre } from '../lib/seed.ts'
import { smtpListener } from '../lib/smtp.ts'
import { ARGS, CHROMIUM, loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

/** Issue 26 in Chromium with JavaScript off: erasure on request, the centre export, and the address given to candidates. */
const LOOPBACK = /localhost|127\.\d+\.\d+\.\d+|\[::1\]/

t.test('an admin erases a candidate of a finalised session and downloads the centre export (JS off)', async (t) => {
  const { server, browser, baseUrl } = await startBrowserApp(t)
  const admin = await createMember(server, { centre: 'Lycée Testix' })
  const session = await createSession(server.db, admin.centreId, { room: 'Salle 12' })
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie', email: 'julie@example.org' })
  await createCandidate(server.db, session.id, { last_name: 'Durand', first_name: 'Paul' })
  await joinCandidate(server.db, julie)
  await finaliseSession(server.db, session.id)
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, admin.email)
  await page.goto(`/sessions/${session.id}/candidats`)
  await page.getByRole('link', { name: 'Effacer les données de Julie Dupont' }).click()
  await page.waitForLoadState()
  t.ok(await page.getByText('Effacer les données personnelles de Julie Dupont, à sa demande :').isVisible())
  await screenshot(page, 'privacy-erase-confirm')
  await page.getByRole('button', { name: 'Effacer définitivement' }).click()
  await page.waitForLoadState()
  t.equal(new URL(page.url()).pathname, `/sessions/${session.id}/candidats`)
  t.ok(await page.getByText('Les données personnelles du candidat ont été effacées.').isVisible())
  t.equal(await page.getByRole('cell', { name: 'Candidat effacé', exact: true }).count(), 1, 'the placeholder row')
  t.equal(await page.locator('.candidates-table tbody tr').count(), 2, 'the count stays')
  t.notMatch(await page.content(), /Julie|julie@example/, 'nothing of Julie left')
  await screenshot(page, 'privacy-erased')

  // The export, from the footer's "Données personnelles".
  await page.getByRole('link', { name: 'Données personnelles' }).click()
  await page.waitForLoadState()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger l’export du centre (.ods)' }).click()])
  t.match(download.suggestedFilename(), /^certisalle-lycee-testix-\d{4}-\d{2}-\d{2}\.ods$/)
  const book = XLSX.read(readFileSync((await download.path())!), { type: 'buffer' })
  t.same(book.SheetNames, ['Sessions', 'Candidats', 'Signalements', 'Historique'])
  const candidates = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets.Candidats!)
  t.same(candidates.map((c) => c['Nom']).sort(), ['Candidat effacé', 'Durand'])
  const history = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets.Historique!).map((h) => h['Modification'])
  t.ok(history.includes('Données d’un candidat effacées à sa demande'))
  t.ok(history.includes('Données personnelles exportées : Export du centre (.ods)'))
})

t.test('without PUBLIC_URL, browsed as ecole.test: no page and no e-mail gives a loopback address (JS off)', async (t) => {
  const smtp = await smtpListener(t)
  const server = await build(t, { smtp: smtp.smtp, convocationsPerMinute: 600_000 })
  t.notOk(server.config.publicUrlSet, 'PUBLIC_URL unset')
  const address = await server.listen({ port: 0, host: '127.0.0.1' })
  const port = new URL(address).port
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, '--host-resolver-rules=MAP ecole.test 127.0.0.1'] })
  t.teardown(() => browser.close())
  const origin = `http://ecole.test:${port}`
  const a = await seedCentre(server, 'Centre A')
  const admin = await createMember(server, { centre: 'Centre A' })
  await server.db.updateTable('candidate').set({ email: 'candidat@example.org' }).where('session_id', '=', a.sessionId).execute()
  const { page } = await noJsPage(browser, origin)
  await loginInBrowser(page, admin.email)

  // Every page of the URL map a staff member reaches, with real ids.
  let pages = 0
  for (const [method, url] of URL_MAP) {
    if (method !== 'GET' || url.includes(':planId') || url.endsWith('.csv') || url.endsWith('.ods') || url.includes('/documents/')) continue
    const response = await page.goto(fillUrl(url, a.ids))
    const body = await page.content()
    t.notMatch(body, LOOPBACK, `${url} (${response?.status()}): no loopback address`)
    pages++
  }
  t.ok(pages > 30, `${pages} pages read`)
  await page.goto(`/sessions/${a.sessionId}/impression/kit-surveillant`)
  t.match(await page.content(), new RegExp(`http://ecole\\.test:${port}/rejoindre`), 'the kit gives the address browsed')
  await screenshot(page, 'privacy-kit-ecole-test')

  // E-mails: convocations, an invitation, a password reset, each asked from a page.
  await page.goto(`/sessions/${a.sessionId}/candidats`)
  await page.getByRole('button', { name: 'Envoyer les convocations par e-mail' }).click()
  await page.waitForLoadState()
  await server.convocations.idle()
  await page.goto('/equipe/invitations')
  await page.getByLabel(/Adresse\(s\) e-mail/).fill('nouveau@example.org')
  await page.getByRole('button', { name: 'Inviter', exact: true }).click()
  await page.waitForLoadState()
  const { page: visitor } = await noJsPage(browser, origin)
  await visitor.goto('/mot-de-passe-oublie')
  await visitor.getByLabel('Adresse e-mail').fill(admin.email)
  await visitor.getByRole('button', { name: 'Recevoir le lien' }).click()
  await visitor.waitForLoadState()
  await server.mail.drained()
  const subjects = smtp.received.map((m) => m.subject)
  t.ok(smtp.received.length >= 3, `mails: ${subjects.join(' | ')}`)
  for (const mail of smtp.received) {
    t.notMatch(mail.text, LOOPBACK, `${mail.subject}: no loopback address`)
    t.match(mail.text, new RegExp(`http://ecole\\.test:${port}/`), `${mail.subject}: the address browsed`)
  }
})
