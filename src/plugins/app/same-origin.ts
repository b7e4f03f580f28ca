import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface RequestOrigins {
  /** `Sec-Fetch-Site`, sent by every current browser (and never settable by a page). */
  secFetchSite: string | undefined
  /** `Origin`, sent by browsers on every POST ('null' from sandboxed or opaque contexts). */
  origin: string | undefined
  /** The origins this app answers as: the request's own host, and PUBLIC_URL's. */
  allowed: string[]
}

function normalise(origin: string): string | null {
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null
  } catch {
    return null
  }
}

/**
 * Why an unsafe request does not come from this app's own pages, or null when nothing says so.
 * - `Sec-Fetch-Site` decides when present: `same-origin` and `none` (typed, bookmark) pass;
 *   `cross-site`, and `same-site` too — a sibling sub-domain of the school is exactly the login
 *   CSRF attacker — are refused.
 * - Otherwise `Origin`, when present, must be one of the app's origins ('null' never is).
 * - With neither (curl, old browsers) the CSRF token check decides, as before.
 */
export function crossSiteReason(request: RequestOrigins): string | null {
  if (request.secFetchSite !== undefined) {
    return request.secFetchSite === 'same-origin' || request.secFetchSite === 'none' ? null : `Sec-Fetch-Site: ${request.secFetchSite}`
  }
  if (request.origin !== undefined) {
    const origin = normalise(request.origin)
    return origin && request.allowed.includes(origin) ? null : `Origin: ${request.origin}`
  }
  return null
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

/**
 * Every POST (and any other unsafe method) is refused with the French 403 page when the browser
 * says it comes from another site, before anything else runs (login, CSRF token, body parsing).
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      if (SAFE_METHODS.has(request.method)) return
      const publicOrigin = normalise(app.config.publicUrl)
      // The request's own origin: its Host (X-Forwarded-Host/-Proto only with TRUST_PROXY=true,
      // which Fastify applies to request.host and request.protocol); https whenever cookies are Secure.
      const scheme = app.config.secureCookies || request.protocol === 'https' ? 'https' : 'http'
      const own = normalise(`${scheme}://${request.host}`)
      const allowed = [own, publicOrigin].filter((o): o is string => o !== null)
      const reason = crossSiteReason({ secFetchSite: header(request, 'sec-fetch-site'), origin: header(request, 'origin'), allowed })
      if (reason) {
        throw Object.assign(new Error(`Cross-site request refused (${reason})`), { statusCode: 403, code: 'CERTISALLE_CROSS_SITE' })
      }
    })
  },
  { name: 'same-origin', dependencies: ['config'] },
)
