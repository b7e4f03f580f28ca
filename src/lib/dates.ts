import type { Locale } from '../i18n/index.ts'
import { onFirstUse } from './lazy-modules.ts'

/**
 * Calendar dates are stored as 'YYYY-MM-DD' text and never go through a Date in local time,
 * so the server's time zone can never shift a day.
 */
export interface CalendarDate {
  y: number
  m: number
  d: number
}

export function isValidCalendarDate({ y, m, d }: CalendarDate): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false
  if (m < 1 || m > 12 || d < 1) return false
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return d <= daysInMonth
}

export function toIsoDate({ y, m, d }: CalendarDate): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

export function fromIsoDate(iso: string): CalendarDate {
  const [y, m, d] = iso.split('-').map(Number)
  return { y: y!, m: m!, d: d! }
}

/**
 * Reads 'YYYY-MM-DD' (native date input), 'jj/mm/aaaa' or 'j/m/aaaa'; with `twoDigitYears`,
 * also 'jj/mm/aa' (the most recent year not after `today`'s). Returns null if it is not a real date.
 */
export function parseDate(text: string, options: { twoDigitYears?: boolean; today?: CalendarDate } = {}): CalendarDate | null {
  const value = text.trim()
  let date: CalendarDate | null = null
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (match) date = { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) }
  match = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})$/.exec(value)
  if (match) {
    let y = Number(match[3])
    if (match[3]!.length === 2) {
      if (!options.twoDigitYears) return null
      const today = options.today ?? todayInParis()
      const century = Math.floor(today.y / 100) * 100
      y = century + y > today.y ? century - 100 + y : century + y
    }
    date = { y, m: Number(match[2]), d: Number(match[1]) }
  }
  return date && isValidCalendarDate(date) ? date : null
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return toIsoDate(a).localeCompare(toIsoDate(b))
}

/** Today's calendar date where the centres are (France), whatever the server's time zone. */
const parisDay = onFirstUse(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }))
export function todayInParis(now = new Date()): CalendarDate {
  return fromIsoDate(parisDay().format(now))
}

/** '2021-01-12' → '12/01/2021' (day first in both languages: British English writes it so too). */
export function formatDateShort(iso: string): string {
  // An erased candidate's birthdate: nothing to show.
  if (!iso) return ''
  const { y, m, d } = fromIsoDate(iso)
  return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`
}

const longFormats: Record<Locale, () => Intl.DateTimeFormat> = {
  fr: onFirstUse(() => new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })),
  en: onFirstUse(() => new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })),
}

/** '2021-01-12' → 'mardi 12 janv. 2021' (as in the guide); in English 'Tuesday 12 Jan 2021'. */
export function formatDateLong(iso: string, locale: Locale = 'fr'): string {
  const { y, m, d } = fromIsoDate(iso)
  return longFormats[locale]().format(new Date(Date.UTC(y, m - 1, d)))
}

const wordsFormats: Record<string, () => Intl.DateTimeFormat> = {
  fr: onFirstUse(() => new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })),
  en: onFirstUse(() => new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })),
}

/** '2021-01-12' → 'mardi 12 janvier 2021' ('fr'), 'Tuesday, 12 January 2021' ('en'): a date in words (convocations). */
export function formatDateInWords(iso: string, language: 'fr' | 'en' = 'fr'): string {
  const { y, m, d } = fromIsoDate(iso)
  return (wordsFormats[language] ?? wordsFormats.fr!)().format(new Date(Date.UTC(y, m - 1, d)))
}

/** Reads 'HH:MM' (or 'H:MM', 'HHhMM'); null unless 00–23 and 00–59. */
export function parseTime(text: string): string | null {
  const match = /^(\d{1,2})\s*[:hH]\s*(\d{2})$/.exec(text.trim())
  if (!match) return null
  const h = Number(match[1])
  const min = Number(match[2])
  if (h > 23 || min > 59) return null
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`
}

/** Adds minutes to 'HH:MM', wrapping past midnight. */
export function addMinutes(time: string, minutes: number): string {
  const [h, m] = time.split(':').map(Number)
  const total = (((h! * 60 + m! + minutes) % 1440) + 1440) % 1440
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`
}

const timestampFormats: Record<Locale, () => Intl.DateTimeFormat> = {
  fr: onFirstUse(() => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' })),
  en: onFirstUse(() => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' })),
}

function instant(iso: string): Date {
  return new Date(/Z|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso.replace(' ', 'T')}Z`)
}

/** An instant (ISO timestamp) as wall-clock time in Paris: '12 janvier 2021 à 14:05' ('12 January 2021 at 14:05'). */
export function formatTimestamp(iso: string, locale: Locale = 'fr'): string {
  return timestampFormats[locale]().format(instant(iso))
}

const clockFormat = onFirstUse(() => new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }))
const clockSecondsFormat = onFirstUse(
  () => new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/Paris' }),
)

/** An instant (ISO timestamp) as Paris wall-clock time: '10:42' (with seconds: '10:42:07'), the same in both languages. */
export function formatClock(iso: string, withSeconds = false): string {
  return (withSeconds ? clockSecondsFormat : clockFormat)().format(instant(iso))
}
