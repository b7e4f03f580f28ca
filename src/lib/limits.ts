import type { FastifyInstance, FastifyRequest } from 'fastify'

/**
 * Tries allowed per window for what can be guessed at (passwords, tokens, access codes).
 * `by` names what is counted: the client's IP, or the e-mail or session being tried.
 */
export function limitTries(app: FastifyInstance, name: string, by: (request: FastifyRequest) => string | undefined = () => undefined) {
  return app.rateLimit({
    max: app.config.rateLimit.max,
    timeWindow: app.config.rateLimit.windowMs,
    keyGenerator: (request) => `${name}:${by(request) ?? request.ip}`,
  })
}

/** The limits of one form: per IP, plus per value of a field when given. */
export function limitForm(app: FastifyInstance, name: string, field?: string) {
  const hooks = [limitTries(app, `${name}:ip`)]
  if (field) {
    hooks.push(
      limitTries(app, `${name}:${field}`, (request) => {
        const value = (request.body as Record<string, unknown> | undefined)?.[field]
        return typeof value === 'string' && value.trim() ? value.trim().toLowerCase() : 'none'
      }),
    )
  }
  return hooks
}
