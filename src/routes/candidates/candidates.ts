import { create as contentDisposition } from 'content-disposition'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CANDIDATE_FORM_FIELDS } from '../../features/candidates/candidate-rules.ts'
import type { LineProblem } from '../../features/candidates/candidates.import.ts'
import {
  candidateChangeAllowed,
  candidateFormValues,
  type CandidateFormValues,
  importCandidates,
  listSheetCandidates,
  loadCandidatesTab,
  removeCandidate,
  saveCandidate,
} from '../../features/candidates/candidates.service.ts'
import type { CandidateRow } from '../../features/candidates/candidates.table.ts'
import { loadListConvocations } from '../../features/convocations/convocations.service.ts'
import { attendanceSheetFileName, buildAttendanceSheet } from '../../features/candidates/ods/export.ts'
import { MAX_IMPORT_BYTES } from '../../lib/spreadsheet/file-type.ts'
import { displayName } from '../../lib/display-name.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import { formSchema, readFields } from '../../lib/forms.ts'
import { readMultipartField, readUpload } from '../../plugins/external/multipart.ts'
import { changeBy } from '../../plugins/app/actor.ts'
import { answerRefusal } from '../../plugins/app/open-session.ts'
import { journalAccess } from '../../plugins/app/access-journal.ts'
import { type Refusal, unreachable } from '../../lib/result.ts'

const tabUrl = (request: FastifyRequest) => `/sessions/${request.certSession.id}/candidats`
/** Changes of the list: refused on a finalised session (scope.ts). */
const open = { openSession: true }

/** The Candidats tab, the candidate form and the .ods round trip (guide, chapter 4). */
export default async function candidateRoutes(app: FastifyInstance) {
  async function renderTab(
    request: FastifyRequest,
    reply: FastifyReply,
    importError?: { message: Msg; problems?: LineProblem[]; notices?: Msg[] },
    status = importError ? 400 : 200,
  ) {
    const session = request.certSession
    const tab = await loadCandidatesTab(app.db, session)
    const convocations = await loadListConvocations(app.db, session, tab.candidates)
    return reply.page(
      'candidates/index',
      {
        session,
        ...tab,
        importError,
        maxImportBytes: MAX_IMPORT_BYTES,
        convocations: { ...convocations, smtp: app.config.smtp !== null, isAdmin: request.centre?.role === 'admin' },
      },
      status,
    )
  }

  app.get('/sessions/:sessionId/candidats', async (request, reply) => renderTab(request, reply))

  app.get('/sessions/:sessionId/candidats/feuille-emargement.ods', async (request, reply) => {
    const candidates = await listSheetCandidates(app.db, request.certSession.id)
    const file = buildAttendanceSheet(request.certSession, candidates)
    await journalAccess(request, 'sheetOds', candidates.length)
    return reply
      .header('Content-Type', 'application/vnd.oasis.opendocument.spreadsheet')
      .header('Content-Disposition', contentDisposition(attendanceSheetFileName(request.certSession.id)))
      .header('Cache-Control', 'no-store')
      .send(file)
  })

  app.post('/sessions/:sessionId/candidats/import', { config: open }, async (request, reply) => {
    const upload = await readUpload(request.body, 'fichier')
    // The version of the list the form was shown with.
    const shownVersion = readMultipartField(request.body, 'version_liste')
    const result = await importCandidates(app.db, request.certSession, upload, shownVersion, changeBy(request))
    if (result.ok) return reply.flash('success', msg('candidates.import.success'), result.value).seeOther(tabUrl(request))
    switch (result.reason) {
      case 'bad_file':
      case 'stale': {
        const importError = { message: result.refused, problems: result.problems, notices: result.notices }
        return renderTab(request, reply, importError, result.reason === 'stale' ? 409 : 400)
      }
      case 'finalised':
      case 'refused':
        return refuseChange(request, reply, result)
      default:
        return unreachable(result)
    }
  })

  /** A change refused as a whole: the one page of a finalised session, or the tab with the message. */
  const refuseChange = (request: FastifyRequest, reply: FastifyReply, refusal: Refusal) =>
    answerRefusal(request, reply, refusal, (message) => reply.flash('error', message).seeOther(tabUrl(request)))

  const body = formSchema(CANDIDATE_FORM_FIELDS)

  async function saveForm(request: FastifyRequest, reply: FastifyReply, existing: CandidateRow | null) {
    const values = readFields(request.body, CANDIDATE_FORM_FIELDS)
    const result = await saveCandidate(app.db, request.certSession.id, existing?.id ?? null, values, changeBy(request))
    if (result.ok) {
      const done = existing ? 'candidates.updated' : 'candidates.added'
      return reply.flash('success', msg(done, { name: displayName(result.value) })).seeOther(tabUrl(request))
    }
    switch (result.reason) {
      case 'invalid':
        return reply.page('candidates/form', { session: request.certSession, candidate: existing, values, errors: result.errors }, 400)
      case 'finalised':
      case 'refused':
        return refuseChange(request, reply, result)
      default:
        return unreachable(result)
    }
  }

  const emptyValues = { ...Object.fromEntries(CANDIDATE_FORM_FIELDS.map((f) => [f, ''])), convocationLanguage: 'fr' } as CandidateFormValues

  app.get('/sessions/:sessionId/candidats/nouveau', { config: open }, async (request, reply) => {
    return reply.page('candidates/form', { session: request.certSession, candidate: null, values: emptyValues, errors: {} })
  })

  app.post('/sessions/:sessionId/candidats/nouveau', { config: open, schema: { body } }, async (request, reply) => {
    return saveForm(request, reply, null)
  })

  app.get('/sessions/:sessionId/candidats/:candidateId/modifier', { config: open }, async (request, reply) => {
    const allowed = await candidateChangeAllowed(app.db, request.candidate.id, 'edit')
    if (!allowed.ok) return reply.flash('error', allowed.refused).seeOther(tabUrl(request))
    return reply.page('candidates/form', {
      session: request.certSession,
      candidate: request.candidate,
      values: candidateFormValues(request.candidate),
      errors: {},
    })
  })

  app.post('/sessions/:sessionId/candidats/:candidateId/modifier', { config: open, schema: { body } }, async (request, reply) => {
    return saveForm(request, reply, request.candidate)
  })

  app.get('/sessions/:sessionId/candidats/:candidateId/supprimer', { config: open }, async (request, reply) => {
    const allowed = await candidateChangeAllowed(app.db, request.candidate.id, 'delete')
    if (!allowed.ok) return reply.flash('error', allowed.refused).seeOther(tabUrl(request))
    return reply.page('candidates/delete', { session: request.certSession, candidate: request.candidate })
  })

  app.post('/sessions/:sessionId/candidats/:candidateId/supprimer', { config: open, schema: { body: formSchema([]) } }, async (request, reply) => {
    const removed = await removeCandidate(app.db, request.certSession.id, request.candidate.id, changeBy(request))
    if (!removed.ok) return refuseChange(request, reply, removed)
    return reply.flash('success', msg('candidates.deleted', { name: displayName(request.candidate) })).seeOther(tabUrl(request))
  })
}
