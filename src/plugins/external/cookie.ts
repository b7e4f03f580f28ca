import fastifyCookie, { Signer, type UnsignResult } from '@fastify/cookie'
import fp from 'fastify-plugin'
import { cookieNames, type CookieNames } from '../../lib/cookies.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Every cookie's name, prefixed `__Host-` / `__Secure-` when SECURE_COOKIES=true (src/lib/cookies.ts). */
    cookieNames: CookieNames
  }
}

/**
 * How many signed values each of `rememberingSigner`'s two tables keeps, the least recently used
 * going first: at 2,000 rooms about 60,000 cookies come back within a minute. A full table is a
 * few tens of MB; an idle server's is empty.
 */
export const SIGNER_MEMORY = 50_000

/**
 * @fastify/cookie's signer (HMAC-SHA-256), remembering what it computed: at the exam-day peak
 * every invigilator's list every 5 s and every waiting candidate's retry every 10 s come back with
 * the same signed cookies (access, CSRF secret, waiting), and computing their HMAC again took
 * about 4 % of the server at that peak. A value is signed as before the first time, and a signed
 * value is checked as before the first time; only a value found valid is remembered, so nothing a
 * client invents ever enters the table. Both tables are bounded.
 */
export function rememberingSigner(secret: string, size = SIGNER_MEMORY): { sign(value: string): string; unsign(input: string): UnsignResult } {
  const signer = new Signer(secret, 'sha256')
  const signed = new Map<string, string>()
  const checked = new Map<string, UnsignResult>()
  const remember = <V>(table: Map<string, V>, key: string, value: V) => {
    if (table.size >= size) table.delete(table.keys().next().value!)
    table.set(key, value)
  }
  /** The remembered value, now the most recently used. */
  const recall = <V>(table: Map<string, V>, key: string): V | undefined => {
    const value = table.get(key)
    if (value !== undefined) {
      table.delete(key)
      table.set(key, value)
    }
    return value
  }
  return {
    sign(value) {
      let result = recall(signed, value)
      if (result === undefined) remember(signed, value, (result = signer.sign(value)))
      return result
    },
    unsign(input) {
      const known = recall(checked, input)
      if (known) return { ...known }
      const result = signer.unsign(input)
      if (result.valid && !result.renew) remember(checked, input, { ...result })
      return result
    },
  }
}

export default fp(
  async (app) => {
    app.decorate('cookieNames', cookieNames(app.config.secureCookies))
    await app.register(fastifyCookie, {
      secret: app.config.cookieSecret ? rememberingSigner(app.config.cookieSecret) : app.config.cookieSecret,
      // Defaults of every setCookie and clearCookie: a prefixed cookie is only deleted by a
      // Set-Cookie that has Secure (and Path=/ for `__Host-`), so clearing needs them too.
      parseOptions: { path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies },
    })
  },
  { name: 'cookie', dependencies: ['config'] },
)
