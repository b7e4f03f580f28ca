import t from 'tap'
import { chromium } from 'playwright-core'
import { CHROMIUM, loginInBrowser } from '../e2e/browser.ts'
import { Client, createMember } from '../helper.ts'
import { seedRealisticCentre } from '../lib/realistic.ts'
import { buildWithRoutes, fillUrl } from '../lib/routes.ts'

/*
 * Issue 25, item 1: no page scrolls sideways as a whole, at 320, 375 and 1280 px, for every GET
 * page of the route table, with realistic data (long names, communes, e-mails, 200 candidates).
 * Chromium with JavaScript off; one browser and one page per visitor, each URL loaded once and
 * measured at the three widths (a viewport change lays the page out again, no reload needed).
 * WIDTH_SCREENSHOTS=1 saves each page at 375 and 1280 px in test-output/ to look at.
 */
const WIDTHS = [320, 375, 1280]

t.test('every GET page fits the width of a phone and of a desktop, without sideways scrolling', async (t) => {
  // With a mail server set (never reached: no convocation is waiting), so the Candidats tab shows its ticks and "Renvoyer".
  const smtp = { host: '127.0.0.1', port: 9, secure: false, user: '', password: '', from: 'certif@example.org' }
  const { server, routes } = await buildWithRoutes(t, { smtp })
  const baseUrl = await server.listen({ port: 0, host: '127.0.0.1' })
  server.config.publicUrl = baseUrl
  const member = await createMember(server, { centre: 'Centre A' })
  const centre = await seedRealisticCentre(server, 'Centre A')
  const ids = { ...centre.ids, candidateId: centre.joinedCandidateId }
  // The same member through fastify.inject, to learn a URL's content type without a browser download.
  const probe = new Client(server)
  await probe.login(member.email)

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  t.teardown(() => browser.close())
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: baseUrl, locale: 'fr-FR' })
  const page = await context.newPage()
  await loginInBrowser(page, member.email)

  /** The outermost elements that stick out on the right, to say what to fix. */
  const widest = (width: number) =>
    page.evaluate((w) => {
      const out = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > w + 1)
      const outer = out.filter((el) => !out.includes(el.parentElement!))
      return outer
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`)
        .join(', ')
    }, width)

  const pages = routes.filter((r) => r.method === 'GET' && !r.url.startsWith('/public/'))
  t.ok(pages.length > 30, `${pages.length} GET routes to open`)
  const tooWide: string[] = []
  let measured = 0
  for (const route of pages) {
    const url = fillUrl(route.url, ids)
    const head = await probe.get(url)
    if (!String(head.headers['content-type'] ?? '').startsWith('text/html')) continue
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(url)
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 })
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
      measured++
      if (width !== 320 && process.env.WIDTH_SCREENSHOTS && !url.includes('/impression/')) {
        // The first 2,400 px of the page (200 candidates make some pages far longer).
        await page.setViewportSize({ width, height: 2400 })
        await page.screenshot({ path: `test-output/width-${width}${url.replace(/[^a-z0-9]+/gi, '-')}.png` })
        await page.setViewportSize({ width, height: 900 })
      }
      // On a desktop, tables fit their box too (on a phone a wide one may scroll inside it, or be cards).
      const tableOverflow =
        width < 1280 ? 0 : await page.evaluate(() => Math.max(0, ...[...document.querySelectorAll('.table-wrap')].map((w) => w.scrollWidth - w.clientWidth)))
      if (tableOverflow > 0) tooWide.push(`${route.url} at ${width} px: a table is ${tableOverflow} px wider than its box`)
      if (scrollWidth > width) tooWide.push(`${route.url} (${new URL(page.url()).pathname}) at ${width} px: ${scrollWidth} px wide, ${await widest(width)}`)
    }
  }
  t.ok(measured >= 3 * 30, `${measured} measures`)
  t.same(tooWide, [], 'no page is wider than the viewport')
})
