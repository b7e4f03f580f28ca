import type { FastifyInstance } from 'fastify'
import { chromium } from 'playwright-core'
import t from 'tap'
import { build, createMember, type Teardown } from '../helper.ts'
import { runAxe } from '../lib/axe.ts'
import { operatorClient } from '../lib/operator.ts'
import { startOidcProvider } from '../lib/oidc-provider.ts'
import { freePort } from '../lib/server-process.ts'
import { CHROMIUM, clickAndWait, loginInBrowser, noJsPage, screenshot } from './browser.ts'

// Issue 30, with JavaScript off: sign in through the provider's own login form and out again; and the
// operator console, from creating a centre to its administrator landing in it.

/** The app listening on a port chosen first: the provider must know its redirect URI before the app knows the provider. */
async function startWithProvider(t: Teardown, identities: Parameters<typeof startOidcProvider>[2] = []) {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const provider = await startOidcProvider(t, baseUrl, identities)
  const server: FastifyInstance = await build(t, { publicUrl: baseUrl, oidc: provider.oidcConfig() })
  await server.listen({ port, host: '127.0.0.1' })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] })
  t.teardown(() => browser.close())
  return { server, baseUrl, browser, provider }
}

t.test('with JavaScript off: "Se connecter avec …", the provider’s login form, the centre, and logout at the provider too', async (t) => {
  const { server, baseUrl, browser, provider } = await startWithProvider(t, [
    { sub: 'agent-anne', email: 'anne@ac-test.fr', email_verified: true, given_name: 'Anne', family_name: 'Admin' },
  ])
  await createMember(server, { centre: 'Lycée Victor-Hugo', email: 'anne@ac-test.fr', firstName: 'Anne', lastName: 'Admin' })
  const { page } = await noJsPage(browser, baseUrl)
  await page.goto('/connexion')
  await screenshot(page, 'oidc-1-login')
  await clickAndWait(page.getByRole('link', { name: 'Se connecter avec Compte académique' }))
  t.ok(page.url().startsWith(provider.issuer), 'at the provider')
  await page.locator('input[name="login"]').fill('agent-anne')
  await page.locator('input[name="password"]').fill('any')
  await screenshot(page, 'oidc-2-provider-login')
  await clickAndWait(page.locator('button[type="submit"]').first())
  t.equal(new URL(page.url()).pathname, '/sessions', 'back in the app')
  t.ok(await page.getByText('Lycée Victor-Hugo').first().isVisible(), 'in her centre')
  await screenshot(page, 'oidc-3-sessions')

  await clickAndWait(page.getByRole('button', { name: 'Se déconnecter' }))
  t.ok(page.url().startsWith(provider.issuer), 'the provider asks to end its session too (RP-initiated logout)')
  await screenshot(page, 'oidc-4-provider-logout')
  await clickAndWait(page.getByRole('button', { name: 'Yes, sign me out' }))
  t.equal(new URL(page.url()).pathname, '/connexion', 'back on the login page')
  t.ok(await page.getByText('Vous êtes déconnecté(e).').isVisible())
  t.equal((await server.db.selectFrom('user_session').select('id').execute()).length, 0, 'our session is gone')
  // Signed out at the provider as well: the button leads to its login form again, not straight in.
  await clickAndWait(page.getByRole('link', { name: 'Se connecter avec Compte académique' }))
  t.equal(await page.locator('input[name="login"]').count(), 1, 'the provider asks who you are again')
})

