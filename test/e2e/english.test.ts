import t from 'tap'
import { createMember } from '../helper.ts'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { noJsPage, screenshot, startBrowserApp } from './browser.ts'

// Issue 15, items 9 and 10: an English-speaking member of staff switches the language with the
// header's button (JavaScript off) and walks login → session list → candidates → finalisation.
t.test('switch to English with JavaScript off and walk the staff pages', async (t) => {
  const { server, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { date: '2021-01-12' })
  const julie = await createCandidate(server.db, session.id)
  await createCandidate(server.db, session.id, { last_name: 'Durand', first_name: 'Michel', birthdate: '2001-05-06' })
  await joinCandidate(server.db, julie)

  const { page } = await noJsPage(browser, server.config.publicUrl)
  await page.goto('/connexion')
  t.equal(await page.locator('html').getAttribute('lang'), 'fr', 'French first (the browser asks for fr-FR)')
  await page.getByRole('button', { name: 'English' }).click()
  await page.waitForLoadState()
  t.equal(new URL(page.url()).pathname, '/connexion', 'back on the login page')
  t.equal(await page.locator('html').getAttribute('lang'), 'en')
  t.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true')
  await screenshot(page, 'english-1-login')

  await page.getByLabel('Email address').fill(member.email)
  await page.getByLabel('Password').fill('wrong password, surely')
  await page.getByRole('button', { name: 'Log in' }).click()
  t.ok(await page.getByText('The email address or password is incorrect.').isVisible(), 'errors in English')
  await page.getByLabel('Email address').fill(member.email)
  await page.getByLabel('Password').fill('Secret-1234-abcd')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForLoadState()

  await page.goto('/sessions')
  t.equal(await page.getByRole('heading', { name: 'Certification sessions' }).count(), 1)
  t.ok(await page.getByRole('link', { name: 'Create a session' }).isVisible())
  t.ok(await page.getByRole('cell', { name: 'Created', exact: true }).first().isVisible(), 'status in English')
  await screenshot(page, 'english-2-sessions')

  await page.goto(`/sessions/${session.id}/candidats`)
  t.ok(await page.getByText('List of candidates (2)').isVisible())
  t.ok(await page.getByText('Tuesday, 12 Jan 2021').isVisible(), 'the date in English')
  t.ok(await page.getByRole('columnheader', { name: 'Surname at birth' }).isVisible())
  await screenshot(page, 'english-3-candidates')

  await page.goto(`/sessions/${session.id}/finalisation`)
  t.equal(await page.getByRole('heading', { name: `Finalise session ${session.id}` }).count(), 1)
  t.ok(await page.getByText('To finalise the session, complete the three steps, then confirm.').isVisible())
  await page.getByRole('button', { name: 'Save' }).click()
  await page.waitForLoadState()
  t.ok(await page.getByText('Your entries have been saved.').isVisible(), 'flash message in English')
  await screenshot(page, 'english-4-finalisation')

  // Back to French from any page, and the page stays the same.
  await page.getByRole('button', { name: 'Français' }).click()
  await page.waitForLoadState()
  t.equal(new URL(page.url()).pathname, `/sessions/${session.id}/finalisation`)
  t.equal(await page.locator('html').getAttribute('lang'), 'fr')
  t.equal(await page.getByRole('heading', { name: `Finaliser la session ${session.id}` }).count(), 1)
})
