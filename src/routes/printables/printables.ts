import type { FastifyInstance } from 'fastify'
import { loadAttendanceSheet } from '../../features/printables/attendance-sheet.ts'
import { INCIDENT_GROUPS, incidentCodesOf, incidentGroupTitle } from '../../features/incidents/report-categories.ts'
import { displayPassword } from '../../features/supervision/password.ts'
import { loadFinalisation } from '../../features/finalisation/finalisation.service.ts'
import { displayName } from '../../lib/display-name.ts'
import { journalAccess } from '../../plugins/app/access-journal.ts'
import { documentLanguage as language } from './document-language.ts'

/** Empty rows of the PV d'incident's "Signalements individuels" table. */
const REPORT_ROWS = 8

/**
 * The three documents an invigilator prints (HTML + print CSS, A4). request.certSession is the
 * current centre's session, loaded by the scope plugin (another centre's → 404).
 */
export default async function printableRoutes(app: FastifyInstance) {
  app.get('/sessions/:sessionId/impression/feuille-emargement', async (request, reply) => {
    const session = request.certSession
    const document = language(request)
    const sheet = await loadAttendanceSheet(app.db, session, document.locale)
    await journalAccess(request, 'sheet')
    return reply.page('printables/attendance-sheet', { ...document, session, ...sheet })
  })

  app.get('/sessions/:sessionId/impression/pv-incident', async (request, reply) => {
    const groups = INCIDENT_GROUPS.map((group) => ({ title: incidentGroupTitle(group), codes: incidentCodesOf(group) }))
    // The reports already recorded (during the session or at finalisation) fill the first rows.
    const { candidates } = await loadFinalisation(app.db, request.certSession)
    const reports = candidates.flatMap((c) =>
      c.reports.map((r) => ({
        name: displayName(c),
        code: r.code,
        questionNumber: r.question_number,
        details: r.details,
        recordedAt: r.source === 'invigilator' ? r.recorded_at : null,
        // Where the Espace surveillant changed the clock (time added, a pause): the new end.
        theoreticalEnd: c.theoreticalEnd,
      })),
    )
    await journalAccess(request, 'incidentReport')
    return reply.page('printables/incident-report', { ...language(request), session: request.certSession, groups, reportRows: REPORT_ROWS, reports })
  })

  // The one download an invigilator access reaches (Pix, PR #11228).
  app.get('/sessions/:sessionId/impression/kit-surveillant', { config: { invigilator: true } }, async (request, reply) => {
    await journalAccess(request, 'kit')
    return reply.page('printables/invigilator-kit', {
      ...language(request),
      session: request.certSession,
      invigilatorPassword: displayPassword(request.certSession.invigilator_password),
    })
  })
}
