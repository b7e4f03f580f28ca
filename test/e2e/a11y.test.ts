import t from 'tap'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { acceptCgu, createOrFindUser, createPasswordReset, createSetupTokenIfEmpty } from '../../src/features/accounts/accounts.service.ts'
import { createMember, PASSWORD } from '../helper.ts'
import { runAxe, type Violation } from '../lib/axe.ts'
import { buildWithRoutes, fillUrl } from '../lib/routes.ts'
import { seedCentre } from '../lib/seed.ts'
import { finaliseSession } from '../factories.ts'
import { inviteMembers } from '../../src/features/team/team.service.ts'
import { CHROMIUM, clickAndWait } from './browser.ts'

/** Forms whose empty submission would delete, log out, switch centre or finalise: not submitted for their error state. */
const DESTRUCTIVE = /supprimer|deconnexion|\/centre$|confirmation|\/cgu$|retirer|quitter/

// Issue 7, item 13: axe-core (WCAG 2.1 AA) on every page, generated from the route table.
t.test('accessibility: 0 axe violations on every page', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const setupToken = await createSetupTokenIfEmpty(server.db)
  const baseUrl = await server.listen({ port: 0, host: '127.0.0.1' })
  server.config.publicUrl = baseUrl
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })
  t.teardown(() => browser.close())
  const newContext = () => browser.newContext({ javaScriptEnabled: true, bypassCSP: true, baseURL: baseUrl, locale: 'fr-FR' })

  const results: Array<{ label: string; violations: Violation[] }> = []
  const check = async (page: Page, label: string) => {
    const violations = await runAxe(page)
    results.push({ label, violations })
    t.same(
      violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(' | ')}`),
      [],
      `${label}: 0 axe violations`,
    )
  }
  const visit = async (page: Page, url: string, label = `GET ${url}`) => {
    let response
    try {
      response = await page.goto(url)
    } catch (err) {
      if (/Download is starting/.test(String(err))) return null // a file download (.ods, document), not a page
      throw err
    }
    const type = response?.headers()['content-type'] ?? ''
    if (!type.startsWith('text/html')) return null
    await check(page, `${label} (${response?.status()})`)
    return response
  }
  const submitForm = async (page: Page, formIndex: number) => {
    const form = page.locator('main form[method="post"]').nth(formIndex)
    for (const input of await form
      .locator(
        'input[type="text"], input[type="email"], input[type="password"], input[type="date"], input[type="time"], input[type="number"], input:not([type]), textarea',
      )
      .all()) {
      // A read-only field (the invited address) stays as given.
      if ((await input.isVisible()) && (await input.isEditable())) await input.fill('', { timeout: 20_000 })
    }
    const submit = form.locator('button[type="submit"], button:not([type]), input[type="submit"]').first()
    if ((await submit.count()) === 0 || !(await submit.isVisible())) return false
    await clickAndWait(submit, { timeout: 20_000 })
    return true
  }

  // The checker itself: a planted violation is found (so "0 violations" below means something).
  const probe = await (await newContext()).newPage()
  await probe.route(`${baseUrl}/__a11y/planted`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html><title>x</title><body><main><input type="text"><img src="/x.png"></main></body></html>',
    }),
  )
  await probe.goto('/__a11y/planted')
  const planted = (await runAxe(probe)).map((v) => v.id)
  t.ok(planted.includes('image-alt') && planted.includes('html-has-lang'), `axe reports a planted violation (${planted.join(', ')})`)
  await probe.context().close()

  // Before any account exists: the setup page, and its errors.
  const anonymous = await (await newContext()).newPage()
  if (setupToken) {
    await visit(anonymous, `/installation?jeton=${setupToken}`, 'setup page')
    await submitForm(anonymous, 0)
    await check(anonymous, 'setup page with errors')
  }

  const a = await seedCentre(server, 'Centre A')
  const member = await createMember(server, { centre: 'Centre A' })
  const newcomer = await createMember(server, { centre: 'Centre A', acceptCgu: false })
  const lonely = await createOrFindUser(server.db, { email: 'seul@example.org', password: PASSWORD, firstName: 'Ana', lastName: 'Nyme' })
  await acceptCgu(server.db, lonely.id)
  const reset = await createPasswordReset(server.db, member.email)

  // Logged out: login, reset, their errors, error pages.
  await visit(anonymous, '/connexion', 'login page')
  await anonymous.getByLabel('Adresse e-mail').fill(member.email)
  await anonymous.getByLabel('Mot de passe').fill('mauvais-mot-de-passe')
  await clickAndWait(anonymous.getByRole('button', { name: 'Je me connecte' }))
  await check(anonymous, 'login page with an error')
  await visit(anonymous, '/mot-de-passe-oublie', 'forgotten password page')
  await anonymous.locator('main input[name="email"]').fill('pas-une-adresse')
  await clickAndWait(anonymous.locator('main form button').first())
  await check(anonymous, 'forgotten password page with an error')
  await visit(anonymous, `/mot-de-passe/nouveau?jeton=${reset!.token}`, 'new password page')
  await submitForm(anonymous, 0)
  await check(anonymous, 'new password page with errors')
  await visit(anonymous, '/mot-de-passe/nouveau?jeton=invalide', 'expired reset link page')
  await visit(anonymous, '/nexiste-pas', 'not found page')
  // Pages that cannot be reached by navigation (403) are served the app's own HTML at a same-origin URL.
  const forbidden = await server.inject({
    method: 'POST',
    url: '/connexion',
    payload: 'email=a',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  await anonymous.route(`${baseUrl}/__a11y/403`, (route) => route.fulfill({ status: 403, contentType: 'text/html; charset=utf-8', body: forbidden.body }))
  await visit(anonymous, '/__a11y/403', 'forbidden page (CSRF)')
  for (const route of routes.filter(
    (r) =>
      r.method === 'GET' && r.config.public && !['/', '/connexion', '/mot-de-passe-oublie', '/mot-de-passe/nouveau', '/installation', '/sante'].includes(r.url),
  )) {
    const url = fillUrl(route.url, a.ids)
    if (!(await visit(anonymous, url, `GET ${route.url} (public)`))) continue
    const forms = await anonymous.locator('main form[method="post"]').count()
    for (let index = 0; index < forms; index++) {
      await anonymous.goto(url)
      await submitForm(anonymous, index)
      await check(anonymous, `public form ${index + 1} of ${route.url} submitted empty`)
    }
  }
  // The invitation link's page (issue 12): a newcomer's form with its errors, and an account holder's login form.
  const [invitation] = (
    await inviteMembers(
      server.db,
      { centreId: a.centreId, actor: { kind: 'user', userId: member.userId, name: 'Paul Martin' } },
      ['nouvelle@example.org'],
      'member',
    )
  ).invited
  await visit(anonymous, `/invitation?jeton=${invitation!.token}`, 'invitation page (newcomer)')
  await submitForm(anonymous, 0)
  await check(anonymous, 'invitation page with errors')
  const [forAccount] = (
    await inviteMembers(
      server.db,
      { centreId: a.centreId, actor: { kind: 'user', userId: member.userId, name: 'Paul Martin' } },
      ['seul@example.org'],
      'member',
    )
  ).invited
  await visit(anonymous, `/invitation?jeton=${forAccount!.token}`, 'invitation page (existing account)')
  await anonymous.context().clearCookies()

  // The candidate page, step by step (identity, access code, wrong code, joined).
  if (routes.some((r) => r.method === 'POST' && r.url === '/rejoindre/code')) {
    const candidate = await server.db.selectFrom('candidate').selectAll().where('id', '=', a.candidateId).executeTakeFirstOrThrow()
    const session = await server.db.selectFrom('certification_session').selectAll().where('id', '=', a.sessionId).executeTakeFirstOrThrow()
    const [year, month, day] = candidate.birthdate.split('-')
    await anonymous.goto('/rejoindre?nouveau')
    for (const [name, value] of Object.entries({
      sessionNumber: String(session.id),
      firstName: candidate.first_name,
      lastName: candidate.last_name,
      birthDay: day!,
      birthMonth: month!,
      birthYear: year!,
    })) {
      await anonymous.locator(`main [name="${name}"]`).fill(value)
    }
    await clickAndWait(anonymous.locator('main form button[type="submit"], main form button:not([type])').first())
    await check(anonymous, 'candidate page: access code step')
    await anonymous.locator('main [name="accessCode"]').fill('ZZZZ99')
    await clickAndWait(anonymous.locator('main form button[type="submit"], main form button:not([type])').first())
    await check(anonymous, 'candidate page: wrong access code')
    // A miss shows the identity form again, filled in: continue, then the right code.
    await clickAndWait(anonymous.locator('main form button[type="submit"], main form button:not([type])').first())
    await anonymous.locator('main [name="accessCode"]').fill(session.access_code)
    await clickAndWait(anonymous.locator('main form button[type="submit"], main form button:not([type])').first())
    await check(anonymous, 'candidate page: waiting for the invigilator')
    await server.db.updateTable('candidate').set({ presence_confirmed_at: new Date().toISOString() }).where('id', '=', candidate.id).execute()
    await clickAndWait(anonymous.locator('main form button[type="submit"]').first())
    await check(anonymous, 'candidate page: started (confirmed by the invigilator)')
    await anonymous.context().clearCookies()
  }

  const loginAs = async (context: BrowserContext, email: string) => {
    const page = await context.newPage()
    await page.goto('/connexion')
    await page.getByLabel('Adresse e-mail').fill(email)
    await page.getByLabel('Mot de passe').fill(PASSWORD)
    await clickAndWait(page.getByRole('button', { name: 'Je me connecte' }))
    await page.waitForLoadState('load')
    return page
  }
  await visit(await loginAs(await newContext(), newcomer.email), '/cgu', 'terms page (not accepted yet)')
  await visit(await loginAs(await newContext(), 'seul@example.org'), '/aucun-centre', 'no-centre page')
  const plainMember = await createMember(server, { centre: 'Centre A', role: 'member' })
  await visit(await loginAs(await newContext(), plainMember.email), '/equipe/invitations', 'admin-only page seen by a member (403)')

  // Logged in: every GET page of the route table, with real ids.
  const page = await loginAs(await newContext(), member.email)
  await visit(page, '/cgu', 'terms page (accepted)')
  // The invigilator list's refresh fragment is not a page (enhance.js puts it into the page).
  const gets = routes.filter(
    (r) => r.method === 'GET' && !r.config.public && !['/cgu', '/aucun-centre'].includes(r.url) && !r.url.endsWith('/surveillance/liste'),
  )
  const withForms: Array<{ url: string; index: number; action: string }> = []
  for (const route of gets) {
    const variants = route.url.includes(':candidateId') ? [a.ids, { ...a.ids, candidateId: a.joinedCandidateId }] : [a.ids]
    for (const ids of variants) {
      const url = fillUrl(route.url, ids)
      const response = await visit(page, url)
      if (!response) continue
      const actions = await page.locator('main form[method="post"]').evaluateAll((forms) => forms.map((f) => f.getAttribute('action') ?? ''))
      actions.forEach((action, index) => {
        if (!DESTRUCTIVE.test(action) && !withForms.some((w) => w.action === action)) withForms.push({ url, index, action })
      })
    }
  }
  // Espace surveillant: a confirmation step and the incident form open in a row, and its errors.
  if (routes.some((r) => r.url === '/sessions/:sessionId/surveillance')) {
    await visit(page, `/sessions/${a.sessionId}/surveillance?terminer=${a.joinedCandidateId}`, 'invigilator page: "Terminer le test" confirmation')
    await visit(page, `/sessions/${a.sessionId}/surveillance?signalement=${a.joinedCandidateId}`, 'invigilator page: incident form')
    await clickAndWait(page.getByRole('button', { name: 'Enregistrer le signalement' }))
    await check(page, 'invigilator page: incident form with an error')
  }
  // Forms with their errors shown: submitted empty, last (they may change data).
  for (const { url, index, action } of withForms) {
    await page.goto(url)
    if (await submitForm(page, index)) await check(page, `form ${action} submitted empty (from ${url})`)
    else t.comment(`form ${action} on ${url}: no visible submit button, not submitted`)
  }
  // Espace surveillant as an invigilator sees it (own access, no account): the page, "Quitter", and once finalised.
  let invigilator: Page | null = null
  if (routes.some((r) => r.url === '/surveillance')) {
    const { invigilator_password: password } = await server.db
      .selectFrom('certification_session')
      .select('invigilator_password')
      .where('id', '=', a.sessionId)
      .executeTakeFirstOrThrow()
    invigilator = await (await newContext()).newPage()
    await invigilator.goto('/surveillance')
    await invigilator.getByLabel('Numéro de la session').fill(String(a.sessionId))
    await invigilator.getByLabel('Mot de passe de la session').fill(password)
    await clickAndWait(invigilator.getByRole('button', { name: 'Surveiller la session' }))
    await check(invigilator, 'invigilator page (invigilator access)')
    await visit(invigilator, `/sessions/${a.sessionId}/surveillance/quitter`, 'invigilator: "Quitter la surveillance" confirmation')
  }
  // The same pages once the session is finalised (read-only variants).
  await finaliseSession(server.db, a.sessionId)
  if (invigilator) await visit(invigilator, `/sessions/${a.sessionId}/surveillance`, 'invigilator page of a finalised session')
  for (const route of gets.filter((r) => r.url.includes(':sessionId'))) {
    await visit(page, fillUrl(route.url, a.ids), `GET ${route.url} (finalised session)`)
  }
  // Keyboard: the first Tab reaches the skip link, which leads to the main content.
  await page.goto('/sessions')
  await page.keyboard.press('Tab')
  t.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#contenu', 'the first Tab reaches the skip link')
  await page.keyboard.press('Enter')
  t.equal(await page.evaluate(() => document.activeElement?.id), 'contenu', 'the skip link moves the focus to the main content')

  const pagesChecked = results.length
  t.ok(pagesChecked >= 10, `${pagesChecked} pages checked`)
  if (gets.length === 0) t.fail('No logged-in GET page registered besides the terms: nothing of the app itself was checked.')
})
