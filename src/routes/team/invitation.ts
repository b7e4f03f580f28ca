import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { createWebSession, invalidateSession } from '../../features/accounts/web-session.ts'
import { acceptWithLogin, acceptWithNewAccount, checkInvitation } from '../../features/team/team.service.ts'
import { accountFields, readNewAccountForm } from '../../features/team/invitation-form.ts'
import { msg, type Msg } from '../../i18n/index.ts'
import { type FieldErrors, formSchema, querySchema, readFields } from '../../lib/forms.ts'
import { field, limitTries, missRefused, SCHOOL } from '../../plugins/app/limits.ts'
import { unreachable } from '../../lib/result.ts'

const loginFields = ['jeton', 'email', 'password'] as const
const emptyValues = { firstName: '', lastName: '', email: '' }

/** The public page of an invitation link: a newcomer creates an account, someone with one logs in. */
export default async function invitationRoutes(app: FastifyInstance) {
  const publicRoute = { public: true } as const

  async function render(
    reply: FastifyReply,
    token: string,
    extra: { values?: Record<string, string>; errors?: FieldErrors; loginError?: Msg | null } = {},
    status?: number,
  ) {
    const check = await checkInvitation(app.db, token)
    if (!check.ok) return reply.page('team/invitation-invalid', { error: check.refused }, 410)
    const { invitation, hasAccount } = check.value
    return reply.page(
      'team/invitation',
      {
        token,
        centreName: invitation.centreName,
        email: invitation.email,
        hasAccount,
        values: { ...emptyValues, email: invitation.email, ...extra.values },
        errors: extra.errors ?? {},
        loginError: extra.loginError ?? null,
        oidcLabel: app.oidc?.settings.label ?? null,
        passwordLogin: app.config.passwordLogin,
      },
      status,
    )
  }

  // Unknown, used or expired links count per IP (like reset links); a valid link opened again does
  // not, and always works: over the limit only misses are refused (tokens are 160 random bits).
  const limitLinks = limitTries(app, [{ name: 'invitation-link:ip', afterMiss: true }])
  // The same counters as the login page: a password tried here is a password tried there.
  const limitLogin = limitTries(app, [
    { name: 'login:account', by: field('email'), backoff: true, resetOnSuccess: true },
    { name: 'login:ip', factor: SCHOOL },
  ])

  // PASSWORD_LOGIN=false: an invitation is accepted through the OpenID provider only.
  const passwordOff = (reply: FastifyReply, token: string) =>
    reply
      .flash('error', msg('oidc.login.password_off', { label: app.oidc?.settings.label ?? 'OpenID Connect' }))
      .seeOther(`/invitation?jeton=${encodeURIComponent(token)}`)

  const linkQuery = querySchema(['jeton'])
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get('/invitation', { config: publicRoute, schema: { querystring: linkQuery }, preHandler: limitLinks }, async (request, reply) => {
      const token = request.query.jeton ?? ''
      // Charged before the answer is sent (the counters' places are given back when it is).
      if (!(await checkInvitation(app.db, token)).ok) {
        await request.tries?.fail()
        const refusal = missRefused(request, reply)
        if (refusal) throw refusal
      }
      return render(reply, token)
    })

  app.post('/invitation/compte', { config: publicRoute, schema: { body: formSchema(accountFields) }, preHandler: limitLinks }, async (request, reply) => {
    const { values, result: form } = readNewAccountForm(request.body)
    if (!app.config.passwordLogin) return passwordOff(reply, values.jeton)
    const shown = { firstName: values.firstName, lastName: values.lastName }
    if (!form.ok) return render(reply, values.jeton, { values: shown, errors: form.errors }, 400)
    const result = await acceptWithNewAccount(app.db, values.jeton, form.value)
    if (!result.ok) {
      switch (result.reason) {
        case 'login':
          return render(reply, values.jeton, { values: shown, loginError: result.refused }, 400)
        case 'refused': {
          await request.tries?.fail()
          const refusal = missRefused(request, reply)
          if (refusal) throw refusal
          return reply.page('team/invitation-invalid', { error: result.refused }, 410)
        }
        default:
          return unreachable(result)
      }
    }
    if (request.webSession) await invalidateSession(app.db, request.webSession.id)
    const { token } = await createWebSession(app.db, result.value.userId, result.value.centreId)
    return reply
      .startWebSession(token)
      .flash('success', msg('team.accept.done', { centre: result.value.centreName }))
      .seeOther('/sessions')
  })

  app.post('/invitation/connexion', { config: publicRoute, schema: { body: formSchema(loginFields) }, preHandler: limitLogin }, async (request, reply) => {
    const values = readFields(request.body, loginFields)
    if (!app.config.passwordLogin) return passwordOff(reply, values.jeton)
    const result = await acceptWithLogin(app.db, values.jeton, values.email, values.password)
    if (!result.ok) {
      await request.tries?.fail()
      switch (result.reason) {
        case 'login':
          return render(reply, values.jeton, { values: { email: values.email }, loginError: result.refused }, 401)
        case 'refused':
          return reply.page('team/invitation-invalid', { error: result.refused }, 410)
        default:
          return unreachable(result)
      }
    }
    await request.tries?.succeed()
    // A new session on every login, opened on the centre just joined.
    if (request.webSession) await invalidateSession(app.db, request.webSession.id)
    const { token } = await createWebSession(app.db, result.value.userId, result.value.centreId)
    return reply
      .startWebSession(token)
      .flash('success', msg('team.accept.done', { centre: result.value.centreName }))
      .seeOther('/sessions')
  })
}
