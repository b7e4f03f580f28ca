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
    if (app.config.production) rememberPaths(eta)
    await app.register(fastifyView, { engine: { eta }, templates: VIEWS_DIR, production: app.config.production })
  },
  { name: 'view', dependencies: ['config'] },
)

/**
 * With its cache on, Eta still works out each template's file path anew at every render and
 * include (a JSON cache key, then path joins): a list of 200 rows with a form each does it a
 * thousand times per page. The templates never move while the server runs, so each (including
 * file, template) pair is resolved once. Template names come from our code, never from a request:
 * the map holds at most one entry per include site.
 */
function rememberPaths(eta: Eta) {
  const resolve = eta.resolvePath.bind(eta)
  const resolved = new Map<string, string>()
  eta.resolvePath = (template: string, options?: { filepath?: string }) => {
    const key = `${options?.filepath ?? ''}\0${template}`
    let file = resolved.get(key)
    if (file === undefined) {
      file = resolve(template, options)
      resolved.set(key, file)
    }
    return file
  }
}
