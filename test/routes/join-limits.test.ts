import t from 'tap'
import { createCandidate, createSession } from '../factories.ts'
import { build, Client, createMember } from '../helper.ts'

/*
 * Limits (config rateLimit.max = 1 unless told): per IP and per session number, a room's worth of tries
 * (20 × max, as a whole exam room shares one IP and one session number); per identified
 * candidate, max tries of the access code.
 */
const identity = (sessionNumber: string) => ({ sessionNumber, firstName: 'Julie', lastName: 'Dupont', birthDay: '13', birthMonth: '03', birthYear: '1996' })

async function setup(t: Parameters<typeof build>[0], max: number) {
  const server = await build(t, { rateLimit: { max, windowMs: 60_000 } })
  const { centreId } = await createMember(server)
  const session = await createSession(server.db, centreId, { access_code: 'GMPB26' })
  await createCandidate(server.db, session.id)
  return { server, session }
}

/** A client seen from its own IP address. */
function clientFrom(server: Awaited<ReturnType<typeof build>>, ip: string) {
  const client = new Client(server)
  const request = client.request.bind(client)
  client.request = (options) => request({ ...options, remoteAddress: ip })
  return client
}

t.test('step 1 is limited per IP, whatever the session number', async (t) => {
  const { server } = await setup(t, 1)
  const client = clientFrom(server, '10.0.0.1')
  await client.get('/rejoindre')
  const statuses: number[] = []
  for (let i = 0; i < 21; i++) statuses.push((await client.post('/rejoindre', identity(String(5000 + i)))).statusCode)
  t.same(statuses.slice(0, 20), Array(20).fill(400), 'a room’s worth of tries')
  t.equal(statuses[20], 429)
  const blocked = await client.post('/rejoindre', identity('1'))
  t.ok(blocked.body.includes('Trop de tentatives'))
  const elsewhere = clientFrom(server, '10.0.0.2')
  await elsewhere.get('/rejoindre')
  t.equal((await elsewhere.post('/rejoindre', identity('9999'))).statusCode, 400, 'another IP is not blocked')
})

t.test('step 1 is limited per session number, whatever the IP, above what one IP may try', async (t) => {
  const { server, session } = await setup(t, 1)
  const single = clientFrom(server, '10.0.9.9')
  await single.get('/rejoindre')
  for (let i = 0; i < 21; i++) await single.post('/rejoindre', identity(String(session.id)))
  const room = clientFrom(server, '10.0.9.10')
  await room.get('/rejoindre')
  t.equal((await room.post('/rejoindre', identity(String(session.id)))).statusCode, 200, 'one machine blocked itself, not the room')
  // 100 × max per session number: more than one IP may try (20 × max), so one machine cannot lock
  // a room out of its session. 21 tries were counted above (the 21st of that machine stopped at its IP limit).
  const statuses: number[] = []
  for (let i = 0; i < 80; i++) {
    const client = clientFrom(server, `10.0.1.${i + 1}`)
    await client.get('/rejoindre')
    // Leading zeros do not make another counter.
    statuses.push((await client.post('/rejoindre', { ...identity(`${'0'.repeat(i % 3)}${session.id}`), birthYear: '1990' })).statusCode)
  }
  t.same(statuses.slice(0, 79), Array(79).fill(400))
  t.equal(statuses[79], 429)
  const otherNumber = clientFrom(server, '10.0.2.1')
  await otherNumber.get('/rejoindre')
  t.equal((await otherNumber.post('/rejoindre', identity('424242'))).statusCode, 400, 'another session number is not blocked')
})

t.test('access code: an identified candidate gets `max` tries, then waits, even with the right code', async (t) => {
  const { server, session } = await setup(t, 3)
  const client = clientFrom(server, '10.0.3.1')
  await client.get('/rejoindre')
  t.equal((await client.post('/rejoindre', identity(String(session.id)))).statusCode, 200)
  const statuses: number[] = []
  for (const code of ['AAAA11', 'BBBB22', 'CCCC33', 'GMPB26']) statuses.push((await client.post('/rejoindre/code', { accessCode: code })).statusCode)
  t.same(statuses, [400, 400, 400, 429])
  t.equal((await server.db.selectFrom('certification_course').selectAll().execute()).length, 0)
})

t.test('access code: limited per session across candidates and IPs', async (t) => {
  // max 2: each candidate may try twice; 21 candidates from 21 IPs make 42 tries, the 41st is refused.
  const { server, session } = await setup(t, 2)
  for (let i = 0; i < 20; i++) await createCandidate(server.db, session.id, { first_name: `Prénom${i}`, email: null })
  const statuses: number[] = []
  for (let i = 0; i < 21; i++) {
    const client = clientFrom(server, `10.0.4.${i + 1}`)
    await client.get('/rejoindre')
    const firstName = i === 20 ? 'Julie' : `Prénom${i}`
    t.equal((await client.post('/rejoindre', { ...identity(String(session.id)), firstName })).statusCode, 200)
    for (let k = 0; k < 2; k++) statuses.push((await client.post('/rejoindre/code', { accessCode: 'XXXX99' })).statusCode)
  }
  t.same(statuses.slice(0, 40), Array(40).fill(400))
  t.same(statuses.slice(40), [429, 429])
})
