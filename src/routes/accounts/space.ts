import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import { acceptCgu } from '../../features/accounts/accounts.service.ts'
import { setSessionCentre } from '../../features/accounts/web-session.ts'
import { checkDatabase } from '../../features/health/health.service.ts'
import { formSchema } from '../../lib/forms.ts'

/** Terms of use, centre switching, the no-centre page and the health check. */
export default async function spaceRoutes(app: FastifyInstance) {
  const beforeCgu = { allowWithoutCgu: true, allowWithoutCentre: true }

  app.get('/cgu', { config: beforeCgu }, async (request, reply) => reply.page('accounts/cgu', {}))

  app.post('/cgu', { config: beforeCgu, schema: { body: formSchema([]) } }, async (request, reply) => {
    if (!request.user!.cguAcceptedAt) await acceptCgu(app.db, request.user!.id)
    return reply.seeOther('/sessions')
  })

  app.get('/aucun-centre', { config: { allowWithoutCentre: true } }, async (request, reply) => {
    if (request.centre) return reply.seeOther('/sessions')
    return reply.page('accounts/no-centre', {})
  })

  app.post('/centre', { schema: { body: formSchema(['centreId'], { centreId: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (request, reply) => {
    const wanted = Number((request.body as { centreId?: string }).centreId)
    const centre = request.centres.find((c) => c.id === wanted)
    if (!centre) return reply.callNotFound()
    await setSessionCentre(app.db, request.webSession!.id, centre.id)
    return reply.seeOther('/sessions')
  })

  // For the reverse proxy or the monitoring: 200 while the database answers, else 503. `tries`:
  // where the failed-tries counters are ('memory', 'redis', or 'degraded': Redis does not answer
  // and this process counts alone; requests go on).
  app.get('/sante', { config: { public: true } }, async (request, reply) => {
    const database = app.dbKind
    const tries = await app.triesHealth()
    try {
      await checkDatabase(app.db)
      return { status: 'ok', database, tries }
    } catch (err) {
      request.log.error(err)
      return reply.code(503).send({ status: 'indisponible', database, tries })
    }
  })
}
