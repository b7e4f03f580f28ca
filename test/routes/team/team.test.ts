import t from 'tap'
import { hashToken } from '../../../src/features/accounts/token.ts'
import { toTimestamp } from '../../../src/lib/timestamps.ts'
import { build, Client, createMember, loggedIn } from '../../helper.ts'

function decode(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

/** Catches what the mailer writes to the log (no SMTP in tests). */
function captureLog(client: Client) {
  const lines: string[] = []
  const log = client.server.log
  const original = log.info.bind(log)
  log.info = ((...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, (k, v) => (k === 'res' || k === 'req' ? undefined : v)))).join(' '))
    return original(...(args as [string]))
  }) as typeof log.info
  return { lines, restore: () => (log.info = original) }
}

function linksIn(body: string): string[] {
  return [...body.matchAll(/\/invitation\?jeton=([a-z2-7]+)/g)].map((m) => m[1]!)
}

async function invite(client: Client, emails: string, role = 'member') {
  await client.get('/equipe/invitations')
  return client.post('/equipe/invitations', { emails, role })
}

t.test('the members tab lists the team; admins see the invitations tab and the invite button, members do not', async (t) => {
  const server = await build(t)
  const { client: admin } = await loggedIn(server, { centre: 'Centre A', firstName: 'Anne', lastName: 'Admin' })
  const { client: member } = await loggedIn(server, { centre: 'Centre A', role: 'member', firstName: 'Marc', lastName: 'Membre' })
  await createMember(server, { centre: 'Centre B', firstName: 'Bob', lastName: 'Ailleurs' })

  const page = await admin.get('/equipe')
  t.equal(page.statusCode, 200)
  for (const text of [
    'Membres (2)',
    'Invitations (0)',
    'Nom',
    'Prénom',
    'Adresse e-mail',
    'Rôle',
    'Actions',
    'Administrateur',
    'Membre',
    'Inviter un membre',
    'Modifier le rôle',
    'Retirer du centre',
    'Quitter ce centre',
  ]) {
    t.ok(decode(page.body).includes(text), `admin sees ${text}`)
  }
  t.notOk(page.body.includes('Ailleurs'), 'another centre’s members are not listed')
  t.ok(page.body.includes('href="/equipe"'), 'the header links to Équipe')
  t.ok(page.body.includes('href="/mon-compte"'), 'the user’s name links to Mon compte')

  const seen = await member.get('/equipe')
  t.equal(seen.statusCode, 200, 'a member sees the team')
  t.ok(seen.body.includes('Membres (2)'))
  t.notOk(seen.body.includes('Invitations ('), 'a member has no invitations tab')
  t.notOk(seen.body.includes('Inviter un membre'), 'a member has no invite button')
  t.notOk(seen.body.includes('Modifier le rôle'), 'a member has no role action')
  t.ok(decode(seen.body).includes('Quitter ce centre'), 'a member can leave')

  const refused = await member.get('/equipe/invitations')
  t.equal(refused.statusCode, 403)
  t.ok(decode(refused.body).includes('réservée aux administrateurs'), 'a French 403 page')
})

t.test('inviting several addresses: separators, trimming, de-duplication; without SMTP the links are shown once and logged', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server, { centre: 'Centre A', firstName: 'Anne', lastName: 'Admin' })
  const log = captureLog(client)
  const response = await invite(client, ' Un@Example.org , deux@example.org;\n trois@example.org\r\nun@example.org;;', 'admin')
  log.restore()
  t.equal(response.statusCode, 200, 'the links page')
  const tokens = linksIn(response.body)
  t.equal(tokens.length, 3, 'one link per distinct address')
  const rows = await server.db.selectFrom('invitation').selectAll().orderBy('id').execute()
  t.same(
    rows.map((r) => r.email),
    ['un@example.org', 'deux@example.org', 'trois@example.org'],
  )
  t.ok(rows.every((r) => r.role === 'admin'))
  t.same(rows.map((r) => r.token_hash).sort(), tokens.map(hashToken).sort(), 'only the SHA-256 of each token is stored')
  t.notOk(JSON.stringify(rows).includes(tokens[0]!), 'the token itself is not in the database')
  const logged = log.lines.join('\n')
  for (const token of tokens) t.ok(logged.includes(token), 'each link goes to the server log')
  t.ok(logged.includes('Invitation à rejoindre Centre A sur Certisalle'), 'the subject names the centre')
  t.ok(logged.includes('Anne Admin vous invite'), 'the mail says who invited')

  const again = await client.get('/equipe/invitations')
  t.equal(linksIn(again.body).length, 0, 'the links are not shown again')
  t.ok(again.body.includes('Invitations (3)'))
  for (const text of ['Date de dernier envoi', 'Renvoyer l’invitation', 'Supprimer l’invitation', 'deux@example.org']) t.ok(again.body.includes(text), text)
})

