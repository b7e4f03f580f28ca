import type { FastifyInstance, FastifyRequest } from 'fastify'

export interface Limit {
  /** Names the counter, e.g. 'login:email'. */
  name: string
  /** What is counted; the client's IP when absent or undefined. */
  by?: (request: FastifyRequest) => string | undefined
  /** Multiplies the configured maximum (a whole exam room shares one IP and one session number). */
  factor?: number
}

/**
 * Tries allowed per window for what can be guessed at (passwords, tokens, access codes), several
 * counters at once. They are checked in one preHandler: @fastify/rate-limit runs only the first of
 * several app.rateLimit() hooks on a route, so the counters use createRateLimit instead.
 */
export function limitTries(app: FastifyInstance, limits: Limit[]) {
  const checks = limits.map(({ name, by, factor = 1 }) =>
    app.createRateLimit({
      max: app.config.rateLimit.max * factor,
      timeWindow: app.config.rateLimit.windowMs,
      keyGenerator: (request) => `${name}:${by?.(request) ?? request.ip}`,
    }),
  )
  return async (request: FastifyRequest) => {
    for (const check of checks) {
      const result = await check(request)
      if (!result.isAllowed && result.isExceeded) throw Object.assign(new Error(`Too many tries (${limits.map((l) => l.name).join(', ')})`), { statusCode: 429 })
    }
  }
}

/** The limits of one form: per IP, plus per value of a field (e.g. the e-mail tried) when given. */
export function limitForm(app: FastifyInstance, name: string, field?: string) {
  const limits: Limit[] = [{ name: `${name}:ip` }]
  if (field) {
    limits.push({
      name: `${name}:${field}`,
      by: (request) => {
        const value = (request.body as Record<string, unknown> | undefined)?.[field]
        return typeof value === 'string' && value.trim() ? value.trim().toLowerCase() : 'none'
      },
    })
  }
  return limitTries(app, limits)
}
