import fp from 'fastify-plugin'
import { type Attempt, MemoryTryStore, TryLimiter } from '../../lib/tries.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The failed-tries counters (src/lib/tries.ts), kept in memory for this process. */
    tries: TryLimiter
  }
  interface FastifyRequest {
    /** Set by a limitTries preHandler: the route says how the attempt ended (src/lib/limits.ts). */
    tries: Attempt | null
  }
}

/**
 * The counters' store and the hook that gives back an attempt's places when its request ends
 * without the route saying failed or succeeded (a form error, an unexpected error).
 */
export default fp(
  async (app) => {
    app.decorate('tries', new TryLimiter(new MemoryTryStore()))
    app.decorateRequest('tries', null)
    app.addHook('onResponse', async (request) => {
      await request.tries?.release()
    })
    app.addHook('onRequestAbort', async (request) => {
      await request.tries?.release()
    })
  },
  { name: 'tries' },
)
