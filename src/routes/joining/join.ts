import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { codeFields, type IdentityInput, type IdentityValues, identityFields, validateAccessCode, validateIdentity } from '../../features/joining/join-form.ts'
import {
  decodeIdentified,
  decodeStarted,
  decodeWaiting,
  encodeIdentified,
  encodeStarted,
  encodeWaiting,
  IDENTIFIED_TTL_MS,
  STARTED_TTL_MS,
  WAITING_TTL_MS,
} from '../../features/joining/join-token.ts'
import { type Admission, admitCandidate, joinProblems, joinSession, loadStartedCourse } from '../../features/joining/joining.service.ts'
import { type Refusal, unreachable } from '../../lib/result.ts'
import { normaliseName } from '../../features/joining/names.ts'
import { formSchema, querySchema, readFields } from '../../lib/forms.ts'
import { limitTries, missRefused, ROOM, SCHOOL } from '../../plugins/app/limits.ts'

const emptyIdentity = Object.fromEntries(identityFields.map((f) => [f, ''])) as IdentityValues

/** The identity typed at step 1, from the cookie the server signed; never from a form field. */
function readIdentified(request: FastifyRequest) {
  const raw = request.cookies[request.server.cookieNames.join]
  if (!raw) return null
  const unsigned = request.unsignCookie(raw)
  return unsigned.valid ? decodeIdentified(unsigned.value) : null
}

function readStarted(request: FastifyRequest) {
  const raw = request.cookies[request.server.cookieNames.started]
  if (!raw) return null
  const unsigned = request.unsignCookie(raw)
  return unsigned.valid ? decodeStarted(unsigned.value) : null
}

/** Passed the access code, waiting for the invigilator (Espace surveillant). */
function readWaiting(request: FastifyRequest) {
  const raw = request.cookies[request.server.cookieNames.waiting]
  if (!raw) return null
  const unsigned = request.unsignCookie(raw)
  return unsigned.valid ? decodeWaiting(unsigned.value) : null
}

/** One person's counter: the session number and the details, compared as the matching does. */
function candidateKey(request: FastifyRequest) {
  const identity = readIdentified(request)
  return identity ? [identity.sessionId, normaliseName(identity.lastName), normaliseName(identity.firstName), identity.birthdate].join(':') : undefined
}

/** The step 1 form filled again with what the candidate typed. */
function identityValues(identity: IdentityInput): IdentityValues {
  const [birthYear = '', birthMonth = '', birthDay = ''] = identity.birthdate.split('-')
  return { sessionNumber: String(identity.sessionId), firstName: identity.firstName, lastName: identity.lastName, birthDay, birthMonth, birthYear }
}

/** Step 1 again, with the problem above the form. */
function identityPage(reply: FastifyReply, values: IdentityValues, problem: Refusal, status = 400) {
  return reply.page('join/identity', { values, errors: {}, problem: problem.refused }, status)
}