t.test('a bad address names the bad ones and sends nothing; an empty list is refused', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  const response = await invite(client, 'ok@example.org, pas-une-adresse; autre@')
  t.equal(response.statusCode, 400)
  const body = decode(response.body)
  t.ok(body.includes('Le format d’une ou plusieurs adresses e-mail est incorrect.'))
  t.ok(body.includes('pas-une-adresse, autre@'), 'the bad addresses are named')
  t.ok(body.includes('ok@example.org, pas-une-adresse; autre@'), 'the typed text is kept')
  t.equal((await server.db.selectFrom('invitation').selectAll().execute()).length, 0, 'nothing sent')
  const empty = await invite(client, ' ,; ')
  t.equal(empty.statusCode, 400)
  t.ok(decode(empty.body).includes('Veuillez indiquer au moins une adresse e-mail.'))
  const role = await invite(client, 'ok@example.org', 'chef')
  t.equal(role.statusCode, 400)
  t.ok(decode(role.body).includes('Veuillez choisir un rôle'))
})

t.test('a pending invitation is renewed and re-sent, not doubled; a member is reported, not invited', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  await createMember(server, { centre: 'Centre A', email: 'deja@example.org' })
  const first = linksIn((await invite(client, 'nouveau@example.org')).body)
  await server.db
    .updateTable('invitation')
    .set({ sent_at: toTimestamp(1000) })
    .execute()
  const second = await invite(client, 'nouveau@example.org, deja@example.org', 'admin')
  t.equal(second.statusCode, 200)
  const tokens = linksIn(second.body)
  t.equal(tokens.length, 1, 'one link: the member is not invited')
  t.ok(decode(second.body).includes('Cette adresse est déjà celle d’un membre du centre : deja@example.org.'), 'the member is reported')
  const rows = await server.db.selectFrom('invitation').selectAll().execute()
  t.equal(rows.length, 1, 'still one invitation')
  t.ok(rows[0]!.sent_at > toTimestamp(1000), 'its date of last sending is renewed')
  t.equal(rows[0]!.role, 'admin', 'with the role now chosen')
  t.not(tokens[0], first[0], 'a new link')
  const old = await new Client(server).get(`/invitation?jeton=${first[0]}`)
  t.ok(decode(old.body).includes('Cette invitation n’est plus valide.'), 'the old link no longer works')

  const onlyMember = await invite(client, 'deja@example.org')
  t.equal(onlyMember.statusCode, 303)
  const after = await client.get(onlyMember.headers.location as string)
  t.ok(decode(after.body).includes('Aucune invitation envoyée.'))
  t.ok(decode(after.body).includes('deja@example.org'))
})

t.test('renvoyer and supprimer an invitation', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  const [token] = linksIn((await invite(client, 'x@example.org')).body)
  const row = await server.db.selectFrom('invitation').selectAll().executeTakeFirstOrThrow()
  await client.get('/equipe/invitations')
  const resent = await client.post(`/equipe/invitations/${row.id}/renvoyer`)
  t.equal(resent.statusCode, 200)
  const [fresh] = linksIn(resent.body)
  t.ok(fresh && fresh !== token, 'a new link is shown')
  t.ok(decode((await new Client(server).get(`/invitation?jeton=${token}`)).body).includes('n’est plus valide'), 'the previous link stops working')
  await client.get('/equipe/invitations')
  const deleted = await client.post(`/equipe/invitations/${row.id}/supprimer`)
  t.equal(deleted.statusCode, 303)
  t.ok((await client.get('/equipe/invitations')).body.includes('L’invitation de x@example.org a été supprimée.'))
  t.equal((await server.db.selectFrom('invitation').selectAll().execute()).length, 0)
  const gone = await new Client(server).get(`/invitation?jeton=${fresh}`)
  t.ok(decode(gone.body).includes('Cette invitation n’est plus valide.'), 'a deleted invitation is no longer valid')
})

