import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'
import { PUBLIC_DIR } from '../../paths.ts'

export default fp(
  async (app) => {
    await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/public/', maxAge: app.config.production ? '1d' : 0, index: false })
  },
  { name: 'static', dependencies: ['config'] },
)
