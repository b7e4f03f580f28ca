import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { codeFields, type IdentityValues, identityFields, validateAccessCode, validateIdentity } from '../features/joining/join-form.ts'
import { decodeIdentified, decodeJoined, decodeWaiting, encodeIdentified, encodeJoined, encodeWaiting, IDENTIFIED_TTL_MS, JOINED_TTL_MS, WAITING_TTL_MS } from '../features/joining/join-token.ts'
import { findJoinedCourse } from '../features/joining/joining.repository.ts'
import { admitCandidate, type Admission, identifiedCandidate, identifyCandidate, type JoinProblem, joinProblems, joinSession } from '../features/joining/joining.service.ts'
import { formSchema, hasErrors, readFields } from '../lib/forms.ts'
import { limitTries } from '../lib/limits.ts'

const emptyIdentity = Object.fromEntries(identityFields.map((f) => [f, ''])) as IdentityValues

/**
 * A whole exam room often reaches the server from one IP (the school's NAT) and types one session
 * number: those limits count a room's tries (up to ~60 candidates, a few tries each), ROOM times
 * the usual limit. Guessing the access code is held back by the per-candidate limit.
 */
const ROOM = 20
/**
 * Step 1 per session number: higher than one IP's limit, so that one machine typing junk with a
 * session's number cannot lock a whole room out of its session on exam day.
 */
const SESSION_STEP1 = ROOM * 5

/** The candidate identified at step 1, from the cookie the server signed; never from a form field. */
function readIdentified(request: FastifyRequest) {
  const raw = request.cookies[request.server.cookieNames.join]
  if (!raw) return null
  const unsigned = request.unsignCookie(raw)
  return unsigned.valid ? decodeIdentified(unsigned.value) : null
}

function readJoined(request: FastifyRequest) {
  const raw = request.cookies[request.server.cookieNames.joined]
  if (!raw) return null
  const unsigned = request.unsignCookie(raw)
  return unsigned.valid ? decodeJoined(unsigned.value) : null
}

function readWaiting(request: FastifyRequest) {
  const raw = request.cookies[request.server.cookieNames.waiting]
  if (!raw) return null
  const unsigned = request.unsignCookie(raw)
  return unsigned.valid ? decodeWaiting(unsigned.value) : null
}

function sessionNumberField(request: FastifyRequest): string | undefined {
  const value = (request.body as Record<string, unknown> | undefined)?.sessionNumber
  if (typeof value !== 'string' || !value.trim()) return undefined
  const typed = value.replace(/\s+/g, '')
  // '307', '0307' and ' 3 07' are one session: one counter.
  return /^\d{1,15}$/.test(typed) ? String(Number(typed)) : typed
}

/** Step 1 again, with the problem shown at its field or above the form. */
function identityPage(reply: FastifyReply, values: IdentityValues, problem: JoinProblem | null, status = 400) {
  const errors = problem?.field === 'sessionNumber' ? { sessionNumber: problem.message } : {}
  return reply.page('join/identity', { values, errors, problem: problem && !problem.field ? problem.message : null }, status)
}