t.test('a newcomer creates an account on the link page and lands in the centre; the link works once', async (t) => {
  const server = await build(t)
  const { client: admin } = await loggedIn(server, { centre: 'Centre A' })
  const [token] = linksIn((await invite(admin, 'nina@example.org')).body)
  const visitor = new Client(server)
  const page = await visitor.get(`/invitation?jeton=${token}`)
  t.equal(page.statusCode, 200)
  t.ok(decode(page.body).includes('Vous êtes invité(e) à rejoindre le centre de certification Centre A'))

  const bad = await visitor.post('/invitation/compte', { jeton: token!, firstName: '', lastName: 'Nguyen', password: 'court', confirmation: 'court' })
  t.equal(bad.statusCode, 400)
  for (const text of ['Veuillez indiquer un prénom.', 'au moins 12 caractères', 'Veuillez accepter les conditions générales d’utilisation.'])
    t.ok(decode(bad.body).includes(text), text)
  const mismatch = await visitor.post('/invitation/compte', {
    jeton: token!,
    firstName: 'Nina',
    lastName: 'Nguyen',
    password: 'Secret-1234-abcd',
    confirmation: 'Secret-1234-abce',
    cgu: 'on',
  })
  t.ok(decode(mismatch.body).includes('Les deux mots de passe ne sont pas identiques.'))
  t.equal((await server.db.selectFrom('user').selectAll().where('email', '=', 'nina@example.org').execute()).length, 0, 'no account yet')

  const ok = await visitor.post('/invitation/compte', {
    jeton: token!,
    firstName: 'Nina',
    lastName: 'Nguyen',
    password: 'Secret-1234-abcd',
    confirmation: 'Secret-1234-abcd',
    cgu: 'on',
  })
  t.equal(ok.statusCode, 303)
  t.equal(ok.headers.location, '/sessions')
  const landed = await visitor.get('/sessions')
  t.equal(landed.statusCode, 200, 'logged in, terms accepted, in the centre')
  t.ok(landed.body.includes('Vous avez rejoint le centre Centre A.'))
  const membership = await server.db
    .selectFrom('membership')
    .innerJoin('user', 'user.id', 'membership.user_id')
    .select(['role', 'first_name'])
    .where('email', '=', 'nina@example.org')
    .executeTakeFirstOrThrow()
  t.same(membership, { role: 'member', first_name: 'Nina' })

  const reused = await new Client(server).get(`/invitation?jeton=${token}`)
  t.ok(decode(reused.body).includes('Cette invitation a déjà été acceptée.'))
  const replay = await new Client(server).post('/invitation/compte', {
    jeton: token!,
    firstName: 'Eve',
    lastName: 'Pirate',
    password: 'Secret-1234-abcd',
    confirmation: 'Secret-1234-abcd',
    cgu: 'on',
  })
  t.equal(replay.statusCode, 403, 'no CSRF token without the page')
  const thief = new Client(server)
  await thief.get(`/invitation?jeton=${token}`)
  await thief.get('/connexion')
  const replayed = await thief.post('/invitation/compte', {
    jeton: token!,
    firstName: 'Eve',
    lastName: 'Pirate',
    password: 'Secret-1234-abcd',
    confirmation: 'Secret-1234-abcd',
    cgu: 'on',
  })
  t.ok(decode(replayed.body).includes('Cette invitation a déjà été acceptée.'), 'a spent link creates nothing')
  t.equal((await admin.get('/equipe')).body.includes('Nguyen'), true, 'the admin sees the new member')
})

