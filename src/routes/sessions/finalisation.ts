import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { attachmentHeader, MAX_DOCUMENT_COMMENT_LENGTH, MAX_DOCUMENTS_PER_SESSION } from '../../features/finalisation/documents.ts'
import * as repo from '../../features/finalisation/finalisation.repository.ts'
import {
  type DraftInput,
  draftFieldNames,
  draftProblems,
  MAX_GLOBAL_COMMENT_LENGTH,
  normaliseNewlines,
  readDraft,
} from '../../features/finalisation/finalisation.rules.ts'
import { addDocument, loadFinalisation, loadState, refusalOf } from '../../features/finalisation/finalisation.service.ts'
import {
  allReportFields,
  codeLabel,
  hasDetailsField,
  MAX_DETAILS_LENGTH,
  REPORT_CATEGORIES,
  validateReport,
} from '../../features/finalisation/report-categories.ts'
import { msg } from '../../i18n/index.ts'
import { type FieldErrors, formSchema, hasErrors, readFields } from '../../lib/forms.ts'
import { readMultipartField, readUpload } from '../../plugins/external/multipart.ts'
import { findCandidateInSession } from '../../features/candidates/candidates.repository.ts'
import { candidateName } from '../../features/candidates/candidates.service.ts'
import { changeBy } from '../../plugins/app/actor.ts'
import { refuseFinalised } from '../../plugins/app/open-session.ts'

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
    const { session, message } = await refusalOf(app.db, request.certSession)
    if (session.finalised_at) return refuseFinalised(request, reply)
    return reply.page('finalisation/refused', { session, message }, 409)
  }

  interface WizardOptions {
    values?: DraftInput
    errors?: FieldErrors
    documentErrors?: FieldErrors
    documentComment?: string
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
        documentErrors: options.documentErrors ?? {},
        documentComment: options.documentComment ?? '',
        maxComment: MAX_GLOBAL_COMMENT_LENGTH,
        maxDocuments: MAX_DOCUMENTS_PER_SESSION,
        maxDocumentComment: MAX_DOCUMENT_COMMENT_LENGTH,
      },
      options.status,
    )
  }

  app.get(base, async (request, reply) => renderWizard(request, reply))

  // One form, several buttons: Sauvegarder, Tout cocher, Valider, and "Ajouter ?" (saves, then opens the report page).
  app.post(base, { config: open, schema: { body: draftSchema } }, async (request, reply) => {
    const session = request.certSession
    const { state, joined } = await loadState(app.db, session)
    if (state !== 'open') return refuse(request, reply)
    const action = readFields(request.body, ['action']).action
    const input = draftInput(request.body)
    const joinedIds = joined.map((c) => c.id)
    if (action === 'tout_cocher') input.endScreen = joinedIds.map(String)
    const { draft, errors } = readDraft(input, joinedIds, { forValidation: action === 'valider' })
    if (hasErrors(errors)) return renderWizard(request, reply, { values: input, errors, status: 400 })
    if (!(await repo.saveDraft(app.db, session.id, joinedIds, draft, changeBy(request)))) return refuse(request, reply)

    if (action === 'valider') return reply.seeOther(`${wizardUrl(session.id)}/confirmation`)
    if (action === 'tout_cocher') return reply.flash('success', msg('finalisation.all_checked')).seeOther(wizardUrl(session.id, '#etape-1'))
    const reportFor = /^signaler-(\d+)$/.exec(action)
    if (reportFor) {
      const candidateId = Number(reportFor[1])
      if (!joinedIds.includes(candidateId)) return reply.callNotFound()
      return reply.seeOther(`${wizardUrl(session.id)}/candidats/${candidateId}/signalement`)
    }
    return reply.flash('success', msg('finalisation.saved')).seeOther(wizardUrl(session.id))
  })

  // --- Reports ---------------------------------------------------------------------------

  async function reportPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: FieldErrors, status?: number) {
    const { state, joined } = await loadState(app.db, request.certSession)
    if (state !== 'open') return refuse(request, reply)
    const candidate = joined.find((c) => c.id === request.candidate.id)
    if (!candidate) return reply.callNotFound()
    const reports = (await repo.listReports(app.db, request.certSession.id)).filter((r) => r.candidate_id === candidate.id)
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
    const result = validateReport(values)
    if (!result.ok) return reportPage(request, reply, values, result.errors, 400)
    const { state, joined } = await loadState(app.db, request.certSession)
    if (state !== 'open') return refuse(request, reply)
    if (!joined.some((c) => c.id === request.candidate.id)) return reply.callNotFound()
    if (!(await repo.insertReport(app.db, request.certSession.id, request.candidate.id, result.value, changeBy(request)))) return refuse(request, reply)
    return reply
      .flash('success', msg('finalisation.report.added', { code: result.value.code, name: candidateName(request.candidate) }))
      .seeOther(wizardUrl(request.certSession.id, `#candidat-${request.candidate.id}`))
  })

  // Sent by the "Supprimer" button of the main form (brouillon=1): the draft typed so far is kept too.
  app.post(`${base}/signalements/:reportId/supprimer`, { config: open, schema: { body: draftSchema } }, async (request, reply) => {
    const session = request.certSession
    const { state, joined } = await loadState(app.db, session)
    if (state !== 'open') return refuse(request, reply)
    if (readFields(request.body, ['brouillon']).brouillon === '1') {
      const joinedIds = joined.map((c) => c.id)
      const { draft, errors } = readDraft(draftInput(request.body), joinedIds)
      if (!hasErrors(errors)) await repo.saveDraft(app.db, session.id, joinedIds, draft, null)
    }
    if (!(await repo.deleteReport(app.db, session.id, request.report.id, changeBy(request)))) return refuse(request, reply)
    const candidate = await findCandidateInSession(app.db, session.id, request.report.candidate_id)
    return reply
      .flash('success', msg('finalisation.report.deleted', { code: request.report.code, name: candidate ? candidateName(candidate) : '' }))
      .seeOther(wizardUrl(session.id, `#candidat-${request.report.candidate_id}`))
  })

  // --- Documents -------------------------------------------------------------------------

  app.post(`${base}/documents`, { config: open }, async (request, reply) => {
    const session = request.certSession
    const upload = await readUpload(request.body, 'fichier')
    const comment = normaliseNewlines(readMultipartField(request.body, 'commentaire')).trim()
    const result = await addDocument(app.db, session, upload, comment, changeBy(request))
    if ('refused' in result) return refuse(request, reply)
    if (!result.ok) return renderWizard(request, reply, { documentErrors: result.errors, documentComment: comment, status: 400 })
    return reply.flash('success', msg('finalisation.documents.added', { name: result.value })).seeOther(wizardUrl(session.id, '#etape-2'))
  })

  // Members of the centre only (scope.ts); always an attachment, never rendered by the browser.
  app.get(`${base}/documents/:documentId`, async (request, reply) => {
    const document = request.sessionDocument
    const content = await repo.documentContent(app.db, document.session_id, document.id)
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
    const { state } = await loadState(app.db, session)
    if (state !== 'open') return refuse(request, reply)
    const document = request.sessionDocument
    if (!(await repo.deleteDocument(app.db, session.id, document.id, changeBy(request)))) return refuse(request, reply)
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
    const { state } = await loadState(app.db, session)
    if (state !== 'open') return refuse(request, reply)
    const problem = draftProblems(session)
    if (problem) return reply.flash('error', problem).seeOther(wizardUrl(session.id, '#etape-3'))
    const shown = readFields(request.body, ['version']).version
    // A form without a version (or a tampered one) was not a confirmation of the stored draft.
    const shownVersion = /^\d{1,15}$/.test(shown) ? Number(shown) : -1
    const result = await repo.finalise(app.db, session.id, request.user!.id, shownVersion, changeBy(request))
    if (result === 'draft_changed') return renderConfirmation(request, reply, true)
    if (result === 'already_finalised') return refuse(request, reply)
    if (result === 'not_started') return refuse(request, reply)
    if (result === 'draft_invalid') return reply.flash('error', msg('finalisation.comment.error.empty')).seeOther(wizardUrl(session.id, '#etape-3'))
    // The details tab now shows the green "transmises" box and the link to the printable summary.
    return reply.flash('success', msg('finalisation.confirm.done', { id: session.id })).seeOther(`/sessions/${session.id}`)
  })

  app.get(`${base}/recapitulatif`, async (request, reply) => {
    const view = await loadFinalisation(app.db, request.certSession)
    if (view.state !== 'finalised') return reply.seeOther(wizardUrl(view.session.id))
    return reply.page('finalisation/summary', { ...view, codeLabel, backUrl: `/sessions/${view.session.id}` })
  })
}
