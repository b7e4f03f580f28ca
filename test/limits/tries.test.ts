import t from 'tap'
import { type Counter, counterKey, MemoryTryStore, type Rule, TryLimiter } from '../../src/lib/tries.ts'

const window: Rule = { max: 3, windowMs: 60_000 }
const backoff: Rule = { max: 3, windowMs: 15 * 60_000, backoff: { baseMs: 1000, capMs: 5 * 60_000 } }

/** A limiter on a clock the test moves by hand. */
function limiter(store = new MemoryTryStore()) {
  const limiter = new TryLimiter(store)
  let now = 1_700_000_000_000
  limiter.now = () => now
  return { limiter, store, advance: (ms: number) => (now += ms) }
}

const counter = (name: string, key: string, rule: Rule, resetOnSuccess = false): Counter => ({ name, key: `${name}:${key}`, rule, resetOnSuccess })

/** One try that fails if admitted; the name of the refusing counter otherwise. */
async function failOnce(l: TryLimiter, counters: Counter[]) {
  const admission = await l.begin(counters)
  if (!admission.admitted) return admission.counter
  await admission.attempt.fail()
  return 'failed'
}

t.test('failures only are charged; a refused try charges none of the other counters', async (t) => {
  const { limiter: l } = limiter()
  const ip = counter('ip', '10.0.0.1', { max: 10, windowMs: 60_000 })
  const mine = counter('candidate', 'me', window)
  const results = []
  for (let i = 0; i < 8; i++) results.push(await failOnce(l, [mine, ip]))
  t.same(results, ['failed', 'failed', 'failed', 'candidate', 'candidate', 'candidate', 'candidate', 'candidate'])
  // The IP was charged 3 times, not 8: seven more people behind it may still fail.
  const others = []
  for (let i = 0; i < 8; i++) others.push(await failOnce(l, [counter('candidate', `other${i}`, window), ip]))
  t.same(others, [...Array(7).fill('failed'), 'ip'])

  for (let i = 0; i < 20; i++) {
    const admission = await l.begin([counter('candidate', `ok${i}`, window), counter('ip', '10.0.0.2', window)])
    t.ok(admission.admitted)
    if (admission.admitted) await admission.attempt.succeed()
  }
  t.ok((await l.begin([counter('ip', '10.0.0.2', window)])).admitted, 'successes are never counted')
})

t.test('a fixed window refuses until it ends, with how long to wait; then forgives', async (t) => {
  const { limiter: l, advance } = limiter()
  const c = counter('ip', 'x', window)
  for (let i = 0; i < 3; i++) await failOnce(l, [c])
  advance(20_000)
  const refused = await l.begin([c])
  t.same(refused, { admitted: false, counter: 'ip', retryAfterMs: 40_000 })
  advance(40_000)
  t.equal(await failOnce(l, [c]), 'failed', 'window over')
  t.equal(await failOnce(l, [c]), 'failed')
})

t.test('success clears the specific counter only', async (t) => {
  const { limiter: l } = limiter()
  const account = counter('account', 'a@example.org', backoff, true)
  const ip = counter('ip', 'x', { max: 5, windowMs: 60_000 })
  await failOnce(l, [account, ip])
  await failOnce(l, [account, ip])
  const ok = await l.begin([account, ip])
  t.ok(ok.admitted)
  if (ok.admitted) await ok.attempt.succeed()
  t.equal(await failOnce(l, [account]), 'failed')
  t.equal(await failOnce(l, [account]), 'failed', 'two more failures allowed: the account starts afresh')
  t.equal(await failOnce(l, [ip]), 'failed')
  t.equal(await failOnce(l, [ip]), 'failed')
  t.equal(await failOnce(l, [ip]), 'failed')
  t.equal(await failOnce(l, [ip]), 'ip', 'the IP kept its failures: 2 + 3 make its 5')
})

t.test('backoff: growing delays, capped; the owner is slowed, never locked for the window', async (t) => {
  const { limiter: l, advance } = limiter()
  const account = counter('account', 'a@example.org', backoff, true)
  const waits: number[] = []
  // An attacker fails again each time the delay is over, for an hour.
  for (let elapsed = 0; elapsed < 3600_000;) {
    const admission = await l.begin([account])
    if (admission.admitted) {
      await admission.attempt.fail()
      continue
    }
    waits.push(admission.retryAfterMs)
    advance(admission.retryAfterMs)
    elapsed += admission.retryAfterMs
  }
  t.same(waits.slice(0, 6), [1000, 2000, 4000, 8000, 16000, 32000])
  t.equal(Math.max(...waits), 5 * 60_000, 'never more than the cap')
  // The owner comes in the moment a delay ends, with the right password.
  const owner = await l.begin([account])
  t.ok(owner.admitted)
  if (owner.admitted) await owner.attempt.succeed()
  t.ok((await l.begin([account])).admitted, 'and the failures are cleared')
})

