import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { createWebSession, invalidateSession } from '../../features/accounts/web-session.ts'
import { OIDC_ATTEMPT_DURATION_MS, OidcUnavailable } from '../../features/oidc/oidc-client.ts'
import { findOidcAccount } from '../../features/oidc/sign-in.ts'
import { acceptWithIdentity } from '../../features/team/team.service.ts'
import { msg, type Msg } from '../../i18n/index.ts'
import { querySchema } from '../../lib/forms.ts'
import { unreachable } from '../../lib/result.ts'
import { safeRedirect } from '../../plugins/app/auth.ts'
import { limitTries, SCHOOL } from '../../plugins/app/limits.ts'

/** What the browser keeps between the start and the callback (signed cookie): the state, and an invitation's token. */
interface Pending {
  state: string
  jeton: string | null
}

function encodePending(pending: Pending): string {
  return Buffer.from(JSON.stringify(pending), 'utf8').toString('base64url')
}

function decodePending(value: string): Pending | null {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Pending>
    return typeof parsed.state === 'string' ? { state: parsed.state, jeton: typeof parsed.jeton === 'string' ? parsed.jeton : null } : null
  } catch {
    return null
  }
}

/**
 * Sign-in through the institution's OpenID provider: `GET /connexion/oidc` (the login
 * page's button, or an invitation's `?jeton=`) sends the browser to the provider; the provider
 * sends it back to `GET /connexion/oidc/retour`, the redirect URI declared there. Plain
 * redirects: works with JavaScript off. Without OIDC_ISSUER both answer 404.
 */
export default async function oidcRoutes(app: FastifyInstance) {
  const cookiePath = '/connexion/oidc'
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies, path: cookiePath, signed: true } as const

  function unavailable(reply: FastifyReply, label: string) {
    return reply.page('accounts/oidc-unavailable', { label }, 503)
  }

  function readPending(request: FastifyRequest): Pending | null {
    const raw = request.cookies[app.cookieNames.oidc]
    if (!raw) return null
    const unsigned = request.unsignCookie(raw)
    return unsigned.valid ? decodePending(unsigned.value) : null
  }

  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get('/connexion/oidc', { config: { public: true }, schema: { querystring: querySchema(['suite', 'jeton']) } }, async (request, reply) => {
      const oidc = app.oidc
      if (!oidc) return reply.callNotFound()
      const jeton = request.query.jeton || null
      if (request.user && !jeton) return reply.seeOther('/sessions')
      const suite = safeRedirect(request.query.suite, '')
      let started: { url: string; state: string }
      try {
        started = await oidc.start(app.db, suite || null)
      } catch (error) {
        if (!(error instanceof OidcUnavailable)) throw error
        request.log.warn({ err: error.cause }, 'OpenID provider unavailable (discovery)')
        return unavailable(reply, oidc.settings.label)
      }
      reply.setCookie(app.cookieNames.oidc, encodePending({ state: started.state, jeton }), { ...cookieOptions, maxAge: OIDC_ATTEMPT_DURATION_MS / 1000 })
      return reply.seeOther(started.url)
    })

  // Like the login: refused callbacks (replayed or foreign state, unknown identity) count per IP.
  const limitCallback = limitTries(app, [{ name: 'login:ip', factor: SCHOOL }])
  const callbackQuery = querySchema(['code', 'state', 'iss', 'error', 'error_description', 'session_state'])

  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get('/connexion/oidc/retour', { config: { public: true }, schema: { querystring: callbackQuery }, preHandler: limitCallback }, async (request, reply) => {
      const oidc = app.oidc
      if (!oidc) return reply.callNotFound()
      const label = oidc.settings.label
      const pending = readPending(request)
      reply.clearCookie(app.cookieNames.oidc, { path: cookiePath })
      const back = pending?.jeton ? `/invitation?jeton=${encodeURIComponent(pending.jeton)}` : '/connexion'
      const refuse = async (message: Msg) => {
        await request.tries?.fail()
        return reply.flash('error', message).seeOther(back)
      }

      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
      let finished: Awaited<ReturnType<typeof oidc.finish>>
      try {
        finished = await oidc.finish(app.db, new URL(`${oidc.redirectUri}${search}`), pending?.state ?? null)
      } catch (error) {
        if (!(error instanceof OidcUnavailable)) throw error
        request.log.warn({ err: error.cause }, 'OpenID provider unavailable (callback)')
        return unavailable(reply, label)
      }
      if (!finished.ok) {
        if (finished.failure === 'failed') request.log.warn('OpenID sign-in refused by the checks (token, ID token or userinfo)')
        return refuse(msg(`oidc.refused.${finished.failure === 'unavailable' ? 'failed' : finished.failure}`, { label }))
      }
      const { identity } = finished

      const found = await findOidcAccount(app.db, identity, label)
      if (!found.ok) return refuse(found.refused)
      const account = found.value

      let centreId: number | null = null
      let userId = account?.id
      if (pending?.jeton) {
        const accepted = await acceptWithIdentity(app.db, pending.jeton, { ...identity, account })
        if (!accepted.ok) {
          switch (accepted.reason) {
            case 'login':
              return refuse(accepted.refused)
            case 'refused':
              await request.tries?.fail()
              return reply.page('team/invitation-invalid', { error: accepted.refused }, 410)
            default:
              return unreachable(accepted)
          }
        }
        centreId = accepted.value.centreId
        userId = accepted.value.userId
        reply.flash('success', msg('team.accept.done', { centre: accepted.value.centreName }))
      }
      if (userId === undefined) {
        // Never an account from an identity the app did not expect: an invitation is the only way in.
        return refuse(msg('oidc.refused.unknown', { label }))
      }
      await request.tries?.succeed()
      // A new session on every sign-in, like the password login.
      if (request.webSession) await invalidateSession(app.db, request.webSession.id)
      const { token } = await createWebSession(app.db, userId, centreId, Date.now(), identity.idToken)
      const cguAccepted = account?.cguAccepted ?? false
      return reply.startWebSession(token).seeOther(cguAccepted ? safeRedirect(finished.nextPath ?? '', '/sessions') : '/cgu')
    })
}
