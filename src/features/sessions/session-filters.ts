import { msg } from '../../i18n/index.ts'
import { parseDate, toIsoDate } from '../../lib/dates.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { parseId } from '../../lib/ids.ts'

/** The session list's filters, as they travel in the URL (a GET form: bookmarkable, works without JS). */
export const filterFields = ['numero', 'statut', 'du', 'au'] as const
export type FilterValues = Record<(typeof filterFields)[number], string>

export const SESSION_STATUS_FILTERS = ['toutes', 'creee', 'finalisee'] as const
export type SessionStatusFilter = (typeof SESSION_STATUS_FILTERS)[number]

/** What the query applies; a filter left empty (or refused) is absent. */
export interface SessionFilters {
  sessionId?: number
  status?: Exclude<SessionStatusFilter, 'toutes'>
  /** 'YYYY-MM-DD', both bounds included. */
  from?: string
  to?: string
}

export function isFiltering(filters: SessionFilters): boolean {
  return Object.keys(filters).length > 0
}

/** Values from the query string, trimmed; anything but a short string counts as empty. */
export function readFilterValues(query: unknown): FilterValues {
  const source = (query ?? {}) as Record<string, unknown>
  const values = {} as FilterValues
  for (const name of filterFields) {
    const value = source[name]
    values[name] = typeof value === 'string' && value.length <= 100 ? value.trim() : ''
  }
  return values
}

/**
 * Checks the typed filters. A bad value is reported at its field and not applied; the others
 * still filter, so a typo in one date does not hide the rest of the answer.
 */
export function parseSessionFilters(values: FilterValues): { filters: SessionFilters; errors: FieldErrors } {
  const filters: SessionFilters = {}
  const errors: FieldErrors = {}
  const number = values.numero.replace(/\s+/g, '')
  if (number) {
    // Typed by a person: leading zeros are forgiven ("007" is session 7), 0 is no session.
    const sessionId = parseId(number.replace(/^0+(?=\d)/, ''))
    if (sessionId !== null) filters.sessionId = sessionId
    else errors.numero = msg('sessions.filters.number_invalid')
  }
  if (values.statut === 'creee' || values.statut === 'finalisee') filters.status = values.statut
  for (const [field, key] of [
    ['du', 'from'],
    ['au', 'to'],
  ] as const) {
    if (!values[field]) continue
    const date = parseDate(values[field])
    if (date) filters[key] = toIsoDate(date)
    else errors[field] = msg('sessions.filters.date_invalid')
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.au = msg('sessions.filters.range_invalid')
    delete filters.to
  }
  return { filters, errors }
}

/** The query string of the list with these filters (pagination links keep them). */
export function filterQuery(values: FilterValues, page?: number): string {
  const params = new URLSearchParams()
  for (const name of filterFields) if (values[name] && !(name === 'statut' && values[name] === 'toutes')) params.set(name, values[name])
  if (page) params.set('page', String(page))
  const text = params.toString()
  return text ? `?${text}` : ''
}
