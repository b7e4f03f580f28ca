import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import t from 'tap'
import { createMember } from '../helper.ts'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { clickAndWait, loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

t.test('chapter 5 end to end with JavaScript off: reports, a document, a comment, save, validate, finalise', async (t) => {
  const { server, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId)
  const julie = await createCandidate(server.db, session.id)
  const michel = await createCandidate(server.db, session.id, { last_name: 'Durand', first_name: 'Michel', birthdate: '2001-05-06' })
  await createCandidate(server.db, session.id, { last_name: 'Neige', first_name: 'Jean', birthdate: '1987-09-22' })
  await joinCandidate(server.db, julie)
  await joinCandidate(server.db, michel)

  const { page } = await noJsPage(browser, server.config.publicUrl)
  await loginInBrowser(page, member.email)
  const url = `/sessions/${session.id}/finalisation`
  await page.goto(url)
  t.equal(await page.getByRole('heading', { name: `Finaliser la session ${session.id}` }).count(), 1)
  t.ok(await page.getByText('Pour finaliser la session, complétez les trois étapes puis validez.').isVisible())
  t.notOk(await page.getByLabel('Commentaire global sur la session').isVisible(), 'the comment field waits for the second choice')
  await screenshot(page, 'finalisation-1-wizard')

  // Step 1: two reports on Julie, one at a time.
  const julieRow = page.locator(`#candidat-${julie.id}`)
  await clickAndWait(julieRow.getByRole('button', { name: /Ajouter \?/ }))
  await page.waitForURL((u) => u.pathname === `${url}/candidats/${julie.id}/signalement`)
  t.ok(await page.getByText('Julie Dupont — N° de certification').isVisible())
  t.notOk(await page.getByLabel('Numéro de la question').isVisible(), 'a category’s fields show once it is chosen')
  await screenshot(page, 'finalisation-2-report-empty')
  await page.getByLabel('Modification infos candidat').check()
  await page.getByLabel('Modification des prénom/nom/date de naissance').check()
  await page.locator('#field-details_candidate_information').fill('Erreur sur l’orthographe du nom : Dupond et non Dupont')
  await screenshot(page, 'finalisation-3-report-filled')
  await clickAndWait(page.getByRole('button', { name: 'Valider' }))
  await page.waitForURL((u) => u.pathname === url)
  t.ok(await page.getByText('Le signalement C1 a été ajouté pour Julie Dupont.').isVisible())

  await clickAndWait(julieRow.getByRole('button', { name: /Ajouter \?/ }))
  await page.getByLabel('Problème sur une question').check()
  await page.getByLabel('Le site à visiter est indisponible/en maintenance/inaccessible').check()
  await clickAndWait(page.getByRole('button', { name: 'Valider' }))
  t.ok(await page.getByText('Indiquez un numéro de question entre 1 et 500.').first().isVisible(), 'missing question number is explained')
  t.ok(await page.getByLabel('Le site à visiter est indisponible/en maintenance/inaccessible').isChecked(), 'choice kept')
  await screenshot(page, 'finalisation-4-report-error')
  await page.getByLabel('Numéro de la question').fill('12')
  await clickAndWait(page.getByRole('button', { name: 'Valider' }))
  await page.waitForURL((u) => u.pathname === url)
  t.equal(await julieRow.locator('.report-list__item').count(), 2, 'two reports listed for Julie')

  // Step 2: a document with a comment, on its own page (the wizard's draft is saved on the way).
  await page.getByLabel('Écran de fin du test vu pour Michel Durand').check()
  await clickAndWait(page.getByRole('button', { name: 'Ajouter un document' }))
  await page.waitForURL((u) => u.pathname === `${url}/documents`)
  await screenshot(page, 'finalisation-4b-document-page')
  await page.getByLabel('Fichier', { exact: true }).setInputFiles({ name: 'PV de fraude.pdf', mimeType: 'application/pdf', buffer: PDF })
  await page.locator('#field-commentaire').fill('PV signé par le surveillant')
  await clickAndWait(page.getByRole('button', { name: 'Envoyer le document' }))
  await page.waitForURL((u) => u.pathname === url)
  t.ok(await page.getByText('Le document « PV de fraude.pdf » a été ajouté.').isVisible())
  t.ok(await page.getByRole('link', { name: 'PV de fraude.pdf' }).isVisible())
  t.ok(await page.getByLabel('Écran de fin du test vu pour Michel Durand').isChecked(), 'the tick made before adding the document was saved')
  await page.getByLabel('Écran de fin du test vu pour Michel Durand').uncheck()

  // Step 1 tick and step 3 comment, then "Sauvegarder".
  await page.getByLabel('Écran de fin du test vu pour Julie Dupont').check()
  await page.getByLabel('Je souhaite signaler un ou plusieurs incident(s) ayant impacté la session dans son ensemble').check()
  t.ok(await page.getByLabel('Commentaire global sur la session').isVisible(), 'the second choice shows the comment field')
  await page.getByLabel('Commentaire global sur la session').fill('Alarme incendie à 10:40, reprise à 10:55.')
  await screenshot(page, 'finalisation-5-before-save')
  await clickAndWait(page.getByRole('button', { name: 'Sauvegarder' }))
  await page.waitForURL((u) => u.pathname === url)
  t.ok(await page.getByText('Vos informations ont été sauvegardées.').isVisible())

  // Leave and come back: the draft is still there.
  await page.goto('/cgu')
  await page.goto(url)
  t.ok(await page.getByLabel('Écran de fin du test vu pour Julie Dupont').isChecked())
  t.notOk(await page.getByLabel('Écran de fin du test vu pour Michel Durand').isChecked())
  t.equal(await page.getByLabel('Commentaire global sur la session').inputValue(), 'Alarme incendie à 10:40, reprise à 10:55.')
  await screenshot(page, 'finalisation-6-back-again')

  // Valider → confirmation → Finaliser.
  await clickAndWait(page.getByRole('button', { name: 'Valider' }))
  await page.waitForURL((u) => u.pathname === `${url}/confirmation`)
  for (const text of [
    '2 candidats ont rejoint la session.',
    'Écran de fin du test non coché pour 1 candidat :',
    'Michel Durand',
    'Vous êtes sur le point de finaliser cette session.',
    'Attention : il ne vous sera plus possible de modifier ces informations par la suite.',
  ]) {
    t.ok(await page.getByText(text, { exact: false }).first().isVisible(), text)
  }
  await screenshot(page, 'finalisation-7-confirmation')
  await clickAndWait(page.getByRole('button', { name: 'Finaliser' }))
  await page.waitForURL((u) => u.pathname === `/sessions/${session.id}`)
  t.ok(await page.getByText(`La session ${session.id} a été finalisée.`).isVisible())
  t.ok(await page.getByText('Les informations de finalisation de la session ont déjà été transmises').isVisible())
  t.ok(await page.locator('.badge--success', { hasText: 'Finalisée' }).isVisible(), 'the session header shows "Finalisée"')
  t.equal(await page.getByRole('link', { name: 'Finaliser la session' }).count(), 0)
  await screenshot(page, 'finalisation-8-finalised')
  await page.goto(url)
  t.ok(await page.getByText('Les informations de finalisation de la session ont déjà été transmises').isVisible(), 'the wizard is read-only')
  t.equal(await page.getByRole('button', { name: 'Sauvegarder' }).count(), 0)

  const row = await server.db.selectFrom('certification_session').selectAll().where('id', '=', session.id).executeTakeFirstOrThrow()
  t.ok(row.finalised_at, 'finalised in the database')
  t.equal(row.finalised_by_user_id, member.userId)
  t.equal(row.global_comment, 'Alarme incendie à 10:40, reprise à 10:55.')
  t.equal(
    (await server.db.selectFrom('report').select('code').where('candidate_id', '=', julie.id).orderBy('id').execute()).map((r) => r.code).join(','),
    'C1,E4',
  )

  await clickAndWait(page.getByRole('link', { name: 'Voir le récapitulatif de finalisation (imprimable)' }))
  await page.waitForURL((u) => u.pathname === `${url}/recapitulatif`)
  t.ok(await page.getByText('Dupond et non Dupont').isVisible())
  t.ok(await page.getByRole('cell', { name: 'PV de fraude.pdf' }).isVisible())
  await screenshot(page, 'finalisation-9-summary')

  await page.goto('/sessions')
  t.ok(
    await page.locator('tbody tr').filter({ hasText: 'Centre Testix' }).locator('.badge', { hasText: 'Finalisée' }).isVisible(),
    'shown as "Finalisée" in the session list',
  )
  await screenshot(page, 'finalisation-10-list')
})

t.test('a session nobody joined shows the guide’s refusal instead of the wizard', async (t) => {
  const { server, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId)
  await createCandidate(server.db, session.id)
  const { page } = await noJsPage(browser, server.config.publicUrl)
  await loginInBrowser(page, member.email)
  const response = await page.goto(`/sessions/${session.id}/finalisation`)
  t.equal(response?.status(), 409)
  t.ok(await page.getByText('Cette session n’a pas débuté, vous ne pouvez pas la finaliser. Vous pouvez néanmoins la supprimer.').isVisible())
  t.equal(await page.getByRole('button', { name: 'Valider' }).count(), 0)
  await screenshot(page, 'finalisation-11-not-started')
})

t.test('the finalisation pages pass axe (checked with JavaScript on, in a separate context)', async (t) => {
  const { server, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId)
  const julie = await createCandidate(server.db, session.id)
  await joinCandidate(server.db, julie)
  await server.db
    .insertInto('report')
    .values({ session_id: session.id, candidate_id: julie.id, category: 'fraud', code: 'C6', question_number: null, details: null })
    .execute()
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, baseURL: server.config.publicUrl, locale: 'fr-FR' })
  const page = await context.newPage()
  await loginInBrowser(page, member.email)
  const url = `/sessions/${session.id}/finalisation`
  const audit = async (name: string, skipRules: string[] = []) => {
    await page.addScriptTag({ content: axeSource })
    const violations = await page.evaluate(async (skip) => {
      const rules = Object.fromEntries(skip.map((id) => [id, { enabled: false }]))
      type Axe = { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> }
      const result = await (window as unknown as { axe: Axe }).axe.run(document, { rules })
      return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`)
    }, skipRules)
    t.same(violations, [], name)
  }
  await page.goto(url)
  await audit('wizard')
  await page.goto(`${url}/candidats/${julie.id}/signalement`)
  await clickAndWait(page.getByRole('button', { name: 'Valider' }))
  await audit('report page with an error')
  await page.goto(`${url}/confirmation`)
  await audit('confirmation')
  await clickAndWait(page.getByRole('button', { name: 'Finaliser' }))
  await page.goto(`${url}/recapitulatif`)
  await audit('printable summary')
  await context.close()
})
