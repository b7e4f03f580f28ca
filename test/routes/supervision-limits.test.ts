import t, { type Test } from 'tap'
import { createSession } from '../factories.ts'
import { build, Client, createMember } from '../helper.ts'

/*
 * Issue 23, item 2: anyone who knows a session number (every candidate does) must not keep its
 * invigilators out. Misses get growing delays per session number and per IP, at most 10 s: the
 * right password opens the Espace surveillant within seconds whatever others tried, and guessing
 * stays at one try per 10 s per session number, whatever the number of IPs (docs/features.md §
 * Espace surveillant). The test's clock moves by hand: no waiting.
 */
type Server = Awaited<ReturnType<typeof build>>

async function setup(t: Parameters<typeof build>[0]) {
  // The default sizes: 10 × 3 = 30 misses per session number, 10 × 5 = 50 per IP.
  const server = await build(t, { rateLimit: { max: 10, windowMs: 15 * 60_000 } })
  let now = 1_700_000_000_000
  server.tries.now = () => now
  const { centreId } = await createMember(server)
  const session = await createSession(server.db, centreId, { invigilator_password: 'K7QB2M' })
  const other = await createSession(server.db, centreId, { invigilator_password: 'QX7M4P' })
  return { server, session, other, advance: (ms: number) => (now += ms) }
}

function clientFrom(server: Server, ip: string) {
  const client = new Client(server)
  const request = client.request.bind(client)
  client.request = (options) => request({ ...options, remoteAddress: ip })
  return client
}

async function login(server: Server, ip: string, sessionNumber: number, password: string) {
  const client = clientFrom(server, ip)
  await client.get('/surveillance')
  return client.post('/surveillance', { sessionNumber: String(sessionNumber), password })
}

/** A bot that tries again as soon as it is allowed to, and at least every 10 s, `count` times; how many of its tries were judged. */
async function hammer(server: Server, advance: (ms: number) => void, count: number, sessionNumber: number, ipOf: (i: number) => string) {
  let judged = 0
  for (let i = 0; i < count; i++) {
    const response = await login(server, ipOf(i), sessionNumber, 'C-BBBBBB')
    if (response.statusCode === 400) judged += 1
    else if (response.statusCode === 429) advance(Math.min(Number(response.headers['retry-after']), 10) * 1000)
    else throw new Error(`unexpected ${response.statusCode}`)
  }
  return judged
}

/** The invigilator: refused at most once, told to wait a few seconds, then in. */
async function invigilatorGetsIn(t: Test, server: Server, advance: (ms: number) => void, ip: string, sessionNumber: number, password: string) {
  let response = await login(server, ip, sessionNumber, password)
  if (response.statusCode === 429) {
    const wait = Number(response.headers['retry-after'])
    t.ok(wait >= 1 && wait <= 10, `told to wait ${wait} s: seconds, not minutes`)
    t.ok(response.body.includes(`Patientez ${wait} s, puis réessayez`), 'the login page says so')
    advance(wait * 1000)
    response = await login(server, ip, sessionNumber, password)
  }
  t.equal(response.statusCode, 303, 'the right password opens the Espace surveillant')
  t.match(response.headers.location, `/sessions/${sessionNumber}/surveillance`)
}

t.test('a candidate on the school’s IP tries 300 passwords: every invigilator of the school still gets in within seconds', async (t) => {
  const { server, session, other, advance } = await setup(t)
  const SCHOOL_IP = '192.0.2.40'
  await hammer(server, advance, 300, session.id, () => SCHOOL_IP)
  await invigilatorGetsIn(t, server, advance, SCHOOL_IP, session.id, 'C-K7QB2M')
  await hammer(server, advance, 50, session.id, () => SCHOOL_IP)
  await invigilatorGetsIn(t, server, advance, SCHOOL_IP, other.id, 'c-qx7m4p')
  await invigilatorGetsIn(t, server, advance, '198.51.100.7', session.id, 'K7QB2M')
})

t.test('from many IPs, one session number: the right password within seconds, guesses at one per 10 s', async (t) => {
  const { server, session, advance } = await setup(t)
  const start = server.tries.now()
  const judged = await hammer(server, advance, 800, session.id, (i) => `10.23.${Math.floor(i / 250)}.${i % 250}`)
  const seconds = (server.tries.now() - start) / 1000
  // 30 free misses, then 1 + 2 + 4 + 8 s, then one per 10 s.
  t.ok(judged <= 30 + 4 + Math.ceil(seconds / 10), `${judged} passwords judged in ${seconds} s`)
  t.ok(judged < 500, 'most tries were refused unjudged')
  await invigilatorGetsIn(t, server, advance, '192.0.2.41', session.id, 'C-K7QB2M')
})
