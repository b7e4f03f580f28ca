import type { ServerResponse } from 'node:http'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

/** No inline script anywhere: scripts live in public/js and only enhance pages that work without them. */
/**
 * `formTargets`: other origins a form may end up at through a redirect (Chromium applies
 * form-action to them too): the OpenID provider's, where logout sends the browser.
 */
export function helmetOptions(secureCookies: boolean, formTargets: string[] = []): Readonly<HelmetOptions> {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'", ...formTargets],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: secureCookies ? [] : null,
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: secureCookies,
  }
}

/**
 * The headers helmet sets for these options, asked of helmet once. Our policy has no per-request
 * part (no nonce: there is no inline script or style at all), so every answer gets the same
 * headers; helmet's middleware throws for an option it refuses, and so does this, at start.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    },
  } as unknown as ServerResponse
  let finished = false
  helmet(options)({} as never, response, (error?: unknown) => {
    if (error) throw error
    finished = true
  })
  if (!finished) throw new Error('helmet did not finish synchronously')
  return headers
}

/**
 * Helmet's headers on every answer (pages, static files, errors). Not @fastify/helmet: it builds
 * helmet's middleware again for each request (parsing the policy every time, about 5 % of a light
 * page's time in the bench's profile) to support per-route options and nonces we do not use.
 */
export default fp(
  async (app) => {
    const oidc = app.config.oidc
    const headers = securityHeaders(helmetOptions(app.config.secureCookies, oidc ? [new URL(oidc.issuer).origin] : []))
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers)
      done()
    })
  },
  { name: 'helmet', dependencies: ['config'] },
)
