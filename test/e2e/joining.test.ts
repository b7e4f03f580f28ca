import t from 'tap'
import { createCandidate, createSession } from '../factories.ts'
import { createMember } from '../helper.ts'
import { loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

t.test('a candidate joins from their own browser with JavaScript off; staff see it on reload', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { access_code: 'GMPB26' })
  // Confirmed in advance by the invigilator (the waiting step is in supervision.test.ts).
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie', presence_confirmed_at: new Date().toISOString() })
  await createCandidate(server.db, session.id, { last_name: 'Durand', first_name: 'Michel', birthdate: '2001-05-06' })

  // The candidate, in a browser of their own (no account).
  const { page } = await noJsPage(browser, baseUrl)
  await page.goto('/rejoindre')
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Rejoindre une session de certification')
  await screenshot(page, 'joining-1-identity')

  const fillIdentity = async (day: string) => {
    await page.getByLabel('Numéro de session').fill(String(session.id))
    await page.getByLabel('Prénom').fill('julie')
    await page.getByLabel('Nom de naissance').fill('DUPONT')
    await page.getByLabel('Jour').fill(day)
    await page.getByLabel('Mois').fill('3')
    await page.getByLabel('Année').fill('1996')
    await page.getByRole('button', { name: 'Continuer' }).click()
    await page.waitForLoadState()
  }

  // Step 1 checks the form only: whatever was typed, the access code comes next.
  const typeCode = async (code: string) => {
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Code d’accès')
    await page.getByLabel('Code d’accès').fill(code)
    await page.getByRole('button', { name: 'Rejoindre la session' }).click()
    await page.waitForLoadState()
  }

  // A typo in the birthdate, found only with the code: one message, the values kept.
  await fillIdentity('14')
  await t.resolveMatch(page.locator('.join-who').textContent(), /julie DUPONT/)
  await typeCode('GMPB26')
  await t.resolveMatch(page.getByRole('alert').first().textContent(), /Vérifiez le numéro de session et vos informations/)
  t.equal(await page.getByLabel('Nom de naissance').inputValue(), 'DUPONT')
  t.equal(await page.getByLabel('Jour').inputValue(), '14')
  await screenshot(page, 'joining-2-no-match')

  // A wrong code: the same message.
  await fillIdentity('13')
  await screenshot(page, 'joining-3-code')
  // "Modifier ces informations" goes back to the form, filled in.
  await page.getByRole('link', { name: 'Une erreur ? Modifier ces informations' }).click()
  await page.waitForLoadState()
  t.equal(await page.getByLabel('Prénom').inputValue(), 'julie')
  await page.getByRole('button', { name: 'Continuer' }).click()
  await page.waitForLoadState()
  await typeCode('GMPB22')
  await t.resolveMatch(page.getByRole('alert').first().textContent(), /Vérifiez le numéro de session et vos informations/)
  await screenshot(page, 'joining-3-wrong-code')

  await fillIdentity('13')
  await typeCode('gmpb26')
  const course = await server.db.selectFrom('certification_course').selectAll().where('candidate_id', '=', julie.id).executeTakeFirstOrThrow()
  t.equal(new URL(page.url()).pathname, '/rejoindre')
  await t.resolveMatch(page.locator('.join-result__number dd').textContent(), String(course.id))
  await t.resolveMatch(page.locator('.join-result').textContent(), /Julie Dupont/)
  await screenshot(page, 'joining-4-joined')

  // Reloading on the same device shows the same number; no second course.
  await page.reload()
  await t.resolveMatch(page.locator('.join-result__number dd').textContent(), String(course.id))
  t.equal((await server.db.selectFrom('certification_course').selectAll().execute()).length, 1)

  // A phone-sized screen: the number stays readable.
  await page.setViewportSize({ width: 375, height: 700 })
  await screenshot(page, 'joining-5-joined-narrow')

  // Staff, in another browser context: the Candidats tab shows who joined, with the number.
  const staff = await noJsPage(browser, baseUrl)
  await loginInBrowser(staff.page, member.email)
  await staff.page.goto(`/sessions/${session.id}/candidats`)
  const row = staff.page.getByRole('row', { name: /^Dupont Julie/ })
  await t.resolveMatch(row.textContent(), /Présent/)
  await t.resolveMatch(row.textContent(), new RegExp(`\\b${course.id}\\b`))
  await screenshot(staff.page, 'joining-6-staff-candidates')
  await staff.page.goto(`/sessions/${session.id}`)
  await t.resolveMatch(staff.page.locator('main').textContent(), /1 candidat a rejoint/)
  const sheet = await staff.page.goto(`/sessions/${session.id}/impression/feuille-emargement`)
  t.equal(sheet?.status(), 200)
  await t.resolveMatch(staff.page.locator('.sheet-participants').textContent(), /Dupont/)
  t.equal(course.session_id, session.id)
  t.ok(course.joined_at, 'join time stored')
})
