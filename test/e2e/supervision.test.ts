import t from 'tap'
import type { Page } from 'playwright-core'
import { createCandidate, createSession } from '../factories.ts'
import { Client, createMember } from '../helper.ts'
import { loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

const WAITING =
  /Votre surveillant n’a pas confirmé votre présence dans la salle de test\. Vous ne pouvez donc pas encore commencer votre test de certification\. Merci de prévenir votre surveillant\./

async function click(page: Page, name: string | RegExp, scope = page.locator('main')) {
  await scope.getByRole('button', { name }).first().click()
  await page.waitForLoadState()
}

t.test('JavaScript off, two browsers: invigilator and candidate, then staff finalise with everything already there', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { access_code: 'GMPB26', room: 'Salle 12' })
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie' })
  await createCandidate(server.db, session.id, { last_name: 'Martin', first_name: 'Lucas', birthdate: '2006-07-02', extra_time_percentage: 33 })

  // Staff read the invigilator password on the details tab.
  const staff = await noJsPage(browser, baseUrl)
  await loginInBrowser(staff.page, member.email)
  await staff.page.goto(`/sessions/${session.id}`)
  const password = (await staff.page.locator('#invigilator-password').textContent())!.trim()
  t.match(password, /^C-[BCDFGHJKMPQRTVWXY2346789]{6}$/, 'shown as C-XXXXXX')

  // The invigilator, in a browser of their own, no account.
  const invigilator = (await noJsPage(browser, baseUrl)).page
  await invigilator.goto('/surveillance')
  t.equal(await invigilator.getByRole('heading', { level: 1 }).textContent(), 'Espace surveillant')
  await invigilator.getByLabel('Numéro de la session').fill(String(session.id))
  await invigilator.getByLabel('Mot de passe de la session').fill(password.toLowerCase())
  await click(invigilator, 'Surveiller la session')
  t.equal(await invigilator.getByRole('heading', { level: 1 }).textContent(), `Surveiller la session n° ${session.id}`)
  await t.resolveMatch(invigilator.locator('main').textContent(), /0\/2 candidats présents/)
  const row = invigilator.locator(`#candidat-${julie.id}`)
  await t.resolveMatch(row.textContent(), /Inscrit/)

  // The candidate, in a third browser: told to wait.
  const candidate = (await noJsPage(browser, baseUrl)).page
  await candidate.goto('/rejoindre')
  await candidate.getByLabel('Numéro de session').fill(String(session.id))
  await candidate.getByLabel('Prénom').fill('Julie')
  await candidate.getByLabel('Nom de naissance').fill('Dupont')
  await candidate.getByLabel('Jour').fill('13')
  await candidate.getByLabel('Mois').fill('03')
  await candidate.getByLabel('Année').fill('1996')
  await click(candidate, 'Continuer')
  await candidate.getByLabel('Code d’accès').fill('GMPB26')
  await click(candidate, 'Rejoindre la session')
  await t.resolveMatch(candidate.locator('main').textContent(), WAITING)
  await screenshot(candidate, 'supervision-candidate-waiting')

  // The invigilator refreshes, sees "En attente", confirms.
  await click(invigilator, 'Actualiser la liste')
  await t.resolveMatch(row.textContent(), /En attente/)
  await click(invigilator, 'Confirmer la présence de l’élève Julie Dupont')
  t.equal(new URL(invigilator.url()).hash, `#candidat-${julie.id}`, 'back to the row')
  await t.resolveMatch(row.textContent(), /Présent/)
  await t.resolveMatch(invigilator.locator('main').textContent(), /1\/2 candidats présents/)

  // The candidate retries without typing anything: the number.
  await click(candidate, 'J’ai prévenu mon surveillant, réessayer')
  const course = await server.db.selectFrom('certification_course').selectAll().where('candidate_id', '=', julie.id).executeTakeFirstOrThrow()
  await t.resolveMatch(candidate.locator('.join-result__number dd').textContent(), String(course.id))
  await screenshot(candidate, 'supervision-candidate-started')

  // The invigilator: En cours, an A1 incident, the end screen, then the end of the test.
  await click(invigilator, 'Actualiser la liste')
  await t.resolveMatch(row.textContent(), /Début : \d\d:\d\d[\s\S]*En cours/)
  await t.resolveMatch(row.textContent(), /Fin théorique : \d\d:\d\d/)
  await screenshot(invigilator, 'supervision-page')
  await row.getByRole('link', { name: 'Signaler un incident pour Julie Dupont' }).click()
  await invigilator.waitForLoadState()
  await row.getByLabel(/A1/).check()
  await row.locator('textarea[name="details_technical_problem"]').fill('Écran figé pendant 5 minutes')
  await screenshot(invigilator, 'supervision-incident')
  await click(invigilator, 'Enregistrer le signalement', row)
  await t.resolveMatch(invigilator.locator('main').textContent(), /Le signalement A1 de Julie Dupont est enregistré/)
  await t.resolveMatch(row.textContent(), /A1[\s\S]*signalé pendant la session à \d\d:\d\d/)
  await click(invigilator, 'Écran de fin du test vu par Julie Dupont', row)
  t.equal(await row.getByRole('button', { name: 'Écran de fin du test vu par Julie Dupont' }).getAttribute('aria-pressed'), 'true')
  await row.getByRole('link', { name: 'Terminer le test de Julie Dupont' }).click()
  await invigilator.waitForLoadState()
  await t.resolveMatch(
    row.textContent(),
    /Terminer le test de Julie Dupont \? Attention : cette action entraîne la fin de son test de certification et est irréversible\./,
  )
  await screenshot(invigilator, 'supervision-end-confirmation')
  await click(invigilator, /^Terminer le test$/, row)
  await t.resolveMatch(invigilator.locator('main').textContent(), /Succès ! Le test de Julie Dupont est terminé\./)
  await t.resolveMatch(row.textContent(), /Terminé/)
  await screenshot(invigilator, 'supervision-page-ended')
  await invigilator.setViewportSize({ width: 375, height: 800 })
  await screenshot(invigilator, 'supervision-page-phone')

  // The candidate sees the test is over.
  await candidate.reload()
  await t.resolveMatch(candidate.locator('main').textContent(), /Votre test est terminé\./)

  // Staff open the finalisation: the report and the tick are already there.
  await staff.page.goto(`/sessions/${session.id}/finalisation`)
  const staffRow = staff.page.locator(`#candidat-${julie.id}`)
  await t.resolveMatch(staffRow.textContent(), /A1[\s\S]*signalé pendant la session à \d\d:\d\d/)
  t.ok(await staff.page.locator(`#ecran-fin-${julie.id}`).isChecked(), '"Écran de fin du test vu" is ticked')
  await screenshot(staff.page, 'supervision-finalisation-prefilled')

  // The invigilator leaves: confirmation, then the access is over.
  await invigilator.setViewportSize({ width: 1280, height: 800 })
  await invigilator.getByRole('link', { name: 'Quitter la surveillance' }).click()
  await invigilator.waitForLoadState()
  await t.resolveMatch(
    invigilator.locator('main').textContent(),
    /Attention, assurez-vous que tous les candidats aient terminé leur test avant de quitter la surveillance/,
  )
  await click(invigilator, 'Quitter la surveillance')
  t.equal(new URL(invigilator.url()).pathname, '/surveillance')
  await invigilator.goto(`/sessions/${session.id}/surveillance`)
  t.equal(new URL(invigilator.url()).pathname, '/surveillance', 'no access any more')
})

