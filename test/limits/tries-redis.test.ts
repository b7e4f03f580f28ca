import { Redis } from 'ioredis'
import t from 'tap'
import type { Teardown } from '../helper.ts'
import { type Counter, keepFor, MemoryTryStore, type Rule, TryLimiter, type TryStore } from '../../src/lib/tries.ts'
import { FallbackTryStore, RedisTryStore } from '../../src/lib/tries-redis.ts'
import { startRedis } from '../lib/redis.ts'

/** Clients of a throw-away redis-server (test/lib/redis.ts: on a port the system gave as free). */
async function startRedisClients(t: Teardown) {
  const url = await startRedis(t)
  const clients: Redis[] = []
  const connect = async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
    redis.on('error', () => {})
    await redis.connect()
    clients.push(redis)
    return redis
  }
  t.teardown(() => clients.forEach((c) => c.disconnect()))
  return { connect }
}

const rule: Rule = { max: 3, windowMs: 60_000 }
const backoff: Rule = { max: 3, windowMs: 15 * 60_000, backoff: { baseMs: 1000, capMs: 5 * 60_000 } }
const counter = (key: string, r: Rule, resetOnSuccess = false): Counter => ({ name: 'c', key, rule: r, resetOnSuccess })

t.test('two app instances share their counters through Redis', async (t) => {
  const { connect } = await startRedisClients(t)
  let now = 1_700_000_000_000
  const instances = [new TryLimiter(new RedisTryStore(await connect())), new TryLimiter(new RedisTryStore(await connect()))]
  for (const l of instances) l.now = () => now

  const results = []
  for (let i = 0; i < 5; i++) {
    const admission = await instances[i % 2]!.begin([counter('account:a', backoff, true)])
    if (admission.admitted) await admission.attempt.fail()
    results.push(admission.admitted ? 'failed' : admission.retryAfterMs)
  }
  t.same(results, ['failed', 'failed', 'failed', 1000, 1000], 'failures on either instance count for both')
  now += 1000
  const owner = await instances[1]!.begin([counter('account:a', backoff, true)])
  t.ok(owner.admitted)
  if (owner.admitted) await owner.attempt.succeed()
  t.ok((await instances[0]!.begin([counter('account:a', backoff, true)])).admitted, 'the success cleared it for both')

  // A parallel burst on both instances: compare-and-set keeps the places exact.
  const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => instances[i % 2]!.begin([counter('ip:x', rule)])))
  t.equal(burst.filter((a) => a.admitted).length, 3)
  for (const a of burst) if (a.admitted) await a.attempt.fail()
  t.notOk((await instances[1]!.begin([counter('ip:x', rule)])).admitted)

  // Redis forgets each key by itself once its state means nothing.
  const redis = await connect()
  const ttl = await redis.pttl('certisalle:tries:ip:x')
  t.ok(ttl > 0 && ttl <= keepFor(rule), `expires (${ttl} ms)`)
})

t.test('FallbackTryStore: a failing store hands over to memory, reports the outage once and the recovery once', async (t) => {
  let up = true
  const primary = new MemoryTryStore()
  const flaky: TryStore = {
    update: (key, change, now) => (up ? primary.update(key, change, now) : Promise.reject(new Error('ECONNREFUSED'))),
  }
  const events: string[] = []
  const store = new FallbackTryStore(
    flaky,
    new MemoryTryStore(),
    async () => {
      if (!up) throw new Error('ECONNREFUSED')
    },
    { degraded: () => events.push('degraded'), recovered: () => events.push('recovered') },
  )
  const l = new TryLimiter(store)
  const c = counter('account:b', rule)
  const fail = async () => {
    const a = await l.begin([c])
    if (a.admitted) await a.attempt.fail()
    return a.admitted
  }
  t.ok(await fail())
  up = false
  t.same([await fail(), await fail(), await fail(), await fail()], [true, true, true, false], 'counted in memory meanwhile: 3, then refused')
  t.ok(store.degraded)
  t.same(events, ['degraded'])
  up = true
  t.ok(await store.check())
  t.notOk(store.degraded)
  t.same(events, ['degraded', 'recovered'])
  t.same([await fail(), await fail(), await fail()], [true, true, false], 'back in the first store, which kept its own count')
})

t.test('a burst on one key from one process: every update lands, none gives up (a school IP at the morning rush)', async (t) => {
  const { connect } = await startRedisClients(t)
  const store = new RedisTryStore(await connect())
  const other = new RedisTryStore(await connect())
  const add = (s: TryStore) =>
    s.update('join:ip:10.0.0.1', (state) => ({ failures: (state?.failures ?? 0) + 1, since: 0, blockedUntil: 0, pending: 0, pendingUntil: 0 }), 0, 60_000)
  // 400 updates at once from this process and 100 from another instance: compare-and-set alone gave up
  // ("kept changing") under such a burst; one process now takes its own updates of a key in turn.
  const results = await Promise.allSettled([...Array.from({ length: 400 }, () => add(store)), ...Array.from({ length: 100 }, () => add(other))])
  t.same(
    results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
    [],
    'no update refused',
  )
  const final = await store.update('join:ip:10.0.0.1', (state) => state, 0, 60_000)
  t.equal(final?.failures, 500, 'each of the 500 counted once')
})
