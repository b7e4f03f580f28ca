import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import fp from 'fastify-plugin'

export const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../views')

/**
 * Eta escapes `<%= %>` by default. Each page picks its layout with `<% layout('/layouts/main') %>`
 * (print pages use /layouts/print; paths start at views/). `t` is available in every template and partial.
 */
export default fp(
  async (app) => {
    const eta = new Eta({ views: viewsDir, cache: app.config.production, functionHeader: 'const t = it.t;' })
    await app.register(fastifyView, { engine: { eta }, templates: viewsDir, production: app.config.production })
  },
  { name: 'view', dependencies: ['config'] },
)