t.test('JavaScript on: a confirmation made elsewhere appears on the invigilator page without a reload', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { invigilator_password: 'K7QB2M' })
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie' })
  const lucas = await createCandidate(server.db, session.id, { last_name: 'Martin', first_name: 'Lucas' })

  const context = await browser.newContext({ javaScriptEnabled: true, baseURL: baseUrl, locale: 'fr-FR' })
  const page = await context.newPage()
  await page.goto('/surveillance')
  await page.getByLabel('Numéro de la session').fill(String(session.id))
  await page.getByLabel('Mot de passe de la session').fill('C-K7QB2M')
  await click(page, 'Surveiller la session')
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true))
  // The invigilator has the focus on Lucas's button meanwhile.
  await page.getByRole('button', { name: 'Confirmer la présence de l’élève Lucas Martin' }).focus()

  // Staff confirm Julie from their own login (another device).
  const staff = new Client(server)
  await staff.login(member.email)
  await staff.get(`/sessions/${session.id}/surveillance`)
  t.equal((await staff.post(`/sessions/${session.id}/surveillance/candidats/${julie.id}/presence`)).statusCode, 303)

  // Within one refresh period (5 s) plus the request: "Présent" on Julie’s row. The wait allows for
  // a loaded CI machine (it bounds a failure, it measures nothing), as in supervision-refresh.test.ts.
  await page.waitForFunction((id) => /Présent/.test(document.getElementById(`candidat-${id}`)?.textContent ?? ''), julie.id, { timeout: 20_000 })
  t.ok(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), 'no reload')
  await t.resolveMatch(page.locator('.supervision-count').textContent(), /1\/2 candidats présents/)
  t.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
    'Confirmer la présence de l’élève Lucas Martin',
    'the focus stayed where it was',
  )
  t.equal(lucas.session_id, session.id)

  // Paused while a confirmation step is open: a change elsewhere does not replace the list.
  await page.goto(`/sessions/${session.id}/surveillance?signalement=${julie.id}`)
  t.ok(await page.locator('#supervision-list[data-refresh-paused]').count(), 'the list says it is paused')
  await context.close()
})