/** The candidate page: public, no account; see DOMAIN.md § Candidate joining. */
export default async function joinRoutes(app: FastifyInstance) {
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies, path: '/rejoindre', signed: true } as const

  app.get('/rejoindre', { config: { public: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>
    if ('nouveau' in query) reply.clearCookie(app.cookieNames.joined, { path: '/rejoindre' }).clearCookie(app.cookieNames.waiting, { path: '/rejoindre' })
    else {
      // Back on this device shortly after joining: the same result, never a second course.
      const joined = readJoined(request)
      const course = joined && (await findJoinedCourse(app.db, joined.courseId))
      if (course) return reply.page(course.endedAt ? 'join/ended' : 'join/joined', { course })
    }
    return reply.page('join/identity', { values: emptyIdentity, errors: {}, problem: null })
  })

  app.post(
    '/rejoindre',
    {
      config: { public: true },
      schema: { body: formSchema(identityFields) },
      preHandler: limitTries(app, [
        { name: 'join:ip', factor: ROOM },
        { name: 'join:session', factor: SESSION_STEP1, by: sessionNumberField },
      ]),
    },
    async (request, reply) => {
      const values = readFields(request.body, identityFields)
      const { errors, input } = validateIdentity(values)
      if (hasErrors(errors) || !input) return reply.page('join/identity', { values, errors, problem: null }, 400)
      const result = await identifyCandidate(app.db, input)
      if ('problem' in result) return identityPage(reply, values, result.problem)
      const candidate = await identifiedCandidate(app.db, result.sessionId, result.candidateId)
      reply.setCookie(app.cookieNames.join, encodeIdentified(result.candidateId, result.sessionId), { ...cookieOptions, maxAge: IDENTIFIED_TTL_MS / 1000 })
      return reply.page('join/code', { candidate, values: { accessCode: '' }, errors: {} })
    },
  )

  app.post(
    '/rejoindre/code',
    {
      config: { public: true },
      schema: { body: formSchema(codeFields) },
      preHandler: limitTries(app, [
        { name: 'join-code:ip', factor: ROOM },
        { name: 'join-code:session', factor: ROOM, by: (request) => readIdentified(request)?.sessionId.toString() },
        { name: 'join-code:candidate', by: (request) => readIdentified(request)?.candidateId.toString() },
      ]),
    },
    async (request, reply) => {
      const identified = readIdentified(request)
      const candidate = identified && (await identifiedCandidate(app.db, identified.sessionId, identified.candidateId))
      if (!identified || !candidate) return identityPage(reply, emptyIdentity, joinProblems.expired)
      const { accessCode } = readFields(request.body, codeFields)
      const errors = validateAccessCode(accessCode)
      if (hasErrors(errors)) return reply.page('join/code', { candidate, values: { accessCode }, errors }, 400)
      const result = await joinSession(app.db, identified, accessCode)
      if ('problem' in result) {
        if (result.problem.field === 'accessCode') return reply.page('join/code', { candidate, values: { accessCode }, errors: { accessCode: result.problem.message } }, 400)
        return identityPage(reply, { ...emptyIdentity, sessionNumber: String(identified.sessionId) }, result.problem)
      }
      reply.clearCookie(app.cookieNames.join, { path: '/rejoindre' })
      return admitted(reply, identified, result)
    },
  )

  /** The access code was right: the number (started), the waiting page, or "Votre test est terminé.". */
  function admitted(reply: FastifyReply, who: { candidateId: number; sessionId: number }, result: Admission) {
    if ('waiting' in result) {
      reply.setCookie(app.cookieNames.waiting, encodeWaiting(who.candidateId, who.sessionId), { ...cookieOptions, maxAge: WAITING_TTL_MS / 1000 })
      return reply.page('join/waiting', { sessionId: who.sessionId })
    }
    reply.clearCookie(app.cookieNames.waiting, { path: '/rejoindre' })
    if ('ended' in result) return reply.page('join/ended', {})
    reply.setCookie(app.cookieNames.joined, encodeJoined(result.courseId), { ...cookieOptions, maxAge: JOINED_TTL_MS / 1000 })
    return reply.seeOther('/rejoindre')
  }

  // "J’ai prévenu mon surveillant, réessayer": nothing to type again (the waiting cookie says who).
  app.post(
    '/rejoindre/reessayer',
    {
      config: { public: true },
      schema: { body: formSchema([]) },
      preHandler: limitTries(app, [{ name: 'join-retry:ip', factor: ROOM * 5 }]),
    },
    async (request, reply) => {
      const waiting = readWaiting(request)
      if (!waiting) return identityPage(reply, emptyIdentity, joinProblems.expired)
      const result = await admitCandidate(app.db, waiting)
      if ('problem' in result) {
        reply.clearCookie(app.cookieNames.waiting, { path: '/rejoindre' })
        return identityPage(reply, { ...emptyIdentity, sessionNumber: String(waiting.sessionId) }, result.problem)
      }
      return admitted(reply, waiting, result)
    },
  )
}
