import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { findValidPasswordReset, isValidEmail, resetPassword } from '../../features/accounts/accounts.service.ts'
import { readResetForm, resetFields } from '../../features/accounts/reset-form.ts'
import { sendPasswordReset } from '../../features/accounts/password-reset.ts'
import { msg } from '../../i18n/index.ts'
import { formSchema, querySchema, readFields } from '../../lib/forms.ts'
import { field, limitTries, missRefused, SCHOOL } from '../../plugins/app/limits.ts'
import { publicUrlOf } from '../../plugins/app/public-url.ts'

export default async function passwordRoutes(app: FastifyInstance) {
  // Each mail asked for counts (it is sent whether or not the link is used): per address with
  // growing delays, so nobody can stop its owner from asking; per IP, a school's worth.
  const limitResetRequests = limitTries(app, [
    { name: 'reset:account', by: field('email'), backoff: true },
    { name: 'reset:ip', factor: SCHOOL },
  ])
  // Unknown or expired links count, per IP (the GET and the POST share the counter). A valid link
  // always works: over the limit only misses are refused (tokens are 160 random bits).
  const limitResetLinks = limitTries(app, [{ name: 'reset-link:ip', afterMiss: true }])

  app.get('/mot-de-passe-oublie', { config: { public: true } }, async (request, reply) =>
    reply.page('accounts/forgot', { values: { email: '' }, errors: {}, sent: false }),
  )

  app.post(
    '/mot-de-passe-oublie',
    { config: { public: true }, schema: { body: formSchema(['email']) }, preHandler: limitResetRequests },
    async (request, reply) => {
      const { email } = readFields(request.body, ['email'])
      if (!isValidEmail(email)) {
        return reply.page('accounts/forgot', { values: { email }, errors: { email: msg('accounts.email.invalid') }, sent: false }, 400)
      }
      await request.tries?.fail()
      await sendPasswordReset(app.db, app.mail, email, { publicUrl: publicUrlOf(request), locale: request.locale })
      // Same answer, at once, whether the account exists or not.
      return reply.page('accounts/forgot', { values: { email }, errors: {}, sent: true })
    },
  )

  const linkQuery = querySchema(['jeton'])
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get('/mot-de-passe/nouveau', { config: { public: true }, schema: { querystring: linkQuery }, preHandler: limitResetLinks }, async (request, reply) => {
      const { jeton } = request.query
      const valid = jeton !== undefined && (await findValidPasswordReset(app.db, jeton))
      if (!valid) {
        await request.tries?.fail()
        const refusal = missRefused(request, reply)
        if (refusal) throw refusal
        return reply.page('accounts/reset-invalid', {}, 400)
      }
      return reply.page('accounts/reset', { values: { jeton }, errors: {} })
    })

  app.post(
    '/mot-de-passe/nouveau',
    { config: { public: true }, schema: { body: formSchema(resetFields) }, preHandler: limitResetLinks },
    async (request, reply) => {
      const { token, result } = readResetForm(request.body)
      if (!result.ok) return reply.page('accounts/reset', { values: { jeton: token }, errors: result.errors }, 400)
      if (!(await resetPassword(app.db, result.value.token, result.value.password))) {
        await request.tries?.fail()
        const refusal = missRefused(request, reply)
        if (refusal) throw refusal
        return reply.page('accounts/reset-invalid', {}, 400)
      }
      if (request.webSession) reply.endWebSession()
      return reply.flash('success', msg('accounts.reset.done')).seeOther('/connexion')
    },
  )
}
