import t from 'tap'
import { createCandidate, createSession } from '../factories.ts'
import { build, Client, createMember } from '../helper.ts'

/** The invigilator has confirmed everyone's presence (Espace surveillant): the code gives the number at once. */
const confirmed = { presence_confirmed_at: new Date().toISOString() }

/*
 * Limits on the access code step (docs/security.md), in units of config rateLimit.max misses per
 * window: per person as typed (session + details) max, with growing delays; per session number
 * 20 × max and per IP 30 × max, which never refuse a listed candidate's right code: over them only
 * misses are refused (429, the same page whoever typed them). Only misses count; a refused try
 * counts nowhere. Step 1 checks the form only.
 */
const identity = (sessionNumber: number | string, firstName = 'Julie') => ({
  sessionNumber: String(sessionNumber),
  firstName,
  lastName: 'Dupont',
  birthDay: '13',
  birthMonth: '03',
  birthYear: '1996',
})

async function setup(t: Parameters<typeof build>[0], max: number) {
  const server = await build(t, { rateLimit: { max, windowMs: 15 * 60_000 } })
  let now = 1_700_000_000_000
  server.tries.now = () => now
  const { centreId } = await createMember(server)
  const session = await createSession(server.db, centreId, { access_code: 'GMPB26' })
  return { server, centreId, session, advance: (ms: number) => (now += ms) }
}

/** A client seen from its own IP address (or a room's shared one). */
async function clientFrom(server: Awaited<ReturnType<typeof build>>, ip: string) {
  const client = new Client(server)
  const request = client.request.bind(client)
  client.request = (options) => request({ ...options, remoteAddress: ip })
  await client.get('/rejoindre')
  return client
}

const courses = (server: Awaited<ReturnType<typeof build>>) => server.db.selectFrom('certification_course').selectAll().execute()

t.test('a room of 60 candidates behind one IP all join, though one of them hammers wrong codes', async (t) => {
  const { server, session, advance } = await setup(t, 10)
  const names = Array.from({ length: 60 }, (_, i) => `Candidat${i}`)
  for (const first_name of names) await createCandidate(server.db, session.id, { ...confirmed, first_name, email: null })
  const ROOM_IP = '192.0.2.10'

  // One machine: 300 junk identities at step 1, then 250 wrong codes for its candidate.
  const hammer = await clientFrom(server, ROOM_IP)
  for (let i = 0; i < 300; i++) t.not((await hammer.post('/rejoindre', identity(90_000 + i, `X${i}`))).statusCode, 429)
  await hammer.post('/rejoindre', identity(session.id, names[0]))
  const statuses: number[] = []
  for (let i = 0; i < 250; i++) statuses.push((await hammer.post('/rejoindre/code', { accessCode: `ZZZZ${String(i % 100).padStart(2, '0')}` })).statusCode)
  t.same(statuses.slice(0, 10), Array(10).fill(400), 'its own max misses')
  t.same(new Set(statuses.slice(10)), new Set([429]), 'then it waits')

  // Everybody else, from the same IP, each with one mistake first.
  for (const name of names.slice(1)) {
    const client = await clientFrom(server, ROOM_IP)
    await client.post('/rejoindre', identity(session.id, name))
    t.equal((await client.post('/rejoindre/code', { accessCode: 'GMPB62' })).statusCode, 400)
    await client.post('/rejoindre', identity(session.id, name))
    t.equal((await client.post('/rejoindre/code', { accessCode: 'gmpb26' })).statusCode, 303, `${name} joins`)
  }

  // The hammering candidate is slowed, not locked out: once the delay is over, the right code works.
  const waiting = await hammer.post('/rejoindre/code', { accessCode: 'GMPB26' })
  t.equal(waiting.statusCode, 429)
  const retryAfter = Number(waiting.headers['retry-after'])
  t.ok(retryAfter >= 1 && retryAfter <= 300, `Retry-After ${retryAfter} s, a few minutes at most`)
  advance(retryAfter * 1000)
  t.equal((await hammer.post('/rejoindre/code', { accessCode: 'GMPB26' })).statusCode, 303)
  t.equal((await courses(server)).length, 60)
})

t.test('per person: max misses, then even the right code waits; a refused try counts nowhere', async (t) => {
  const { server, session, advance } = await setup(t, 3)
  await createCandidate(server.db, session.id, confirmed)
  await createCandidate(server.db, session.id, { ...confirmed, first_name: 'Paul', email: null })
  const julie = await clientFrom(server, '10.0.3.1')
  await julie.post('/rejoindre', identity(session.id))
  const statuses: number[] = []
  for (const code of ['AAAA11', 'BBBB22', 'CCCC33', 'GMPB26', 'GMPB26']) statuses.push((await julie.post('/rejoindre/code', { accessCode: code })).statusCode)
  t.same(statuses, [400, 400, 400, 429, 429])
  t.equal((await courses(server)).length, 0)
  // Typed loosely, the same person: the same counter.
  await julie.post('/rejoindre', { ...identity(session.id, ' JULIE '), lastName: 'dupônt' })
  t.equal((await julie.post('/rejoindre/code', { accessCode: 'GMPB26' })).statusCode, 429)

  // Paul, same IP and session: his own tries are untouched by Julie's refused ones.
  const paul = await clientFrom(server, '10.0.3.1')
  await paul.post('/rejoindre', identity(session.id, 'Paul'))
  t.equal((await paul.post('/rejoindre/code', { accessCode: 'GMPB26' })).statusCode, 303)

  const waiting = await julie.post('/rejoindre/code', { accessCode: 'GMPB26' })
  advance(Number(waiting.headers['retry-after']) * 1000)
  t.equal((await julie.post('/rejoindre/code', { accessCode: 'GMPB26' })).statusCode, 303)
  t.equal((await courses(server)).length, 2)
})

