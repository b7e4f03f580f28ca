import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { listUserCentres, type UserCentre } from '../../features/centres/centres.repository.ts'
import type { Role } from '../../features/centres/centres.table.ts'
import { SESSION_DURATION_MS, type SessionUser, validateSessionToken, type WebSession } from '../../features/accounts/web-session.ts'
import { type InvigilatorAccess, validateAccessToken } from '../../features/supervision/supervision.service.ts'
import { msg } from '../../i18n/index.ts'
import { isOperator } from '../../features/operations/operations.service.ts'

declare module 'fastify' {
  interface FastifyRequest {
    webSession: WebSession | null
    user: SessionUser | null
    /** Centres the user belongs to, and the one being worked on (every query of owned data filters by it). */
    centres: UserCentre[]
    centre: UserCentre | null
    /** A valid invigilator access (its own cookie), for whichever session it was opened. */
    invigilatorAccess: InvigilatorAccess | null
    /** The user may use the operator console, /exploitation; an operator is no member of any centre's data. */
    isOperator: boolean
  }
  interface FastifyContextConfig {
    /** Reachable without logging in (login, reset, setup, candidate page, health). */
    public?: boolean
    /** Reachable before the terms of use are accepted. */
    allowWithoutCgu?: boolean
    /** Reachable by a user who belongs to no centre. */
    allowWithoutCentre?: boolean
    /** Only operators may use the route (the console /exploitation); anyone else gets a French 403 page. */
    operator?: boolean
    /** `'admin'`: only the current centre's administrators may use the route; members get a French 403 page. */
    role?: Extract<Role, 'admin'>
    /**
     * Espace surveillant: reachable by staff of the centre, or with a valid invigilator access for
     * this :sessionId (scope.ts decides which; nothing else is reachable with an invigilator access).
     */
    invigilator?: boolean
    /**
     * The route changes a session (or shows a form that would): a finalised one is refused by
     * scope.ts with the one "session finalisée" page (`refuseFinalised`, src/plugins/app/open-session.ts).
     */
    openSession?: boolean
    /**
     * A write of a session meant for finalised sessions too (the retention hold, the
     * erasure of a candidate): declared so that test/sweeps/read-only.test.ts knows it on purpose.
     */
    afterFinalisation?: boolean
  }
  interface FastifyReply {
    startWebSession(token: string): FastifyReply
    endWebSession(): FastifyReply
    startInvigilatorAccess(token: string, expiresAt: number): FastifyReply
    endInvigilatorAccess(): FastifyReply
  }
}

/** The current centre's id; only call on guarded routes, where the guard guarantees one. */
export function centreId(request: FastifyRequest): number {
  if (!request.centre) throw new Error('centreId() called on a route without a centre')
  return request.centre.id
}

function isStatic(request: FastifyRequest): boolean {
  return request.url.startsWith('/public/')
}

/**
 * Reads the session cookie on every request, then guards every route that is not marked
 * `config: { public: true }`: logged out → /connexion, terms not accepted → /cgu, no centre → /aucun-centre.
 */
