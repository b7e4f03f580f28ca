import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { MAX_INSTRUCTIONS_LENGTH } from '../../features/convocations/convocation.ts'
import { loadInstructions, loadPrintedConvocations, saveInstructions, sendConvocations } from '../../features/convocations/convocations.service.ts'
import { instructionsFields, readInstructionsForm } from '../../features/convocations/instructions-form.ts'
import { msg } from '../../i18n/index.ts'
import { type FieldErrors, formSchema, querySchema, readFields } from '../../lib/forms.ts'
import { parseId } from '../../lib/ids.ts'
import { centreId } from '../../plugins/app/auth.ts'
import { changeBy } from '../../plugins/app/actor.ts'
import { answerRefusal } from '../../plugins/app/open-session.ts'
import { publicUrlOf } from '../../plugins/app/public-url.ts'
import { journalAccess } from '../../plugins/app/access-journal.ts'
import { documentLanguage } from '../printables/document-language.ts'
import { displayName } from '../../lib/display-name.ts'

const tabUrl = (request: FastifyRequest) => `/sessions/${request.certSession.id}/candidats#convocations`
/** Sending: refused on a finalised session (scope.ts). */
const open = { openSession: true }

/** Convocations: send by e-mail in the background, print, the centre's instructions. */
export default async function convocationRoutes(app: FastifyInstance) {
  async function queue(request: FastifyRequest, reply: FastifyReply, candidateIds: number[] | null) {
    if (!app.config.smtp) return reply.flash('error', msg('convocations.no_smtp_short')).seeOther(tabUrl(request))
    const sent = await sendConvocations(app.db, request.certSession, candidateIds, changeBy(request), app.config.publicUrlSet ? null : publicUrlOf(request))
    if (!sent.ok) return answerRefusal(request, reply, sent, (message) => reply.flash('error', message).seeOther(tabUrl(request)))
    if (sent.value > 0) app.convocations.wake()
    return reply.flash(sent.value > 0 ? 'success' : 'warning', msg('convocations.queued', { count: sent.value })).seeOther(tabUrl(request))
  }

  // "Envoyer les convocations par e-mail" (everyone still waiting for one), the ticked candidates
  // (`coches`), or one row's "Renvoyer" (`renvoyer-N`: a button of the list's form).
  const sendSchema = formSchema(['envoi'], { candidats: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 5000 })) })
  app.post('/sessions/:sessionId/convocations/envoi', { config: open, schema: { body: sendSchema } }, async (request, reply) => {
    const { envoi } = readFields(request.body, ['envoi'])
    const resend = /^renvoyer-(\d{1,12})$/.exec(envoi)
    if (resend) return queue(request, reply, [Number(resend[1])])
    if (envoi !== 'coches') return queue(request, reply, null)
    const ticked = [(request.body as { candidats?: string[] } | undefined)?.candidats ?? []].flat()
    const ids = ticked.map(parseId).filter((id) => id !== null)
    return queue(request, reply, ids)
  })

  app.post('/sessions/:sessionId/convocations/candidats/:candidateId/renvoyer', { config: open, schema: { body: formSchema([]) } }, async (request, reply) => {
    if (!request.candidate.email) return reply.flash('error', msg('convocations.no_email', { name: displayName(request.candidate) })).seeOther(tabUrl(request))
    return queue(request, reply, [request.candidate.id])
  })

  // The print version: one A4 page per candidate (default) or two per page; one candidate with ?candidat=N.
  const printQuery = querySchema(['par-page', 'candidat', 'langue'])
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get('/sessions/:sessionId/impression/convocations', { schema: { querystring: printQuery } }, async (request, reply) => {
      const session = request.certSession
      const query = request.query
      const perPage = query['par-page'] === '2' ? 2 : 1
      const only = parseId(query.candidat)
      // French page, each convocation in its candidate's language; with ?langue=en, all in English.
      const document = documentLanguage(request)
      const printed = await loadPrintedConvocations(app.db, session, request.centre!, { only, locale: document.locale, publicUrl: publicUrlOf(request) })
      if (!printed) return reply.callNotFound()
      await journalAccess(request, 'convocations', printed.convocations.length)
      return reply.page('convocations/print', { ...document, session, ...printed, perPage })
    })

  // "Consignes aux candidats": the centre's text on every convocation (admins).
  const renderInstructions = async (request: FastifyRequest, reply: FastifyReply, value: string, errors: FieldErrors = {}, status = 200) =>
    reply.page('convocations/instructions', { value, errors, max: MAX_INSTRUCTIONS_LENGTH }, status)

  app.get('/equipe/consignes', { config: { role: 'admin' } }, async (request, reply) =>
    renderInstructions(request, reply, (await loadInstructions(app.db, centreId(request))) ?? ''),
  )

  app.post('/equipe/consignes', { config: { role: 'admin' }, schema: { body: formSchema(instructionsFields) } }, async (request, reply) => {
    const { typed, result } = readInstructionsForm(request.body)
    if (!result.ok) return renderInstructions(request, reply, typed, result.errors, 400)
    await saveInstructions(app.db, result.value, changeBy(request))
    return reply.flash('success', msg('convocations.instructions.saved')).seeOther('/equipe/consignes')
  })
}
