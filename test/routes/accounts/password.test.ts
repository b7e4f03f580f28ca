import t from 'tap'
import { RESET_LINK_DURATION_MS } from '../../../src/features/accounts/accounts.service.ts'
import { build, Client, createMember, loggedIn } from '../../helper.ts'

const NEUTRAL = 'Si un compte existe avec cette adresse, un e-mail vient de lui être envoyé.'

/** Catches the reset link written to the log (no SMTP configured in tests). */
async function requestReset(client: Client, email: string): Promise<{ status: number; body: string; link: string | null }> {
  const lines: string[] = []
  const log = client.server.log
  const original = log.info.bind(log)
  log.info = ((...args: unknown[]) => {
    lines.push(args.map(String).join(' '))
    return original(...(args as [string]))
  }) as typeof log.info
  await client.get('/mot-de-passe-oublie')
  const response = await client.post('/mot-de-passe-oublie', { email })
  log.info = original
  const match = /\/mot-de-passe\/nouveau\?jeton=([a-z2-7]+)/.exec(lines.join('\n'))
  return { status: response.statusCode, body: response.body, link: match ? `/mot-de-passe/nouveau?jeton=${match[1]}` : null }
}

t.test('the same neutral answer whether or not the account exists', async (t) => {
  const server = await build(t)
  const member = await createMember(server)
  const known = await requestReset(new Client(server), member.email)
  const unknown = await requestReset(new Client(server), 'nobody@example.org')
  t.equal(known.status, 200)
  t.equal(unknown.status, 200)
  t.ok(known.body.includes(NEUTRAL))
  t.ok(unknown.body.includes(NEUTRAL))
  t.ok(known.link, 'a link was sent for the existing account')
  t.equal(unknown.link, null, 'no link for an unknown address')
  t.equal((await server.db.selectFrom('password_reset').selectAll().execute()).length, 1)
})

t.test('an invalid e-mail gets a field message', async (t) => {
  const server = await build(t)
  const client = new Client(server)
  await client.get('/mot-de-passe-oublie')
  const response = await client.post('/mot-de-passe-oublie', { email: 'pas-une-adresse' })
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Veuillez indiquer une adresse e-mail valide'))
  t.ok(response.body.includes('aria-invalid="true"'))
})

t.test('the link sets a new password once and ends every session of the user', async (t) => {
  const server = await build(t)
  const { client: other, email } = await loggedIn(server)
  const { link } = await requestReset(new Client(server), email)
  const client = new Client(server)
  const page = await client.get(link!)
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('Choisir un nouveau mot de passe'))
  const jeton = new URL(link!, 'http://x').searchParams.get('jeton')!

  const short = await client.post('/mot-de-passe/nouveau', { jeton, password: 'court', confirmation: 'court' })
  t.equal(short.statusCode, 400)
  t.ok(short.body.includes('au moins 12 caractères'))
  const mismatch = await client.post('/mot-de-passe/nouveau', { jeton, password: 'un-nouveau-mot-de-passe', confirmation: 'un-autre-mot-de-passe' })
  t.ok(mismatch.body.includes('Les deux mots de passe ne sont pas identiques.'))

  const done = await client.post('/mot-de-passe/nouveau', { jeton, password: 'un-nouveau-mot-de-passe', confirmation: 'un-nouveau-mot-de-passe' })
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, '/connexion')
  t.equal((await other.get('/cgu')).statusCode, 303, 'the other session was logged out')

  const again = await client.get(link!)
  t.equal(again.statusCode, 400)
  t.ok(again.body.includes('Lien invalide ou expiré'))
  const replay = await client.post('/mot-de-passe/nouveau', { jeton, password: 'encore-un-autre-mdp', confirmation: 'encore-un-autre-mdp' })
  t.equal(replay.statusCode, 400, 'a used token is refused')

  const fresh = new Client(server)
  await fresh.get('/connexion')
  t.equal((await fresh.post('/connexion', { email, password: 'un-nouveau-mot-de-passe' })).statusCode, 303)
})

t.test('an expired link is refused', async (t) => {
  const server = await build(t)
  const { email } = await createMember(server)
  const { link } = await requestReset(new Client(server), email)
  await server.db.updateTable('password_reset').set({ expires_at: new Date(Date.now() - 1).toISOString() }).execute()
  const response = await new Client(server).get(link!)
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Lien invalide ou expiré'))
  t.ok(RESET_LINK_DURATION_MS === 3600_000, 'valid one hour')
})

t.test('password reset requests are rate-limited', async (t) => {
  const server = await build(t, { rateLimit: { max: 2, windowMs: 60_000 } })
  const client = new Client(server)
  await client.get('/mot-de-passe-oublie')
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await client.post('/mot-de-passe-oublie', { email: 'a@example.org' })).statusCode)
  t.same(statuses, [200, 200, 429])
})
