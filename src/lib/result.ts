import type { Msg } from '../i18n/index.ts'
import type { FieldErrors } from './forms.ts'

/**
 * The one result shape of validators and services (CONTRIBUTING.md, "Results"):
 * `{ ok: true, value }`, or a failure that says why in `reason`, a string the compiler knows:
 * `Invalid` (`reason: 'invalid'`, one message per form field in `errors`) or `Refusal` (a change
 * refused as a whole, its message in `refused`). Routes tell failures apart with a `switch` on
 * `result.reason` that ends with `default: return unreachable(result)`, so a new reason fails
 * `npm run typecheck` until every route answers it.
 */
export type Ok<T> = { ok: true; value: T }
export interface Invalid<E = FieldErrors> {
  ok: false
  reason: 'invalid'
  errors: E
}
export type Result<T, E = FieldErrors> = Ok<T> | Invalid<E>

/**
 * Why a change is refused as a whole:
 * - `refused`: the message says why (the route shows it);
 * - `finalised`: the session was finalised (meanwhile): the route answers `refuseFinalised`;
 * - `stale`: what the form was shown with changed since (another import, another tab's draft):
 *   the page again, with the current state and the message (409);
 * - `draft`: the saved finalisation draft lacks what "Valider" requires: back to step 3;
 * - `bad_file`: an uploaded file refused for what it says (the message, and its lines' problems);
 * - `login`: an invitation's log-in form must be filled again (the message on the form).
 */
export type RefusalReason = 'refused' | 'finalised' | 'stale' | 'draft' | 'bad_file' | 'login'
/** One object type per reason (a union, so that a `switch` on `reason` narrows it to `never` in its `default`). */
export type Refusal<R extends RefusalReason = 'refused' | 'finalised'> = R extends RefusalReason ? { ok: false; reason: R; refused: Msg } : never

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value }
}

export function invalid<E = FieldErrors>(errors: E): Invalid<E> {
  return { ok: false, reason: 'invalid', errors }
}

export function refused<R extends RefusalReason = 'refused'>(message: Msg, reason: R = 'refused' as R): Refusal<R> {
  return { ok: false, reason, refused: message } as Refusal<R>
}

/** The `default` of a route's `switch (result.reason)`: the compiler checks that no reason is left unanswered. */
export function unreachable(value: never): never {
  throw new Error(`Réponse inattendue : ${JSON.stringify(value)}`)
}
