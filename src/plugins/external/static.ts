import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'

export const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public')

export default fp(
  async (app) => {
    await app.register(fastifyStatic, { root: publicDir, prefix: '/public/', maxAge: app.config.production ? '1d' : 0, index: false })
  },
  { name: 'static', dependencies: ['config'] },
)
