import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import * as XLSX from 'xlsx'
import { createSession, finaliseSession, joinCandidate } from '../factories.ts'
import { FIXTURES } from '../features/candidates/fixtures/sheets.ts'
import { createMember } from '../helper.ts'
import { clickAndWait, loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

t.test('chapter 4 with JavaScript off: download, import a LibreOffice file, add and delete a candidate', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId)
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, member.email)
  const tab = `/sessions/${session.id}/candidats`
  await page.goto(tab)
  t.ok(await page.getByText('En attente de candidats').isVisible())
  await screenshot(page, 'candidates-1-empty')

  // download the blank sheet
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger (.ods)' }).click()])
  t.equal(download.suggestedFilename(), `feuille-emargement-session-${session.id}.ods`)
  const downloaded = readFileSync((await download.path())!)
  const workbook = XLSX.read(downloaded, { type: 'buffer' })
  const rows = XLSX.utils.sheet_to_json<string[]>(workbook.Sheets[workbook.SheetNames[0]!]!, { header: 1, defval: '' })
  t.equal(rows[9]![1], 'Nom de naissance')

  // a sheet with mistakes: every bad line listed, nothing imported
  await page.getByLabel('Feuille d’émargement remplie').setInputFiles(path.join(FIXTURES, 'errors.ods'))
  await clickAndWait(page.getByRole('button', { name: 'Importer (.ods)' }))
  t.ok(await page.getByText('Le fichier contient 14 erreurs.').isVisible())
  t.ok(await page.getByText('Ligne 13 : colonne « Date de naissance (format : jj/mm/aaaa) »').isVisible())
  t.ok(await page.getByText('En attente de candidats').isVisible(), 'still nobody')
  await screenshot(page, 'candidates-2-import-errors')

  // the LibreOffice-filled sheet
  await page.getByLabel('Feuille d’émargement remplie').setInputFiles(path.join(FIXTURES, 'filled.ods'))
  await clickAndWait(page.getByRole('button', { name: 'Importer (.ods)' }))
  t.ok(await page.getByText('La liste des candidats a été importée avec succès.').isVisible(), 'green message')
  t.ok(await page.getByText('Ligne 23 : la commune « Montpelier » est inconnue').isVisible(), 'warning shown')
  t.ok(await page.getByRole('heading', { name: 'Liste des candidats (10)' }).isVisible())
  t.equal(await page.locator('table.candidates-table tbody tr').count(), 10)
  t.ok(await page.getByRole('cell', { name: 'Aïcha-Marie', exact: true }).isVisible())
  await screenshot(page, 'candidates-3-imported')

  // add a candidate (first with a mistake)
  await clickAndWait(page.getByRole('link', { name: 'Ajouter un candidat' }))
  await page.getByLabel('Nom de naissance').fill('Neige')
  await page.getByLabel('Prénom').fill('Blanche')
  await page.getByLabel('Date de naissance').fill('31/02/2004')
  await page.getByLabel('Commune de naissance').fill('Grenoble')
  await page.getByLabel('Département de naissance').fill('38')
  await page.getByLabel('Pays de naissance').fill('France')
  await page.getByLabel('Temps majoré (%)').fill('33')
  await clickAndWait(page.getByRole('button', { name: 'Ajouter le candidat' }))
  t.ok(await page.getByRole('heading', { name: 'Le formulaire contient des erreurs' }).isVisible())
  t.equal(await page.getByLabel('Nom de naissance').inputValue(), 'Neige', 'values kept')
  await screenshot(page, 'candidates-4-form-error')
  await page.getByLabel('Date de naissance').fill('29/02/2004')
  await clickAndWait(page.getByRole('button', { name: 'Ajouter le candidat' }))
  t.ok(await page.getByText('Le candidat Blanche Neige a été ajouté.').isVisible())
  t.ok(await page.getByRole('heading', { name: 'Liste des candidats (11)' }).isVisible())

  // delete it, through the confirmation page
  await clickAndWait(page.getByRole('link', { name: 'Supprimer le candidat Blanche Neige' }))
  t.ok(await page.getByText('Voulez-vous vraiment supprimer le candidat Blanche Neige').isVisible())
  await screenshot(page, 'candidates-5-delete-confirmation')
  await clickAndWait(page.getByRole('button', { name: 'Supprimer le candidat' }))
  t.ok(await page.getByText('Le candidat Blanche Neige a été supprimé.').isVisible())
  t.ok(await page.getByRole('heading', { name: 'Liste des candidats (10)' }).isVisible())

  // once someone joined: badge, certification number, no import
  const first = await server.db.selectFrom('candidate').selectAll().where('session_id', '=', session.id).orderBy('id').executeTakeFirstOrThrow()
  const course = await joinCandidate(server.db, first)
  await page.goto(tab)
  t.ok(await page.getByText('La session a débuté, il n’est plus possible de modifier la liste des candidats.').isVisible())
  t.ok(await page.getByText('Présent', { exact: true }).isVisible())
  t.ok(await page.getByText(`N° de certification : ${course.id}`).isVisible())
  t.equal(await page.getByRole('button', { name: 'Importer (.ods)' }).count(), 0)
  await screenshot(page, 'candidates-6-joined')

  // after finalisation the tab is read-only
  await finaliseSession(server.db, session.id, member.userId)
  await page.goto(tab)
  t.ok(await page.getByText('Cette session est finalisée : la liste des candidats ne peut plus être modifiée.').isVisible())
  t.equal(await page.getByRole('link', { name: 'Ajouter un candidat' }).count(), 0)
  t.equal(await page.getByRole('link', { name: /Supprimer le candidat/ }).count(), 0)
  await screenshot(page, 'candidates-7-finalised')
})
