import fastifyRateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'

/** Off by default; routes that can be guessed at (login, reset, setup, joining) use app.rateLimit(...). */
export default fp(
  async (app) => {
    await app.register(fastifyRateLimit, { global: false })
  },
  { name: 'rate-limit' },
)
