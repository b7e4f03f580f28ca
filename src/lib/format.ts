/** Formatting helpers available to every template as `it.format`. */
export { formatClock, formatDateLong, formatDateShort, formatTimestamp } from './dates.ts'

/** 12345 → '12,1 Ko' */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Ko`
  return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`
}
