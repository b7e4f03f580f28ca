import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  filterFields,
  filterQuery,
  isFiltering,
  parseSessionFilters,
  readFilterValues,
  SESSION_STATUS_FILTERS,
} from '../../features/sessions/session-filters.ts'
import {
  inputTypes,
  emptySessionForm,
  type SessionFormValues,
  sessionFields,
  validateSessionForm,
  valuesForRedisplay,
  valuesFromSession,
} from '../../features/sessions/session-form.ts'
import {
  createSession,
  deleteSession,
  isDurationLocked,
  listSessionsPage,
  loadDeletion,
  loadSessionDetails,
  sessionStatus,
  updateSession,
} from '../../features/sessions/sessions.service.ts'
import { msg } from '../../i18n/index.ts'
import { displayPassword } from '../../features/supervision/password.ts'
import { type FieldErrors, formSchema, hasErrors, querySchema, readFields } from '../../lib/forms.ts'
import { parsePage } from '../../lib/pagination.ts'
import { centreId } from '../../plugins/app/auth.ts'
import { actorOf } from '../../plugins/app/actor.ts'
import { answerRefusal, refuseFinalised } from '../../plugins/app/open-session.ts'

const body = formSchema(sessionFields)

async function renderForm(reply: FastifyReply, mode: 'create' | 'edit', values: SessionFormValues, errors: FieldErrors = {}, status?: number) {
  const session = mode === 'edit' ? reply.request.certSession : null
  const durationLocked = session !== null && (await isDurationLocked(reply.server.db, session.id))
  return reply.page('sessions/form', { mode, session, values, errors, types: inputTypes(values), durationLocked }, status)
}

/** Changes of the session: refused on a finalised one (scope.ts). */
const open = { openSession: true }

/** List, create, details, edit and delete of the current centre's certification sessions. */
export default async function sessionRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const listQuery = querySchema([...filterFields, 'page'])
  typed.get('/sessions', { schema: { querystring: listQuery } }, async (request, reply) => {
    const query = request.query
    const values = readFilterValues(query)
    const { filters, errors } = parseSessionFilters(values)
    const { sessions, pagination } = await listSessionsPage(app.db, centreId(request), filters, parsePage(query.page))
    const filtering = isFiltering(filters) || hasErrors(errors)
    return reply.page('sessions/list', {
      sessions,
      pagination,
      sessionStatus,
      values,
      errors,
      filtering,
      statuses: SESSION_STATUS_FILTERS,
      queryFor: (page: number) => filterQuery(values, page),
    })
  })

  app.get('/sessions/nouvelle', async (request, reply) => renderForm(reply, 'create', emptySessionForm))

  app.post('/sessions/nouvelle', { schema: { body } }, async (request, reply) => {
    const values = readFields(request.body, sessionFields)
    const validation = validateSessionForm(values)
    if (!validation.ok) return renderForm(reply, 'create', valuesForRedisplay(values), validation.errors, 400)
    const id = await createSession(app.db, centreId(request), validation.value, actorOf(request))
    return reply.flash('success', msg('sessions.created', { id })).seeOther(`/sessions/${id}`)
  })

  typed.get('/sessions/:sessionId', { schema: { querystring: querySchema(['historique']) } }, async (request, reply) => {
    const session = request.certSession
    const details = await loadSessionDetails(app.db, session, parsePage(request.query.historique))
    return reply.page('sessions/details', {
      session,
      invigilatorPassword: displayPassword(session.invigilator_password),
      ...details,
      retentionMonths: app.config.retentionMonths,
    })
  })

  app.get('/sessions/:sessionId/modifier', { config: open }, async (request, reply) => {
    return renderForm(reply, 'edit', valuesFromSession(request.certSession))
  })

  app.post('/sessions/:sessionId/modifier', { config: open, schema: { body } }, async (request, reply) => {
    const values = readFields(request.body, sessionFields)
    const validation = validateSessionForm(values)
    if (!validation.ok) return renderForm(reply, 'edit', valuesForRedisplay(values), validation.errors, 400)
    const result = await updateSession(app.db, request.certSession, validation.value, actorOf(request))
    if (!result.ok) return refuseFinalised(request, reply)
    return reply.flash('success', msg('sessions.updated', { id: request.certSession.id })).seeOther(`/sessions/${request.certSession.id}`)
  })

  app.get('/sessions/:sessionId/supprimer', { config: open }, async (request, reply) => {
    const session = request.certSession
    const deletion = await loadDeletion(app.db, session)
    if (!deletion.ok) return reply.flash('error', deletion.refused).seeOther(`/sessions/${session.id}`)
    return reply.page('sessions/delete', { session, candidateCount: deletion.value.candidateCount })
  })

  app.post('/sessions/:sessionId/supprimer', { config: open, schema: { body: formSchema([]) } }, async (request, reply) => {
    const session = request.certSession
    const result = await deleteSession(app.db, session, actorOf(request))
    if (!result.ok) return answerRefusal(request, reply, result, (message) => reply.flash('error', message).seeOther(`/sessions/${session.id}`))
    return reply.flash('success', msg('sessions.deleted', { id: session.id })).seeOther('/sessions')
  })
}
