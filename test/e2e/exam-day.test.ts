import t from 'tap'
import type { Page } from 'playwright-core'
import { createCandidate, createSession } from '../factories.ts'
import { Client, createMember } from '../helper.ts'
import { formatClock } from '../../src/lib/dates.ts'
import { toTimestamp } from '../../src/lib/timestamps.ts'
import { loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

async function click(page: Page, name: string | RegExp, scope = page.locator('main')) {
  await scope.getByRole('button', { name }).first().click()
  await page.waitForLoadState()
}

// Issue 27: an evacuation, a late accommodation and a room of candidates, from a phone, JavaScript off.
t.test('JavaScript off, three browsers: staff, an invigilator on a 375 px phone, a candidate', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { access_code: 'GMPB26', room: 'Salle 12', invigilator_password: 'K7QB2M' })
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie' })
  const others = []
  for (let i = 0; i < 10; i++)
    others.push(
      await createCandidate(server.db, session.id, { last_name: `Candidat${String.fromCharCode(65 + i)}`, first_name: 'Alex', birthdate: `200${i}-01-01` }),
    )
  // Ten of them typed the access code on their own computers: waiting for the invigilator.
  await server.db
    .updateTable('candidate')
    .set({ arrived_at: new Date().toISOString() })
    .where(
      'id',
      'in',
      others.map((o) => o.id),
    )
    .execute()

  const staff = (await noJsPage(browser, baseUrl)).page
  await loginInBrowser(staff, member.email)

  const { page: phone } = await noJsPage(browser, baseUrl)
  await phone.setViewportSize({ width: 375, height: 740 })
  await phone.goto('/surveillance')
  await phone.getByLabel('Numéro de la session').fill(String(session.id))
  await phone.getByLabel('Mot de passe de la session').fill('C-K7QB2M')
  await click(phone, 'Surveiller la session')
  await t.resolveMatch(phone.locator('#supervision-needs').textContent(), /10 en attente/)

  // Bulk presence of the ten waiting.
  await phone.getByLabel('Tous les candidats en attente').check()
  await phone.getByLabel('Action', { exact: true }).selectOption('confirmer')
  await click(phone, 'Appliquer aux candidats cochés')
  await t.resolveMatch(phone.locator('main').textContent(), /Présence confirmée pour 10 candidats/)
  t.equal((await server.db.selectFrom('candidate').select('id').where('presence_confirmed_at', 'is not', null).execute()).length, 10)

  // Julie, in her own browser, joins; the invigilator confirms her from her row; she starts.
  const candidate = (await noJsPage(browser, baseUrl)).page
  await candidate.goto('/rejoindre')
  await candidate.getByLabel('Numéro de session').fill(String(session.id))
  await candidate.getByLabel('Prénom').fill('Julie')
  await candidate.getByLabel('Nom de naissance').fill('Dupont')
  await candidate.getByLabel('Jour').fill('13')
  await candidate.getByLabel('Mois').fill('03')
  await candidate.getByLabel('Année').fill('1996')
  await click(candidate, 'Continuer')
  await candidate.getByLabel('Code d’accès').fill('GMPB26')
  await click(candidate, 'Rejoindre la session')
  await click(phone, 'Actualiser la liste')
  await click(phone, 'Confirmer la présence de l’élève Julie Dupont')
  await click(candidate, 'J’ai prévenu mon surveillant, réessayer')
  await t.resolveMatch(candidate.locator('.join-result__number dd').textContent(), /^\d+$/)
  // The ten others start on their computers.
  for (const o of others)
    await server.db.insertInto('certification_course').values({ session_id: session.id, candidate_id: o.id, joined_at: new Date().toISOString() }).execute()

  // An evacuation: the whole room pauses, then resumes.
  await click(phone, 'Actualiser la liste')
  await phone.getByRole('link', { name: 'Suspendre toute la salle' }).click()
  await phone.waitForLoadState()
  await phone.getByLabel('Alarme (évacuation)').check()
  await phone.getByLabel('Précisions').fill('Alarme incendie, évacuation')
  await click(phone, 'Suspendre toute la salle')
  await t.resolveMatch(phone.locator('main').textContent(), /Toute la salle est suspendue \(11 candidats en cours\)/)
  await screenshot(phone, 'exam-day-room-paused-375')
  await click(phone, 'Reprendre toute la salle')
  await t.resolveMatch(phone.locator('main').textContent(), /Toute la salle reprend/)

  // A late accommodation: ten minutes for Julie.
  const row = phone.locator(`#candidat-${julie.id}`)
  await row.getByRole('link', { name: 'Ajouter du temps pour Julie Dupont' }).click()
  await phone.waitForLoadState()
  await row.getByLabel('Minutes à ajouter').fill('10')
  await row.getByLabel('Aménagement découvert').check()
  await click(phone, 'Ajouter ce temps', row)
  await t.resolveMatch(row.textContent(), /Temps ajouté : 10 min/)

  // Bulk end of five, after the step listing their names.
  for (const o of others.slice(0, 5)) await phone.locator(`#coche-${o.id}`).check()
  await phone.getByLabel('Action', { exact: true }).selectOption('terminer')
  await click(phone, 'Appliquer aux candidats cochés')
  await t.resolveMatch(phone.locator('main').textContent(), /Le test des 5 candidats suivants sera terminé/)
  await click(phone, 'Oui, terminer ces tests')
  await t.resolveMatch(phone.locator('main').textContent(), /5 tests terminés/)
  await t.resolveMatch(phone.locator('#supervision-needs').textContent(), /5 terminés/)
  await screenshot(phone, 'exam-day-list-375')
  t.equal((await server.db.selectFrom('certification_course').select('id').where('ended_at', 'is not', null).execute()).length, 5)

  // One of the five saw the end screen; their timeline, from the phone: presence (by whom), the start (their course's,
  // written straight to the database above), the room's pause, the end.
  const first = others[0]!
  await click(phone, `Écran de fin du test vu par Alex ${first.last_name}`)
  await phone
    .locator(`#candidat-${first.id}`)
    .getByRole('link', { name: `Chronologie de Alex ${first.last_name}` })
    .click()
  await phone.waitForLoadState()
  const timeline = (await phone.locator('table.timeline tbody').innerText()).split('\n').map((line) => line.replace(/\s+/g, ' ').trim())
  for (const event of [
    /^\d\d:\d\d:\d\d A saisi le code d’accès \(en attente\)/,
    /^\d\d:\d\d:\d\d Présence confirmée Surveillant \(mot de passe de session\)$/,
    /^\d\d:\d\d:\d\d Test commencé$/,
    /^\d\d:\d\d:\d\d Toute la salle suspendue \(Alarme \(évacuation\)\) Surveillant \(mot de passe de session\) Alarme incendie, évacuation$/,
    /^\d\d:\d\d:\d\d Toute la salle reprend/,
    /^\d\d:\d\d:\d\d Test terminé Surveillant \(mot de passe de session\)/,
    /^\d\d:\d\d:\d\d Écran de fin du test vu Surveillant \(mot de passe de session\)/,
  ])
    t.ok(
      timeline.some((line) => event.test(line)),
      `the timeline has ${event.source}`,
    )
  await screenshot(phone, 'exam-day-timeline-375')
  await phone.goBack()

  // Julie's new end: her start + the session's 105 min + the 10 added + the room's pause, as the row shows it.
  const course = await server.db.selectFrom('certification_course').select('joined_at').where('candidate_id', '=', julie.id).executeTakeFirstOrThrow()
  const pause = await server.db.selectFrom('clock_change').selectAll().where('candidate_id', 'is', null).executeTakeFirstOrThrow()
  const pausedFor = new Date(pause.ended_at!).getTime() - new Date(pause.started_at).getTime()
  const newEnd = formatClock(toTimestamp(new Date(course.joined_at).getTime() + (session.test_duration_minutes + 10) * 60_000 + pausedFor))
  await click(phone, 'Actualiser la liste')
  await t.resolveMatch(row.textContent(), new RegExp(`Fin théorique : ${newEnd}`), `the invigilator's row: ${newEnd}`)

  // Staff: the finalisation shows every time event as a report, nothing typed; the sheet and the PV the new end.
  await staff.goto(`/sessions/${session.id}/finalisation`)
  const wizard = (await staff.locator('main').textContent())!
  t.match(wizard, /Pendant la session, à \d\d:\d\d : 10 min ajoutées\. Motif : Aménagement découvert\./)
  t.equal((wizard.match(/toute la salle suspendue de \d\d:\d\d à \d\d:\d\d/g) ?? []).length, 11, 'the room pause, for each of the 11 running')
  // Julie's reports: the time added as a C2, the room's pause in the category of its reason (an alarm: A2), both "pendant la session".
  const julieReports = (await staff.locator(`#candidat-${julie.id} .report-list__item`).allInnerTexts()).map((text) => text.replace(/\s+/g, ' '))
  t.equal(julieReports.length, 2, 'two reports for Julie, nothing typed')
  t.match(
    julieReports.find((text) => text.startsWith('C2')),
    /^C2 Ajout\/modification du temps majoré — signalé pendant la session à \d\d:\d\d — Pendant la session, à \d\d:\d\d : 10 min ajoutées\. Motif : Aménagement découvert\./,
  )
  t.match(
    julieReports.find((text) => text.startsWith('A2')),
    /^A2 .* — signalé pendant la session à \d\d:\d\d — Pendant la session : toute la salle suspendue de \d\d:\d\d à \d\d:\d\d \(0 min\)\. Motif : Alarme \(évacuation\)\. Alarme incendie, évacuation/,
  )
  t.ok(await staff.locator(`#ecran-fin-${first.id}`).isChecked(), 'the end screen the invigilator saw is ticked')
  t.notOk(await staff.locator(`#ecran-fin-${others[1]!.id}`).isChecked(), 'not the others')
  await screenshot(staff, 'exam-day-finalisation')
  await staff.goto(`/sessions/${session.id}/impression/feuille-emargement`)
  const sheetRow = staff.locator('main tr').filter({ has: staff.locator('td.name', { hasText: /^Julie$/ }) })
  await t.resolveMatch(sheetRow.textContent(), new RegExp(`fin théorique ${newEnd}`), `the sheet: ${newEnd}`)
  await staff.goto(`/sessions/${session.id}/impression/pv-incident`)
  await t.resolveMatch(staff.locator('main').textContent(), /10 min ajoutées/)
  const pvRow = staff.locator('table.report-individual tbody tr', { hasText: 'C2' })
  await screenshot(staff, 'exam-day-pv')
  await t.resolveMatch(pvRow.textContent(), new RegExp(`Julie Dupont.*fin théorique ${newEnd}`), `the PV: ${newEnd}`)
})

