import t from 'tap'
import { build, Client, createMember, loggedIn } from '../helper.ts'

/*
 * Issue 23, item 5: bad invitation or reset links from one IP (a school's NAT) must not block those
 * pages for the whole school. A valid link always works; only misses count and, over the limit, only
 * misses are refused; a HEAD request (a link-preview bot) is no try at all.
 */
const SCHOOL_IP = '192.0.2.30'

/** A visitor seen from the school's shared IP. */
function fromSchool(server: Awaited<ReturnType<typeof build>>) {
  const client = new Client(server)
  const request = client.request.bind(client)
  client.request = (options) => request({ ...options, remoteAddress: SCHOOL_IP })
  return client
}

const head = (client: Client, url: string) => client.request({ method: 'HEAD', url })

/** A reset link for `email`, caught in the log (no SMTP in tests). */
async function resetLink(server: Awaited<ReturnType<typeof build>>, email: string) {
  const lines: string[] = []
  const log = server.log
  const original = log.info.bind(log)
  log.info = ((...args: unknown[]) => {
    lines.push(args.map(String).join(' '))
    return original(...(args as [string]))
  }) as typeof log.info
  const client = new Client(server)
  await client.get('/mot-de-passe-oublie')
  await client.post('/mot-de-passe-oublie', { email })
  log.info = original
  const token = /\/mot-de-passe\/nouveau\?jeton=([a-z2-7]+)/.exec(lines.join('\n'))?.[1]
  if (!token) throw new Error('no reset link')
  return token
}

async function invitationLink(server: Awaited<ReturnType<typeof build>>, email: string) {
  const { client: admin } = await loggedIn(server, { centre: 'Lycée Victor Hugo' })
  await admin.get('/equipe/invitations')
  const response = await admin.post('/equipe/invitations', { emails: email, role: 'member' })
  const token = /\/invitation\?jeton=([a-z2-7]+)/.exec(response.body)?.[1]
  if (!token) throw new Error('no invitation link')
  return token
}

t.test('reset links: 50 bad links and HEADs from the school, then every valid link still works from it', async (t) => {
  // max 10 misses per IP (the default).
  const server = await build(t, { rateLimit: { max: 10, windowMs: 15 * 60_000 } })
  const tokens = []
  for (let i = 0; i < 5; i++) tokens.push(await resetLink(server, (await createMember(server, { email: `prof${i}@example.org` })).email))
  const visitor = fromSchool(server)

  // A preview bot: HEAD on used and unknown links counts nothing.
  for (let i = 0; i < 30; i++) await head(visitor, `/mot-de-passe/nouveau?jeton=apercu${i}`)
  const misses: number[] = []
  for (let i = 0; i < 50; i++) misses.push((await visitor.get(`/mot-de-passe/nouveau?jeton=faux${i}`)).statusCode)
  t.same(misses.slice(0, 10), Array(10).fill(400), 'the HEADs counted nothing: 10 misses before the limit')
  t.same(new Set(misses.slice(10)), new Set([429]), 'then misses are refused')

  // Everyone of the school opens a valid link (HEAD first, like a mail client's preview) and uses it.
  for (const [i, token] of tokens.entries()) {
    const client = fromSchool(server)
    t.equal((await head(client, `/mot-de-passe/nouveau?jeton=${token}`)).statusCode, 200)
    const page = await client.get(`/mot-de-passe/nouveau?jeton=${token}`)
    t.equal(page.statusCode, 200, `link ${i} opens`)
    const done = await client.post('/mot-de-passe/nouveau', { jeton: token, password: 'Nouveau-1234-abcd', confirmation: 'Nouveau-1234-abcd' })
    t.equal(done.statusCode, 303, `link ${i} changes the password`)
  }
  // A used link is a miss again: still refused while the limit holds.
  t.equal((await visitor.get(`/mot-de-passe/nouveau?jeton=${tokens[0]}`)).statusCode, 429)
  t.equal((await visitor.post('/mot-de-passe/nouveau', { jeton: 'faux', password: 'Nouveau-1234-abcd', confirmation: 'Nouveau-1234-abcd' })).statusCode, 429)
})

t.test('invitation links: bad links and HEADs from the school, then a valid link still works from it', async (t) => {
  const server = await build(t, { rateLimit: { max: 10, windowMs: 15 * 60_000 } })
  const token = await invitationLink(server, 'nouvelle@example.org')
  const visitor = fromSchool(server)
  for (let i = 0; i < 30; i++) await head(visitor, `/invitation?jeton=apercu${i}`)
  const misses: number[] = []
  for (let i = 0; i < 30; i++) misses.push((await visitor.get(`/invitation?jeton=faux${i}`)).statusCode)
  t.same(misses.slice(0, 10), Array(10).fill(410), 'the HEADs counted nothing: 10 misses before the limit')
  t.same(new Set(misses.slice(10)), new Set([429]), 'then misses are refused')

  const invited = fromSchool(server)
  t.equal((await head(invited, `/invitation?jeton=${token}`)).statusCode, 200)
  const page = await invited.get(`/invitation?jeton=${token}`)
  t.equal(page.statusCode, 200, 'the valid link opens')
  const created = await invited.post('/invitation/compte', {
    jeton: token,
    firstName: 'Nina',
    lastName: 'Nouvelle',
    password: 'Secret-1234-abcd',
    confirmation: 'Secret-1234-abcd',
    cgu: 'on',
  })
  t.equal(created.statusCode, 303, 'and creates the account')
  t.equal(
    (
      await visitor.post('/invitation/compte', {
        jeton: 'faux',
        firstName: 'A',
        lastName: 'B',
        password: 'Secret-1234-abcd',
        confirmation: 'Secret-1234-abcd',
        cgu: 'on',
      })
    ).statusCode,
    429,
  )
})
