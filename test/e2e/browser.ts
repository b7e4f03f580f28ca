import { existsSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { build, PASSWORD, type Teardown } from '../helper.ts'

/** Debian's chromium (installed by .ci/run when missing). */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium'

export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The real app listening on a free loopback port, and Chromium; both closed when the test ends. */
export async function startBrowserApp(
  t: Teardown,
  overrides: Parameters<typeof build>[1] = {},
): Promise<{ server: FastifyInstance; baseUrl: string; browser: Browser }> {
  const server = await build(t, overrides)
  const baseUrl = await server.listen({ port: 0, host: '127.0.0.1' })
  server.config.publicUrl = baseUrl
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  t.teardown(() => browser.close())
  return { server, baseUrl, browser }
}

/** A fresh context with JavaScript disabled, as the app must work without it. */
export async function noJsPage(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: baseUrl, locale: 'fr-FR', acceptDownloads: true })
  const page = await context.newPage()
  return { context, page }
}

/**
 * Clicks, then waits until the page has loaded: after a click that navigates (a link, a form with
 * JavaScript off), Playwright returns once the new page has started loading, and reads that do not
 * wait (isVisible, count, textContent) could see it half parsed. A click that does not navigate
 * finds the page already loaded.
 */
export async function clickAndWait(locator: Locator, options?: Parameters<Locator['click']>[0]): Promise<void> {
  await locator.click(options)
  await locator.page().waitForLoadState()
}

export async function loginInBrowser(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/connexion')
  await page.getByLabel('Adresse e-mail').fill(email)
  await page.getByLabel('Mot de passe').fill(password)
  await page.getByRole('button', { name: 'Je me connecte' }).click()
  await page.waitForLoadState()
}

/** Screenshots land in test-output/ (git-ignored) so a person can look at them. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = `test-output/${name}.png`
  await page.screenshot({ path: file, fullPage: true })
  return file
}
