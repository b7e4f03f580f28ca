import type { Msg } from '../i18n/index.ts'
import type { FieldErrors } from './forms.ts'

/**
 * The one result shape of validators and services (CONTRIBUTING.md, "Results"):
 * `{ ok: true, value }` or `{ ok: false, errors }` (one message per form field), and for a change
 * refused as a whole `Refusal` (`{ ok: false, refused: Msg }`, with `finalised: true` when the
 * reason is that the session was finalised meanwhile: the route answers `refuseFinalised`).
 * Test with `result.ok`, then `'errors' in result` or `'refused' in result` when both can happen.
 */
export type Ok<T> = { ok: true; value: T }
export type Result<T, E = FieldErrors> = Ok<T> | { ok: false; errors: E }
export interface Refusal {
  ok: false
  refused: Msg
  finalised?: true
}

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value }
}

export function invalid<E = FieldErrors>(errors: E): { ok: false; errors: E } {
  return { ok: false, errors }
}

export function refused(message: Msg, options: { finalised?: true } = {}): Refusal {
  return { ok: false, refused: message, ...options }
}
