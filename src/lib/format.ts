import type { Locale } from '../i18n/index.ts'
import { formatClock, formatDateLong, formatDateShort, formatTimestamp } from './dates.ts'
import { displayName } from './display-name.ts'
import { onFirstUse } from './lazy-modules.ts'

/** Formatting helpers available to every template as `it.format`, for the page's language. */
export { formatClock, formatDateLong, formatDateShort, formatTimestamp } from './dates.ts'

const numberFormats: Record<Locale, () => Intl.NumberFormat> = {
  fr: onFirstUse(() => new Intl.NumberFormat('fr-FR')),
  en: onFirstUse(() => new Intl.NumberFormat('en-GB')),
}
const decimalFormats: Record<Locale, () => Intl.NumberFormat> = {
  fr: onFirstUse(() => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 })),
  en: onFirstUse(() => new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 })),
}
const byteUnits: Record<Locale, [string, string, string]> = { fr: ['o', 'Ko', 'Mo'], en: ['B', 'KB', 'MB'] }

/** 12345 → '12 345' ('12,345' in English). */
export function formatNumber(value: number, locale: Locale = 'fr'): string {
  return numberFormats[locale]().format(value)
}

/** 12345 → '12,1 Ko' ('12.1 KB' in English). */
export function formatBytes(bytes: number, locale: Locale = 'fr'): string {
  const [b, kb, mb] = byteUnits[locale]
  if (bytes < 1024) return `${bytes} ${b}`
  if (bytes < 1024 * 1024) return `${decimalFormats[locale]().format(bytes / 1024)} ${kb}`
  return `${decimalFormats[locale]().format(bytes / 1024 / 1024)} ${mb}`
}

export interface Formatters {
  formatDateShort(iso: string): string
  formatDateLong(iso: string): string
  formatTimestamp(iso: string): string
  formatClock(iso: string, withSeconds?: boolean): string
  formatBytes(bytes: number): string
  formatNumber(value: number): string
  /** A person's one display name (src/lib/display-name.ts). */
  displayName: typeof displayName
}

const formatters = new Map<Locale, Formatters>()
/** The helpers bound to one language (render.ts gives each page its own as `it.format`). */
export function formattersFor(locale: Locale): Formatters {
  let found = formatters.get(locale)
  if (!found) {
    found = {
      formatDateShort,
      formatDateLong: (iso) => formatDateLong(iso, locale),
      formatTimestamp: (iso) => formatTimestamp(iso, locale),
      formatClock,
      formatBytes: (bytes) => formatBytes(bytes, locale),
      formatNumber: (value) => formatNumber(value, locale),
      displayName,
    }
    formatters.set(locale, found)
  }
  return found
}
