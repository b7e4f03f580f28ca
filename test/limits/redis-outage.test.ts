import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import t from 'tap'
import { createCandidate, createSession } from '../factories.ts'
import { build, Client, createMember, PASSWORD, stopTriesClock } from '../helper.ts'
import { controlledRedis } from '../lib/redis.ts'

/*
 * Issue 23, item 3: with REDIS_URL, a Redis outage turned every login, join and invigilator login
 * into a 500 while /sante answered "ok". Now the counters fall back to this process's memory
 * (logged once, and once again on recovery), /sante says "tries": "degraded", and no request fails.
 */
t.test('Redis stopped, frozen, started again: no request fails, /sante tells, the log says it once each way', async (t) => {
  const redis = await controlledRedis(t)
  const server = await build(t, { rateLimit: { max: 3, windowMs: 15 * 60_000 }, redisUrl: redis.url })
  stopTriesClock(server)
  const logged: string[] = []
  for (const level of ['error', 'warn'] as const) {
    const original = server.log[level].bind(server.log)
    server.log[level] = ((...args: unknown[]) => {
      logged.push(`${level}: ${args.filter((a) => typeof a === 'string').join(' ')}`)
      return original(...(args as [string]))
    }) as typeof server.log.error
  }
  const { email, centreId } = await createMember(server, { email: 'panne@example.org' })
  const session = await createSession(server.db, centreId, { access_code: 'GMPB26', invigilator_password: 'K7QB2M' })
  await createCandidate(server.db, session.id, { presence_confirmed_at: new Date().toISOString() })
  const health = async () => (await server.inject('/sante')).json() as { status: string; tries: string }

  const login = async (password: string, as = email) => {
    const client = new Client(server)
    await client.get('/connexion')
    return (await client.post('/connexion', { email: as, password })).statusCode
  }
  const join = async (accessCode: string) => {
    const client = new Client(server)
    await client.get('/rejoindre')
    await client.post('/rejoindre', {
      sessionNumber: String(session.id),
      firstName: 'Julie',
      lastName: 'Dupont',
      birthDay: '13',
      birthMonth: '03',
      birthYear: '1996',
    })
    return (await client.post('/rejoindre/code', { accessCode })).statusCode
  }
  const supervise = async (password: string) => {
    const client = new Client(server)
    await client.get('/surveillance')
    return (await client.post('/surveillance', { sessionNumber: String(session.id), password })).statusCode
  }

  t.same(await health(), { status: 'ok', database: server.dbKind, tries: 'redis' })
  t.equal(await login('wrong-password-123'), 401)
  const direct = new Redis(redis.url, { lazyConnect: true })
  await direct.connect()
  t.ok((await direct.keys('certisalle:tries:login:*')).length > 0, 'counted in Redis')
  direct.disconnect()

  // Redis goes down: every form answers as usual, from this process's counters.
  await redis.stop()
  t.same([await login('wrong-password-123'), await login('wrong-password-123'), await login(PASSWORD)], [401, 401, 303], 'logins')
  t.same([await join('XXXX99'), await join('GMPB26')], [400, 303], 'the candidate page')
  t.same([await supervise('C-BBBBBB'), await supervise('C-K7QB2M')], [400, 303], 'the Espace surveillant')
  const degraded = await server.inject('/sante')
  t.equal(degraded.statusCode, 200, 'the server serves')
  t.same(degraded.json(), { status: 'ok', database: server.dbKind, tries: 'degraded' })
  // The limits still hold, in memory: 3 misses, then the account waits.
  t.same(
    [await login('wrong-password-123'), await login('wrong-password-123'), await login('wrong-password-123'), await login('wrong-password-123')],
    [401, 401, 401, 429],
  )
  t.same(
    logged.filter((l) => l.includes('Redis')),
    ['error: Redis unreachable: failed tries are counted in this process until it answers again'],
    'the outage is logged once',
  )

  // Redis is back (empty): the client reconnects by itself; /sante, asked like a monitor would, says so.
  await redis.start()
  let tries = 'degraded'
  for (let i = 0; i < 100 && tries !== 'redis'; i++) {
    if (i > 0) await sleep(100)
    tries = (await health()).tries
  }
  t.equal(tries, 'redis', 'back to Redis')
  t.equal(await login(PASSWORD), 303)
  t.equal(await supervise('C-BBBBBB'), 400)
  const again = new Redis(redis.url, { lazyConnect: true })
  await again.connect()
  t.ok((await again.keys('certisalle:tries:supervise:*')).length > 0, 'counted in Redis again')
  again.disconnect()
  t.same(
    logged.filter((l) => l.includes('Redis')),
    [
      'error: Redis unreachable: failed tries are counted in this process until it answers again',
      'warn: Redis answers again: failed tries are counted in Redis again',
    ],
    'the recovery is logged once',
  )

  // A Redis that accepts connections and never answers: the command timeout, then memory.
  // (Another account: this process still remembers the first one's misses of the outage.)
  const other = await createMember(server, { email: 'gel@example.org' })
  redis.freeze()
  t.same(
    [await login('wrong-password-123', other.email), await login(PASSWORD, other.email), await supervise('C-K7QB2M'), await join('GMPB26')],
    [401, 303, 303, 303],
    'a frozen Redis costs no request',
  )
  t.equal((await health()).tries, 'degraded')
  redis.thaw()
})

t.test('Redis down when the server starts: it starts degraded, serves, and uses Redis once it answers', async (t) => {
  const redis = await controlledRedis(t)
  await redis.stop()
  const server = await build(t, { rateLimit: { max: 3, windowMs: 15 * 60_000 }, redisUrl: redis.url })
  const { email } = await createMember(server)
  const client = new Client(server)
  await client.get('/connexion')
  t.equal((await client.post('/connexion', { email, password: 'wrong-password-123' })).statusCode, 401)
  t.equal(((await server.inject('/sante')).json() as { tries: string }).tries, 'degraded')
  await redis.start()
  let tries = 'degraded'
  for (let i = 0; i < 100 && tries !== 'redis'; i++) {
    if (i > 0) await sleep(100)
    tries = ((await server.inject('/sante')).json() as { tries: string }).tries
  }
  t.equal(tries, 'redis', 'the client kept trying to connect')
})
