import t from 'tap'
import { createMember } from '../helper.ts'
import { clickAndWait, loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

t.test('with JavaScript off: log in, accept the terms, see the header, log out', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server, { acceptCgu: false, firstName: 'Paul', lastName: 'Martin' })
  const { page } = await noJsPage(browser, baseUrl)

  await page.goto('/')
  t.equal(new URL(page.url()).pathname, '/connexion', 'logged out: sent to the login page')
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Connectez-vous')
  await screenshot(page, 'foundation-login')

  await page.getByLabel('Adresse e-mail').fill(member.email)
  await page.getByLabel('Mot de passe').fill('not the password')
  await clickAndWait(page.getByRole('button', { name: 'Je me connecte' }))
  t.ok(await page.getByText('L’adresse e-mail ou le mot de passe est incorrect.').isVisible(), 'generic error shown')
  t.equal(await page.getByLabel('Adresse e-mail').inputValue(), member.email, 'e-mail kept')
  await screenshot(page, 'foundation-login-error')

  await loginInBrowser(page, member.email)
  t.equal(new URL(page.url()).pathname, '/cgu', 'terms first')
  t.ok(await page.getByRole('heading', { name: 'Conditions générales d’utilisation' }).isVisible())
  await screenshot(page, 'foundation-cgu')
  await clickAndWait(page.getByRole('button', { name: 'J’accepte les conditions générales d’utilisation' }))
  t.equal(new URL(page.url()).pathname, '/sessions')

  const header = page.locator('header.site-header')
  t.ok(await header.getByText('CENTRE DE CERTIFICATION').isVisible())
  t.ok(await header.getByText('Centre Testix').isVisible())
  t.ok(await header.getByText('Paul Martin').isVisible())
  await screenshot(page, 'foundation-centre-space')

  await clickAndWait(header.getByRole('button', { name: 'Se déconnecter' }))
  t.equal(new URL(page.url()).pathname, '/connexion')
  t.ok(await page.getByText('Vous êtes déconnecté(e).').isVisible())
  await page.goto('/cgu')
  t.equal(new URL(page.url()).pathname, '/connexion', 'the session is over')
})
