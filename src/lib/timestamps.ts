/**
 * Every timestamp the app stores (created_at, updated_at, finalised_at, joined_at, expires_at…)
 * is ISO-8601 UTC text with milliseconds, 'YYYY-MM-DDTHH:MM:SS.sssZ': readable in the database,
 * ordered as text, and the same on SQLite and PostgreSQL (where a bigint would come back as a
 * string). Code keeps instants as epoch milliseconds or Dates and converts only here. The
 * database defaults write the same text (migration 2026_12_01_2300_timestamps_iso).
 */
export type Timestamp = string

export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** The instant (epoch milliseconds or a Date) as stored. */
export function toTimestamp(instant: number | Date): Timestamp {
  return new Date(instant).toISOString()
}

/** Now, as stored. */
export function nowTimestamp(): Timestamp {
  return new Date().toISOString()
}

/** A stored timestamp back to epoch milliseconds. */
export function timestampMs(timestamp: Timestamp): number {
  return Date.parse(timestamp)
}
