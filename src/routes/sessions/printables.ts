import type { FastifyInstance } from 'fastify'
import { blankRowCount, endTime, sheetRow } from '../../features/printables/attendance-sheet.ts'
import { INCIDENT_GROUPS, incidentCodesOf, incidentGroupTitle } from '../../features/finalisation/report-categories.ts'
import { listCandidatesForSheet } from '../../features/candidates/candidates.repository.ts'

/** Empty rows of the PV d'incident's "Signalements individuels" table. */
const REPORT_ROWS = 8

/**
 * The three documents an invigilator prints (HTML + print CSS, A4). request.certSession is the
 * current centre's session, loaded by the scope plugin (another centre's → 404).
 */
export default async function printableRoutes(app: FastifyInstance) {
  app.get('/sessions/:sessionId/impression/feuille-emargement', async (request, reply) => {
    const session = request.certSession
    const rows = (await listCandidatesForSheet(app.db, session.id)).map(sheetRow)
    return reply.page('printables/attendance-sheet', { session, endTime: endTime(session.start_time), rows, blankRows: blankRowCount(rows, session) })
  })

  app.get('/sessions/:sessionId/impression/pv-incident', async (request, reply) => {
    const groups = INCIDENT_GROUPS.map((group) => ({ title: incidentGroupTitle(group), codes: incidentCodesOf(group) }))
    return reply.page('printables/incident-report', { session: request.certSession, groups, reportRows: REPORT_ROWS })
  })

  app.get('/sessions/:sessionId/impression/kit-surveillant', async (request, reply) => {
    return reply.page('printables/invigilator-kit', { session: request.certSession })
  })
}
