import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { authenticate } from '../../features/accounts/accounts.service.ts'
import { createWebSession, invalidateSession } from '../../features/accounts/web-session.ts'
import { msg } from '../../i18n/index.ts'
import { formSchema, querySchema, readFields } from '../../lib/forms.ts'
import { field, limitTries, SCHOOL } from '../../plugins/app/limits.ts'
import { safeRedirect } from '../../plugins/app/auth.ts'
import { isOperator } from '../../features/operations/operations.service.ts'

const fields = ['email', 'password', 'suite'] as const

export default async function loginRoutes(app: FastifyInstance) {
  // The login page's OpenID button and whether staff may use a password.
  const signIn = { oidcLabel: app.oidc?.settings.label ?? null, passwordLogin: app.config.passwordLogin }

  app.get('/', { config: { public: true } }, async (request, reply) => reply.seeOther(request.user ? '/sessions' : '/connexion'))

  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get('/connexion', { config: { public: true }, schema: { querystring: querySchema(['suite']) } }, async (request, reply) => {
      if (request.user) return reply.seeOther('/sessions')
      const { suite } = request.query
      return reply.page('accounts/login', { ...signIn, values: { email: '', suite: safeRedirect(suite, '') }, error: null })
    })

  app.post(
    '/connexion',
    {
      config: { public: true },
      schema: { body: formSchema(fields) },
      // Failures only. Per account, growing delays (its owner is slowed, never locked out by
      // others); per IP, a whole school's mistakes (its staff share one address).
      preHandler: limitTries(app, [
        { name: 'login:account', by: field('email'), backoff: true, resetOnSuccess: true },
        { name: 'login:ip', factor: SCHOOL },
      ]),
    },
    async (request, reply) => {
      const values = readFields(request.body, fields)
      const user = values.email && values.password ? await authenticate(app.db, values.email, values.password) : null
      // PASSWORD_LOGIN=false: only operators still log in with a password (the same answer whether the password was right or not).
      const passwordOff = !app.config.passwordLogin && !(user && isOperator(user, app.config.operatorEmails))
      if (!user || passwordOff) {
        await request.tries?.fail()
        const error = passwordOff ? msg('oidc.login.password_off', { label: signIn.oidcLabel ?? 'OpenID Connect' }) : msg('accounts.login.invalid')
        return reply.page('accounts/login', { ...signIn, values: { email: values.email, suite: values.suite }, error }, 401)
      }
      await request.tries?.succeed()
      // A new session on every login: a token fixed before login is never reused.
      if (request.webSession) await invalidateSession(app.db, request.webSession.id)
      const { token } = await createWebSession(app.db, user.id, null)
      // Terms first, straight away, for a user who has not accepted them yet.
      return reply.startWebSession(token).seeOther(user.cgu_accepted_at ? safeRedirect(values.suite) : '/cgu')
    },
  )

  app.post('/deconnexion', { config: { allowWithoutCgu: true, allowWithoutCentre: true } }, async (request, reply) => {
    if (request.webSession) await invalidateSession(app.db, request.webSession.id)
    // Signed in through the provider: its session ends too when it advertises RP-initiated logout.
    const idToken = request.webSession?.oidcIdToken
    const endSession = idToken && app.oidc ? await app.oidc.endSessionUrl(idToken, `${app.config.publicUrl}/connexion`) : null
    return reply
      .endWebSession()
      .flash('success', msg('accounts.logout.done'))
      .seeOther(endSession ?? '/connexion')
  })
}
