import { en } from './en/index.ts'
import { fr } from './fr/index.ts'
import { formatTimestamp } from '../lib/dates.ts'
import { onFirstUse } from '../lib/lazy-modules.ts'

/**
 * All UI text goes through `t`. A catalog value is a string with {placeholders}, or plural
 * forms chosen by the `count` parameter. French is the reference catalog (its keys are the
 * MessageKey type); the English one has the same keys, placeholders and plural forms
 * (test/i18n/catalog.test.ts).
 */
export type Plural = { zero?: string; one: string; other: string }
export type Catalog = Record<string, string | Plural>
/**
 * A parameter: text, a plain number (a session number, a line: never grouped), or a value to be
 * formatted in the language of the page that shows the message — `asNumber(5000)` ('5 000' /
 * '5,000'), `asTimestamp(iso)` ('12 janvier 2021 à 14:05' / '12 January 2021 at 14:05').
 */
export type Param = string | number | { number: number } | { timestamp: string }
export type Params = Record<string, Param>
export const asNumber = (value: number): Param => ({ number: value })
export const asTimestamp = (iso: string): Param => ({ timestamp: iso })
/** A feature's catalog in another language: the same keys, a string where French has one, plural forms where French has them. */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Plural }

/** Every key of the French catalog: a typo in `t('…')` or `msg('…')` fails `npm run typecheck`. */
export type MessageKey = keyof typeof fr

/** A message to show later: its key and parameters (feature code returns these, views translate them). */
export interface Msg {
  key: MessageKey
  params?: Params
}
export const msg = (key: MessageKey, params?: Params): Msg => ({ key, params })

export const LOCALES = ['fr', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'fr'
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/**
 * The language of an official document (attendance sheet, PV d'incident, kit, convocations): French
 * whatever the page's language, English only when asked (`?langue=en`, the print page's link).
 */
export function documentLocale(query: unknown): Locale {
  return (query as { langue?: unknown } | undefined)?.langue === 'en' ? 'en' : 'fr'
}

export const catalogs: Record<Locale, Partial<Record<MessageKey, string | Plural>>> = { fr, en }

/** A missing key throws (tests, development) or prints the key (production: set by src/server.ts from NODE_ENV). */
let strictMessages = true
export function setStrictMessages(strict: boolean): void {
  strictMessages = strict
}

const pluralRules: Record<Locale, () => Intl.PluralRules> = {
  fr: onFirstUse(() => new Intl.PluralRules('fr')),
  en: onFirstUse(() => new Intl.PluralRules('en')),
}

export function translate(locale: Locale, message: MessageKey | Msg, params?: Params): string {
  const key = typeof message === 'string' ? message : message.key
  const values = typeof message === 'string' ? params : { ...message.params, ...params }
  // A key not (yet) in another catalog shows in French rather than breaking the page; the parity test fails.
  const entry = catalogs[locale]?.[key] ?? (fr as Catalog)[key]
  if (entry === undefined) {
    if (strictMessages) throw new Error(`Missing message: ${key}`)
    return key
  }
  let text: string
  if (typeof entry === 'string') text = entry
  else {
    const count = numeric(values?.count)
    // French: 0 and 1 are singular ("0 candidat"); English: only 1 ("0 candidates").
    text = count === 0 && entry.zero !== undefined ? entry.zero : (pluralRules[locale] ?? pluralRules.fr)().select(count) === 'one' ? entry.one : entry.other
  }
  if (!values) return text
  const parts = placeholderParts(text)
  if (parts.length === 1) return text
  let out = parts[0]!
  for (let i = 1; i < parts.length; i += 2) {
    const value = values[parts[i]!]
    out += (value === undefined ? `{${parts[i]}}` : formatParam(locale, value)) + parts[i + 1]!
  }
  return out
}

/**
 * A message split once at its {placeholders}: [text, name, text, name, text…] (a page of 200
 * candidates fills the same few messages a thousand times; a regular expression each time was a
 * visible share of its rendering in the bench's profile).
 */
const partsCache = new Map<string, string[]>()
function placeholderParts(text: string): string[] {
  let parts = partsCache.get(text)
  if (!parts) {
    parts = text.split(/\{(\w+)\}/)
    partsCache.set(text, parts)
  }
  return parts
}

const numberFormats: Record<Locale, () => Intl.NumberFormat> = {
  fr: onFirstUse(() => new Intl.NumberFormat('fr-FR')),
  en: onFirstUse(() => new Intl.NumberFormat('en-GB')),
}

function numeric(value: Param | undefined): number {
  return typeof value === 'object' && 'number' in value ? value.number : Number(value ?? 0)
}

function formatParam(locale: Locale, value: Param): string {
  if (typeof value !== 'object') return String(value)
  if ('number' in value) return (numberFormats[locale] ?? numberFormats.fr)().format(value.number)
  return formatTimestamp(value.timestamp, locale)
}

export type Translate = (message: MessageKey | Msg, params?: Params) => string

const translators = new Map<Locale, Translate>()
/** `t` for one language (render.ts gives each page the request's). */
export function translator(locale: Locale): Translate {
  let found = translators.get(locale)
  if (!found) {
    found = (message, params) => translate(locale, message, params)
    translators.set(locale, found)
  }
  return found
}

/** French: the CLI, and the official documents by default. */
export const t: Translate = translator('fr')

export function hasMessage(key: string, locale: Locale = 'fr'): boolean {
  return catalogs[locale]?.[key as MessageKey] !== undefined
}

/**
 * The preferred language of an `Accept-Language` header among ours ('en-GB,en;q=0.9,fr;q=0.8' → 'en'),
 * French when it names none of them.
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE
  let best: { locale: Locale; q: number } | null = null
  for (const part of header.slice(0, 500).split(',')) {
    const [tag = '', ...rest] = part.trim().split(';')
    const language = tag.trim().toLowerCase().split('-')[0]
    if (!isLocale(language)) continue
    const qParam = rest.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const q = qParam ? Number(qParam.slice(2)) : 1
    if (!Number.isFinite(q) || q <= 0) continue
    if (!best || q > best.q) best = { locale: language, q }
  }
  return best?.locale ?? DEFAULT_LOCALE
}
