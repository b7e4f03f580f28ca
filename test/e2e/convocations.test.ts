import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import t from 'tap'
import { createCandidate, createSession } from '../factories.ts'
import { createMember } from '../helper.ts'
import { smtpListener } from '../lib/smtp.ts'
import { loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

/*
 * Issue 15, items 1–2 in Chromium with JavaScript off: send the convocations and watch the progress
 * with the "Actualiser" button, then print them (one, then two per A4 page) and read the PDFs.
 */
const OUT = 'test-output'
mkdirSync(OUT, { recursive: true })

const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])
const pdfText = (file: string, page: number) =>
  execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')

t.test('send the convocations, watch the progress, print them (JS off)', async (t) => {
  const smtp = await smtpListener(t)
  const { server, browser, baseUrl } = await startBrowserApp(t, { smtp: smtp.smtp, convocationsPerMinute: 600_000 })
  const member = await createMember(server, { centre: 'Lycée Testix' })
  const session = await createSession(server.db, member.centreId, { site_name: 'Lycée Jean Moulin — bâtiment des sciences', room: 'Salle B204' })
  for (let i = 1; i <= 5; i++) {
    await createCandidate(server.db, session.id, {
      last_name: `Nom${i}`,
      first_name: `Prénom${i}`,
      email: i === 5 ? null : `candidat${i}@example.org`,
      extra_time_percentage: i === 2 ? 33 : null,
      accessibility_needed: i === 3 ? 1 : 0,
      convocation_language: i === 4 ? 'en' : 'fr',
    })
  }
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, member.email)
  await page.goto(`/sessions/${session.id}/candidats`)
  await page.getByRole('button', { name: 'Envoyer les convocations par e-mail' }).click()
  await page.waitForLoadState()
  t.ok(await page.getByText('4 convocations vont être envoyées.').isVisible())
  await server.convocations.idle()
  await page.getByRole('button', { name: 'Actualiser' }).click()
  await page.waitForLoadState()
  t.ok(await page.getByText('4 / 4 envoyées').isVisible(), 'the progress after a reload')
  t.equal(await page.getByText(/^Envoyée le /).count(), 4)
  t.equal(smtp.received.length, 4)
  await screenshot(page, 'convocations-tab')
  // Each status sits under its own column title.
  const headers = await page.locator('.candidates-table thead th').allTextContents()
  const cells = await page.locator('.candidates-table tbody tr').first().locator('td').allTextContents()
  t.match(cells[headers.indexOf('Convocation')], /Envoyée le/)
  t.equal(await page.locator('.candidates-table tbody tr').nth(2).locator('td').nth(headers.indexOf('Accessibilité')).textContent(), 'Oui')

  // Print: one per page, then two per page.
  await page.getByRole('link', { name: 'Imprimer les convocations (une par page)' }).click()
  await page.waitForLoadState()
  await screenshot(page, 'convocations-print')
  const one = `${OUT}/convocations-one-per-page.pdf`
  await page.pdf({ path: one, format: 'A4' })
  t.equal(pdfPages(one), 5, 'one A4 page per candidate')
  const first = pdfText(one, 1)
  for (const text of [
    'Convocation',
    `Session de certification n° ${session.id}`,
    'Bonjour Prénom1 Nom1',
    'mardi 12 janvier 2021',
    '09:45',
    'Salle B204',
    '1 h 45',
    'pièce d’identité',
    '/rejoindre',
  ]) {
    t.ok(first.includes(text), `page 1: ${text}`)
  }
  t.ok(pdfText(one, 2).includes('temps majoré de 33 % compris'))
  t.ok(pdfText(one, 4).includes('Dear Prénom4 Nom4'), 'the English candidate’s page')
  t.ok(pdfText(one, 5).includes('Prénom5 Nom5'), 'the one without an address is printed too')
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', one, `${OUT}/convocations-one`])
  await page.goto(`/sessions/${session.id}/impression/convocations?par-page=2`)
  const two = `${OUT}/convocations-two-per-page.pdf`
  await page.pdf({ path: two, format: 'A4' })
  t.equal(pdfPages(two), 3, 'two per page: 5 candidates on 3 pages')
  const page1 = pdfText(two, 1)
  t.ok(page1.includes('Prénom1 Nom1') && page1.includes('Prénom2 Nom2'), 'two convocations on the first page')
  t.ok(page1.includes('Notez le N° de certification'), 'the last step of each is printed (nothing cut)')
  t.equal(page1.match(/Notez le N° de certification/g)?.length, 2)
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', two, `${OUT}/convocations-two`])
})