t.test('with JavaScript off: the operator creates a centre and invites its administrator, who accepts and lands in it', async (t) => {
  const { server, baseUrl, browser } = await startWithProvider(t)
  await operatorClient(server, 'dsi@ac-test.fr') // the account, as `create-user … --operator` makes it
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, 'dsi@ac-test.fr')
  t.equal(new URL(page.url()).pathname, '/exploitation', 'the operator lands on the console')
  await clickAndWait(page.getByRole('link', { name: 'Créer un centre' }))
  await page.getByLabel('Nom du centre').fill('Collège George-Sand')
  await page.getByLabel('Adresse e-mail du premier administrateur').fill('claire@ac-test.fr')
  await clickAndWait(page.getByRole('button', { name: 'Créer le centre et inviter son administrateur' }))
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Centre créé')
  const link = await page.locator('code.team-link').textContent()
  t.match(link, /\/invitation\?jeton=/, 'the link, shown once')
  await screenshot(page, 'operations-1-created')
  await clickAndWait(page.getByRole('link', { name: 'Revenir à la liste des centres' }))
  t.ok(await page.getByRole('cell', { name: 'Collège George-Sand', exact: true }).isVisible())
  await screenshot(page, 'operations-2-list')

  const { page: invitee } = await noJsPage(browser, baseUrl)
  await invitee.goto(link!)
  await invitee.getByLabel('Prénom').fill('Claire')
  await invitee.getByLabel('Nom', { exact: true }).fill('Chef')
  await invitee.getByLabel('Choisissez un mot de passe').fill('Secret-1234-abcd')
  await invitee.getByLabel('Confirmer le mot de passe').fill('Secret-1234-abcd')
  await invitee.getByLabel('J’accepte les conditions générales d’utilisation').check()
  await clickAndWait(invitee.getByRole('button', { name: 'Créer mon compte et rejoindre le centre' }))
  t.equal(new URL(invitee.url()).pathname, '/sessions')
  t.ok(await invitee.getByText('Collège George-Sand').first().isVisible(), 'she is in the new centre')
  await invitee.goto('/equipe')
  t.ok(await invitee.getByRole('cell', { name: 'Administrateur' }).first().isVisible(), 'as its administrator')
  await screenshot(invitee, 'operations-3-admin-in')
})

t.test('accessibility: 0 axe violations on the pages of issue 30 (login with the button, provider down, the console and its forms)', async (t) => {
  const { server, baseUrl, browser, provider } = await startWithProvider(t)
  const { centreId } = await createMember(server, { centre: 'Lycée Victor-Hugo' })
  await operatorClient(server, 'dsi@ac-test.fr')
  const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, baseURL: baseUrl, locale: 'fr-FR' })
  const page = await context.newPage()
  const check = async (label: string) => {
    const violations = await runAxe(page)
    t.same(violations, [], `${label}: 0 axe violations`)
  }
  await page.goto('/connexion')
  await check('login page with the provider’s button')
  await loginInBrowser(page, 'dsi@ac-test.fr')
  for (const [url, label] of [
    ['/exploitation', 'the console'],
    ['/exploitation/centres/nouveau', 'new centre form'],
    [`/exploitation/centres/${centreId}/renommer`, 'rename form'],
    ['/exploitation/historique', 'the operator’s history'],
  ] as const) {
    await page.goto(url)
    await check(label)
  }
  await page.goto('/exploitation/centres/nouveau')
  await clickAndWait(page.getByRole('button', { name: 'Créer le centre et inviter son administrateur' }))
  await check('new centre form with errors')
  await page.getByLabel('Nom du centre').fill('Collège Sand')
  await page.getByLabel('Adresse e-mail du premier administrateur').fill('chef@ac-test.fr')
  await clickAndWait(page.getByRole('button', { name: 'Créer le centre et inviter son administrateur' }))
  await check('centre created, the link shown once')
  await provider.stop()
  const anonymous = await (await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, baseURL: baseUrl, locale: 'fr-FR' })).newPage()
  const fresh: FastifyInstance = await build(t, { publicUrl: baseUrl, oidc: provider.oidcConfig() })
  const down = await fresh.inject('/connexion/oidc')
  t.equal(down.statusCode, 503)
  await anonymous.route(`${baseUrl}/__a11y/oidc-down`, (route) => route.fulfill({ status: 503, contentType: 'text/html; charset=utf-8', body: down.body }))
  await anonymous.goto('/__a11y/oidc-down')
  const violations = await runAxe(anonymous)
  t.same(violations, [], 'provider down page: 0 axe violations')
})
