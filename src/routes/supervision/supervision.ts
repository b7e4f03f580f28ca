import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import {
  allReportFields,
  codeLabel,
  hasDetailsField,
  MAX_DETAILS_LENGTH,
  REPORT_CATEGORIES,
  validateReport,
} from '../../features/incidents/report-categories.ts'
import {
  act,
  endAccess,
  loadSupervision,
  loginFields,
  openAccess,
  recordIncident,
  regeneratePassword,
  type SupervisionAction,
} from '../../features/supervision/supervision.service.ts'
import { CLOCK_REASONS } from '../../features/supervision/supervision.table.ts'
import { exportFields, exportFileName, incidentRows, toCsv, toOds, validateRange } from '../../features/incidents/incidents-export.ts'
import { create as contentDisposition } from 'content-disposition'
import { loadTimeline } from '../../features/supervision/timeline.service.ts'
import { COUNTED_NEEDS, NEED_SLUG } from '../../features/supervision/supervision.service.ts'
import { actOnMany, BULK_ACTIONS, bulkFields, isBulkAction, MAX_BULK, namedCandidates, tickedIds, waitingIds } from '../../features/supervision/bulk.service.ts'
import { Type } from 'typebox'
import {
  addTime,
  MAX_TIME_DETAILS_LENGTH,
  pause,
  pauseRoom,
  reasonLabel,
  resume,
  resumeRoom,
  timeFields,
  validateTimeChange,
} from '../../features/supervision/time-control.service.ts'
import { MAX_ADDED_MINUTES, MAX_TOTAL_ADDED_MINUTES, MIN_ADDED_MINUTES } from '../../features/supervision/clock.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import { type FieldErrors, formSchema, querySchema, readFields } from '../../lib/forms.ts'
import { parseId } from '../../lib/ids.ts'
import { matchesTag, weakTag } from '../../lib/etag.ts'
import { formatClock } from '../../lib/dates.ts'
import { centreId } from '../../plugins/app/auth.ts'
import { limitTries, missRefused } from '../../plugins/app/limits.ts'
import { answerRefusal, refuseFinalised } from '../../plugins/app/open-session.ts'

/**
 * Misses per window before delays: per IP a room's worth (a school shares one IP between its
 * rooms), per session number (and per session number and IP) enough for its invigilators' typos.
 * Past them, growing delays (1 s, 2 s, 4 s… at most LOGIN_DELAY_CAP_MS) rather than a lock, and an
 * IP that never missed on a number is judged at once: whatever others tried, the right password
 * opens the Espace surveillant within seconds, while one of 24⁶ ≈ 191 million passwords cannot be
 * guessed at one try per 10 s per session number plus one per new IP (docs/features.md § Espace
 * surveillant).
 */
const LOGIN_PER_IP = 5
const LOGIN_PER_SESSION = 3
const LOGIN_DELAY_CAP_MS = 10_000

const pageUrl = (sessionId: number, anchor = '') => `/sessions/${sessionId}/surveillance${anchor}`
const rowAnchor = (candidateId: number) => `#candidat-${candidateId}`
const reportFields = allReportFields()
const searchField = 'recherche'

function sessionNumberOf(request: FastifyRequest): string | undefined {
  const value = (request.body as Record<string, unknown> | undefined)?.sessionNumber
  if (typeof value !== 'string' || !value.trim()) return undefined
  const typed = value.replace(/\s+/g, '')
  return /^\d{1,15}$/.test(typed) ? String(Number(typed)) : typed
}

function sessionAndIpOf(request: FastifyRequest): string | undefined {
  const session = sessionNumberOf(request)
  return session === undefined ? undefined : `${session}|${request.ip}`
}

/** What the page shows open: a "Terminer le test" confirmation or the incident form of one row. */
interface OpenStep {
  endFor?: number
  incidentFor?: number
  /** "Ajouter du temps" / "Suspendre" of one row, or the room's "Suspendre toute la salle". */
  timeFor?: number
  pauseFor?: number
  roomPause?: boolean
  /** The bulk form (item 4) sent back with its errors, and the candidates ticked. */
  bulk?: boolean
  ticked?: number[]
  values?: Record<string, string>
  errors?: FieldErrors
}

