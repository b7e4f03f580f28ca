import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { actorOf } from '../../plugins/app/actor.ts'
import { confirmPlan, importBatchFile, loadPlan } from '../../features/batch-import/batch-import.service.ts'
import { MAX_CANDIDATES, MAX_SESSIONS } from '../../features/batch-import/plan.ts'
import { MAX_BATCH_BYTES } from '../../features/batch-import/read.ts'
import { buildCsvTemplate, buildOdsTemplate, TEMPLATE_CSV_NAME, TEMPLATE_ODS_NAME } from '../../features/batch-import/template.ts'
import { asNumber, type Msg } from '../../i18n/index.ts'
import { formSchema } from '../../lib/forms.ts'
import { centreId } from '../../plugins/app/auth.ts'
import { readUpload } from '../../plugins/external/multipart.ts'

const BASE = '/sessions/import-multiple'
const limits = { sessions: MAX_SESSIONS, candidates: asNumber(MAX_CANDIDATES) }

/** "Créer/éditer plusieurs sessions": template downloads, import, recap (step 2), confirmation, result. */
export default async function batchRoutes(app: FastifyInstance) {
  const userId = (request: FastifyRequest) => request.user!.id
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  // Any text: an id that is not one of this user's plans finds nothing (404), as a wrong one does.
  const planParams = Type.Object({ planId: Type.String({ maxLength: 100 }) })

  function renderStep1(reply: FastifyReply, refused?: Msg) {
    return reply.page('batch-import/upload', { refused, limits, maxBytes: MAX_BATCH_BYTES }, refused ? 400 : 200)
  }

  /** The plan of this user and centre, or the 404 page (another user's or centre's id finds nothing). */
  async function planOf(request: FastifyRequest, reply: FastifyReply, planId: string) {
    const stored = await loadPlan(app.db, planId, userId(request), centreId(request))
    if (!stored) {
      reply.callNotFound()
      return null
    }
    return stored
  }

  app.get(BASE, async (request, reply) => renderStep1(reply))

  app.get(`${BASE}/modele.csv`, async (request, reply) =>
    reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${TEMPLATE_CSV_NAME}"`)
      .header('Cache-Control', 'no-store')
      .send(buildCsvTemplate()),
  )

  app.get(`${BASE}/modele.ods`, async (request, reply) =>
    reply
      .header('Content-Type', 'application/vnd.oasis.opendocument.spreadsheet')
      .header('Content-Disposition', `attachment; filename="${TEMPLATE_ODS_NAME}"`)
      .header('Cache-Control', 'no-store')
      .send(buildOdsTemplate()),
  )

  app.post(`${BASE}/import`, async (request, reply) => {
    const upload = await readUpload(request.body, 'fichier')
    const imported = await importBatchFile(app.db, userId(request), centreId(request), upload)
    if (!imported.ok) return renderStep1(reply, imported.refused)
    return reply.seeOther(`${BASE}/${imported.value}`)
  })

  typed.get(`${BASE}/:planId`, { schema: { params: planParams } }, async (request, reply) => {
    const stored = await planOf(request, reply, request.params.planId)
    if (!stored) return reply
    if (stored.result) return reply.seeOther(`${BASE}/${stored.id}/resultat`)
    return reply.page('batch-import/recap', { stored, plan: stored.plan, limits, maxBytes: MAX_BATCH_BYTES }, stored.expired ? 410 : 200)
  })

  typed.post(`${BASE}/:planId/confirmation`, { schema: { body: formSchema([]), params: planParams } }, async (request, reply) => {
    const stored = await planOf(request, reply, request.params.planId)
    if (!stored) return reply
    const outcome = await confirmPlan(app.db, stored, userId(request), centreId(request), actorOf(request))
    if (!outcome.ok) return reply.page('batch-import/recap', { stored, plan: stored.plan, limits, maxBytes: MAX_BATCH_BYTES, refused: outcome.refused }, 409)
    return reply.seeOther(`${BASE}/${stored.id}/resultat`)
  })

  typed.get(`${BASE}/:planId/resultat`, { schema: { params: planParams } }, async (request, reply) => {
    const stored = await planOf(request, reply, request.params.planId)
    if (!stored) return reply
    if (!stored.result) return reply.seeOther(`${BASE}/${stored.id}`)
    return reply.page('batch-import/result', { result: stored.result })
  })
}
