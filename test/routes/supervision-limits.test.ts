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

t.test('a bot hammers a session number from home without pause: the invigilator on the school’s IP is judged at once', async (t) => {
  const { server, session, advance } = await setup(t)
  // 200 tries from one IP, the clock frozen: 30 judged, then delays.
  let refused = 0
  for (let i = 0; i < 200; i++) if ((await login(server, '203.0.113.9', session.id, 'C-BBBBBB')).statusCode === 429) refused += 1
  t.ok(refused >= 160, `${refused} of the bot’s tries refused unjudged`)
  const response = await login(server, '192.0.2.40', session.id, 'C-K7QB2M')
  t.equal(response.statusCode, 303, 'the right password opens the Espace surveillant on the first try, no wait')
  // A wrong password from that clean IP is judged too, but answered like a refused try: the same wait.
  const miss = await login(server, '192.0.2.77', session.id, 'C-CCCCCC')
  t.equal(miss.statusCode, 429, 'a miss while the number is slowed gets the wait page')
  t.ok(Number(miss.headers['retry-after']) <= 10, 'a few seconds')
  t.ok(miss.body.includes('Patientez'), 'the login page says how long')
  // That IP has now missed on this number: its next try waits with everyone else's.
  t.equal((await login(server, '192.0.2.77', session.id, 'C-K7QB2M')).statusCode, 429, 'an IP that missed is slowed again')
  advance(10_000)
  t.equal((await login(server, '192.0.2.77', session.id, 'C-K7QB2M')).statusCode, 303, 'and gets in within seconds')
})

t.test('a bot on the school’s IP tries session numbers without pause: the invigilators of the school’s other sessions get in at once', async (t) => {
  const { server, session, other } = await setup(t)
  const SCHOOL_IP = '192.0.2.40'
  // 40 misses on each of four numbers (its own session's and three others'): over the IP's 50.
  let judged = 0
  for (const number of [session.id, 99_901, 99_902, 99_903])
    for (let i = 0; i < 40; i++) if ((await login(server, SCHOOL_IP, number, 'C-BBBBBB')).statusCode === 400) judged += 1
  t.ok(judged >= 50, `${judged} misses judged from the school's IP`)
  t.equal((await login(server, SCHOOL_IP, session.id, 'C-BBBBBB')).statusCode, 429, 'the bot is slowed on its number')
  t.equal((await login(server, SCHOOL_IP, other.id, 'C-QX7M4P')).statusCode, 303, 'another session’s invigilator on the same IP: in at once')
})

t.test('from many IPs, one session number: an IP that missed waits; one that did not is judged; guesses at one per 10 s', async (t) => {
  const { server, session, advance } = await setup(t)
  const ip = (i: number) => `10.23.${Math.floor(i / 250)}.${i % 250}`
  for (let i = 0; i < 300; i++) await login(server, ip(i), session.id, 'C-BBBBBB')
  t.equal((await login(server, ip(7), session.id, 'C-K7QB2M')).statusCode, 429, 'an IP that missed on the number waits, even with the right password')
  t.equal((await login(server, '192.0.2.41', session.id, 'C-K7QB2M')).statusCode, 303, 'an IP that never missed is judged at once')
  // Over time, the IPs that missed: one judged try per 10 s on the number (the unit test in
  // test/limits/tries.test.ts counts the one first try per new IP).
  const start = server.tries.now()
  const judged = await hammer(server, advance, 300, session.id, ip)
  const seconds = (server.tries.now() - start) / 1000
  t.ok(judged <= 2 + Math.ceil(seconds / 10), `${judged} passwords judged in ${seconds} s`)
  t.ok(judged < 200, 'most tries were refused unjudged')
  await invigilatorGetsIn(t, server, advance, ip(8), session.id, 'C-K7QB2M')
})
