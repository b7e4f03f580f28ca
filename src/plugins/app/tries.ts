import fp from 'fastify-plugin'
import { type Attempt, MemoryTryStore, TryLimiter } from '../../lib/tries.ts'
import { RedisTryStore } from '../../lib/tries-redis.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The failed-tries counters (src/lib/tries.ts): in Redis with REDIS_URL (every instance), else in this process's memory. */
    tries: TryLimiter
  }
  interface FastifyRequest {
    /** Set by a limitTries preHandler: the route says how the attempt ended (src/plugins/app/limits.ts). */
    tries: Attempt | null
  }
}

/**
 * The counters' store and the hook that gives back an attempt's places when its request ends
 * without the route saying failed or succeeded (a form error, an unexpected error).
 */
export default fp(
  async (app) => {
    if (app.config.redisUrl) {
      // Loaded only with REDIS_URL: a single instance never holds the client (see loadPg in src/db/database.ts).
      const { Redis } = await import('ioredis')
      // A Redis that does not answer fails the request (503) quickly rather than queueing it.
      const redis = new Redis(app.config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 5000, lazyConnect: true })
      redis.on('error', (error) => app.log.warn({ err: error }, 'Redis unreachable'))
      await redis.connect()
      app.addHook('onClose', async () => {
        await redis.quit().catch(() => redis.disconnect())
      })
      app.decorate('tries', new TryLimiter(new RedisTryStore(redis)))
    } else {
      app.decorate('tries', new TryLimiter(new MemoryTryStore()))
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
