import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { fillWithLibreOffice } from '../lib/lo-fill.ts'
import { createCandidate, createSession } from '../factories.ts'
import { createMember } from '../helper.ts'
import { runAxe } from '../lib/axe.ts'
import { clickAndWait, loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

/** Template columns: A number, B site, C room, D date, E time, F invigilators, G observations, H… the candidate. */
const typed = (r: number, values: string[]) => values.flatMap((v, i) => (v === '' ? [] : [{ cell: `${String.fromCharCode(65 + i)}${r}`, type: v }]))
const cand = (last: string, dept = '76') => [last, 'Julie', '13/03/1996', 'Le Havre', dept, 'France']

t.test('Créer/éditer plusieurs sessions with JavaScript off: template, LibreOffice, full report, fix, confirm', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server, { role: 'member' })
  const existing = await createSession(server.db, member.centreId, { site_name: 'Lycée Existant', date: '2030-07-01' })
  await createCandidate(server.db, existing.id, { last_name: 'Ancien' })
  const dir = mkdtempSync(path.join(tmpdir(), 'batch-e2e-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, member.email)

  await page.goto('/sessions')
  await clickAndWait(page.getByRole('link', { name: 'Créer/éditer plusieurs sessions' }))
  t.ok(await page.getByText('Import du modèle').first().isVisible())
  await screenshot(page, 'batch-1-step1')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le modèle (.ods)' }).click()])
  t.equal(download.suggestedFilename(), 'modele-creer-editer-plusieurs-sessions.ods')
  copyFileSync((await download.path())!, path.join(dir, 'modele.ods'))

  // Filled in LibreOffice as a French user types: 3 new sessions, 1 existing one replaced, 1 bad line (department 20).
  const session = (site: string, time: string) => ['', site, 'Salle 1', '15/06/2030', time, 'Eric Martin', '']
  const cells = [
    ...typed(2, [...session('Lycée A', '09:00'), ...cand('Alpha')]),
    ...typed(3, [...session('Lycée A', '09:00'), ...cand('Bravo')]),
    ...typed(4, [...session('Lycée A', '09:00'), ...cand('Delta', '20')]),
    ...typed(5, [...session('Lycée B', '14:00'), ...cand('Charlie')]),
    ...typed(6, session('Lycée C', '10:30')),
    ...typed(7, [String(existing.id), '', '', '', '', '', '', ...cand('Nouveau')]),
  ]
  writeFileSync(path.join(dir, 'fill.json'), JSON.stringify({ input: 'modele.ods', output: 'rempli.ods', cells }))
  fillWithLibreOffice(path.join(dir, 'fill.json'), { frenchSystem: true })

  await page.getByLabel('Modèle complété (.csv ou .ods').setInputFiles(path.join(dir, 'rempli.ods'))
  await clickAndWait(page.getByRole('button', { name: 'Importer le modèle complété' }))
  t.ok(await page.getByRole('heading', { name: /Erreurs bloquantes/ }).isVisible(), 'the report, open')
  t.ok(await page.getByText('Ligne 4 : colonne « * Code du département de naissance » —').isVisible(), 'the bad line, with its column')
  t.equal(await page.getByRole('button', { name: 'Créer/éditer les sessions' }).count(), 0, 'no confirmation with blocking errors')
  t.ok(await page.getByRole('button', { name: 'Importer un nouveau fichier' }).isVisible())
  await screenshot(page, 'batch-2-errors')
  const errorsUrl = page.url()
  t.equal((await server.db.selectFrom('certification_session').select('id').execute()).length, 1, 'nothing created')

  // Fixed in LibreOffice and saved as CSV this time (LibreOffice's defaults: `,`, Windows-1252, dates as shown).
  writeFileSync(path.join(dir, 'fix.json'), JSON.stringify({ input: 'rempli.ods', output: 'corrige.csv', format: 'csv', cells: [{ cell: 'L4', type: '42' }] }))
  fillWithLibreOffice(path.join(dir, 'fix.json'), { frenchSystem: true })
  await page.getByLabel('Modèle complété (.csv ou .ods').setInputFiles(path.join(dir, 'corrige.csv'))
  await clickAndWait(page.getByRole('button', { name: 'Importer un nouveau fichier' }))
  t.ok(await page.getByText('4 sessions dont 1 sans candidat, 5 candidats').isVisible(), 'counts')
  t.equal(await page.getByRole('heading', { name: /Erreurs bloquantes/ }).count(), 0)
  t.ok(await page.getByText('Ligne 6 : La session ne contient pas de candidat').isVisible(), 'the warning, open')
  await screenshot(page, 'batch-3-recap')
  await clickAndWait(page.getByRole('button', { name: 'Créer/éditer les sessions' }))

  t.ok(await page.getByText('3 sessions créées, 1 modifiée, 5 candidats importés').isVisible())
  const created = await server.db.selectFrom('certification_session').selectAll().where('id', '!=', existing.id).orderBy('id').execute()
  t.same(
    created.map((s) => [s.site_name, s.date, s.start_time]),
    [
      ['Lycée A', '2030-06-15', '09:00'],
      ['Lycée B', '2030-06-15', '14:00'],
      ['Lycée C', '2030-06-15', '10:30'],
    ],
  )
  for (const s of created) t.ok(await page.getByRole('cell', { name: s.access_code }).isVisible(), `access code of ${s.site_name}`)
  await screenshot(page, 'batch-4-result')
  const resultUrl = page.url()

  await clickAndWait(page.getByRole('link', { name: 'Retour à la liste des sessions' }).first())
  for (const site of ['Lycée A', 'Lycée B', 'Lycée C']) t.ok(await page.getByRole('cell', { name: site, exact: true }).isVisible(), `${site} in the list`)
  await page.goto(`/sessions/${created[0]!.id}/candidats`)
  t.ok(await page.getByRole('heading', { name: 'Liste des candidats (3)' }).isVisible())
  t.ok(await page.getByRole('cell', { name: 'Delta', exact: true }).isVisible())
  await page.goto(`/sessions/${existing.id}/candidats`)
  t.ok(await page.getByRole('cell', { name: 'Nouveau', exact: true }).isVisible(), 'the existing list replaced')
  t.equal(await page.getByRole('cell', { name: 'Ancien', exact: true }).count(), 0)

  // Accessibility (axe-core needs JavaScript: a second context, same user).
  const axeContext = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, baseURL: baseUrl, locale: 'fr-FR' })
  const axePage = await axeContext.newPage()
  await loginInBrowser(axePage, member.email)
  for (const url of ['/sessions/import-multiple', errorsUrl, resultUrl]) {
    await axePage.goto(url)
    const violations = await runAxe(axePage)
    t.same(
      violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.join(' | ')}`),
      [],
      `${new URL(url, baseUrl).pathname}: 0 axe violations`,
    )
  }
})
