import fp from 'fastify-plugin'
import { type Attempt, MemoryTryStore, TryLimiter } from '../../lib/tries.ts'
import { FallbackTryStore, RedisTryStore } from '../../lib/tries-redis.ts'

/** What GET /sante says of the counters: in memory (no REDIS_URL), in Redis, or in memory while Redis does not answer. */
export type TriesHealth = 'memory' | 'redis' | 'degraded'

declare module 'fastify' {
  interface FastifyInstance {
    /** The failed-tries counters (src/lib/tries.ts): in Redis with REDIS_URL (every instance), else in this process's memory. */
    tries: TryLimiter
    /** Where the counters are right now (with REDIS_URL, Redis is asked). */
    triesHealth: () => Promise<TriesHealth>
  }
  interface FastifyRequest {
    /** Set by a limitTries preHandler: the route says how the attempt ended (src/plugins/app/limits.ts). */
    tries: Attempt | null
  }
}

/** How long a Redis command may take before the counters fall back to memory. */
export const REDIS_COMMAND_TIMEOUT_MS = 500

/**
 * The counters' store and the hook that gives back an attempt's places when its request ends
 * without the route saying failed or succeeded (a form error, an unexpected error).
 */
export default fp(
  async (app) => {
    if (app.config.redisUrl) {
      // Loaded only with REDIS_URL: a single instance never holds the client (see loadPg in src/db/database.ts).
      const { Redis } = await import('ioredis')
      // A Redis that is down fails a command at once (no offline queue), one that hangs after
      // REDIS_COMMAND_TIMEOUT_MS; the client reconnects by itself meanwhile.
      const redis = new Redis(app.config.redisUrl, {
        lazyConnect: true,
        connectTimeout: 2000,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
      })
      // Every reconnection attempt emits an error: the fallback store logs the outage once instead.
      redis.on('error', () => {})
      const store = new FallbackTryStore(new RedisTryStore(redis), new MemoryTryStore(), () => redis.ping(), {
        degraded: (error) => app.log.error({ err: error }, 'Redis unreachable: failed tries are counted in this process until it answers again'),
        recovered: () => app.log.warn('Redis answers again: failed tries are counted in Redis again'),
      })
      // Redis down at start: the server starts all the same, degraded, and Redis is asked again later.
      await redis.connect().catch(() => store.check())
      app.addHook('onClose', async () => {
        await redis.quit().catch(() => redis.disconnect())
      })
      app.decorate('tries', new TryLimiter(store))
      app.decorate('triesHealth', async (): Promise<TriesHealth> => ((await store.check()) ? 'redis' : 'degraded'))
    } else {
      app.decorate('tries', new TryLimiter(new MemoryTryStore()))
      app.decorate('triesHealth', async (): Promise<TriesHealth> => 'memory')
    }
    app.decorateRequest('tries', null)
    app.addHook('onResponse', async (request) => {
      await request.tries?.release()
    })
    app.addHook('onRequestAbort', async (request) => {
      await request.tries?.release()
    })
  },
  { name: 'tries', dependencies: ['config'] },
)