/** What the supervision page's URL may carry: the search, and which row's step is open. */
const pageQuery = querySchema([searchField, 'terminer', 'signalement', 'temps', 'suspendre', 'salle', 'tri', 'filtre'])
type PageQuery = Static<typeof pageQuery>

function rowId(value: string | undefined): number | undefined {
  return parseId(value) ?? undefined
}

/** Espace surveillant: the public login, the supervision page and its actions. */
export default async function supervisionRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  // Every Espace surveillant route needs an open session: on a finalised one, scope.ts ends the access with the one page.
  const invigilator = { invigilator: true, openSession: true }

  async function renderPage(
    request: FastifyRequest,
    reply: FastifyReply,
    query: PageQuery,
    open: OpenStep = {},
    status?: number,
    template = 'supervision/page',
    conditional = false,
  ) {
    const session = request.certSession
    const view = await loadSupervision(app.db, session, { search: query[searchField], order: query.tri === 'nom' ? 'name' : 'need', filter: query.filtre })
    const locals = {
      ...view,
      accessCode: session.access_code,
      asInvigilator: request.supervisor.kind === 'invigilator',
      endFor: open.endFor ?? rowId(query.terminer),
      incidentFor: open.incidentFor ?? rowId(query.signalement),
      timeFor: open.timeFor ?? rowId(query.temps),
      pauseFor: open.pauseFor ?? rowId(query.suspendre),
      roomPauseOpen: open.roomPause ?? query.salle === 'suspendre',
      timeValues: open.bulk ? {} : (open.values ?? {}),
      timeErrors: open.bulk ? {} : (open.errors ?? {}),
      bulkValues: open.bulk ? (open.values ?? {}) : {},
      bulkErrors: open.bulk ? (open.errors ?? {}) : {},
      ticked: open.ticked ?? [],
      bulkActions: BULK_ACTIONS,
      countedNeeds: COUNTED_NEEDS,
      needSlug: NEED_SLUG,
      reasons: CLOCK_REASONS,
      reasonLabel,
      timeBounds: { min: MIN_ADDED_MINUTES, max: MAX_ADDED_MINUTES, total: MAX_TOTAL_ADDED_MINUTES, details: MAX_TIME_DETAILS_LENGTH },
      incidentValues: open.values ?? {},
      incidentErrors: open.errors ?? {},
      categories: REPORT_CATEGORIES,
      codeLabel,
      hasDetailsField,
      maxDetails: MAX_DETAILS_LENGTH,
    }
    if (conditional) {
      // The list refreshed by enhance.js: unchanged since the last fetch (same data, language and
      // query), a 304 says so without rendering, and gives the time of this check for the
      // "Liste à jour à" line, the one thing that changes on every fetch.
      // A theoretical end moves on while a pause lasts; the list shows its minute (formatClock).
      // Each row as its values without its keys: every row is built by the same object literal
      // (loadSupervision), so a value's place says which field it is. The same information,
      // about half as long to serialise and digest.
      const shown = view.candidates.map((c) => Object.values({ ...c, theoreticalEnd: c.theoreticalEnd?.slice(0, 16) }))
      // The rest of the locals is the query's (in the URL), the open step's, or the same constants for every render.
      const tag = weakTag(template, request.locale, request.url, locals.accessCode, locals.asInvigilator, open, {
        ...view,
        candidates: shown,
        updatedAt: undefined,
      })
      reply.header('ETag', tag).header('Certisalle-Updated', formatClock(view.updatedAt, true))
      if (status === undefined && matchesTag(request.headers['if-none-match'], tag)) return reply.header('Cache-Control', 'no-store').code(304).send()
    }
    return reply.page(template, locals, status)
  }

  function back(reply: FastifyReply, type: 'success' | 'error', message: Msg, candidateId: number) {
    return reply.flash(type, message).seeOther(pageUrl(reply.request.certSession.id, rowAnchor(candidateId)))
  }

  // --- Login -----------------------------------------------------------------------------------

  /** The login page again with the session number typed, saying how many seconds to wait (status and Retry-After already set). */
  function loginWait(reply: FastifyReply, sessionNumber: string, seconds: number) {
    return reply.page('supervision/login', { values: { sessionNumber, password: '' }, error: msg('supervision.login.wait', { seconds }) }, 429)
  }

  app.get('/surveillance', { config: { public: true } }, async (request, reply) => {
    return reply.page('supervision/login', { values: { sessionNumber: '', password: '' }, error: null })
  })

  app.post(
    '/surveillance',
    {
      config: { public: true },
      schema: { body: formSchema(loginFields) },
      preHandler: limitTries(
        app,
        [
          // An IP's misses on one session number slow that IP on it; while an IP has none there, its
          // try is judged whatever the number's or the IP's other counters say, so a candidate at home
          // or on the school's IP hammering numbers cannot keep out an invigilator who has not missed.
          { name: 'supervise:session-ip', factor: LOGIN_PER_SESSION, by: sessionAndIpOf, backoff: true, capMs: LOGIN_DELAY_CAP_MS },
          {
            name: 'supervise:session',
            factor: LOGIN_PER_SESSION,
            by: sessionNumberOf,
            backoff: true,
            capMs: LOGIN_DELAY_CAP_MS,
            afterMissWhileClean: 'supervise:session-ip',
          },
          { name: 'supervise:ip', factor: LOGIN_PER_IP, backoff: true, capMs: LOGIN_DELAY_CAP_MS, afterMissWhileClean: 'supervise:session-ip' },
        ],
        {
          // The login page again, saying how many seconds to wait (never minutes: see above).
          refused: (request, reply, seconds) => loginWait(reply, sessionNumberOf(request) ?? '', seconds),
        },
      ),
    },
    async (request, reply) => {
      const values = readFields(request.body, loginFields)
      const result = await openAccess(app.db, values)
      // The password is never sent back into the page. Only misses count (docs/features.md § Espace surveillant).
      if (!result.ok) {
        if (result.miss) await request.tries?.fail()
        // Judged although the number or the IP is over its limit (this IP had not missed on it): a
        // miss then gets the same wait as a try refused unjudged, so nothing tells the two apart.
        if (result.miss && missRefused(request, reply)) return loginWait(reply.code(429), values.sessionNumber, Number(reply.getHeader('retry-after')))
        return reply.page('supervision/login', { values: { sessionNumber: values.sessionNumber, password: '' }, error: result.refused }, 400)
      }
      await request.tries?.succeed()
      const { token, expiresAt, sessionId } = result.value
      return reply.startInvigilatorAccess(token, expiresAt).seeOther(pageUrl(sessionId))
    },
  )

  // --- The page --------------------------------------------------------------------------------

  typed.get('/sessions/:sessionId/surveillance', { config: invigilator, schema: { querystring: pageQuery } }, async (request, reply) =>
    renderPage(request, reply, request.query),
  )

  // What enhance.js fetches every 5 seconds: the list alone (same data, same markup).
  typed.get('/sessions/:sessionId/surveillance/liste', { config: invigilator, schema: { querystring: pageQuery } }, async (request, reply) => {
    return renderPage(request, reply, request.query, {}, undefined, 'supervision/list-fragment', true)
  })

  // --- Actions: small POST forms, each answered by a 303 back to its row -----------------------

  const actionRoutes: Array<[string, SupervisionAction | 'end_screen']> = [
    ['presence', 'confirm'],
    ['presence/annuler', 'cancel'],
    ['terminer', 'end'],
    ['ecran-de-fin', 'end_screen'],
  ]
  for (const [path, kind] of actionRoutes) {
    app.post(
      `/sessions/:sessionId/surveillance/candidats/:candidateId/${path}`,
      { config: invigilator, schema: { body: formSchema(['vu']) } },
      async (request, reply) => {
        const action: SupervisionAction = kind === 'end_screen' ? (readFields(request.body, ['vu']).vu === '1' ? 'end_screen_on' : 'end_screen_off') : kind
        const result = await act(app.db, request.certSession.id, request.candidate, action, request.supervisor)
        if (!result.ok) return answerRefusal(request, reply, result, (message) => back(reply, 'error', message, request.candidate.id))
        return back(reply, 'success', result.value, request.candidate.id)
      },
    )
  }

  typed.post(
    '/sessions/:sessionId/surveillance/candidats/:candidateId/signalement',
    { config: invigilator, schema: { body: formSchema(reportFields), querystring: pageQuery } },
    async (request, reply) => {
      const values = readFields(request.body, reportFields)
      const validation = validateReport(values)
      if (!validation.ok) return renderPage(request, reply, request.query, { incidentFor: request.candidate.id, values, errors: validation.errors }, 400)
      const result = await recordIncident(app.db, request.certSession.id, request.candidate, validation.value, request.supervisor)
      if (!result.ok) return answerRefusal(request, reply, result, (message) => back(reply, 'error', message, request.candidate.id))
      return back(reply, 'success', result.value, request.candidate.id)
    },
  )

  // --- Time control: per candidate, and for the whole room ------------------------

  function answer(request: FastifyRequest, reply: FastifyReply, result: Awaited<ReturnType<typeof pauseRoom>>, url: string) {
    if (!result.ok) return answerRefusal(request, reply, result, (message) => reply.flash('error', message).seeOther(url))
    return reply.flash('success', result.value).seeOther(url)
  }

  // "Ajouter du temps" (minutes and a reason) and "Suspendre" (a reason) of one row: the same form read the same way.
  for (const step of [
    { slug: 'temps', withMinutes: true, open: 'timeFor', change: addTime },
    { slug: 'suspendre', withMinutes: false, open: 'pauseFor', change: pause },
  ] as const) {
    typed.post(
      `/sessions/:sessionId/surveillance/candidats/:candidateId/${step.slug}`,
      { config: invigilator, schema: { body: formSchema(timeFields), querystring: pageQuery } },
      async (request, reply) => {
        const values = readFields(request.body, timeFields)
        const valid = validateTimeChange(values, step.withMinutes)
        if (!valid.ok) return renderPage(request, reply, request.query, { [step.open]: request.candidate.id, values, errors: valid.errors }, 400)
        const result = await step.change(app.db, request.certSession.id, [request.candidate.id], valid.value, request.supervisor)
        return answer(request, reply, result, pageUrl(request.certSession.id, rowAnchor(request.candidate.id)))
      },
    )
  }

  app.post(
    '/sessions/:sessionId/surveillance/candidats/:candidateId/reprendre',
    { config: invigilator, schema: { body: formSchema([]) } },
    async (request, reply) => {
      const result = await resume(app.db, request.certSession.id, [request.candidate.id], request.supervisor)
      return answer(request, reply, result, pageUrl(request.certSession.id, rowAnchor(request.candidate.id)))
    },
  )

  typed.post(
    '/sessions/:sessionId/surveillance/salle/suspendre',
    { config: invigilator, schema: { body: formSchema(timeFields), querystring: pageQuery } },
    async (request, reply) => {
      const values = readFields(request.body, timeFields)
      const valid = validateTimeChange(values, false)
      if (!valid.ok) return renderPage(request, reply, request.query, { roomPause: true, values, errors: valid.errors }, 400)
      const result = await pauseRoom(app.db, request.certSession.id, valid.value, request.supervisor)
      return answer(request, reply, result, pageUrl(request.certSession.id, '#salle'))
    },
  )

  app.post('/sessions/:sessionId/surveillance/salle/reprendre', { config: invigilator, schema: { body: formSchema([]) } }, async (request, reply) => {
    const result = await resumeRoom(app.db, request.certSession.id, request.supervisor)
    return answer(request, reply, result, pageUrl(request.certSession.id, '#salle'))
  })

  // --- A candidate's timeline: read-only and printable, also after finalisation for staff -----

  app.get('/sessions/:sessionId/surveillance/candidats/:candidateId/chronologie', { config: { invigilator: true } }, async (request, reply) => {
    const { entries } = await loadTimeline(app.db, request.certSession.id, request.candidate.id)
    return reply.page('supervision/timeline', { session: request.certSession, candidate: request.candidate, entries })
  })

  // --- Bulk actions: ticked rows (form="groupe") or every candidate waiting ------

  const bulkSchema = formSchema(bulkFields, {
    candidats: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: MAX_BULK })])),
  })
  typed.post(
    '/sessions/:sessionId/surveillance/groupe',
    { config: invigilator, schema: { body: bulkSchema, querystring: pageQuery } },
    async (request, reply) => {
      const session = request.certSession
      const values = readFields(request.body, bulkFields)
      const sent = tickedIds([request.body.candidats ?? []].flat() as string[])
      const ids = values.tous === 'en-attente' ? [...new Set([...sent, ...(await waitingIds(app.db, session.id))])] : sent
      // Another session's or centre's candidate: not found, like every scoped id.
      const people = await namedCandidates(app.db, session.id, ids)
      if (people.length !== ids.length) return reply.callNotFound()
      const back = pageUrl(session.id, '#groupe')
      if (!isBulkAction(values.action))
        return renderPage(request, reply, request.query, { bulk: true, ticked: ids, values, errors: { action: msg('supervision.bulk.error.action') } }, 400)
      if (ids.length === 0) return reply.flash('error', msg('supervision.bulk.none')).seeOther(back)
      let result
      if (values.action === 'temps' || values.action === 'suspendre') {
        const valid = validateTimeChange(values, values.action === 'temps')
        if (!valid.ok) return renderPage(request, reply, request.query, { bulk: true, ticked: ids, values, errors: valid.errors }, 400)
        result = await (values.action === 'temps' ? addTime : pause)(app.db, session.id, ids, valid.value, request.supervisor)
      } else if (values.action === 'reprendre') result = await resume(app.db, session.id, ids, request.supervisor)
      else if (values.action === 'confirmer') result = await actOnMany(app.db, session.id, ids, 'confirm', request.supervisor)
      else if (values.confirme !== '1') return reply.page('supervision/bulk-end', { session, people })
      else result = await actOnMany(app.db, session.id, ids, 'end', request.supervisor)
      return answer(request, reply, result, back)
    },
  )

  // --- Incidents out: the centre's reports over a date range, .ods or .csv (admins) ---

  const exportQuery = querySchema([...exportFields, 'format'])
  typed.get('/equipe/signalements', { config: { role: 'admin' }, schema: { querystring: exportQuery } }, async (request, reply) => {
    const values = { du: request.query.du ?? '', au: request.query.au ?? '' }
    const format = request.query.format
    if (format !== 'ods' && format !== 'csv') return reply.page('supervision/incidents-export', { values, errors: {} })
    const range = validateRange(values)
    if (!range.ok) return reply.page('supervision/incidents-export', { values, errors: range.errors }, 400)
    const rows = await incidentRows(app.db, centreId(request), range.value)
    return reply
      .header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.oasis.opendocument.spreadsheet')
      .header('Content-Disposition', contentDisposition(exportFileName(range.value, format)))
      .send(format === 'csv' ? toCsv(rows) : toOds(rows))
  })

  // --- Leaving ---------------------------------------------------------------------------------

  // On a finalised session there is nothing left to leave: the access ends with the same page as everywhere else (scope.ts).
  app.get('/sessions/:sessionId/surveillance/quitter', { config: invigilator }, async (request, reply) => {
    if (request.supervisor.kind === 'staff') return reply.seeOther(`/sessions/${request.certSession.id}`)
    return reply.page('supervision/leave', { session: request.certSession })
  })

  app.post('/sessions/:sessionId/surveillance/quitter', { config: invigilator, schema: { body: formSchema([]) } }, async (request, reply) => {
    if (request.supervisor.kind === 'staff') return reply.seeOther(`/sessions/${request.certSession.id}`)
    await endAccess(app.db, request.supervisor.accessId)
    return reply
      .endInvigilatorAccess()
      .flash('success', msg('supervision.access.left', { id: request.certSession.id }))
      .seeOther('/surveillance')
  })

  // --- Staff: the password -----------------------------------------------------------------------

  app.get('/sessions/:sessionId/mot-de-passe-surveillant', { config: { openSession: true } }, async (request, reply) => {
    return reply.page('supervision/regenerate', { session: request.certSession })
  })

  app.post('/sessions/:sessionId/mot-de-passe-surveillant', { config: { openSession: true }, schema: { body: formSchema([]) } }, async (request, reply) => {
    const session = request.certSession
    // Refused only when the session was finalised after scope.ts let the request through.
    if (!(await regeneratePassword(app.db, session, request.user!.id)).ok) return refuseFinalised(request, reply)
    return reply.flash('success', msg('supervision.staff.regenerated', { id: session.id })).seeOther(`/sessions/${session.id}#mot-de-passe-surveillant`)
  })
}
