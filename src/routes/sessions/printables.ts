import type { FastifyInstance } from 'fastify'
import { blankRowCount, endTime, sheetRow, sortForSheet } from '../../features/printables/attendance-sheet.ts'
import { INCIDENT_GROUPS, incidentCodesOf, incidentGroupTitle } from '../../features/printables/incident-codes.ts'
import { listCandidatesForSheet } from '../../features/candidates/candidates.repository.ts'
import { displayPassword } from '../../features/supervision/password.ts'

/** Empty rows of the PV d'incident's "Signalements individuels" table. */
const REPORT_ROWS = 8

/**
 * The three documents an invigilator prints (HTML + print CSS, A4). request.certSession is the
 * current centre's session, loaded by the scope plugin (another centre's → 404).
 */
export default async function printableRoutes(app: FastifyInstance) {
  app.get('/sessions/:sessionId/impression/feuille-emargement', async (request, reply) => {
    const session = request.certSession
    const candidates = sortForSheet(await listCandidatesForSheet(app.db, session.id))
    return reply.page('printables/attendance-sheet', {
      session,
      endTime: endTime(session.start_time),
      rows: candidates.map(sheetRow),
      blankRows: blankRowCount(candidates.length),
    })
  })

  app.get('/sessions/:sessionId/impression/pv-incident', async (request, reply) => {
    const groups = INCIDENT_GROUPS.map((group) => ({ title: incidentGroupTitle(group), codes: incidentCodesOf(group) }))
    return reply.page('printables/incident-report', { session: request.certSession, groups, reportRows: REPORT_ROWS })
  })

  // The one download an invigilator access reaches (Pix, PR #11228).
  app.get('/sessions/:sessionId/impression/kit-surveillant', { config: { invigilator: true } }, async (request, reply) => {
    return reply.page('printables/invigilator-kit', { session: request.certSession, invigilatorPassword: displayPassword(request.certSession.invigilator_password) })
  })
}
