import type { FastifyInstance } from 'fastify'
import t from 'tap'
import type { Page } from 'playwright-core'
import { createCandidate, createSession } from '../factories.ts'
import { Client, createMember } from '../helper.ts'
import { noJsPage, startBrowserApp } from './browser.ts'

// Issue 27, item 7: with JavaScript on, the list refreshes itself every 5 seconds (public/js/enhance.js)
// and keeps the order by need, the counters, the ticks of a bulk action and the focus.
t.test('JavaScript on: a candidate joins elsewhere; the refresh puts their row in place, counts them, keeps ticks and focus', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { access_code: 'GMPB26', invigilator_password: 'K7QB2M' })
  const now = new Date().toISOString()
  const started = []
  for (const [last, first] of [
    ['Martin', 'Lucas'],
    ['Bernard', 'Paul'],
    ['Petit', 'Zoé'],
  ]) {
    const c = await createCandidate(server.db, session.id, { last_name: last!, first_name: first!, birthdate: '2004-05-06' })
    await server.db.updateTable('candidate').set({ arrived_at: now, presence_confirmed_at: now }).where('id', '=', c.id).execute()
    await server.db.insertInto('certification_course').values({ session_id: session.id, candidate_id: c.id, joined_at: now }).execute()
    started.push(c)
  }
  const [lucas, paul] = [started[0]!, started[1]!]
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie' })

  const context = await browser.newContext({ javaScriptEnabled: true, baseURL: baseUrl, locale: 'fr-FR' })
  const page = await context.newPage()
  await page.goto('/surveillance')
  await page.getByLabel('Numéro de la session').fill(String(session.id))
  await page.getByLabel('Mot de passe de la session').fill('C-K7QB2M')
  await page.getByRole('button', { name: 'Surveiller la session' }).click()
  await page.waitForLoadState()
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true))
  await t.resolveMatch(page.locator('#supervision-needs').textContent(), /3 en cours/)

  // Lucas is ticked for a bulk action; the focus stays on his box.
  await page.locator(`#coche-${lucas.id}`).check()
  t.equal(await page.evaluate(() => document.activeElement?.id), `coche-${lucas.id}`)

  // Julie, in her own browser (JavaScript off), types the access code: she waits for the invigilator.
  // Read before she joins: after, the page's own 5 s refresh may already have shown it.
  t.notMatch(await page.locator(`#candidat-${julie.id}`).textContent(), /En attente/, 'registered, not waiting yet')
  const { page: candidate } = await noJsPage(browser, baseUrl)
  await joinAs(candidate, session.id)
  await waitForText(page, `candidat-${julie.id}`, 'En attente')

  t.same(await rowIds(page), await freshOrder(server, member.email, session.id), 'the order of a page loaded now')
  t.equal((await rowIds(page))[0], `candidat-${julie.id}`, 'waiting first')
  await t.resolveMatch(page.locator('#supervision-needs').textContent(), /1 en attente/)
  await t.resolveMatch(page.locator('#supervision-count').textContent(), /3\/4 candidats présents/)
  t.equal(await page.evaluate(() => document.activeElement?.id), `coche-${lucas.id}`, 'the focus stayed on the ticked box')
  t.ok(await page.locator(`#coche-${lucas.id}`).isChecked(), 'still ticked')
  await t.resolveMatch(page.locator(`label[for="coche-${julie.id}"]`).textContent(), /\(En attente\)/, 'her box says she waits')
  t.same(
    await page.locator('.supervision-bulk__list input').evaluateAll((boxes) => boxes.map((box) => box.id.replace('coche', 'candidat'))),
    await rowIds(page),
    'the boxes in the list’s order',
  )

  // The "Trier par nom" link has the focus; staff pause Paul from their own login.
  const trier = page.getByRole('link', { name: 'Trier par nom' })
  await trier.focus()
  const staff = new Client(server)
  await staff.login(member.email)
  await staff.get(`/sessions/${session.id}/surveillance`)
  const paused = await staff.post(`/sessions/${session.id}/surveillance/candidats/${paul.id}/suspendre`, { motif: 'incident', precisions: '' })
  t.equal(paused.statusCode, 303)
  await waitForText(page, `candidat-${paul.id}`, 'Suspendu')
  t.same(await rowIds(page), await freshOrder(server, member.email, session.id), 'paused comes before in progress')
  await t.resolveMatch(page.locator('#supervision-needs').textContent(), /1 suspendu/)
  t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Trier par nom', 'the focus stayed on the link')
  t.ok(await page.locator(`#coche-${lucas.id}`).isChecked(), 'still ticked')
  t.ok(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), 'never reloaded')

  // Nothing changes any more: the server answers 304 and only the time of the check moves.
  const statuses: number[] = []
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.endsWith('/surveillance/liste')) statuses.push(response.status())
  })
  // Lucas's row does not change (running, not paused): it must stay the same element. Paul's may
  // (paused, his theoretical end moves on at each minute, which the list shows).
  await page.evaluate((id) => ((document.getElementById(id) as unknown as { kept?: boolean }).kept = true), `candidat-${lucas.id}`)
  const timeBefore = await page.locator('.supervision-updated').getAttribute('data-time')
  const deadline = Date.now() + 20_000
  while (!statuses.includes(304) && Date.now() < deadline) await page.waitForTimeout(100)
  t.ok(statuses.includes(304), `an unchanged list is answered 304 (${statuses.join(', ')})`)
  await page.waitForFunction((before) => document.querySelector('.supervision-updated')?.getAttribute('data-time') !== before, timeBefore, { timeout: 20_000 })
  const time = await page.locator('.supervision-updated').getAttribute('data-time')
  await t.resolveMatch(page.locator('.supervision-updated').textContent(), `Liste à jour à ${time}`, 'the line says the time of the last check')
  t.ok(
    await page.evaluate((id) => (document.getElementById(id) as unknown as { kept?: boolean }).kept === true, `candidat-${lucas.id}`),
    'an unchanged row stays as it was',
  )
  await context.close()
})

async function joinAs(page: Page, sessionId: number) {
  await page.goto('/rejoindre')
  await page.getByLabel('Numéro de session').fill(String(sessionId))
  await page.getByLabel('Prénom').fill('Julie')
  await page.getByLabel('Nom de naissance').fill('Dupont')
  await page.getByLabel('Jour').fill('13')
  await page.getByLabel('Mois').fill('03')
  await page.getByLabel('Année').fill('1996')
  await page.getByRole('button', { name: 'Continuer' }).click()
  await page.waitForLoadState()
  await page.getByLabel('Code d’accès').fill('GMPB26')
  await page.getByRole('button', { name: 'Rejoindre la session' }).click()
  await page.waitForLoadState()
}

/** Waits for the refresh to change a row (the DOM change itself, no fixed delay; the refresh runs every 5 s). */
async function waitForText(page: Page, id: string, text: string) {
  await page.waitForFunction(([rowId, wanted]) => (document.getElementById(rowId!)?.textContent ?? '').includes(wanted!), [id, text], { timeout: 20_000 })
}

function rowIds(page: Page) {
  return page.locator('.supervision-list > li').evaluateAll((rows) => rows.map((row) => row.id))
}

/** The rows' order in the page as the server renders it now. */
async function freshOrder(server: FastifyInstance, email: string, sessionId: number) {
  const client = new Client(server)
  await client.login(email)
  const html = (await client.get(`/sessions/${sessionId}/surveillance`)).body
  return [...html.matchAll(/<li class="supervised [^"]*" id="(candidat-\d+)"/g)].map((m) => m[1])
}
