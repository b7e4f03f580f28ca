import t from 'tap'
import { inviteMembers } from '../../../src/features/team/team.service.ts'
import { build, Client, createMember, PASSWORD, type Teardown } from '../../helper.ts'
import { type TestIdentity, signInAtProvider, startOidcProvider } from '../../lib/oidc-provider.ts'

// Issue 30: sign-in through a real OpenID provider on loopback (oidc-provider), every branch.

const APP_URL = 'http://localhost:3000'

function decode(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

async function setup(t: Teardown, identities: TestIdentity[] = [], overrides: Parameters<typeof build>[1] = {}) {
  const provider = await startOidcProvider(t, APP_URL, identities)
  const server = await build(t, { publicUrl: APP_URL, oidc: provider.oidcConfig(), ...overrides })
  return { provider, server }
}

/** The button, the provider's login form (`login`), and back: the app's answer to the callback, and the callback URL. */
async function signIn(client: Client, login: string, start = '/connexion/oidc') {
  const started = await client.get(start)
  if (started.statusCode !== 303) throw new Error(`${start} answered ${started.statusCode}`)
  const callback = new URL(await signInAtProvider(String(started.headers.location), login))
  const response = await client.get(callback.pathname + callback.search)
  return { response, callbackPath: callback.pathname + callback.search, authorizationUrl: String(started.headers.location) }
}

async function flashOf(client: Client, url = '/connexion') {
  return decode((await client.get(url)).body)
}

async function userRow(server: Awaited<ReturnType<typeof build>>, email: string) {
  return server.db.selectFrom('user').select(['id', 'oidc_sub', 'email']).where('email', '=', email).executeTakeFirst()
}

t.test(
  'the login page offers "Se connecter avec {OIDC_LABEL}" above the password form; the button starts the code flow with PKCE, state and nonce',
  async (t) => {
    const { provider, server } = await setup(t)
    const page = await new Client(server).get('/connexion?suite=/sessions/3')
    const body = decode(page.body)
    t.ok(body.includes('Se connecter avec Compte académique'), 'the button, named by OIDC_LABEL')
    t.ok(
      body.indexOf('href="/connexion/oidc?suite=%2Fsessions%2F3"') < body.indexOf('action="/connexion"'),
      'a plain link, above the password form, keeping ?suite=',
    )
    const started = await new Client(server).get('/connexion/oidc')
    t.equal(started.statusCode, 303)
    const url = new URL(String(started.headers.location))
    t.equal(url.origin, provider.issuer, 'to the provider found by discovery')
    t.equal(url.searchParams.get('redirect_uri'), `${APP_URL}/connexion/oidc/retour`, 'the fixed redirect URI')
    t.equal(url.searchParams.get('code_challenge_method'), 'S256')
    t.ok(url.searchParams.get('state') && url.searchParams.get('nonce') && url.searchParams.get('code_challenge'), 'state, nonce and PKCE challenge')
    t.equal(url.searchParams.get('scope'), 'openid email profile')
  },
)

t.test('without OIDC_ISSUER: no button, and /connexion/oidc is a 404', async (t) => {
  const server = await build(t)
  t.notOk(decode((await new Client(server).get('/connexion')).body).includes('Se connecter avec'))
  t.equal((await new Client(server).get('/connexion/oidc')).statusCode, 404)
  t.equal((await new Client(server).get('/connexion/oidc/retour?code=x&state=y')).statusCode, 404)
})

t.test('a first sign-in matches the account on a verified e-mail and links it by sub; later the sub decides, whatever the address', async (t) => {
  const { provider, server } = await setup(t, [
    { sub: 'agent-1', email: 'Anne.Admin@ac-test.fr', email_verified: true, given_name: 'Anne', family_name: 'Admin' },
  ])
  const { userId } = await createMember(server, { centre: 'Centre A', email: 'anne.admin@ac-test.fr', firstName: 'Anne', lastName: 'Admin' })
  const other = await createMember(server, { centre: 'Centre B', email: 'autre@ac-test.fr' })

  const client = new Client(server)
  const { response } = await signIn(client, 'agent-1')
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/sessions', 'into the app')
  t.equal((await userRow(server, 'anne.admin@ac-test.fr'))?.oidc_sub, 'agent-1', 'the sub is stored')
  const sessions = await client.get('/sessions')
  t.equal(sessions.statusCode, 200)
  t.ok(decode(sessions.body).includes('Centre A'), 'in her centre')

  // The address changes at the provider, even to another account's: the sub still decides.
  provider.identities.set('agent-1', { sub: 'agent-1', email: 'autre@ac-test.fr', email_verified: true })
  const again = new Client(server)
  const second = await signIn(again, 'agent-1')
  t.equal(second.response.statusCode, 303)
  const row = await server.db.selectFrom('user_session').select('user_id').orderBy('created_at', 'desc').execute()
  t.ok(row.some((r) => r.user_id === userId) && !row.some((r) => r.user_id === other.userId), 'signed in to the linked account, never to the other address’s')
  t.ok(decode((await again.get('/sessions')).body).includes('Centre A'))
})

t.test('an unknown identity gets no account and a French message on the login page', async (t) => {
  const { server } = await setup(t, [{ sub: 'stranger', email: 'inconnu@ac-test.fr', email_verified: true }])
  await createMember(server, { centre: 'Centre A' })
  const before = await server.db.selectFrom('user').select('id').execute()
  const client = new Client(server)
  const { response } = await signIn(client, 'stranger')
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/connexion')
  t.ok((await flashOf(client)).includes('Aucun compte Certisalle ne correspond à votre identité Compte académique'))
  t.equal((await server.db.selectFrom('user').select('id').execute()).length, before.length, 'no account created')
  t.equal((await server.db.selectFrom('user_session').select('id').execute()).length, 0, 'no session opened')
})

t.test('an unverified e-mail does not match an account, and nothing is linked', async (t) => {
  const { server } = await setup(t, [{ sub: 'agent-2', email: 'marc@ac-test.fr', email_verified: false }])
  await createMember(server, { centre: 'Centre A', email: 'marc@ac-test.fr' })
  const client = new Client(server)
  const { response } = await signIn(client, 'agent-2')
  t.equal(response.headers.location, '/connexion')
  t.ok((await flashOf(client)).includes('Votre adresse e-mail marc@ac-test.fr n’est pas vérifiée par Compte académique'))
  t.equal((await userRow(server, 'marc@ac-test.fr'))?.oidc_sub, null, 'not linked')
  t.equal((await server.db.selectFrom('user_session').select('id').execute()).length, 0, 'no session')
})

t.test('an account already linked to another identity is not taken over through its address', async (t) => {
  const { server } = await setup(t, [{ sub: 'usurper', email: 'lea@ac-test.fr', email_verified: true }])
  const { userId } = await createMember(server, { centre: 'Centre A', email: 'lea@ac-test.fr' })
  await server.db.updateTable('user').set({ oidc_sub: 'lea-real' }).where('id', '=', userId).execute()
  const client = new Client(server)
  const { response } = await signIn(client, 'usurper')
  t.equal(response.headers.location, '/connexion')
  t.ok((await flashOf(client)).includes('déjà lié à une autre identité'))
  t.equal((await server.db.selectFrom('user_session').select('id').execute()).length, 0)
})

t.test('an invitation accepted through the provider creates the account, linked by sub, in the centre; another address is refused', async (t) => {
  const { provider, server } = await setup(t, [
    { sub: 'new-1', email: 'nouvelle@ac-test.fr', email_verified: true, given_name: 'Nina', family_name: 'Nouvelle' },
    { sub: 'new-2', email: 'quelquun@ac-test.fr', email_verified: true },
  ])
  const admin = await createMember(server, { centre: 'Centre A', firstName: 'Anne', lastName: 'Admin' })
  const by = { centreId: admin.centreId, actor: { kind: 'user' as const, userId: admin.userId, name: 'Anne Admin' } }
  const { invited } = await inviteMembers(server.db, by, ['nouvelle@ac-test.fr'], 'member')
  const token = invited[0]!.token

  const page = decode((await new Client(server).get(`/invitation?jeton=${token}`)).body)
  t.ok(page.includes(`href="/connexion/oidc?jeton=${token}"`) && page.includes('Accepter avec Compte académique'), 'the invitation page offers the provider')

  // Someone else's identity (another verified address) cannot use the link.
  const thief = new Client(server)
  const refused = await signIn(thief, 'new-2', `/connexion/oidc?jeton=${token}`)
  t.equal(refused.response.headers.location, `/invitation?jeton=${token}`, 'back to the invitation page')
  t.ok((await flashOf(thief, `/invitation?jeton=${token}`)).includes('Cette invitation a été envoyée à nouvelle@ac-test.fr'))
  t.notOk(await userRow(server, 'quelquun@ac-test.fr'), 'no account for the other identity')

  const client = new Client(server)
  const { response } = await signIn(client, 'new-1', `/connexion/oidc?jeton=${token}`)
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/cgu', 'the terms first')
  const user = await server.db.selectFrom('user').selectAll().where('email', '=', 'nouvelle@ac-test.fr').executeTakeFirstOrThrow()
  t.equal(user.oidc_sub, 'new-1')
  t.equal(`${user.first_name} ${user.last_name}`, 'Nina Nouvelle', 'names from the provider')
  const membership = await server.db.selectFrom('membership').selectAll().where('user_id', '=', user.id).execute()
  t.same(
    membership.map((m) => [m.centre_id, m.role]),
    [[admin.centreId, 'member']],
    'a member of the inviting centre',
  )
  await client.get('/cgu')
  await client.post('/cgu')
  t.ok(decode((await client.get('/sessions')).body).includes('Centre A'))
  const history = await server.db
    .selectFrom('history')
    .select(['actor_name', 'subject'])
    .where('action', '=', 'member_joined')
    .where('subject', '=', 'Nina Nouvelle')
    .execute()
  t.same(history, [{ actor_name: 'Nina Nouvelle', subject: 'Nina Nouvelle' }], 'in the centre’s history')
  provider.identities.delete('new-2')
})

t.test('an invitation accepted through the provider by someone who already has an account: that account joins', async (t) => {
  const { server } = await setup(t, [{ sub: 'agent-3', email: 'paul@ac-test.fr', email_verified: true }])
  const paul = await createMember(server, { centre: 'Centre B', email: 'paul@ac-test.fr' })
  const admin = await createMember(server, { centre: 'Centre A' })
  const by = { centreId: admin.centreId, actor: { kind: 'user' as const, userId: admin.userId, name: 'Paul Martin' } }
  const { invited } = await inviteMembers(server.db, by, ['paul@ac-test.fr'], 'admin')
  const client = new Client(server)
  const { response } = await signIn(client, 'agent-3', `/connexion/oidc?jeton=${invited[0]!.token}`)
  t.equal(response.headers.location, '/sessions')
  const centres = await server.db.selectFrom('membership').select('centre_id').where('user_id', '=', paul.userId).orderBy('centre_id').execute()
  t.same(
    centres.map((c) => c.centre_id),
    [paul.centreId, admin.centreId].sort((a, b) => a - b),
  )
  t.ok(decode((await client.get('/sessions')).body).includes('Centre A'), 'opened on the centre just joined')
})

t.test('a replayed callback, or one whose state this browser was not given, is refused', async (t) => {
  const { server } = await setup(t, [{ sub: 'agent-4', email: 'rita@ac-test.fr', email_verified: true }])
  await createMember(server, { centre: 'Centre A', email: 'rita@ac-test.fr' })
  const client = new Client(server)
  const { response, callbackPath } = await signIn(client, 'agent-4')
  t.equal(response.headers.location, '/sessions')

  // The same callback again, even with the browser's state cookie put back: the attempt is spent.
  const replay = new Client(server)
  const started = await replay.get('/connexion/oidc')
  const ownState = new URL(String(started.headers.location)).searchParams.get('state')!
  const theirs = new URL(callbackPath, APP_URL).searchParams.get('state')!
  t.not(ownState, theirs)
  const foreign = await replay.get(callbackPath)
  t.equal(foreign.headers.location, '/connexion', 'a state this browser was not given')
  t.ok((await flashOf(replay)).includes('Cette tentative de connexion a expiré ou a déjà servi'))

  const [cookieName] = [...client.cookies.keys()].filter((k) => k.includes('oidc'))
  t.notOk(cookieName, 'the state cookie was cleared at the callback')
  // Put the state cookie back, as an attacker holding both would: still refused, the attempt is spent.
  const stolen = new Client(server)
  const startedStolen = await stolen.get('/connexion/oidc')
  const stolenCookie = stolen.cookies.get('certisalle_oidc')!
  const callback = new URL(await signInAtProvider(String(startedStolen.headers.location), 'agent-4'))
  const first = await stolen.get(callback.pathname + callback.search)
  t.equal(first.headers.location, '/sessions')
  const replayer = new Client(server)
  replayer.cookies.set('certisalle_oidc', stolenCookie)
  const replayed = await replayer.get(callback.pathname + callback.search)
  t.equal(replayed.headers.location, '/connexion', 'replayed with its cookie → refused')
  t.ok((await flashOf(replayer)).includes('a déjà servi'))
  t.notOk(replayer.cookies.has('certisalle_session'), 'no session for the replay')
})

t.test('a cancelled sign-in returns to the login page with a French message', async (t) => {
  const { server } = await setup(t, [{ sub: 'agent-5', email: 'x@ac-test.fr', email_verified: true }])
  const client = new Client(server)
  const started = await client.get('/connexion/oidc')
  const state = new URL(String(started.headers.location)).searchParams.get('state')!
  const response = await client.get(`/connexion/oidc/retour?error=access_denied&error_description=End-User+aborted&state=${state}`)
  t.equal(response.headers.location, '/connexion')
  t.ok((await flashOf(client)).includes('La connexion avec Compte académique a été annulée.'))
})

t.test('the provider down: a clear French page, at the start and at the callback', async (t) => {
  const { provider, server } = await setup(t, [{ sub: 'agent-6', email: 'y@ac-test.fr', email_verified: true }])
  await createMember(server, { centre: 'Centre A', email: 'y@ac-test.fr' })
  const client = new Client(server)
  const started = await client.get('/connexion/oidc')
  const callback = new URL(await signInAtProvider(String(started.headers.location), 'agent-6'))
  await provider.stop()
  const atCallback = await client.get(callback.pathname + callback.search)
  t.equal(atCallback.statusCode, 503)
  t.ok(decode(atCallback.body).includes('Le service de connexion Compte académique ne répond pas'), 'the token endpoint does not answer')
  t.notOk(atCallback.body.includes('at '), 'no stack trace')

  // A fresh instance (discovery not done yet) with the provider down.
  const fresh = await build(t, { publicUrl: APP_URL, oidc: provider.oidcConfig() })
  const atStart = await new Client(fresh).get('/connexion/oidc')
  t.equal(atStart.statusCode, 503)
  t.ok(decode(atStart.body).includes('Compte académique ne répond pas'))
  t.ok(decode(atStart.body).includes('href="/connexion"'), 'a way back')
})

t.test('logout ends our session and sends the browser to the provider’s end_session_endpoint (RP-initiated logout)', async (t) => {
  const { provider, server } = await setup(t, [{ sub: 'agent-7', email: 'z@ac-test.fr', email_verified: true }])
  await createMember(server, { centre: 'Centre A', email: 'z@ac-test.fr' })
  const client = new Client(server)
  await signIn(client, 'agent-7')
  await client.get('/sessions')
  const response = await client.post('/deconnexion')
  t.equal(response.statusCode, 303)
  const url = new URL(String(response.headers.location))
  t.equal(url.origin, provider.issuer)
  t.equal(url.searchParams.get('post_logout_redirect_uri'), `${APP_URL}/connexion`)
  t.ok(url.searchParams.get('id_token_hint'), 'with the ID token as hint')
  t.equal((await server.db.selectFrom('user_session').select('id').execute()).length, 0, 'our session is gone')
  t.match(String(response.headers['content-security-policy']), new RegExp(`form-action 'self' ${provider.issuer}`), 'the logout form may end at the provider')

  // A password login logs out locally only.
  const other = new Client(server)
  const member = await createMember(server, { centre: 'Centre A' })
  await other.login(member.email)
  t.equal((await other.post('/deconnexion')).headers.location, '/connexion')
})

t.test('PASSWORD_LOGIN=false: staff sign in through the provider only; an operator keeps the password', async (t) => {
  const { server } = await setup(t, [], { passwordLogin: false, operatorEmails: ['dsi@ac-test.fr'] })
  const staff = await createMember(server, { centre: 'Centre A' })
  const operator = await createMember(server, { centre: 'Centre A', email: 'dsi@ac-test.fr' })
  const page = decode((await new Client(server).get('/connexion')).body)
  t.ok(page.includes('Connexion par mot de passe désactivée : utilisez Compte académique.'))
  const client = new Client(server)
  await client.get('/connexion')
  const refused = await client.post('/connexion', { email: staff.email, password: PASSWORD })
  t.equal(refused.statusCode, 401)
  t.ok(decode(refused.body).includes('La connexion par mot de passe est désactivée pour les personnels'))
  const wrong = await client.post('/connexion', { email: staff.email, password: 'not-the-password' })
  t.ok(decode(wrong.body).includes('La connexion par mot de passe est désactivée'), 'the same answer for a wrong password')
  const ops = new Client(server)
  t.equal((await ops.login(operator.email)).headers.location, '/sessions', 'the operator logs in')
})

t.test('PASSWORD_LOGIN=false: an invitation is accepted through the provider only', async (t) => {
  const { server } = await setup(t, [], { passwordLogin: false })
  const admin = await createMember(server, { centre: 'Centre A' })
  const by = { centreId: admin.centreId, actor: { kind: 'user' as const, userId: admin.userId, name: 'Paul Martin' } }
  const { invited } = await inviteMembers(server.db, by, ['nouveau@ac-test.fr'], 'member')
  const token = invited[0]!.token
  const client = new Client(server)
  const page = decode((await client.get(`/invitation?jeton=${token}`)).body)
  t.ok(page.includes('Accepter avec Compte académique'))
  t.notOk(page.includes('action="/invitation/compte"') || page.includes('action="/invitation/connexion"'), 'no password form')
  const refused = await client.post('/invitation/compte', {
    jeton: token,
    firstName: 'N',
    lastName: 'N',
    password: PASSWORD,
    confirmation: PASSWORD,
    cgu: 'on',
  })
  t.equal(refused.headers.location, `/invitation?jeton=${token}`)
  t.ok((await flashOf(client, `/invitation?jeton=${token}`)).includes('La connexion par mot de passe est désactivée'))
  t.notOk(await userRow(server, 'nouveau@ac-test.fr'), 'no account created with a password')
  const login = await client.post('/invitation/connexion', { jeton: token, email: admin.email, password: PASSWORD })
  t.equal(login.headers.location, `/invitation?jeton=${token}`, 'nor a password login through the invitation')
})

t.test('the callback is rate-limited like the login: refused callbacks count per IP (a school’s worth), then 429', async (t) => {
  const { server } = await setup(t, [], { rateLimit: { max: 1, windowMs: 60_000 } })
  const client = new Client(server)
  const statuses: number[] = []
  // login:ip allows 30 failures (RATE_LIMIT_MAX × SCHOOL) per window; each foreign state is one.
  for (let i = 0; i < 31; i++) statuses.push((await client.get(`/connexion/oidc/retour?code=x&state=forged-${i}`)).statusCode)
  t.same([...new Set(statuses.slice(0, 30))], [303], 'refused and sent back to the login page')
  t.equal(statuses[30], 429, 'then refused outright')
  const login = await client.post('/connexion', { email: 'someone@example.org', password: 'x' })
  t.equal(login.statusCode, 429, 'the same counter as the password login')
})
