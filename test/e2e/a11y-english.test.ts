import t from 'tap'
import { chromium, type Page } from 'playwright-core'
import { createMember, PASSWORD } from '../helper.ts'
import { runAxe } from '../lib/axe.ts'
import { buildWithRoutes, fillUrl } from '../lib/routes.ts'
import { seedCentre } from '../lib/seed.ts'
import { CHROMIUM, clickAndWait } from './browser.ts'

// Issue 15: axe-core 0 violations in English too (the French pass, forms and errors included, is
// test/e2e/a11y.test.ts). The browser asks for English: every page answers in English, the
// official documents in French unless ?langue=en.
t.test('accessibility in English: 0 axe violations on every page', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const baseUrl = await server.listen({ port: 0, host: '127.0.0.1' })
  server.config.publicUrl = baseUrl
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })
  t.teardown(() => browser.close())
  const newPage = async () => (await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, baseURL: baseUrl, locale: 'en-GB' })).newPage()

  let checked = 0
  const check = async (page: Page, label: string) => {
    checked++
    t.equal(await page.locator('html').getAttribute('lang'), label.includes('?langue=en') || !label.includes('/impression/') ? 'en' : 'fr', `${label}: lang`)
    const violations = await runAxe(page)
    t.same(
      violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(' | ')}`),
      [],
      `${label}: 0 axe violations`,
    )
  }
  const visit = async (page: Page, url: string) => {
    let response
    try {
      response = await page.goto(url)
    } catch (err) {
      if (/Download is starting/.test(String(err))) return
      throw err
    }
    if (!(response?.headers()['content-type'] ?? '').startsWith('text/html')) return
    await check(page, `GET ${url} (${response?.status()})`)
  }

  const a = await seedCentre(server, 'Centre A')
  const member = await createMember(server, { centre: 'Centre A' })

  const anonymous = await newPage()
  await visit(anonymous, '/connexion')
  await anonymous.getByLabel('Email address').fill(member.email)
  await anonymous.getByLabel('Password').fill('not the password')
  await clickAndWait(anonymous.getByRole('button', { name: 'Log in' }))
  await check(anonymous, 'login page with an error')
  for (const url of ['/mot-de-passe-oublie', '/surveillance', '/nexiste-pas', '/rejoindre']) await visit(anonymous, url)
  await clickAndWait(anonymous.getByRole('button', { name: 'Continue' }))
  await check(anonymous, 'candidate page with errors')

  const page = await newPage()
  await page.goto('/connexion')
  await page.getByLabel('Email address').fill(member.email)
  await page.getByLabel('Password').fill(PASSWORD)
  await clickAndWait(page.getByRole('button', { name: 'Log in' }))
  const gets = routes.filter((r) => r.method === 'GET' && !r.config.public && !['/aucun-centre'].includes(r.url) && !r.url.endsWith('/surveillance/liste'))
  for (const route of gets) {
    const url = fillUrl(route.url, a.ids)
    await visit(page, url)
    if (route.url.includes('/impression/')) await visit(page, `${url}?langue=en`)
  }
  // A form with its errors, in English.
  await page.goto('/sessions/nouvelle')
  await clickAndWait(page.getByRole('button', { name: 'Create the session' }))
  await check(page, 'session form with errors')
  t.ok(checked > 30, `${checked} pages checked`)
})
