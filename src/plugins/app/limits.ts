import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type Counter, counterKey, type Rule } from '../../lib/tries.ts'

/*
 * Sizes, in units of app.config.rateLimit.max failures per app.config.rateLimit.windowMs (10 per
 * 15 minutes by default): see docs/security.md. A school reaches the server from one IP (its
 * NAT): a few hundred staff, exam rooms of 60 candidates, sometimes several rooms at once.
 */
/** Per IP: a whole school's mistakes. */
export const SCHOOL = 30
/** Per session number: a room's worth of mistakes (60 candidates, a few each). */
export const ROOM = 20
/** Growing delays of the per-account counters: 1 s, 2 s, 4 s… at most 5 minutes. */
export const BACKOFF = { baseMs: 1000, capMs: 5 * 60 * 1000 }

export interface Limit {
  /** Names the counter, e.g. 'login:account'. */
  name: string
  /** What is counted; the client's IP when absent. Nothing (undefined, '') skips the counter for this request. */
  by?: (request: FastifyRequest) => string | undefined
  /** Multiplies the configured maximum. */
  factor?: number
  /** Growing delays instead of a lock for the window (accounts: their owner is slowed, never locked out). */
  backoff?: boolean
  /** With backoff, the longest delay (BACKOFF.capMs when absent). */
  capMs?: number
  /** A success clears this counter (the account's or the candidate's own). */
  resetOnSuccess?: boolean
  /**
   * Never refuses before the attempt is decided: over its limit, a success still goes through and
   * a failure is answered 429 (`missRefused`). For shared counters (a room's IP, a session number)
   * in front of what nobody can learn from a failure: a listed candidate's code, a link's token.
   */
  afterMiss?: boolean
  /** Acts as `afterMiss` while the limit of that name, listed before this one, has no misses (see Counter in src/lib/tries.ts). */
  afterMissWhileClean?: string
}

/** A form field's value as a counter key: trimmed, lower case ('' when absent). */
export function field(name: string) {
  return (request: FastifyRequest) => {
    const value = (request.body as Record<string, unknown> | undefined)?.[name]
    return typeof value === 'string' ? value.trim().toLowerCase() : undefined
  }
}

/**
 * The route's preHandler for what can be guessed at (passwords, tokens, access codes). It checks
 * every counter, in the order given (most specific first), without charging any: one over its
 * limit answers 429 with Retry-After. The handler then says how the attempt ended:
 * `await request.tries?.fail()` (wrong password, wrong code…: every counter is charged) or
 * `await request.tries?.succeed()` (nothing charged, `resetOnSuccess` counters cleared). Neither
 * (a form error) charges nothing. A HEAD request (a link preview) is no try: nothing is checked
 * nor counted.
 */
export function limitTries(
  app: FastifyInstance,
  limits: Limit[],
  /** A page of the feature's own for a refused try (status 429, Retry-After set) instead of "Trop de tentatives". */
  options: { refused?: (request: FastifyRequest, reply: FastifyReply, waitSeconds: number) => unknown } = {},
) {
  const { max, windowMs } = app.config.rateLimit
  const rules = limits.map((l): Rule => ({
    max: max * (l.factor ?? 1),
    windowMs,
    ...(l.backoff ? { backoff: { baseMs: BACKOFF.baseMs, capMs: Math.min(l.capMs ?? BACKOFF.capMs, windowMs) } } : {}),
  }))
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'HEAD') return
    const counters: Counter[] = []
    limits.forEach((l, i) => {
      const value = l.by ? l.by(request) : request.ip
      if (value)
        counters.push({
          name: l.name,
          key: counterKey(l.name, value),
          rule: rules[i]!,
          resetOnSuccess: l.resetOnSuccess,
          afterMiss: l.afterMiss,
          afterMissWhileClean: l.afterMissWhileClean,
        })
    })
    const admission = await app.tries.begin(counters)
    if (!admission.admitted) {
      const error = tooManyTries(reply, admission)
      if (!options.refused) throw error
      await options.refused(request, reply.code(429), Math.ceil(admission.retryAfterMs / 1000))
      return reply
    }
    request.tries = admission.attempt
  }
}

/** The 429 error (the "Trop de tentatives" page) with Retry-After. */
export function tooManyTries(reply: FastifyReply, refusal: { counter: string; retryAfterMs: number }) {
  reply.header('retry-after', String(Math.ceil(refusal.retryAfterMs / 1000)))
  return Object.assign(new Error(`Too many tries (${refusal.counter})`), { statusCode: 429 })
}

/**
 * After `await request.tries?.fail()`: null, or (an `afterMiss` counter was over its limit) the 429
 * error this failure is answered with, Retry-After set; throw it, or answer a page of the feature's
 * own with status 429.
 */
export function missRefused(request: FastifyRequest, reply: FastifyReply) {
  const over = request.tries?.over
  return over ? tooManyTries(reply, over) : null
}
