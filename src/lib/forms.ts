import { type TOptional, type TProperties, type TString, Type } from 'typebox'
import type { Msg } from '../i18n/index.ts'

/** Field name → message, what every form handler returns on bad input. */
export type FieldErrors = Record<string, Msg>

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0
}

/**
 * Schema of a urlencoded form: every listed field an optional string, the CSRF token kept.
 * Length rules are the feature's (they give French messages per field); the cap here only
 * stops absurd payloads.
 */
export function formSchema(fields: readonly string[], extra: TProperties = {}) {
  const properties: TProperties = { _csrf: Type.Optional(Type.String({ maxLength: 200 })) }
  for (const name of fields) properties[name] = Type.Optional(Type.String({ maxLength: 20_000 }))
  return Type.Object({ ...properties, ...extra })
}

/**
 * Schema of a query string: each listed parameter an optional string (a parameter given twice is
 * refused with the 400 page). Routes that declare it read `request.query` typed, through
 * `@fastify/type-provider-typebox` (`app.withTypeProvider<TypeBoxTypeProvider>()`).
 */
export function querySchema<const F extends string>(fields: readonly F[], maxLength = 2000) {
  const properties = Object.fromEntries(fields.map((name) => [name, Type.Optional(Type.String({ maxLength }))])) as Record<F, TOptional<TString>>
  return Type.Object(properties)
}

/**
 * The version a form carries back (`version`, `version_liste`: see CONTRIBUTING "Stale pages"): its
 * number, or -1, which no stored version equals, when it is absent or tampered with.
 */
export function shownVersion(sent: string): number {
  const text = sent.trim()
  return /^\d{1,15}$/.test(text) ? Number(text) : -1
}

/** Field values as typed, trimmed, '' when absent. */
export function readFields<const F extends string>(body: unknown, fields: readonly F[]): Record<F, string> {
  const source = (body ?? {}) as Record<string, unknown>
  const values = {} as Record<F, string>
  for (const name of fields) {
    const value = source[name]
    values[name] = typeof value === 'string' ? value.trim() : ''
  }
  return values
}
