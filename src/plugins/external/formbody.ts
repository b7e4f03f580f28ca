import fastifyFormbody from '@fastify/formbody'
import fp from 'fastify-plugin'

export default fp(
  async (app) => {
    // Forms are small; a large urlencoded body is an attack, not a form.
    await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 })
  },
  { name: 'formbody' },
)
