import t from 'tap'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { createMember } from '../helper.ts'
import { loginInBrowser, startBrowserApp } from './browser.ts'

// Every page works without JavaScript (the other browser tests); with it, public/js/enhance.js
// adds the access code's copy button and live character counters. This checks they do.
t.test('with JavaScript on: the copy button copies the access code; counters follow the typing', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { access_code: 'GMPB26' })
  await joinCandidate(server.db, await createCandidate(server.db, session.id))
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'fr-FR' })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl })
  const page = await context.newPage()
  await loginInBrowser(page, member.email)

  await page.goto(`/sessions/${session.id}`)
  const copy = page.locator('[data-copy="access-code"]')
  t.ok(await copy.isVisible(), 'the button shows once the script runs')
  await copy.click()
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), 'GMPB26')
  await t.resolveMatch(copy.textContent(), /Copié/)
  // The label comes back 2 s later (a timer of the page): waited for, not slept on.
  await page.waitForFunction(() => !/Copié/.test(document.querySelector('[data-copy="access-code"]')?.textContent ?? ''), undefined, { timeout: 20_000 })
  t.equal((await copy.textContent())?.replace(/\s+/g, ' ').trim(), 'Copier le code d’accès', 'label restored, its hidden part hidden again')
  t.ok(await copy.locator('.visually-hidden').count(), 'the hidden part is back in its span')

  await page.goto(`/sessions/${session.id}/finalisation`)
  await page.getByLabel('Je souhaite signaler un ou plusieurs incident(s) ayant impacté la session dans son ensemble').check()
  const comment = page.locator('#field-commentaire_global')
  await comment.fill('Coupure réseau')
  await t.resolveMatch(page.locator('#field-commentaire_global-counter').textContent(), /14 \/ 500/)
  await context.close()
})
