import t from 'tap'
import { ACCESS_CODE_PATTERN } from '../../src/features/sessions/access-code.ts'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../factories.ts'
import { createMember } from '../helper.ts'
import { clickAndWait, loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

t.test('with JavaScript off: create a session, read its code, edit it, cancel an edit, find it in the list', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server, { firstName: 'Paul', lastName: 'Martin' })
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, member.email)

  await page.goto('/sessions')
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Créez votre première session de certification')
  await screenshot(page, 'sessions-1-empty')
  await clickAndWait(page.getByRole('link', { name: 'Créer une session' }))

  // Submitting the empty form shows the messages.
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Création d’une session de certification')
  await clickAndWait(page.getByRole('button', { name: 'Créer la session' }))
  t.equal(await page.getByRole('alert').getByRole('link').count(), 5, 'five errors in the summary')
  t.equal(await page.getByLabel('Nom du site').getAttribute('aria-invalid'), 'true')
  await screenshot(page, 'sessions-2-errors')

  await page.getByLabel('Nom du site').fill('Lycée Victor Hugo')
  await page.getByLabel('Nom de la salle').fill('B12')
  await page.getByLabel('Date de début').fill('2026-03-15')
  await page.getByLabel('Heure de début (heure locale)').fill('14:30')
  await page.getByLabel('Surveillant(s)').fill('Eric Martin')
  await page.getByLabel('Observations').fill('Prévoir des écouteurs')
  await screenshot(page, 'sessions-3-filled')
  await clickAndWait(page.getByRole('button', { name: 'Créer la session' }))

  // Details: the code is there, the copy button (which needs JavaScript) is not.
  const id = Number(/\/sessions\/(\d+)$/.exec(page.url())?.[1])
  t.ok(id > 0, 'on the details page')
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Session ${id}`)
  t.match(await page.getByRole('status').textContent(), `La session ${id} a été créée.`)
  const code = (await page.locator('#access-code').textContent())?.trim() ?? ''
  t.match(code, ACCESS_CODE_PATTERN)
  const stored = await server.db.selectFrom('certification_session').select('access_code').where('id', '=', id).executeTakeFirstOrThrow()
  t.equal(code, stored.access_code)
  t.notOk(await page.getByRole('button', { name: /Copier/ }).isVisible(), 'no copy button without JavaScript')
  t.ok(await page.getByText('dimanche 15 mars 2026').isVisible())
  await screenshot(page, 'sessions-4-details')

  // Edit.
  await clickAndWait(page.getByRole('link', { name: 'Modifier' }))
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Modification d’une session de certification')
  t.equal(await page.getByLabel('Nom de la salle').inputValue(), 'B12')
  t.equal(await page.getByLabel('Date de début').inputValue(), '2026-03-15')
  await page.getByLabel('Nom de la salle').fill('Salle 204')
  await screenshot(page, 'sessions-5-edit')
  await clickAndWait(page.getByRole('button', { name: 'Modifier la session' }))
  t.equal(new URL(page.url()).pathname, `/sessions/${id}`)
  t.match(await page.getByRole('status').textContent(), 'ont été enregistrées')
  t.ok(await page.getByRole('cell', { name: 'Salle 204' }).isVisible())
  t.equal((await page.locator('#access-code').textContent())?.trim(), code, 'same code after the edit')

  // Cancel an edit: nothing changes.
  await clickAndWait(page.getByRole('link', { name: 'Modifier' }))
  await page.getByLabel('Nom du site').fill('Ne pas enregistrer')
  await clickAndWait(page.getByRole('link', { name: 'Annuler' }))
  t.equal(new URL(page.url()).pathname, `/sessions/${id}`)
  t.ok(await page.getByRole('cell', { name: 'Lycée Victor Hugo' }).isVisible())
  t.equal(await page.getByText('Ne pas enregistrer').count(), 0)

  // The list.
  await clickAndWait(page.getByRole('link', { name: '← Sessions de certification' }))
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Session ${id}`, exact: true }) })
  const cells = (await row.getByRole('cell').allTextContents()).map((text) => text.trim())
  t.same(cells, [String(id), 'Lycée Victor Hugo', 'Salle 204', '15/03/2026', '14:30', 'Eric Martin', '0', '0', 'Créée', ''])
  t.ok(await row.getByRole('link', { name: `Supprimer la session ${id}` }).isVisible(), 'a delete icon while nobody joined')
  await screenshot(page, 'sessions-6-list')
  await clickAndWait(page.getByRole('link', { name: `Session ${id}`, exact: true }))
  t.equal(new URL(page.url()).pathname, `/sessions/${id}`, 'the row opens the session')
})

t.test('with JavaScript off: delete after confirmation; a finalised session is read-only', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, member.email)

  const doomed = await createSession(server.db, member.centreId, { site_name: 'Session à supprimer' })
  await createCandidate(server.db, doomed.id)
  await page.goto(`/sessions/${doomed.id}`)
  await clickAndWait(page.getByRole('link', { name: 'Supprimer' }))
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Supprimer la session ${doomed.id} ?`)
  await screenshot(page, 'sessions-7-delete-confirm')
  await clickAndWait(page.getByRole('link', { name: 'Annuler' }))
  t.equal(new URL(page.url()).pathname, `/sessions/${doomed.id}`, 'Annuler keeps it')
  await clickAndWait(page.getByRole('link', { name: 'Supprimer' }))
  await clickAndWait(page.getByRole('button', { name: 'Supprimer la session' }))
  t.equal(new URL(page.url()).pathname, '/sessions')
  t.match(await page.getByRole('status').textContent(), `La session ${doomed.id} a été supprimée.`)

  const done = await createSession(server.db, member.centreId, { site_name: 'Session finalisée' })
  await joinCandidate(server.db, await createCandidate(server.db, done.id))
  await finaliseSession(server.db, done.id)
  await page.goto(`/sessions/${done.id}`)
  t.ok(await page.getByText('Les informations de finalisation de la session ont déjà été transmises').isVisible())
  t.ok(await page.getByRole('link', { name: 'Récapitulatif de finalisation' }).isVisible())
  t.equal(await page.getByRole('link', { name: 'Modifier' }).count(), 0)
  t.equal(await page.getByRole('link', { name: 'Supprimer' }).count(), 0)
  await screenshot(page, 'sessions-8-finalised')
})
