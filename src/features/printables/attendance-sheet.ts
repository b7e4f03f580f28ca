import { addMinutes, formatDateShort } from '../../lib/dates.ts'
import type { CandidateRow } from '../candidates/candidates.table.ts'

/** Rows left blank under the candidates, for late additions written by hand. */
export const BLANK_ROWS = 5
/** With nobody listed yet, the whole sheet is filled by hand. */
export const BLANK_ROWS_EMPTY = 15
/** The seed's sheet shows 10:00 → 12:00. */
export const SESSION_LENGTH_MINUTES = 120

export type SheetCandidate = Pick<
  CandidateRow,
  'last_name' | 'first_name' | 'birthdate' | 'birth_city' | 'birth_department_code' | 'birth_country' | 'email' | 'external_id' | 'extra_time_percentage'
>

export function blankRowCount(candidateCount: number): number {
  return candidateCount === 0 ? BLANK_ROWS_EMPTY : BLANK_ROWS
}

export function endTime(startTime: string): string {
  return addMinutes(startTime, SESSION_LENGTH_MINUTES)
}

/** One row of the participants table, as printed. */
export function sheetRow(c: SheetCandidate) {
  return {
    lastName: c.last_name,
    firstName: c.first_name,
    birthdate: formatDateShort(c.birthdate),
    birthCity: c.birth_city,
    department: c.birth_department_code,
    country: c.birth_country,
    email: c.email ?? '',
    externalId: c.external_id ?? '',
    extraTime: c.extra_time_percentage ? `${c.extra_time_percentage} %` : '',
  }
}
