import { fr } from './fr/index.ts'

/**
 * All UI text goes through `t`. A catalog value is a string with {placeholders}, or plural
 * forms chosen by the `count` parameter. An English catalog can be added beside `fr`.
 */
export type Plural = { zero?: string; one: string; other: string }
export type Catalog = Record<string, string | Plural>
export type Params = Record<string, string | number>

/** A message to show later: its key and parameters (feature code returns these, views translate them). */
export interface Msg {
  key: MessageKey
  params?: Params
}
/** Every key of the French catalog: a typo in `t('…')` or `msg('…')` fails `npm run typecheck`. */
export type MessageKey = keyof typeof fr
export const msg = (key: MessageKey, params?: Params): Msg => ({ key, params })

const catalogs: Record<string, Catalog> = { fr }

/** A missing key throws (tests, development) or prints the key (production: set by src/server.ts from NODE_ENV). */
let strictMessages = true
export function setStrictMessages(strict: boolean): void {
  strictMessages = strict
}

export function translate(locale: string, message: MessageKey | Msg, params?: Params): string {
  const key = typeof message === 'string' ? message : message.key
  const values = typeof message === 'string' ? params : { ...message.params, ...params }
  const entry = catalogs[locale]?.[key]
  if (entry === undefined) {
    if (strictMessages) throw new Error(`Missing message: ${key}`)
    return key
  }
  let text: string
  if (typeof entry === 'string') text = entry
  else {
    const count = Number(values?.count ?? 0)
    text = count === 0 && entry.zero !== undefined ? entry.zero : Math.abs(count) < 2 ? entry.one : entry.other
  }
  if (!values) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name]
    return value === undefined ? whole : String(value)
  })
}

export const t = (message: MessageKey | Msg, params?: Params): string => translate('fr', message, params)

export function hasMessage(key: string, locale = 'fr'): boolean {
  return catalogs[locale]?.[key] !== undefined
}