t.test('an expired link is no longer valid', async (t) => {
  const server = await build(t)
  const { client: admin } = await loggedIn(server, { centre: 'Centre A' })
  const [token] = linksIn((await invite(admin, 'late@example.org')).body)
  await server.db
    .updateTable('invitation')
    .set({ expires_at: toTimestamp(Date.now() - 1) })
    .execute()
  const visitor = new Client(server)
  const page = await visitor.get(`/invitation?jeton=${token}`)
  t.equal(page.statusCode, 410)
  t.ok(decode(page.body).includes('Cette invitation n’est plus valide.'))
  t.ok(decode((await visitor.get('/invitation?jeton=inconnu')).body).includes('Cette invitation n’est plus valide.'), 'an unknown token too')
  const listed = await admin.get('/equipe/invitations')
  t.ok(listed.body.includes('expirée'), 'the admin sees it expired and can resend it')
})

t.test('someone who already has an account logs in on the link page and is added', async (t) => {
  const server = await build(t)
  const { client: admin } = await loggedIn(server, { centre: 'Centre A' })
  const other = await createMember(server, { centre: 'Centre B', email: 'olga@example.org', firstName: 'Olga' })
  const [token] = linksIn((await invite(admin, 'olga@example.org', 'admin')).body)
  const visitor = new Client(server)
  const page = await visitor.get(`/invitation?jeton=${token}`)
  t.notOk(page.body.includes('action="/invitation/compte"'), 'no account creation for an address that has one')
  t.ok(page.body.includes('action="/invitation/connexion"'))
  const wrong = await visitor.post('/invitation/connexion', { jeton: token!, email: 'olga@example.org', password: 'mauvais-mot-de-passe' })
  t.equal(wrong.statusCode, 401)
  t.ok(decode(wrong.body).includes('L’adresse e-mail ou le mot de passe est incorrect.'))
  t.equal((await server.db.selectFrom('invitation').select('accepted_at').executeTakeFirstOrThrow()).accepted_at, null, 'a failed login spends nothing')
  const ok = await visitor.post('/invitation/connexion', { jeton: token!, email: 'olga@example.org', password: 'Secret-1234-abcd' })
  t.equal(ok.statusCode, 303)
  const roles = await server.db.selectFrom('membership').select(['centre_id', 'role']).where('user_id', '=', other.userId).orderBy('centre_id').execute()
  t.equal(roles.length, 2, 'member of both centres')
  t.ok(
    roles.some((r) => r.role === 'admin' && r.centre_id !== other.centreId),
    'with the invited role in the new one',
  )
  const landed = await visitor.get('/sessions')
  t.ok(landed.body.includes('Vous avez rejoint le centre Centre A.'))
  t.match(landed.body, /centre-switch[\s\S]*selected>Centre A</, 'working in the centre just joined')
})

t.test('an invitation is for its address: another account, even logged in with its right password, cannot accept it (issue 23, item 4)', async (t) => {
  const server = await build(t)
  const { client: admin, centreId } = await loggedIn(server, { centre: 'Centre A' })
  const [token] = linksIn((await invite(admin, 'alice@example.org', 'admin')).body)
  // A member of another centre, logged in there, opens the admin invitation meant for Alice.
  const intruder = await loggedIn(server, { centre: 'Centre B', email: 'mallory@example.org' })
  const page = await intruder.client.get(`/invitation?jeton=${token}`)
  t.match(
    page.body,
    /id="field-login-email" name="email" type="email" autocomplete="username" value="alice@example.org" readonly/,
    'the address is the invitation’s',
  )
  const taken = await intruder.client.post('/invitation/connexion', { jeton: token!, email: 'mallory@example.org', password: 'Secret-1234-abcd' })
  t.equal(taken.statusCode, 401)
  t.ok(decode(taken.body).includes('Cette invitation est destinée à l’adresse alice@example.org : connectez-vous avec le compte de cette adresse.'))
  t.equal(
    (await server.db.selectFrom('membership').selectAll().where('centre_id', '=', centreId).where('user_id', '=', intruder.userId).execute()).length,
    0,
    'not a member',
  )
  t.equal((await server.db.selectFrom('invitation').select('accepted_at').executeTakeFirstOrThrow()).accepted_at, null, 'the invitation is still Alice’s')
  // A new account created through the link gets the invited address, whatever the form carries.
  const visitor = new Client(server)
  await visitor.get(`/invitation?jeton=${token}`)
  const created = await visitor.post('/invitation/compte', {
    jeton: token!,
    email: 'mallory2@example.org',
    firstName: 'Alice',
    lastName: 'Invitée',
    password: 'Secret-1234-abcd',
    confirmation: 'Secret-1234-abcd',
    cgu: 'on',
  })
  t.equal(created.statusCode, 303)
  t.same(await server.db.selectFrom('user').select('email').where('last_name', '=', 'Invitée').execute(), [{ email: 'alice@example.org' }])
})