t.test('JavaScript on: the refresh keeps the order and the counters, the room’s pause, the focus', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { invigilator_password: 'K7QB2M' })
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie' })
  const lucas = await createCandidate(server.db, session.id, { last_name: 'Martin', first_name: 'Lucas' })
  const now = new Date().toISOString()
  for (const c of [julie, lucas]) {
    await server.db.updateTable('candidate').set({ presence_confirmed_at: now }).where('id', '=', c.id).execute()
    await server.db.insertInto('certification_course').values({ session_id: session.id, candidate_id: c.id, joined_at: now }).execute()
  }
  const context = await browser.newContext({ javaScriptEnabled: true, baseURL: baseUrl, locale: 'fr-FR' })
  const page = await context.newPage()
  await page.goto('/surveillance')
  await page.getByLabel('Numéro de la session').fill(String(session.id))
  await page.getByLabel('Mot de passe de la session').fill('C-K7QB2M')
  await click(page, 'Surveiller la session')
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true))
  const counter = page.locator('#supervision-needs a.need--started')
  await counter.focus()

  // Staff pause the whole room from their own login.
  const staff = new Client(server)
  await staff.login(member.email)
  await staff.get(`/sessions/${session.id}/surveillance`)
  t.equal((await staff.post(`/sessions/${session.id}/surveillance/salle/suspendre`, { motif: 'alarme', precisions: '' })).statusCode, 303)

  await page.waitForFunction(() => /Toute la salle est suspendue depuis/.test(document.getElementById('salle')?.textContent ?? ''), undefined, {
    timeout: 20_000,
  })
  await page.waitForFunction(() => /2 suspendus/.test(document.getElementById('supervision-needs')?.textContent ?? ''), undefined, { timeout: 20_000 })
  t.ok(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), 'no reload')
  t.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('href')),
    `/sessions/${session.id}/surveillance?filtre=en-cours#supervision-list`,
    'the focus stayed',
  )

  await context.close()
})
