import { create as contentDisposition } from 'content-disposition'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { centreExportFileName, exportCentre } from '../../features/privacy/centre-export.ts'
import { type LegalPage, readInstallationPage } from '../../features/privacy/pages.ts'
import { eraseCandidate, erasureKeepsRow, holdSession } from '../../features/privacy/retention.ts'
import { msg } from '../../i18n/index.ts'
import { formSchema, readFields } from '../../lib/forms.ts'
import { todayInParis, toIsoDate } from '../../lib/dates.ts'
import { changeBy } from '../../plugins/app/actor.ts'

/**
 * Admin writes that stay allowed once a session is finalised (no `openSession`): the hold and the
 * erasure of a candidate are about the data kept after the session.
 */
const adminAfterFinalisation = { role: 'admin' as const, afterFinalisation: true }

/** The pages "Données personnelles" and "Accessibilité", the centre export, the hold and the erasure of a candidate. */
export default async function privacyRoutes(app: FastifyInstance) {
  const legalPage = (page: LegalPage, template: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const custom = await readInstallationPage(app.config.pagesDir, page, request.locale)
    return reply.page(template, {
      custom,
      retentionMonths: app.config.retentionMonths,
      contact: app.config.privacyContact,
      isAdmin: request.centre?.role === 'admin',
    })
  }
  app.get('/donnees-personnelles', { config: { public: true } }, legalPage('donnees-personnelles', 'privacy/personal-data'))
  app.get('/accessibilite', { config: { public: true } }, legalPage('accessibilite', 'privacy/accessibility'))

  // The "droit d'accès" answer and the way out of the app: every session, candidate, report and history row.
  app.get('/equipe/export-donnees.ods', { config: { role: 'admin' } }, async (request, reply) => {
    const ods = await exportCentre(app.db, changeBy(request))
    const date = toIsoDate(todayInParis())
    return reply
      .header('Content-Type', 'application/vnd.oasis.opendocument.spreadsheet')
      .header('Content-Disposition', contentDisposition(centreExportFileName(request.centre!.name, date)))
      .header('Cache-Control', 'no-store')
      .send(ods)
  })

  // "Conserver : contestation en cours" / "Lever la conservation" (details tab).
  app.post('/sessions/:sessionId/conservation', { config: adminAfterFinalisation, schema: { body: formSchema(['conserver']) } }, async (request, reply) => {
    const { conserver } = readFields(request.body, ['conserver'])
    const hold = conserver === 'oui'
    const url = `/sessions/${request.certSession.id}#conservation`
    const result = await holdSession(app.db, request.certSession.id, hold, changeBy(request))
    if (!result.ok) return reply.flash('error', result.refused).seeOther(url)
    return reply.flash('success', msg(hold ? 'privacy.hold.saved_set' : 'privacy.hold.saved_released')).seeOther(url)
  })

  // Erasure on request (Candidats tab): a confirmation page, then the erasure.
  app.get('/sessions/:sessionId/candidats/:candidateId/effacer', { config: adminAfterFinalisation }, async (request, reply) => {
    const tab = `/sessions/${request.certSession.id}/candidats`
    if (request.candidate.erased_at) return reply.flash('error', msg('privacy.erase.already')).seeOther(tab)
    const keepsRow = await erasureKeepsRow(app.db, request.certSession, request.candidate.id)
    return reply.page('privacy/erase', { session: request.certSession, candidate: request.candidate, keepsRow })
  })

  app.post(
    '/sessions/:sessionId/candidats/:candidateId/effacer',
    { config: adminAfterFinalisation, schema: { body: formSchema([]) } },
    async (request, reply) => {
      const tab = `/sessions/${request.certSession.id}/candidats`
      const result = await eraseCandidate(app.db, request.certSession.id, request.candidate.id, changeBy(request))
      if (!result.ok) return reply.flash('error', result.refused).seeOther(tab)
      return reply.flash('success', msg('privacy.erase.done')).seeOther(tab)
    },
  )
}
