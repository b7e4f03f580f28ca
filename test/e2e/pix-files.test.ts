import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { createSession } from '../factories.ts'
import { createMember } from '../helper.ts'
import { PIX_CANDIDATE, pixCsv, pixSheet } from '../lib/pix-files.ts'
import { loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

/** Issue 24 with JavaScript off: a Pix-made mass-import CSV and a Pix-made candidate sheet, uploaded as they are. */

const SESSION = { site: 'Lycée Jean Moulin', room: 'Salle 12', date: '15/06/2030', time: '09:00', invigilators: 'Eric Martin' }

t.test('Pix files with JavaScript off: the mass-import .csv and the candidate sheet .ods import as they are', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server, { role: 'member' })
  const session = await createSession(server.db, member.centreId, { date: '2030-06-20' })
  const dir = mkdtempSync(path.join(tmpdir(), 'pix-e2e-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, member.email)

  // Pix's "Créer/éditer plusieurs sessions" CSV, as its template writes it (BOM, quoted, ;)
  writeFileSync(
    path.join(dir, 'import-sessions.csv'),
    pixCsv([
      { ...SESSION, ...PIX_CANDIDATE, extra: '15 %', clea: 'oui' },
      { ...SESSION, ...PIX_CANDIDATE, last: 'Martin', insee: '', postal: '01400', city: 'Romans' },
    ]),
  )
  await page.goto('/sessions/import-multiple')
  await page.getByLabel('Modèle complété (.csv ou .ods').setInputFiles(path.join(dir, 'import-sessions.csv'))
  await page.getByRole('button', { name: 'Importer le modèle complété' }).click()
  t.ok(await page.getByText('1 session dont 0 sans candidat, 2 candidats').isVisible(), 'counts')
  t.equal(await page.getByRole('heading', { name: /Erreurs bloquantes/ }).count(), 0, 'no blocking error')
  t.ok(await page.getByText(/Ligne 1 : Colonnes ignorées : « \* Sexe \(M ou F\) »/).isVisible(), 'the unused columns named')
  await screenshot(page, 'pix-1-batch-recap')
  await page.getByRole('button', { name: 'Créer/éditer les sessions' }).click()
  t.ok(await page.getByText('1 session créée, 0 modifiée, 2 candidats importés').isVisible())
  const imported = await server.db
    .selectFrom('candidate')
    .select(['last_name', 'birth_department_code', 'extra_time_percentage'])
    .where('session_id', '!=', session.id)
    .orderBy('id')
    .execute()
  t.same(
    imported.map((c) => [c.last_name, c.birth_department_code, c.extra_time_percentage]),
    [
      ['Dupont', '76', 15],
      ['Martin', '01', null],
    ],
  )

  // Pix's candidate sheet: one line to fix first, then the corrected sheet
  const tab = `/sessions/${session.id}/candidats`
  writeFileSync(path.join(dir, 'a-corriger.ods'), pixSheet([{ ...PIX_CANDIDATE, insee: '', postal: '01400' }]))
  writeFileSync(path.join(dir, 'liste.ods'), pixSheet([{ ...PIX_CANDIDATE, insee: '99132', city: 'Londres', country: 'ROYAUME-UNI' }]))
  await page.goto(tab)
  await page.getByLabel('Feuille d’émargement remplie').setInputFiles(path.join(dir, 'a-corriger.ods'))
  await page.getByRole('button', { name: 'Importer (.ods)' }).click()
  t.ok(await page.getByText('Le fichier contient 1 erreur.').isVisible())
  t.ok(await page.getByText('Ligne 9 : colonne « Code postal de la commune de naissance » — Le code postal « 01400 » est partagé').isVisible(), 'what to fix')
  await screenshot(page, 'pix-2-sheet-error')
  await page.getByLabel('Feuille d’émargement remplie').setInputFiles(path.join(dir, 'liste.ods'))
  await page.getByRole('button', { name: 'Importer (.ods)' }).click()
  t.ok(await page.getByText('La liste des candidats a été importée avec succès.').isVisible())
  t.ok(await page.getByText(/Colonnes ignorées : « \* Sexe \(M ou F\) »/).isVisible(), 'the unused columns named')
  t.ok(await page.getByRole('cell', { name: 'Londres' }).first().isVisible())
  await screenshot(page, 'pix-3-sheet-imported')
  const listed = await server.db.selectFrom('candidate').select(['birth_department_code', 'birth_country']).where('session_id', '=', session.id).execute()
  t.same(listed, [{ birth_department_code: '99', birth_country: 'Royaume-Uni' }])
})
