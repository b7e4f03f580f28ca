import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  centreFields,
  createCentreWithAdmin,
  loadCentre,
  loadCentresOverview,
  loadOperatorHistory,
  operatorActor,
  parsePage,
  renameCentre,
  setCentreActive,
} from '../../features/operations/operations.service.ts'
import { msg } from '../../i18n/index.ts'
import { type FieldErrors, formSchema, querySchema, readFields } from '../../lib/forms.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import { unreachable } from '../../lib/result.ts'
import { invitationLink, invitationMailer } from '../team/mail.ts'

const centreParams = Type.Object({ centreId: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }) })
const renameFields = ['name'] as const

/**
 * The operator console, /exploitation: centres with their members, sessions this year
 * and last activity; create a centre and invite its first administrator; rename, deactivate,
 * reactivate; the operator's own history. Operators only (`config.operator`, the guard answers 403
 * to anyone else); an operator is no member, so no centre's data is reachable from here.
 */
export default async function operationsRoutes(app: FastifyInstance) {
  const operator = { operator: true, allowWithoutCentre: true } as const
  const actorOf = (request: FastifyRequest) => operatorActor(request.user!)
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/exploitation', { config: operator }, async (request, reply) => {
    const year = new Date().getUTCFullYear()
    return reply.page('operations/index', { centres: await loadCentresOverview(app.db, year), year })
  })

  const renderNew = (reply: FastifyReply, values: Record<string, string>, errors: FieldErrors = {}, status?: number) =>
    reply.page('operations/new-centre', { values, errors }, status)

  app.get('/exploitation/centres/nouveau', { config: operator }, async (request, reply) => renderNew(reply, { name: '', adminEmail: '' }))

  app.post('/exploitation/centres/nouveau', { config: operator, schema: { body: formSchema(centreFields) } }, async (request, reply) => {
    const values = readFields(request.body, centreFields)
    const result = await createCentreWithAdmin(app.db, actorOf(request), values, invitationMailer(app, request, values.name))
    if (!result.ok) return renderNew(reply, values, result.errors, 400)
    const { centreName, invitation } = result.value
    // With SMTP the mail is queued (how it went shows in the console's list).
    if (app.config.smtp)
      return reply.flash('success', msg('operations.created.mailed', { centre: centreName, email: invitation.email })).seeOther('/exploitation')
    // Without SMTP: the link, shown once, on the answer to the form itself.
    return reply.page('operations/created', {
      centreName,
      email: invitation.email,
      link: invitationLink(request, invitation.token),
      expiresAt: toTimestamp(invitation.expiresAt),
    })
  })

  typed.get('/exploitation/centres/:centreId/renommer', { config: operator, schema: { params: centreParams } }, async (request, reply) => {
    const centre = await loadCentre(app.db, Number(request.params.centreId))
    if (!centre) return reply.callNotFound()
    return reply.page('operations/rename', { centre, values: { name: centre.name }, errors: {} })
  })

  typed.post(
    '/exploitation/centres/:centreId/renommer',
    { config: operator, schema: { params: centreParams, body: formSchema(renameFields) } },
    async (request, reply) => {
      const centre = await loadCentre(app.db, Number(request.params.centreId))
      if (!centre) return reply.callNotFound()
      const values = readFields(request.body, renameFields)
      const result = await renameCentre(app.db, actorOf(request), centre.id, values.name)
      if (!result.ok) {
        switch (result.reason) {
          case 'invalid':
            return reply.page('operations/rename', { centre, values, errors: result.errors }, 400)
          case 'refused':
          case 'finalised':
            return reply.callNotFound()
          default:
            return unreachable(result)
        }
      }
      return reply.flash('success', msg('operations.renamed', { centre: values.name })).seeOther('/exploitation')
    },
  )

  for (const [path, active] of [
    ['desactiver', false],
    ['reactiver', true],
  ] as const) {
    typed.post(
      `/exploitation/centres/:centreId/${path}`,
      { config: operator, schema: { params: centreParams, body: formSchema([]) } },
      async (request, reply) => {
        const result = await setCentreActive(app.db, actorOf(request), Number(request.params.centreId), active)
        if (!result.ok) return reply.callNotFound()
        return reply
          .flash('success', msg(active ? 'operations.reactivated' : 'operations.deactivated', { centre: result.value.name }))
          .seeOther('/exploitation')
      },
    )
  }

  typed.get('/exploitation/historique', { config: operator, schema: { querystring: querySchema(['page']) } }, async (request, reply) => {
    const history = await loadOperatorHistory(app.db, request.user!.id, parsePage(request.query.page))
    return reply.page('operations/history', { history })
  })
}
