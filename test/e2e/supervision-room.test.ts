import t from 'tap'
import type { Page } from 'playwright-core'
import { createCandidate, createSession } from '../factories.ts'
import { createMember } from '../helper.ts'
import { noJsPage, screenshot, startBrowserApp } from './browser.ts'

// Issue 27, item 3: a room of 30 at a glance. The invigilator's list of 30 candidates in every
// state fits a laptop screen below the header and the counters, and stays usable on a phone.
t.test('JavaScript off: 30 candidates on a laptop screen without scrolling, and on a 375 px phone', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { invigilator_password: 'K7QB2M', test_duration_minutes: 105 })
  const now = Date.now()
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString()
  for (let i = 0; i < 30; i++) {
    const candidate = await createCandidate(server.db, session.id, {
      last_name: `Candidat-Longnom${String(i + 1).padStart(2, '0')}`,
      first_name: i % 3 === 0 ? 'Marie-Amélie' : 'Alex',
      birthdate: `200${i % 10}-0${(i % 9) + 1}-1${i % 10}`,
      extra_time_percentage: i % 7 === 0 ? 33 : null,
    })
    // 3 waiting, 2 registered only, the others present and started: 1 overdue, 2 paused, 6 ended.
    if (i < 2) continue
    if (i < 5) {
      await server.db
        .updateTable('candidate')
        .set({ arrived_at: at(1) })
        .where('id', '=', candidate.id)
        .execute()
      continue
    }
    await server.db
      .updateTable('candidate')
      .set({ arrived_at: at(130), presence_confirmed_at: at(125) })
      .where('id', '=', candidate.id)
      .execute()
    const startedAgo = i === 5 ? 125 : 20
    await server.db
      .insertInto('certification_course')
      .values({ session_id: session.id, candidate_id: candidate.id, joined_at: at(startedAgo), ended_at: i >= 24 ? at(2) : null })
      .execute()
    if (i === 6 || i === 7)
      await server.db
        .insertInto('clock_change')
        .values({
          session_id: session.id,
          candidate_id: candidate.id,
          kind: 'pause',
          minutes: null,
          reason: 'incident',
          details: null,
          started_at: at(3),
          ended_at: null,
          user_id: member.userId,
          access_id: null,
        })
        .execute()
  }

  const { page } = await noJsPage(browser, baseUrl)
  await page.goto('/surveillance')
  await page.getByLabel('Numéro de la session').fill(String(session.id))
  await page.getByLabel('Mot de passe de la session').fill('C-K7QB2M')
  await page.getByRole('button', { name: 'Surveiller la session' }).click()
  await page.waitForLoadState()
  const rows = page.locator('.supervision-list > li')
  t.equal(await rows.count(), 30)

  for (const [width, height] of [
    [1366, 768],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height })
    await screenshot(page, `supervision-30-${width}`)
    const fits = await lastRowFits(page)
    await page.screenshot({ path: `test-output/supervision-30-${width}-glance.png` })
    t.ok(fits.bottom <= fits.viewport, `at ${width}×${height} the 30th row ends at ${fits.bottom}px, within ${fits.viewport}px`)
    t.same(await cutOff(page), [], `at ${width}×${height} no name or theoretical end cut off`)
  }

  // A tablet (800 px): the buttons wrap below the name and the times rather than squeeze them.
  await page.setViewportSize({ width: 800, height: 1024 })
  const clipped = await cutOff(page)
  t.same(clipped, [], 'at 800 px no name or theoretical end cut off')
  await screenshot(page, 'supervision-30-800')

  // JavaScript off, "Actualiser la liste" and the counters land on the list: the 30 rows are there, nothing to scroll.
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.getByRole('button', { name: 'Actualiser la liste' }).click()
  await page.waitForLoadState()
  const landed = await page.evaluate(() => {
    const rows = document.querySelectorAll('.supervision-list > li')
    return { top: document.getElementById('supervision-needs')!.getBoundingClientRect().top, bottom: rows[rows.length - 1]!.getBoundingClientRect().bottom }
  })
  t.ok(landed.top >= 0 && landed.bottom <= 768, `after "Actualiser la liste", the counters (${landed.top}px) and the 30th row (${landed.bottom}px) on screen`)
  await page.getByRole('link', { name: /1 dépassement/ }).click()
  await page.waitForLoadState()
  const counters = await page.evaluate(() => ({ scrolled: window.scrollY, ...document.getElementById('supervision-needs')!.getBoundingClientRect().toJSON() }))
  t.ok(counters.scrolled > 0 && counters.top >= 0 && counters.bottom <= 768, 'a counter lands on the list, past the header')

  // A phone: one card per candidate, nothing wider than the screen, buttons a thumb can hit.
  await page.setViewportSize({ width: 375, height: 740 })
  await screenshot(page, 'supervision-30-375')
  await lastRowFits(page)
  await page.screenshot({ path: 'test-output/supervision-30-375-glance.png' })
  t.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375, 'no sideways scrolling')
  const smallest = await page.evaluate(() =>
    Math.min(...[...document.querySelectorAll('.supervised__actions .button')].map((b) => Math.round(b.getBoundingClientRect().height))),
  )
  t.ok(smallest >= 24, `every button of a row is at least 24 px high (${smallest})`)
})

/** Scrolled so that the counters are at the top, where does the 30th row end? */
async function lastRowFits(page: Page) {
  return page.evaluate(() => {
    const counters = document.getElementById('supervision-needs')!
    window.scrollTo(0, window.scrollY + counters.getBoundingClientRect().top)
    const rows = document.querySelectorAll('.supervision-list > li')
    return { bottom: Math.round(rows[rows.length - 1]!.getBoundingClientRect().bottom), viewport: window.innerHeight }
  })
}

/** The rows whose name or theoretical end the compact layout cuts off (the other facts may end with "…"). */
function cutOff(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.supervision-list > li')]
      .filter((row) => {
        const who = row.querySelector('.supervised__who')!.getBoundingClientRect()
        const name = row.querySelector('.supervised__name')!.getBoundingClientRect()
        const end = row.querySelector('.supervised__times span:nth-child(2)')?.getBoundingClientRect()
        return name.right > who.right + 1 || (end !== undefined && end.right > who.right + 1)
      })
      .map((row) => row.id),
  )
}
