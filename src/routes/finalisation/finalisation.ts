import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { attachmentHeader, MAX_DOCUMENT_COMMENT_LENGTH, MAX_DOCUMENTS_PER_SESSION } from '../../features/finalisation/documents.ts'
import { type DraftInput, draftFieldNames, draftProblems, MAX_GLOBAL_COMMENT_LENGTH } from '../../features/finalisation/finalisation.rules.ts'
import {
  addDocument,
  addReport,
  documentContent,
  finaliseSession,
  findDocumentToRemove,
  findReportToRemove,
  loadFinalisation,
  loadReportPage,
  refusalOf,
  removeDocument,
  removeReport,
  saveDraftForm,
} from '../../features/finalisation/finalisation.service.ts'
import { allReportFields, codeLabel, hasDetailsField, MAX_DETAILS_LENGTH, REPORT_CATEGORIES } from '../../features/incidents/report-categories.ts'
import { isFinalised } from '../../features/sessions/still-open.ts'
import { msg } from '../../i18n/index.ts'
import { type FieldErrors, formSchema, readFields } from '../../lib/forms.ts'
import { normaliseNewlines } from '../../lib/text.ts'
import { unreachable } from '../../lib/result.ts'
import { readMultipartField, readUpload } from '../../plugins/external/multipart.ts'
import { displayName } from '../../lib/display-name.ts'
import { changeBy } from '../../plugins/app/actor.ts'
import { refuseFinalised } from '../../plugins/app/open-session.ts'
import { journalAccess } from '../../plugins/app/access-journal.ts'

const base = '/sessions/:sessionId/finalisation'
/** Changes of the draft: refused on a finalised session (scope.ts). */
const open = { openSession: true }
const wizardUrl = (sessionId: number, anchor = '') => `/sessions/${sessionId}/finalisation${anchor}`

// The main form: step 1 ticks, step 3 comment, and which button was pressed.
const draftSchema = formSchema([draftFieldNames.choice, draftFieldNames.comment, 'action', 'brouillon'], {
  [draftFieldNames.endScreen]: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 5000 })),
})
const reportFields = allReportFields()

function draftInput(body: unknown): DraftInput {
  const values = readFields(body, [draftFieldNames.choice, draftFieldNames.comment])
  const ticked = (body as Record<string, unknown> | undefined)?.[draftFieldNames.endScreen]
  return { endScreen: [ticked ?? []].flat().map(String), choice: values[draftFieldNames.choice], comment: values[draftFieldNames.comment] }
}