t.test('attempts being decided hold places: a parallel burst cannot pass the limit', async (t) => {
  const { limiter: l } = limiter()
  const c = counter('account', 'a', window)
  const admissions = await Promise.all(Array.from({ length: 50 }, () => l.begin([c])))
  t.equal(admissions.filter((a) => a.admitted).length, 3)
  for (const a of admissions) if (a.admitted) await a.attempt.fail()
  t.notOk((await l.begin([c])).admitted)
  // Released places (a form error) are given back, nothing charged.
  const other = counter('account', 'b', window)
  for (let i = 0; i < 10; i++) {
    const a = await l.begin([other])
    if (a.admitted) await a.attempt.release()
  }
  t.ok((await l.begin([other])).admitted)
})

t.test('flooding the store with junk keys never lifts a lock', async (t) => {
  const { limiter: l, store } = limiter(new MemoryTryStore({ maxKeys: 1000, maxBlocked: 200 }))
  const victim = counter('account', 'victim@example.org', backoff, true)
  const locked = counter('candidate', 'someone', window)
  for (let i = 0; i < 3; i++) {
    await failOnce(l, [victim])
    await failOnce(l, [locked])
  }
  t.equal(await failOnce(l, [victim]), 'account')
  // 10,000 junk keys, one failure each (under their limit), then 150 junk keys locked.
  for (let i = 0; i < 10_000; i++) await failOnce(l, [counter('account', `junk${i}@example.org`, backoff)])
  for (let i = 0; i < 150; i++) for (let k = 0; k < 3; k++) await failOnce(l, [counter('candidate', `junk${i}`, window)])
  t.ok(store.size.counting <= 1000, `bounded (${store.size.counting} keys)`)
  t.ok(store.size.blocked <= 200)
  t.equal(await failOnce(l, [victim]), 'account', 'the account is still held back')
  t.equal(await failOnce(l, [locked]), 'candidate', 'the candidate too')
})

t.test('keys stay short whatever was typed', async (t) => {
  t.equal(counterKey('login', 'a@example.org'), 'login:a@example.org')
  const long = counterKey('login', 'x'.repeat(10_000))
  t.ok(long.length < 100)
  t.not(long, counterKey('login', 'y'.repeat(10_000)))
})

t.test('an afterMiss counter never refuses before the attempt is decided: over it, the attempt goes on and says so', async (t) => {
  const { limiter: l } = limiter()
  const room = { ...counter('room', 'r', window), afterMiss: true }
  for (let i = 0; i < 3; i++) t.equal(await failOnce(l, [counter('person', `p${i}`, window), room]), 'failed')
  const next = await l.begin([counter('person', 'p9', window), room])
  t.ok(next.admitted, 'admitted all the same')
  if (!next.admitted) return
  t.same(next.attempt.over, { counter: 'room', retryAfterMs: 60_000 })
  t.same(
    next.attempt.counters.map((c) => c.name),
    ['person'],
    'the room holds no place: a refused miss costs it nothing',
  )
  await next.attempt.succeed()
  const fresh = await l.begin([counter('person', 'p10', window)])
  t.ok(fresh.admitted && fresh.attempt.over === null)
})

t.test('afterMissWhileClean: a source that never missed is judged over the shared limit; once it missed, it waits like everyone', async (t) => {
  const { limiter: l, advance } = limiter()
  const shared = { ...counter('number', 'n', backoff), afterMissWhileClean: 'source' }
  const tries = (source: string) => [counter('source', source, backoff), shared]
  // 300 sources miss once each, the clock frozen: each first try is judged (a botnet gets one guess per IP).
  const first = []
  for (let i = 0; i < 300; i++) first.push(await failOnce(l, tries(`ip${i}`)))
  t.equal(first.filter((r) => r === 'failed').length, 300, 'every first try judged')
  // Their second tries, still frozen: none judged.
  const again = []
  for (let i = 0; i < 300; i++) again.push(await failOnce(l, tries(`ip${i}`)))
  t.same(new Set(again), new Set(['number']), 'every second try refused by the shared counter, unjudged')
  // Without the option, the shared counter alone decides: the 4th source is already refused.
  const plain = [counter('number', 'm', backoff)]
  const results = []
  for (let i = 0; i < 4; i++) results.push(await failOnce(l, [counter('source', `q${i}`, backoff), ...plain]))
  t.same(results, ['failed', 'failed', 'failed', 'number'])
  // A source with an attempt still being decided is not clean: a parallel burst from one IP gets one judged try.
  const held = await l.begin(tries('burst'))
  t.ok(held.admitted)
  const second = await l.begin(tries('burst'))
  t.notOk(second.admitted, 'the burst’s second try waits')
  if (held.admitted) await held.attempt.release()
  advance(10 * 60_000)
  const later = await l.begin(tries('ip0'))
  t.ok(later.admitted, 'after the delays, a source that missed is judged again')
})
