import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { accountFields, validateSetup } from '../../features/accounts/account-form.ts'
import { completeSetup, isSetupTokenValid } from '../../features/accounts/accounts.service.ts'
import { createWebSession } from '../../features/accounts/web-session.ts'
import { msg } from '../../i18n/index.ts'
import { formSchema, querySchema, readFields } from '../../lib/forms.ts'
import { limitTries } from '../../plugins/app/limits.ts'

const fields = [...accountFields, 'jeton'] as const

/** The one-time page that creates the centre and its first admin; 404 once used or once anyone has an account. */
export default async function setupRoutes(app: FastifyInstance) {
  // Unknown setup links count, per IP (GET and POST share the counter).
  const limitSetup = limitTries(app, [{ name: 'setup:ip' }])
  const linkQuery = querySchema(['jeton'])
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get('/installation', { config: { public: true }, schema: { querystring: linkQuery }, preHandler: limitSetup }, async (request, reply) => {
      const { jeton } = request.query
      if (jeton === undefined || !(await isSetupTokenValid(app.db, jeton))) {
        await request.tries?.fail()
        return reply.callNotFound()
      }
      const values = Object.fromEntries(fields.map((f) => [f, ''])) as Record<(typeof fields)[number], string>
      return reply.page('accounts/setup', { values: { ...values, jeton }, errors: {} })
    })

  app.post('/installation', { config: { public: true }, schema: { body: formSchema(fields) }, preHandler: limitSetup }, async (request, reply) => {
    const values = readFields(request.body, fields)
    if (!(await isSetupTokenValid(app.db, values.jeton))) {
      await request.tries?.fail()
      return reply.callNotFound()
    }
    const validation = validateSetup(values)
    if (!validation.ok) return reply.page('accounts/setup', { values: { ...values, password: '', confirmation: '' }, errors: validation.errors }, 400)
    const result = await completeSetup(app.db, values.jeton, validation.value.centreName, validation.value.account)
    if (!result) return reply.callNotFound()
    const { token } = await createWebSession(app.db, result.userId, result.centreId)
    return reply.startWebSession(token).flash('success', msg('accounts.setup.done')).seeOther('/cgu')
  })
}