/** Finalisation wizard (guide, chapter 5): steps 1–3, reports, documents, confirmation, printable summary. */
export default async function finalisationRoutes(app: FastifyInstance) {
  /**
   * The 409 page that refuses a change: session not started, or finalised since the request
   * loaded it (then the one page of a finalised session; routes flagged `openSession` never get
   * here with a session already finalised).
   */
  async function refuse(request: FastifyRequest, reply: FastifyReply) {
    const refusal = await refusalOf(app.db, request.certSession)
    if (isFinalised(refusal.session)) return refuseFinalised(request, reply, refusal)
    return reply.page('finalisation/refused', refusal, 409)
  }

  interface WizardOptions {
    values?: DraftInput
    errors?: FieldErrors
    status?: number
  }
  async function renderWizard(request: FastifyRequest, reply: FastifyReply, options: WizardOptions = {}) {
    const view = await loadFinalisation(app.db, request.certSession)
    if (view.state !== 'open') {
      if (view.state === 'finalised' && !options.status) return reply.page('finalisation/finalised', { ...view })
      return refuse(request, reply)
    }
    const values = options.values ?? {
      endScreen: view.candidates.filter((c) => c.hasSeenEndScreen).map((c) => String(c.id)),
      choice: view.session.global_comment_choice ?? '',
      comment: view.session.global_comment ?? '',
    }
    return reply.page(
      'finalisation/wizard',
      {
        ...view,
        codeLabel,
        values,
        errors: options.errors ?? {},
        maxComment: MAX_GLOBAL_COMMENT_LENGTH,
        maxDocuments: MAX_DOCUMENTS_PER_SESSION,
      },
      options.status,
    )
  }

  app.get(base, async (request, reply) => renderWizard(request, reply))

  // One form, several buttons: Sauvegarder, Tout cocher, Valider, "Ajouter ?" (saves, then opens the report page),
  // "Ajouter un document" (saves, then opens the upload page) and the "Supprimer" of a report or a document
  // (saves the draft as typed, then removes). No button belongs to another form (text browsers).
  app.post(base, { config: open, schema: { body: draftSchema } }, async (request, reply) => {
    const session = request.certSession
    const action = readFields(request.body, ['action']).action
    const removal = /^supprimer-(signalement|document)-(\d+)$/.exec(action)
    if (removal) {
      const id = Number(removal[2])
      if (removal[1] === 'signalement') {
        const report = await findReportToRemove(app.db, session.id, id)
        if (!report) return reply.callNotFound()
        const removed = await removeReport(app.db, session, report, draftInput(request.body), changeBy(request))
        if (!removed.ok) return refuse(request, reply)
        return reply
          .flash('success', msg('finalisation.report.deleted', { code: report.code, name: removed.value }))
          .seeOther(wizardUrl(session.id, `#candidat-${report.candidate_id}`))
      }
      const document = await findDocumentToRemove(app.db, session.id, id)
      if (!document) return reply.callNotFound()
      if (!(await removeDocument(app.db, session, document.id, changeBy(request), draftInput(request.body))).ok) return refuse(request, reply)
      return reply.flash('success', msg('finalisation.documents.deleted', { name: document.original_name })).seeOther(wizardUrl(session.id, '#etape-2'))
    }
    const options = { tickAll: action === 'tout_cocher', forValidation: action === 'valider' }
    const saved = await saveDraftForm(app.db, session, draftInput(request.body), options, changeBy(request))
    if (!saved.ok) {
      switch (saved.reason) {
        case 'invalid':
          return renderWizard(request, reply, { values: saved.values, errors: saved.errors, status: 400 })
        case 'finalised':
        case 'refused':
          return refuse(request, reply)
        default:
          return unreachable(saved)
      }
    }
    const { startedIds } = saved.value

    if (action === 'valider') return reply.seeOther(`${wizardUrl(session.id)}/confirmation`)
    if (action === 'document') return reply.flash('success', msg('finalisation.saved')).seeOther(`${wizardUrl(session.id)}/documents`)
    if (action === 'tout_cocher') return reply.flash('success', msg('finalisation.all_checked')).seeOther(wizardUrl(session.id, '#etape-1'))
    const reportFor = /^signaler-(\d+)$/.exec(action)
    if (reportFor) {
      const candidateId = Number(reportFor[1])
      if (!startedIds.includes(candidateId)) return reply.callNotFound()
      return reply.seeOther(`${wizardUrl(session.id)}/candidats/${candidateId}/signalement`)
    }
    return reply.flash('success', msg('finalisation.saved')).seeOther(wizardUrl(session.id))
  })

  // --- Reports ---------------------------------------------------------------------------

  async function reportPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: FieldErrors, status?: number) {
    const loaded = await loadReportPage(app.db, request.certSession, request.candidate.id)
    if (!loaded) return reply.callNotFound()
    if (!loaded.ok) return refuse(request, reply)
    const { candidate, reports } = loaded.value
    return reply.page(
      'finalisation/report',
      {
        session: request.certSession,
        candidate,
        reports,
        values,
        errors,
        codeLabel,
        categories: REPORT_CATEGORIES,
        hasDetailsField,
        maxDetails: MAX_DETAILS_LENGTH,
      },
      status,
    )
  }

  app.get(`${base}/candidats/:candidateId/signalement`, { config: open }, async (request, reply) => reportPage(request, reply, {}, {}))

  app.post(`${base}/candidats/:candidateId/signalement`, { config: open, schema: { body: formSchema(reportFields) } }, async (request, reply) => {
    const values = readFields(request.body, reportFields)
    const result = await addReport(app.db, request.certSession, request.candidate.id, values, changeBy(request))
    if (!result) return reply.callNotFound()
    if (!result.ok) {
      switch (result.reason) {
        case 'invalid':
          return reportPage(request, reply, values, result.errors, 400)
        case 'finalised':
        case 'refused':
          return refuse(request, reply)
        default:
          return unreachable(result)
      }
    }
    return reply
      .flash('success', msg('finalisation.report.added', { code: result.value.code, name: displayName(request.candidate) }))
      .seeOther(wizardUrl(request.certSession.id, `#candidat-${request.candidate.id}`))
  })

  // Sent by the "Supprimer" button of the main form (brouillon=1): the draft typed so far is kept too.
  app.post(`${base}/signalements/:reportId/supprimer`, { config: open, schema: { body: draftSchema } }, async (request, reply) => {
    const session = request.certSession
    const draft = readFields(request.body, ['brouillon']).brouillon === '1' ? draftInput(request.body) : null
    const removed = await removeReport(app.db, session, request.report, draft, changeBy(request))
    if (!removed.ok) return refuse(request, reply)
    return reply
      .flash('success', msg('finalisation.report.deleted', { code: request.report.code, name: removed.value }))
      .seeOther(wizardUrl(session.id, `#candidat-${request.report.candidate_id}`))
  })

  // --- Documents -------------------------------------------------------------------------

  /** The upload form of step 2, a page of its own (a file needs a multipart form, the wizard's is not). */
  async function renderDocumentPage(request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, comment = '', status?: number) {
    const view = await loadFinalisation(app.db, request.certSession)
    if (view.state !== 'open') return refuse(request, reply)
    return reply.page(
      'finalisation/document',
      {
        session: view.session,
        candidateCount: view.candidateCount,
        documentCount: view.documents.length,
        errors,
        comment,
        maxDocuments: MAX_DOCUMENTS_PER_SESSION,
        maxDocumentComment: MAX_DOCUMENT_COMMENT_LENGTH,
      },
      status,
    )
  }

  app.get(`${base}/documents`, { config: open }, async (request, reply) => renderDocumentPage(request, reply))

  app.post(`${base}/documents`, { config: open }, async (request, reply) => {
    const session = request.certSession
    const upload = await readUpload(request.body, 'fichier')
    const comment = normaliseNewlines(readMultipartField(request.body, 'commentaire')).trim()
    const result = await addDocument(app.db, session, upload, comment, changeBy(request))
    if (!result.ok) {
      switch (result.reason) {
        case 'invalid':
          return renderDocumentPage(request, reply, result.errors, comment, 400)
        case 'finalised':
        case 'refused':
          return refuse(request, reply)
        default:
          return unreachable(result)
      }
    }
    return reply.flash('success', msg('finalisation.documents.added', { name: result.value })).seeOther(wizardUrl(session.id, '#etape-2'))
  })

  // Members of the centre only (scope.ts); always an attachment, never rendered by the browser.
  app.get(`${base}/documents/:documentId`, async (request, reply) => {
    const document = request.sessionDocument
    const content = await documentContent(app.db, document.session_id, document.id)
    if (!content) return reply.callNotFound()
    return reply
      .header('Content-Type', document.mime_type)
      .header('Content-Disposition', attachmentHeader(document.original_name))
      .header('Content-Length', String(content.length))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, no-store')
      .send(content)
  })

  app.post(`${base}/documents/:documentId/supprimer`, { config: open, schema: { body: formSchema([]) } }, async (request, reply) => {
    const session = request.certSession
    const document = request.sessionDocument
    if (!(await removeDocument(app.db, session, document.id, changeBy(request))).ok) return refuse(request, reply)
    return reply.flash('success', msg('finalisation.documents.deleted', { name: document.original_name })).seeOther(wizardUrl(session.id, '#etape-2'))
  })

  // --- Confirmation, finalisation, summary -----------------------------------------------

  /** The summary as stored now, with its draft version in the form (what "Finaliser" will finalise). */
  async function renderConfirmation(request: FastifyRequest, reply: FastifyReply, changed = false) {
    const view = await loadFinalisation(app.db, request.certSession)
    if (view.state === 'finalised') return reply.seeOther(wizardUrl(view.session.id))
    if (view.state !== 'open') return refuse(request, reply)
    const problem = draftProblems(view.session)
    if (problem) return reply.flash('error', changed ? msg('finalisation.confirm.changed') : problem).seeOther(wizardUrl(view.session.id, '#etape-3'))
    return reply.page('finalisation/confirm', { ...view, codeLabel, changed }, changed ? 409 : undefined)
  }

  app.get(`${base}/confirmation`, async (request, reply) => renderConfirmation(request, reply))

  app.post(`${base}/confirmation`, { config: open, schema: { body: formSchema(['version']) } }, async (request, reply) => {
    const session = request.certSession
    const { version } = readFields(request.body, ['version'])
    const result = await finaliseSession(app.db, session, request.user!.id, version, changeBy(request))
    // The details tab now shows the green "transmises" box and the link to the printable summary.
    if (result.ok) return reply.flash('success', msg('finalisation.confirm.done', { id: session.id })).seeOther(`/sessions/${session.id}`)
    switch (result.reason) {
      case 'stale':
        return renderConfirmation(request, reply, true)
      case 'draft':
        return reply.flash('error', result.refused).seeOther(wizardUrl(session.id, '#etape-3'))
      case 'finalised':
      case 'refused':
        return refuse(request, reply)
      default:
        return unreachable(result)
    }
  })

  app.get(`${base}/recapitulatif`, async (request, reply) => {
    const view = await loadFinalisation(app.db, request.certSession)
    if (view.state !== 'finalised') return reply.seeOther(wizardUrl(view.session.id))
    await journalAccess(request, 'summary')
    return reply.page('finalisation/summary', { ...view, codeLabel, backUrl: `/sessions/${view.session.id}` })
  })
}
