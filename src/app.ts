import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from './config.ts'
import { isDatabaseBusy, isDatabaseUnreachable } from './db/database.ts'
import configPlugin from './plugins/external/config.ts'
import dbPlugin from './plugins/external/db.ts'
import viewPlugin from './plugins/external/view.ts'
import formbodyPlugin from './plugins/external/formbody.ts'
import multipartPlugin from './plugins/external/multipart.ts'
import cookiePlugin from './plugins/external/cookie.ts'
import helmetPlugin from './plugins/external/helmet.ts'
import staticPlugin from './plugins/external/static.ts'
import sameOriginPlugin from './plugins/app/same-origin.ts'
import authPlugin from './plugins/app/auth.ts'
import csrfPlugin from './plugins/external/csrf.ts'
import localePlugin from './plugins/app/locale.ts'
import renderPlugin from './plugins/app/render.ts'
import scopePlugin from './plugins/app/scope.ts'
import mailPlugin from './plugins/app/mail.ts'
import convocationsPlugin from './plugins/app/convocations.ts'
import triesPlugin from './plugins/app/tries.ts'
import oidcPlugin from './plugins/app/oidc.ts'
import routes from './routes/index.ts'

const errorPages: Record<number, string> = { 400: 'error.400', 403: 'error.403', 404: 'error.404', 413: 'error.413', 429: 'error.429', 503: 'error.503' }

/** The application, as a plugin: dependencies, then our own plugins, then the routes. */
async function app(fastify: FastifyInstance, opts: { config: Config }) {
  await fastify.register(configPlugin, { config: opts.config })
  await fastify.register(dbPlugin)
  await fastify.register(viewPlugin)
  await fastify.register(formbodyPlugin)
  await fastify.register(multipartPlugin)
  await fastify.register(cookiePlugin)
  await fastify.register(helmetPlugin)
  await fastify.register(staticPlugin)
  // First of our own: a POST from another site is refused before anything else runs.
  await fastify.register(sameOriginPlugin)
  // The page's language before auth: the guard's own answers (403 for a route of the operators or
  // of the administrators) are pages in that language too.
  await fastify.register(localePlugin)
  // auth reads the session cookie in onRequest; csrf needs it to bind tokens to the login session.
  await fastify.register(authPlugin)
  await fastify.register(csrfPlugin)
  await fastify.register(renderPlugin)
  await fastify.register(scopePlugin)
  await fastify.register(mailPlugin)
  await fastify.register(convocationsPlugin)
  await fastify.register(triesPlugin)
  await fastify.register(oidcPlugin)
  fastify.setNotFoundHandler((request, reply) => reply.page('errors/error', { title: 'error.404', status: 404 }, 404))

  // French pages for every error, never a stack trace; 500s are logged.
  fastify.setErrorHandler(async (error: FastifyError, request, reply) => {
    let status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
    if (error.code?.startsWith('FST_CSRF')) status = 403
    // Another process (an admin's sqlite3 shell, a CLI command) holds the write lock: nothing was
    // written; the person retries in a moment. Not a bug of ours, so not logged as one.
    if (isDatabaseBusy(error)) {
      status = 503
      reply.header('Retry-After', '5')
      request.log.warn({ method: request.method, url: request.url }, 'Database busy: write refused')
    } else if (isDatabaseUnreachable(error)) {
      // PostgreSQL down or restarting: the same "réessayez dans un instant", logged as an error.
      status = 503
      reply.header('Retry-After', '5')
      request.log.error({ err: error }, 'Database unreachable')
    } else if (status >= 500) request.log.error({ err: error }, 'Unhandled error')
    else request.log.info({ code: error.code, status }, error.message)
    const title = errorPages[status] ?? (status >= 500 ? 'error.500' : 'error.400')
    try {
      return await reply.page('errors/error', { title, status }, status)
    } catch (renderError) {
      request.log.error({ err: renderError }, 'Error page failed to render')
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="fr"><title>Erreur</title><h1>Une erreur est survenue (${status})</h1><p><a href="/">Revenir à l’accueil</a></p></html>`,
        )
    }
  })

  // Last: routes inherit the error and not-found handlers set above.
  await fastify.register(routes)
}

// Not encapsulated: the server (and tests) see the decorators (db, config).
export default fp(app, { name: 'certisalle' })
