import t from 'tap'
import { createPasswordReset } from '../../../src/features/accounts/accounts.service.ts'
import { build, Client, createMember, loggedIn, PASSWORD } from '../../helper.ts'

function decode(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

t.test('Mon compte is reached from the user’s name and changes first and last name', async (t) => {
  const server = await build(t)
  const { client, userId } = await loggedIn(server, { firstName: 'Paul', lastName: 'Martin' })
  const sessions = await client.get('/sessions')
  t.match(sessions.body, /<a class="user-block__name" href="\/mon-compte"[^>]*>Paul Martin<\/a>/)
  const page = await client.get('/mon-compte')
  t.equal(page.statusCode, 200)
  const empty = await client.post('/mon-compte/nom', { firstName: '', lastName: ' ' })
  t.equal(empty.statusCode, 400)
  t.ok(decode(empty.body).includes('Veuillez indiquer un prénom.'))
  t.ok(decode(empty.body).includes('Veuillez indiquer un nom.'))
  const ok = await client.post('/mon-compte/nom', { firstName: 'Paula', lastName: 'Martine' })
  t.equal(ok.statusCode, 303)
  const after = await client.get('/mon-compte')
  t.ok(after.body.includes('Votre nom a été modifié.'))
  t.ok(after.body.includes('Paula Martine'), 'the header shows the new name')
  t.same(await server.db.selectFrom('user').select(['first_name', 'last_name']).where('id', '=', userId).executeTakeFirstOrThrow(), {
    first_name: 'Paula',
    last_name: 'Martine',
  })
})

t.test('a name with a line break, a bidi override or a reserved actor name is refused, the typed values kept (issue 23, items 6 and 7)', async (t) => {
  const server = await build(t)
  const { client, userId } = await loggedIn(server, { firstName: 'Paul', lastName: 'Martin' })
  await client.get('/mon-compte')
  for (const [form, message] of [
    [{ firstName: 'Paul\n\nCliquez sur https://faux.example', lastName: 'Martin' }, 'caractère de contrôle invisible (U+000A)'],
    [{ firstName: 'Paul', lastName: 'nitraM\u202e' }, 'caractère de contrôle invisible (U+202E)'],
    [{ firstName: 'Surveillant', lastName: '(mot de passe de session)' }, 'Ce nom est réservé par l’application pour son historique'],
  ] as const) {
    const response = await client.post('/mon-compte/nom', form)
    t.equal(response.statusCode, 400)
    t.ok(decode(response.body).includes(message), message)
    t.ok(decode(response.body).includes(`value="${form.lastName}"`), 'the typed value is kept')
  }
  t.same(await server.db.selectFrom('user').select(['first_name', 'last_name']).where('id', '=', userId).executeTakeFirstOrThrow(), {
    first_name: 'Paul',
    last_name: 'Martin',
  })
})

t.test('changing e-mail needs the current password and a free address', async (t) => {
  const server = await build(t)
  const { client, userId, email } = await loggedIn(server)
  await createMember(server, { email: 'pris@example.org' })
  await client.get('/mon-compte')
  const invalid = await client.post('/mon-compte/email', { email: 'pas-une-adresse', password: PASSWORD })
  t.equal(invalid.statusCode, 400)
  t.ok(decode(invalid.body).includes('Veuillez indiquer une adresse e-mail valide'))
  const wrong = await client.post('/mon-compte/email', { email: 'neuf@example.org', password: 'mauvais-mot-de-passe' })
  t.equal(wrong.statusCode, 400)
  t.ok(decode(wrong.body).includes('Le mot de passe actuel est incorrect.'))
  const taken = await client.post('/mon-compte/email', { email: 'PRIS@example.org', password: PASSWORD })
  t.equal(taken.statusCode, 400)
  t.ok(decode(taken.body).includes('Cette adresse e-mail est déjà celle d’un autre compte.'))
  const ok = await client.post('/mon-compte/email', { email: ' Neuf@Example.org ', password: PASSWORD })
  t.equal(ok.statusCode, 303)
  t.equal((await server.db.selectFrom('user').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email, 'neuf@example.org')
  const fresh = new Client(server)
  t.equal((await fresh.login('neuf@example.org')).statusCode, 303, 'the new address logs in')
  // The history shows users by name and address: the change is in it, by the account under its former address (issue 23, item 6).
  t.same(
    await server.db
      .selectFrom('history')
      .select(['actor_email', 'subject'])
      .where('action', '=', 'account_email_changed')
      .where('actor_user_id', '=', userId)
      .execute(),
    [{ actor_email: email, subject: `${email} → neuf@example.org` }],
  )
})

t.test('changing password: current one required, twice, 12 characters; other sessions and reset links end', async (t) => {
  const server = await build(t)
  const { client, email, userId } = await loggedIn(server)
  const elsewhere = new Client(server)
  await elsewhere.login(email)
  const reset = await createPasswordReset(server.db, email)
  await client.get('/mon-compte')
  const wrong = await client.post('/mon-compte/mot-de-passe', {
    currentPassword: 'faux',
    newPassword: 'Nouveau-secret-2026',
    confirmation: 'Nouveau-secret-2026',
  })
  t.equal(wrong.statusCode, 400)
  t.ok(decode(wrong.body).includes('Le mot de passe actuel est incorrect.'))
  const short = await client.post('/mon-compte/mot-de-passe', { currentPassword: PASSWORD, newPassword: 'court', confirmation: 'court' })
  t.ok(decode(short.body).includes('au moins 12 caractères'))
  const mismatch = await client.post('/mon-compte/mot-de-passe', {
    currentPassword: PASSWORD,
    newPassword: 'Nouveau-secret-2026',
    confirmation: 'Nouveau-secret-2027',
  })
  t.ok(decode(mismatch.body).includes('Les deux mots de passe ne sont pas identiques.'))
  t.equal((await elsewhere.get('/sessions')).statusCode, 200, 'nothing changed yet')

  const ok = await client.post('/mon-compte/mot-de-passe', {
    currentPassword: PASSWORD,
    newPassword: 'Nouveau-secret-2026',
    confirmation: 'Nouveau-secret-2026',
  })
  t.equal(ok.statusCode, 303)
  const page = await client.get('/mon-compte')
  t.equal(page.statusCode, 200, 'this session stays open')
  t.ok(decode(page.body).includes('Vos sessions ouvertes sur d’autres appareils ont été fermées.'), 'and says so')
  const other = await elsewhere.get('/sessions')
  t.equal(other.statusCode, 303, 'the other session ended')
  t.equal((await server.db.selectFrom('password_reset').selectAll().where('user_id', '=', userId).execute()).length, 0, 'pending reset links are spent')
  const resetPage = await new Client(server).get(`/mot-de-passe/nouveau?jeton=${reset!.token}`)
  t.equal(resetPage.statusCode, 400, 'the old reset link no longer works')
  await t.rejects(new Client(server).login(email), 'the old password no longer works')
  t.equal((await new Client(server).login(email, 'Nouveau-secret-2026')).statusCode, 303)
})

t.test('"Se déconnecter de tous les appareils" ends every session, this one included', async (t) => {
  const server = await build(t)
  const { client, email, userId } = await loggedIn(server)
  const elsewhere = new Client(server)
  await elsewhere.login(email)
  const page = await client.get('/mon-compte')
  t.ok(page.body.includes('Se déconnecter de tous les appareils'))
  const done = await client.post('/mon-compte/deconnexion-partout')
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, '/connexion')
  t.ok(decode((await client.get('/connexion')).body).includes('Vous êtes déconnecté(e) de tous les appareils.'))
  t.equal((await server.db.selectFrom('user_session').selectAll().where('user_id', '=', userId).execute()).length, 0)
  t.equal((await elsewhere.get('/sessions')).statusCode, 303)
})