t.test('per session number: a room’s worth of misses across IPs and people', async (t) => {
  // max 2: 20 × 2 = 40 misses on one session number, from 40 people on 40 IPs.
  const { server, centreId, session } = await setup(t, 2)
  const statuses: number[] = []
  for (let i = 0; i < 41; i++) {
    const client = await clientFrom(server, `10.0.4.${i + 1}`)
    await client.post('/rejoindre', identity(session.id, `Personne${i}`))
    statuses.push((await client.post('/rejoindre/code', { accessCode: 'XXXX99' })).statusCode)
  }
  t.same(statuses.slice(0, 40), Array(40).fill(400))
  t.equal(statuses[40], 429)
  const other = await createSession(server.db, centreId, { access_code: 'KMPQ34' })
  await createCandidate(server.db, other.id, confirmed)
  const client = await clientFrom(server, '10.0.4.1')
  await client.post('/rejoindre', identity(other.id))
  t.equal((await client.post('/rejoindre/code', { accessCode: 'KMPQ34' })).statusCode, 303, 'another session is not held back')
})

t.test('per IP: a school’s worth of misses, whatever the session number', async (t) => {
  // max 1: 30 misses from one IP.
  const { server, session } = await setup(t, 1)
  await createCandidate(server.db, session.id, confirmed)
  const client = await clientFrom(server, '10.0.5.1')
  const statuses: number[] = []
  for (let i = 0; i < 31; i++) {
    await client.post('/rejoindre', identity(5000 + i))
    statuses.push((await client.post('/rejoindre/code', { accessCode: 'XXXX99' })).statusCode)
  }
  t.same(statuses.slice(0, 30), Array(30).fill(400))
  t.equal(statuses[30], 429)
  await client.post('/rejoindre', identity(6000))
  const blocked = await client.post('/rejoindre/code', { accessCode: 'XXXX99' })
  t.equal(blocked.statusCode, 429)
  t.ok(blocked.body.includes('De nombreux essais ont échoué'))
  t.ok(Number(blocked.headers['retry-after']) > 0)
  // The right code of a listed candidate, from the very same IP: in.
  await client.post('/rejoindre', identity(session.id))
  t.equal((await client.post('/rejoindre/code', { accessCode: 'GMPB26' })).statusCode, 303, 'the IP’s limit never refuses a listed candidate’s right code')
  const elsewhere = await clientFrom(server, '10.0.5.2')
  await elsewhere.post('/rejoindre', identity(session.id))
  t.equal((await elsewhere.post('/rejoindre/code', { accessCode: 'GMPB26' })).statusCode, 303, 'another IP is not held back')
})

t.test('issue 23: 500 misses under invented names from the room’s IP, then all 60 listed candidates get in from that IP', async (t) => {
  // The default sizes: 10 per person, 200 per session number, 300 per IP.
  const { server, session } = await setup(t, 10)
  const names = Array.from({ length: 60 }, (_, i) => `Inscrit${i}`)
  for (const first_name of names) await createCandidate(server.db, session.id, { ...confirmed, first_name, email: null })
  const ROOM_IP = '192.0.2.20'

  // One machine in the room: 500 invented identities, each with a wrong code (some with the right one).
  const attacker = await clientFrom(server, ROOM_IP)
  const statuses: number[] = []
  for (let i = 0; i < 500; i++) {
    await attacker.post('/rejoindre', identity(session.id, `Invente${i}`))
    statuses.push((await attacker.post('/rejoindre/code', { accessCode: i % 50 === 0 ? 'GMPB26' : 'XXXX99' })).statusCode)
  }
  t.same(new Set(statuses.slice(0, 200)), new Set([400]), 'the session number’s 200 misses')
  t.same(new Set(statuses.slice(200)), new Set([429]), 'then invented identities are refused, right code or not')

  // The limits tell nobody who is listed: a listed name with a wrong code gets what an invented one gets.
  const listed = await clientFrom(server, ROOM_IP)
  await listed.post('/rejoindre', identity(session.id, names[0]))
  const listedMiss = await listed.post('/rejoindre/code', { accessCode: 'GMPB62' })
  await attacker.post('/rejoindre', identity(session.id, 'Personne'))
  const inventedMiss = await attacker.post('/rejoindre/code', { accessCode: 'GMPB62' })
  t.same(
    [listedMiss.statusCode, listedMiss.headers['retry-after'], listedMiss.body.includes('De nombreux essais ont échoué')],
    [inventedMiss.statusCode, inventedMiss.headers['retry-after'], inventedMiss.body.includes('De nombreux essais ont échoué')],
  )
  t.equal(listedMiss.statusCode, 429)

  // The real people, from the same IP, some after a typo of their own: every one gets in.
  for (const [i, name] of names.entries()) {
    const client = await clientFrom(server, ROOM_IP)
    if (i % 3 === 0) {
      await client.post('/rejoindre', identity(session.id, name))
      t.equal((await client.post('/rejoindre/code', { accessCode: 'GMPB62' })).statusCode, 429, 'a typo: told to check and try again')
    }
    await client.post('/rejoindre', identity(session.id, name))
    t.equal((await client.post('/rejoindre/code', { accessCode: 'gmpb26' })).statusCode, 303, `${name} joins`)
  }
  t.equal((await courses(server)).length, 60)
})
