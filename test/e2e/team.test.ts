import t from 'tap'
import { createMember } from '../helper.ts'
import { clickAndWait, loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

// Issue 12, with JavaScript off: an admin invites two colleagues, one accepts from another browser and
// creates an account, the admin makes them admin, they remove a colleague, a member sees no invite button and gets 403.
t.test('with JavaScript off: invite, accept, promote, remove, and a member is refused', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const admin = await createMember(server, { centre: 'Lycée Testix', firstName: 'Anne', lastName: 'Admin' })
  await createMember(server, { centre: 'Lycée Testix', role: 'member', firstName: 'Marc', lastName: 'Retiré' })
  const lea = await createMember(server, { centre: 'Lycée Testix', role: 'member', firstName: 'Léa', lastName: 'Membre' })

  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, admin.email)
  await clickAndWait(page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Équipe' }))
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Équipe')
  t.ok(await page.getByRole('link', { name: 'Membres (3)' }).isVisible())
  await screenshot(page, 'team-1-members')
  await clickAndWait(page.getByRole('link', { name: 'Inviter un membre' }))
  await page.getByLabel('Adresse(s) e-mail').fill('bruno@example.org;\n chloe@example.org')
  await clickAndWait(page.getByRole('button', { name: 'Inviter' }))
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Liens d’invitation à transmettre')
  const links = await page.locator('code.team-link').allTextContents()
  t.equal(links.length, 2, 'two links shown once (no SMTP here)')
  await screenshot(page, 'team-2-links')
  await clickAndWait(page.getByRole('link', { name: 'Revenir à l’équipe' }))
  t.ok(await page.getByRole('link', { name: 'Invitations (2)' }).isVisible())
  t.ok(await page.getByRole('cell', { name: 'bruno@example.org', exact: true }).isVisible())
  await screenshot(page, 'team-3-invitations')

  // Bruno, in another browser, opens his link and creates his account.
  const bruno = await noJsPage(browser, baseUrl)
  await bruno.page.goto(links.find((l) => l.includes('jeton='))!.replace(baseUrl, ''))
  t.equal(await bruno.page.getByRole('heading', { level: 1 }).textContent(), 'Vous êtes invité(e) à rejoindre le centre de certification Lycée Testix')
  await bruno.page.getByLabel('Prénom').fill('Bruno')
  await bruno.page.getByLabel('Nom', { exact: true }).fill('Nouveau')
  await bruno.page.getByLabel('Choisissez un mot de passe').fill('Phrase-de-passe-2026')
  await bruno.page.getByLabel('Confirmer le mot de passe').fill('Phrase-de-passe-2026')
  await screenshot(bruno.page, 'team-4-accept')
  await bruno.page.getByLabel('J’accepte les conditions générales d’utilisation').check()
  await clickAndWait(bruno.page.getByRole('button', { name: 'Créer mon compte et rejoindre le centre' }))
  t.equal(new URL(bruno.page.url()).pathname, '/sessions')
  t.match(await bruno.page.getByRole('status').textContent(), 'Vous avez rejoint le centre Lycée Testix.')
  const which = await server.db.selectFrom('invitation').select('email').where('accepted_at', 'is not', null).executeTakeFirstOrThrow()
  const brunoEmail = which.email

  // The admin makes the newcomer admin.
  await page.goto('/equipe')
  const newcomer = await server.db.selectFrom('user').select('id').where('email', '=', brunoEmail).executeTakeFirstOrThrow()
  await clickAndWait(page.getByRole('link', { name: 'Modifier le rôle : Bruno Nouveau' }))
  t.match(await page.locator('main').textContent(), 'Vous vous apprêtez à changer le rôle de Bruno Nouveau.')
  await page.getByLabel('Rôle').selectOption('admin')
  await clickAndWait(page.getByRole('button', { name: 'Changer le rôle' }))
  t.match(await page.getByRole('status').textContent(), 'Le rôle a bien été changé.')
  const row = page.getByRole('row', { name: /Nouveau/ })
  t.ok(await row.getByRole('cell', { name: 'Administrateur', exact: true }).isVisible(), 'Bruno is admin')
  t.equal((await server.db.selectFrom('membership').select('role').where('user_id', '=', newcomer.id).executeTakeFirstOrThrow()).role, 'admin')
  await screenshot(page, 'team-5-promoted')

  // Bruno, now admin, removes Marc.
  await bruno.page.goto('/equipe')
  await clickAndWait(bruno.page.getByRole('link', { name: 'Retirer du centre : Marc Retiré' }))
  t.match(await bruno.page.locator('main').textContent(), 'Marc Retiré n’aura plus accès à ce centre.')
  await screenshot(bruno.page, 'team-6-remove')
  await clickAndWait(bruno.page.getByRole('button', { name: 'Oui, retirer du centre' }))
  t.match(await bruno.page.getByRole('status').textContent(), 'Marc Retiré a été retiré(e) du centre.')
  t.equal(await bruno.page.getByRole('cell', { name: 'Retiré', exact: true }).count(), 0, 'Marc is gone from the list')

  // Léa, a member: no invite button, and a French 403 on the URL.
  const member = await noJsPage(browser, baseUrl)
  await loginInBrowser(member.page, lea.email)
  await member.page.goto('/equipe')
  t.equal(await member.page.getByRole('link', { name: 'Inviter un membre' }).count(), 0, 'no invite button for a member')
  t.equal(await member.page.getByRole('link', { name: /Invitations/ }).count(), 0, 'no invitations tab')
  const refused = await member.page.goto('/equipe/invitations')
  t.equal(refused?.status(), 403)
  t.equal(await member.page.getByRole('heading', { level: 1 }).textContent(), 'Accès réservé aux administrateurs')
  await screenshot(member.page, 'team-7-member-403')
})
