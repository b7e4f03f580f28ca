import type { Redis } from 'ioredis'
import type { TryState, TryStore } from './tries.ts'

/*
 * The counters in Redis, shared by every instance of the app (REDIS_URL, src/plugins/app/tries.ts). Each key holds its state as JSON with an expiry (the state's `keepMs`),
 * so Redis forgets it by itself. Updates are compare-and-set: read, compute, write only if
 * nobody changed the key meanwhile (a small Lua script), else start again.
 *
 * Locks must not be evicted: run this Redis with `maxmemory-policy noeviction` (or enough memory);
 * an evicting policy would let a flood of junk keys lift a lock, which the in-memory store forbids.
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1
`

const MAX_ROUNDS = 20

export class RedisTryStore implements TryStore {
  private readonly redis: Redis
  private readonly prefix: string
  /** The update of each key under way in this process: the next one for the same key waits for it. */
  private readonly queues = new Map<string, Promise<unknown>>()
  constructor(redis: Redis, prefix = 'certisalle:tries:') {
    this.redis = redis
    this.prefix = prefix
  }

  /**
   * Updates of one key are taken one after the other in this process, so that compare-and-set only
   * meets the other instances' writes: a school's IP key is written by every join of the morning,
   * and hundreds of simultaneous rounds on it from one process would each find the key changed by
   * another and give up (measured with `npm run bench -- --exam-day`: 500s on step 2 at 40 rooms).
   */
  update(key: string, change: (state: TryState | undefined) => TryState | undefined, _now: number, keepMs: number): Promise<TryState | undefined> {
    const before = this.queues.get(key)
    const run = before ? before.then(settle, settle).then(() => this.compareAndSet(key, change, keepMs)) : this.compareAndSet(key, change, keepMs)
    this.queues.set(key, run)
    const forget = () => {
      if (this.queues.get(key) === run) this.queues.delete(key)
    }
    run.then(forget, forget)
    return run
  }

  private async compareAndSet(key: string, change: (state: TryState | undefined) => TryState | undefined, keepMs: number) {
    const redisKey = this.prefix + key
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const raw = (await this.redis.get(redisKey)) ?? ''
      const after = change(raw ? parse(raw) : undefined)
      const written = await this.redis.eval(COMPARE_AND_SET, 1, redisKey, raw, after ? JSON.stringify(after) : '', String(Math.max(1, Math.ceil(keepMs))))
      if (written === 1) return after
      // Another instance wrote it meanwhile: wait a little, a random while, so that two instances
      // writing the same key in a burst do not keep meeting in lockstep (the one slightly behind
      // would lose every round).
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (round + 1)))
    }
    throw new Error(`Tries store: key ${key} kept changing`)
  }
}

const settle = () => undefined

function parse(raw: string): TryState | undefined {
  try {
    const value = JSON.parse(raw) as TryState
    return typeof value.failures === 'number' ? value : undefined
  } catch {
    return undefined
  }
}

/** What the fallback reports: the first failure of an outage, and the first success after it. */
export interface FallbackEvents {
  degraded(error: unknown): void
  recovered(): void
}

/**
 * Redis first; when it fails (down, unreachable, too slow: the client's command timeout), the
 * counters of this process instead, so that a Redis outage costs no request. The outage
 * is reported once (`degraded`); meanwhile every update goes straight to memory, and Redis is asked
 * again (`ping`) at most every `probeEveryMs` in the background; its first answer ends the outage
 * (`recovered`, once) and the next updates go to Redis again. The counters of the outage stay in
 * this process: they are not carried over (docs/security.md).
 */
export class FallbackTryStore implements TryStore {
  private readonly primary: TryStore
  private readonly fallback: TryStore
  private readonly ping: () => Promise<unknown>
  private readonly events: FallbackEvents
  private readonly probeEveryMs: number
  private outage = false
  private probing: Promise<boolean> | null = null
  private lastProbe = 0

  constructor(primary: TryStore, fallback: TryStore, ping: () => Promise<unknown>, events: FallbackEvents, probeEveryMs = 1000) {
    this.primary = primary
    this.fallback = fallback
    this.ping = ping
    this.events = events
    this.probeEveryMs = probeEveryMs
  }

  /** True while Redis is not answering (the counters are this process's own). */
  get degraded() {
    return this.outage
  }

  async update(key: string, change: (state: TryState | undefined) => TryState | undefined, now: number, keepMs: number) {
    if (this.outage) {
      if (Date.now() - this.lastProbe >= this.probeEveryMs) void this.check()
      return this.fallback.update(key, change, now, keepMs)
    }
    try {
      return await this.primary.update(key, change, now, keepMs)
    } catch (error) {
      this.fail(error)
      return this.fallback.update(key, change, now, keepMs)
    }
  }

  /** Asks Redis now (one probe at a time); whether it answered. Ends or starts an outage accordingly. */
  check(): Promise<boolean> {
    this.probing ??= (async () => {
      this.lastProbe = Date.now()
      try {
        await this.ping()
        if (this.outage) {
          this.outage = false
          this.events.recovered()
        }
        return true
      } catch (error) {
        this.fail(error)
        return false
      } finally {
        this.probing = null
      }
    })()
    return this.probing
  }

  private fail(error: unknown) {
    this.lastProbe = Date.now()
    if (this.outage) return
    this.outage = true
    this.events.degraded(error)
  }
}