export default fp(
  async (app) => {
    app.decorateRequest('webSession', null)
    app.decorateRequest('user', null)
    app.decorateRequest('centres', null as unknown as UserCentre[])
    app.decorateRequest('centre', null)
    app.decorateRequest('invigilatorAccess', null)
    app.decorateRequest('isOperator', false)

    app.decorateReply('startWebSession', function (this: FastifyReply, token: string) {
      return this.setCookie(app.cookieNames.session, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.secureCookies,
        path: '/',
        maxAge: SESSION_DURATION_MS / 1000,
      })
    })
    app.decorateReply('endWebSession', function (this: FastifyReply) {
      return this.clearCookie(app.cookieNames.session, { path: '/' })
    })
    app.decorateReply('startInvigilatorAccess', function (this: FastifyReply, token: string, expiresAt: number) {
      return this.setCookie(app.cookieNames.invigilator, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.secureCookies,
        path: '/',
        maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
      })
    })
    app.decorateReply('endInvigilatorAccess', function (this: FastifyReply) {
      return this.clearCookie(app.cookieNames.invigilator, { path: '/' })
    })

    app.addHook('onRequest', async (request, reply) => {
      if (isStatic(request)) return
      request.centres = []
      const token = request.cookies[app.cookieNames.session]
      if (token) {
        const result = await validateSessionToken(app.db, token)
        if (result) {
          request.webSession = result.session
          request.user = result.user
          const centres = await listUserCentres(app.db, result.user.id)
          request.centres = centres
          request.centre = centres.find((c) => c.id === result.session.centreId) ?? centres[0] ?? null
          request.isOperator = isOperator({ email: result.user.email, operator_since: result.user.operatorSince }, app.config.operatorEmails)
        } else {
          reply.endWebSession()
        }
      }

      let accessEnded = false
      const invigilatorToken = request.cookies[app.cookieNames.invigilator]
      if (invigilatorToken) {
        const access = await validateAccessToken(app.db, invigilatorToken)
        if (access && access !== 'ended') request.invigilatorAccess = access
        else {
          accessEnded = access === 'ended'
          reply.endInvigilatorAccess()
        }
      }

      const config = request.routeOptions.config
      if (config.public || !request.routeOptions.url) return
      if (config.invigilator) {
        // scope.ts checks the access is for this session (or the user is staff of its centre).
        if (request.invigilatorAccess) return
        // Logged out on a supervision page: the invigilator login (the kit keeps the staff login).
        if (!request.user && request.routeOptions.url.includes('/surveillance')) {
          if (accessEnded) reply.flash('warning', msg('supervision.access.ended'))
          return reply.redirect('/surveillance', 303)
        }
      }
      if (!request.user) {
        const next = request.method === 'GET' ? `?suite=${encodeURIComponent(request.url)}` : ''
        return reply.redirect(`/connexion${next}`, 303)
      }
      if (!request.user.cguAcceptedAt && !config.allowWithoutCgu) return reply.redirect('/cgu', 303)
      if (config.operator && !request.isOperator) return reply.page('errors/error', { title: 'error.403_operator', status: 403 }, 403)
      if (!request.centre && !config.allowWithoutCentre) {
        // An operator of no centre: the console; a URL of a centre's data (with an id) answers 404, in
        // scope.ts (after the CSRF check: a 404 from here would run the not-found route's before the body is read).
        if (request.isOperator) return /\/:/.test(request.routeOptions.url) ? undefined : reply.redirect('/exploitation', 303)
        return reply.redirect('/aucun-centre', 303)
      }
      if (config.role && request.centre?.role !== config.role) return reply.page('errors/error', { title: 'error.403_role', status: 403 }, 403)
    })
  },
  { name: 'auth', dependencies: ['db', 'cookie'] },
)

const PARSE_BASE = 'http://certisalle.invalid'

/** A path of this site: one '/' then anything but a second '/' or '\\' (which browsers read as '/'). */
function isLocalPath(path: string): boolean {
  return path.startsWith('/') && path[1] !== '/' && path[1] !== '\\'
}

/**
 * Only a local path is accepted as a target after login, never another host. The check is made
 * on the final string, after the URL parser has resolved dot segments and decoded '%2e':
 * '/.//evil.example' and '/%2e%2e//evil.example' both become '//evil.example', which a browser
 * reads as another host.
 */
export function safeRedirect(target: unknown, fallback = '/sessions'): string {
  if (typeof target !== 'string' || !isLocalPath(target)) return fallback
  // Browsers drop tabs and line breaks and read '\' as '/': '/\t/evil.example' would leave the site.
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return fallback
  let url: URL
  try {
    url = new URL(target, PARSE_BASE)
  } catch {
    return fallback
  }
  if (url.origin !== PARSE_BASE) return fallback
  const result = `${url.pathname}${url.search}${url.hash}`
  return isLocalPath(result) ? result : fallback
}
