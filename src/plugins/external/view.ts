import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import fp from 'fastify-plugin'
import { VIEWS_DIR } from '../../paths.ts'

/**
 * Eta escapes `<%= %>` by default. Each page picks its layout with `<% layout('/layouts/main') %>`
 * (print pages use /layouts/print; paths start at views/). `t` is available in every template and partial.
 */
export default fp(
  async (app) => {
    const eta = new Eta({ views: VIEWS_DIR, cache: app.config.production, functionHeader: 'const t = it.t;' })
    await app.register(fastifyView, { engine: { eta }, templates: VIEWS_DIR, production: app.config.production })
  },
  { name: 'view', dependencies: ['config'] },
)
