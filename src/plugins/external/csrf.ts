import fastifyCsrfProtection from '@fastify/csrf-protection'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

function tokenFromBody(request: FastifyRequest): string | undefined {
  const value = (request.body as Record<string, unknown> | undefined)?._csrf
  if (typeof value === 'string') return value
  // multipart field parsed by @fastify/multipart (attachFieldsToBody)
  if (value && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') return (value as { value: string }).value
  return undefined
}

/** Tokens are bound to the login session (or the invigilator access): a token from another user's page is refused. */
export function csrfUserInfo(request: FastifyRequest): string {
  return request.webSession?.id ?? request.invigilatorAccess?.id ?? 'anonymous'
}

/**
 * Every POST carries the token of a hidden `_csrf` field. The token is bound to the login
 * session (userInfo), so a token taken from another user's page is refused.
 */
export default fp(
  async (app) => {
    await app.register(fastifyCsrfProtection, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: app.cookieNames.csrf,
      cookieOpts: { httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies, path: '/', signed: true },
      csrfOpts: { hmacKey: app.config.cookieSecret, userInfo: true },
      getUserInfo: csrfUserInfo,
      getToken: tokenFromBody,
    })
    // preHandler, not onRequest: the form body is parsed by then.
    app.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done()
      app.csrfProtection(request, reply, done)
    })
  },
  { name: 'csrf', dependencies: ['cookie', 'config'] },
)
