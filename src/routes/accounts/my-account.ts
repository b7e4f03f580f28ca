import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { changeEmail, changePassword, emailFields, nameFields, passwordFields, saveName } from '../../features/accounts/my-account.ts'
import { invalidateUserSessions } from '../../features/accounts/web-session.ts'
import { msg } from '../../i18n/index.ts'
import { type FieldErrors, formSchema, hasErrors, readFields } from '../../lib/forms.ts'
import { limitTries } from '../../plugins/app/limits.ts'

type Form = 'name' | 'email' | 'password'

function render(request: FastifyRequest, reply: FastifyReply, form: Form | null = null, values: Record<string, string> = {}, errors: FieldErrors = {}) {
  const user = request.user!
  return reply.page(
    'accounts/my-account',
    { form, values: { firstName: user.firstName, lastName: user.lastName, email: '', ...values }, errors },
    hasErrors(errors) ? 400 : undefined,
  )
}

/** Mon compte: name, e-mail, password, logging out everywhere. */
const WRONG_PASSWORD = 'accounts.my_account.current_password_wrong'

export default async function myAccountRoutes(app: FastifyInstance) {
  const config = { allowWithoutCentre: true } as const
  // The current password, asked again to change the e-mail or the password: a stolen open session
  // must not be a way to guess it. Per user, growing delays, failures only.
  const limitPassword = limitTries(app, [
    { name: 'account-password:user', by: (request) => (request.user ? String(request.user.id) : undefined), backoff: true, resetOnSuccess: true },
  ])

  app.get('/mon-compte', { config }, async (request, reply) => render(request, reply))

  app.post('/mon-compte/nom', { config, schema: { body: formSchema(nameFields) } }, async (request, reply) => {
    const values = readFields(request.body, nameFields)
    const saved = await saveName(app.db, request.user!.id, values)
    if (!saved.ok) return render(request, reply, 'name', values, saved.errors)
    return reply.flash('success', msg('accounts.my_account.name_done')).seeOther('/mon-compte')
  })

  app.post('/mon-compte/email', { config, schema: { body: formSchema(emailFields) }, preHandler: limitPassword }, async (request, reply) => {
    const values = readFields(request.body, emailFields)
    const result = await changeEmail(app.db, request.user!.id, values)
    if (!result.ok) {
      if (result.errors.password?.key === WRONG_PASSWORD) await request.tries?.fail()
      return render(request, reply, 'email', { email: values.email }, result.errors)
    }
    return reply.flash('success', msg('accounts.my_account.email_done')).seeOther('/mon-compte')
  })

  app.post('/mon-compte/mot-de-passe', { config, schema: { body: formSchema(passwordFields) }, preHandler: limitPassword }, async (request, reply) => {
    const values = readFields(request.body, passwordFields)
    const result = await changePassword(app.db, request.user!.id, request.webSession!.id, values)
    if (!result.ok) {
      if (result.errors.currentPassword?.key === WRONG_PASSWORD) await request.tries?.fail()
      return render(request, reply, 'password', {}, result.errors)
    }
    return reply.flash('success', msg('accounts.my_account.password_done')).seeOther('/mon-compte')
  })

  app.post('/mon-compte/deconnexion-partout', { config, schema: { body: formSchema([]) } }, async (request, reply) => {
    await invalidateUserSessions(app.db, request.user!.id)
    return reply.endWebSession().flash('success', msg('accounts.my_account.logged_out_everywhere')).seeOther('/connexion')
  })
}