/** The candidate page: public, no account; see DOMAIN.md § Candidate joining and docs/security.md. */
export default async function joinRoutes(app: FastifyInstance) {
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies, path: '/rejoindre', signed: true } as const

  // ?nouveau (another candidate on this device) or ?modifier (back from step 2): present or not.
  const joinQuery = querySchema(['nouveau', 'modifier'])
  app.withTypeProvider<TypeBoxTypeProvider>().get('/rejoindre', { config: { public: true }, schema: { querystring: joinQuery } }, async (request, reply) => {
    const query = request.query
    if (query.nouveau !== undefined)
      reply.clearCookie(app.cookieNames.started, { path: '/rejoindre' }).clearCookie(app.cookieNames.waiting, { path: '/rejoindre' })
    else if (query.modifier !== undefined) {
      // Back from step 2 to correct a detail: the form filled with what was typed.
      const identity = readIdentified(request)
      return reply.page('join/identity', { values: identity ? identityValues(identity) : emptyIdentity, errors: {}, problem: null })
    } else {
      // Back on this device shortly after joining: the same result, never a second course.
      const started = readStarted(request)
      const course = started && (await loadStartedCourse(app.db, started.courseId))
      if (course) return reply.page(course.endedAt ? 'join/ended' : 'join/joined', { course })
    }
    return reply.page('join/identity', { values: emptyIdentity, errors: {}, problem: null })
  })

  // Step 1 checks the form only: whether the session exists, is open or lists this person is
  // told nobody before the access code is right too (step 2). Nothing to guess here, no limit.
  app.post('/rejoindre', { config: { public: true }, schema: { body: formSchema(identityFields) } }, async (request, reply) => {
    const values = readFields(request.body, identityFields)
    const validation = validateIdentity(values)
    if (!validation.ok) return reply.page('join/identity', { values, errors: validation.errors, problem: null }, 400)
    const identity = validation.value
    reply.setCookie(app.cookieNames.join, encodeIdentified(identity), { ...cookieOptions, maxAge: IDENTIFIED_TTL_MS / 1000 })
    return reply.page('join/code', { identity, values: { accessCode: '' }, errors: {} })
  })

  app.post(
    '/rejoindre/code',
    {
      config: { public: true },
      schema: { body: formSchema(codeFields) },
      // Misses only, most specific first: the person as typed (session + details) gets `max` tries,
      // then growing delays (slowed, never locked out by a neighbour typing their name), whether
      // listed or not. The session number and the IP (a room's and a school's worth) never refuse
      // a listed candidate's right code: over them only misses are refused, the same answer for
      // everyone, so invented identities keep nobody out and tell nobody who is listed
      // (docs/security.md).
      preHandler: limitTries(app, [
        { name: 'join:candidate', by: candidateKey, backoff: true, resetOnSuccess: true },
        { name: 'join:session', factor: ROOM, by: (request) => readIdentified(request)?.sessionId.toString(), afterMiss: true },
        { name: 'join:ip', factor: SCHOOL, afterMiss: true },
      ]),
    },
    async (request, reply) => {
      const identity = readIdentified(request)
      if (!identity) return identityPage(reply, emptyIdentity, joinProblems.expired)
      const { accessCode } = readFields(request.body, codeFields)
      const code = validateAccessCode(accessCode)
      if (!code.ok) return reply.page('join/code', { identity, values: { accessCode }, errors: code.errors }, 400)
      const result = await joinSession(app.db, identity, code.value)
      if (!result.ok) {
        if (result.miss) {
          await request.tries?.fail()
          if (missRefused(request, reply)) return identityPage(reply, identityValues(identity), joinProblems.crowded, 429)
        }
        return identityPage(reply, identityValues(identity), result)
      }
      await request.tries?.succeed()
      reply.clearCookie(app.cookieNames.join, { path: '/rejoindre' })
      return admitted(reply, result.value)
    },
  )

  /**
   * Code and identity right: the number (started), the waiting page, or "Votre test est terminé.".
   * The waiting cookie is set once, with the access code (`fromRetry` false): a retry that still
   * waits leaves it as it is, its 4 hours counting from the code (WAITING_TTL_MS).
   */
  function admitted(reply: FastifyReply, result: Admission, fromRetry = false) {
    switch (result.kind) {
      case 'waiting':
        if (!fromRetry)
          reply.setCookie(app.cookieNames.waiting, encodeWaiting(result.waiting.candidateId, result.waiting.sessionId), {
            ...cookieOptions,
            maxAge: WAITING_TTL_MS / 1000,
          })
        return reply.page('join/waiting', { sessionId: result.waiting.sessionId })
      case 'ended':
        reply.clearCookie(app.cookieNames.waiting, { path: '/rejoindre' })
        return reply.page('join/ended', {})
      case 'started':
        reply.clearCookie(app.cookieNames.waiting, { path: '/rejoindre' })
        reply.setCookie(app.cookieNames.started, encodeStarted(result.courseId), { ...cookieOptions, maxAge: STARTED_TTL_MS / 1000 })
        return reply.seeOther('/rejoindre')
      default:
        return unreachable(result)
    }
  }

  // "J’ai prévenu mon surveillant, réessayer": nothing to type again (the signed waiting cookie
  // says who passed the code); nothing to guess either, so no limit of tries.
  app.post('/rejoindre/reessayer', { config: { public: true }, schema: { body: formSchema([]) } }, async (request, reply) => {
    const waiting = readWaiting(request)
    if (!waiting) return identityPage(reply, emptyIdentity, joinProblems.expired)
    const result = await admitCandidate(app.db, waiting)
    if (!result.ok) {
      reply.clearCookie(app.cookieNames.waiting, { path: '/rejoindre' })
      return identityPage(reply, { ...emptyIdentity, sessionNumber: String(waiting.sessionId) }, result)
    }
    return admitted(reply, result.value, true)
  })
}