t.test('the invitation page takes a name by the one rule: no line break, no bidi override (issue 23, item 7)', async (t) => {
  const server = await build(t)
  const { client: admin } = await loggedIn(server, { centre: 'Centre A' })
  const [token] = linksIn((await invite(admin, 'nina@example.org')).body)
  const visitor = new Client(server)
  await visitor.get(`/invitation?jeton=${token}`)
  const form = { jeton: token!, password: 'Secret-1234-abcd', confirmation: 'Secret-1234-abcd', cgu: 'on' }
  for (const [names, char] of [
    [{ firstName: 'Nina\n\nhttps://faux.example', lastName: 'Nguyen' }, 'U+000A'],
    [{ firstName: 'Nina', lastName: '\u202eneyugN' }, 'U+202E'],
  ] as const) {
    const response = await visitor.post('/invitation/compte', { ...form, ...names })
    t.equal(response.statusCode, 400)
    t.ok(decode(response.body).includes(`caractère de contrôle invisible (${char})`), char)
  }
  t.equal((await server.db.selectFrom('user').selectAll().where('email', '=', 'nina@example.org').execute()).length, 0, 'no account')
  // An invited address holding an invisible character is refused on the admin's form.
  await admin.get('/equipe/invitations')
  const bad = await admin.post('/equipe/invitations', { emails: 'alice\u202e@example.org', role: 'member' })
  t.equal(bad.statusCode, 400)
  t.equal((await server.db.selectFrom('invitation').selectAll().where('email', 'like', 'alice%').execute()).length, 0, 'not invited')
})

t.test('an invitation is accepted once, even by two tabs at the same time', async (t) => {
  const server = await build(t)
  const { client: admin } = await loggedIn(server, { centre: 'Centre A' })
  const [token] = linksIn((await invite(admin, 'twin@example.org')).body)
  const tabs = [new Client(server), new Client(server)]
  for (const tab of tabs) await tab.get(`/invitation?jeton=${token}`)
  const form = (first: string) => ({
    jeton: token!,
    firstName: first,
    lastName: 'Jumeau',
    password: 'Secret-1234-abcd',
    confirmation: 'Secret-1234-abcd',
    cgu: 'on',
  })
  const [a, b] = await Promise.all([tabs[0]!.post('/invitation/compte', form('Alpha')), tabs[1]!.post('/invitation/compte', form('Beta'))])
  t.same([a.statusCode, b.statusCode].sort(), [303, 410], 'one succeeds, the other is told')
  const loser = a.statusCode === 410 ? a : b
  t.ok(decode(loser.body).includes('Cette invitation a déjà été acceptée.'))
  t.equal((await server.db.selectFrom('user').selectAll().where('email', '=', 'twin@example.org').execute()).length, 1, 'one account')
})

t.test('the link page is rate-limited like login', async (t) => {
  const server = await build(t, { rateLimit: { max: 3, windowMs: 60_000 } })
  const visitor = new Client(server)
  const codes: number[] = []
  for (let i = 0; i < 5; i++) codes.push((await visitor.get(`/invitation?jeton=guess${i}`)).statusCode)
  t.equal(codes.at(-1), 429, `guessing tokens is limited (${codes.join(', ')})`)
})
