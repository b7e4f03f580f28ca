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
  constructor(redis: Redis, prefix = 'certisalle:tries:') {
    this.redis = redis
    this.prefix = prefix
  }

  async update(key: string, change: (state: TryState | undefined) => TryState | undefined, _now: number, keepMs: number) {
    const redisKey = this.prefix + key
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const raw = (await this.redis.get(redisKey)) ?? ''
      const after = change(raw ? parse(raw) : undefined)
      const written = await this.redis.eval(COMPARE_AND_SET, 1, redisKey, raw, after ? JSON.stringify(after) : '', String(Math.max(1, Math.ceil(keepMs))))
      if (written === 1) return after
    }
    throw new Error(`Tries store: key ${key} kept changing`)
  }
}

function parse(raw: string): TryState | undefined {
  try {
    const value = JSON.parse(raw) as TryState
    return typeof value.failures === 'number' ? value : undefined
  } catch {
    return undefined
  }
}
