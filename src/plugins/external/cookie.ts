import fastifyCookie from '@fastify/cookie'
import fp from 'fastify-plugin'
import { cookieNames, type CookieNames } from '../../lib/cookies.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Every cookie's name, prefixed `__Host-` / `__Secure-` when SECURE_COOKIES=true (src/lib/cookies.ts). */
    cookieNames: CookieNames
  }
}

export default fp(
  async (app) => {
    app.decorate('cookieNames', cookieNames(app.config.secureCookies))
    await app.register(fastifyCookie, {
      secret: app.config.cookieSecret,
      // Defaults of every setCookie and clearCookie: a prefixed cookie is only deleted by a
      // Set-Cookie that has Secure (and Path=/ for `__Host-`), so clearing needs them too.
      parseOptions: { path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies },
    })
  },
  { name: 'cookie', dependencies: ['config'] },
)
