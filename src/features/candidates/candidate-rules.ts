import { type Msg, msg } from '../../i18n/index.ts'
import { isValidEmail } from '../../lib/email.ts'
import { type CalendarDate, compareDates, isValidCalendarDate, parseDate, toIsoDate, todayInParis } from '../../lib/dates.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { controlCharacterErrors, foldText, shownChar, singleLineCharacter } from '../../lib/text.ts'
import type { ConvocationLanguage } from './candidates.table.ts'
import { personKey } from './person-name.ts'
import { findCountry, isKnownCommune } from './places.ts'

/**
 * The rules of a certification candidate, shared by the form and the .ods import.
 * Plain functions: values in, a clean candidate or one message per field out.
 */
export const CANDIDATE_FIELDS = [
  'lastName',
  'firstName',
  'birthdate',
  'birthCity',
  'birthDepartment',
  'birthCountry',
  'email',
  'externalId',
  'extraTime',
  'accessibilityNeeded',
  'accessibilityNote',
  'accommodationApprovedBy',
  'accommodationApprovedOn',
] as const
export type CandidateField = (typeof CANDIDATE_FIELDS)[number]

/**
 * The fields of the add/edit form: the sheet's, plus the convocation language (per candidate,
 * French by default; not in the sheet, an import keeps the default).
 */
export const CANDIDATE_FORM_FIELDS = [...CANDIDATE_FIELDS, 'convocationLanguage'] as const
export type CandidateFormField = (typeof CANDIDATE_FORM_FIELDS)[number]

/** The convocation languages. */
export const CONVOCATION_LANGUAGES = ['fr', 'en'] as const satisfies readonly ConvocationLanguage[]

/** What the user typed; the import may also give a real date cell or a number. */
export type CandidateInput = Record<
  Exclude<CandidateField, 'birthdate' | 'extraTime' | 'accessibilityNeeded' | 'accessibilityNote' | 'accommodationApprovedBy' | 'accommodationApprovedOn'>,
  string
> & {
  birthdate: string | CalendarDate
  /** Text as typed, or a percentage already read from a number cell (33, or 33.5 which is refused). */
  extraTime: string | number
  /**
   * The form's checkbox ('oui' when ticked), or the sheet's "Aménagement (oui ou laisser vide)" cell,
   * which may carry the detail after the yes ("oui : fauteuil roulant"). Absent in an older sheet.
   */
  accessibilityNeeded?: string
  /** The form's detail of the need (optional). */
  accessibilityNote?: string
  /** Who approved the extra time or the accessibility need (optional; absent from an older sheet). */
  accommodationApprovedBy?: string
  /** When it was approved, typed jj/mm/aaaa, or a real date cell (optional). */
  accommodationApprovedOn?: string | CalendarDate
  /** The form's language of the convocation: 'fr' (default) or 'en'. */
  convocationLanguage?: string
}

export interface CandidateData {
  lastName: string
  firstName: string
  /** YYYY-MM-DD */
  birthdate: string
  birthCity: string
  birthDepartmentCode: string
  birthCountry: string
  email: string | null
  externalId: string | null
  extraTimePercentage: number | null
  /** Absent: no need (rows written before the need existed, e.g. a stored batch plan). */
  accessibilityNeeded?: boolean
  /** Only with a need; null when none was written. */
  accessibilityNote?: string | null
  /** Who approved the accommodation; only with extra time or a need; absent or null when not written. */
  accommodationApprovedBy?: string | null
  /** YYYY-MM-DD, when it was approved; only with extra time or a need; absent or null when not written. */
  accommodationApprovedOn?: string | null
  /** Absent from an import (the column is not in the sheet): French. */
  convocationLanguage?: ConvocationLanguage
}

export type CandidateErrors = Partial<Record<CandidateFormField, Msg>>

export const MAX_TEXT_LENGTH = 255
/** The detail of an accessibility need. */
export const MAX_ACCESSIBILITY_NOTE_LENGTH = 200
/** Who approved an accommodation: a person's name, one line. */
export const MAX_APPROVED_BY_LENGTH = 100

const YES = new Set(['oui', 'o', 'x', 'yes', 'y', '1', 'vrai', 'true'])
const NO = new Set(['', 'non', 'n', 'no', '0', 'faux', 'false'])

/**
 * The accessibility need, from the checkbox and the detail, or from the sheet's one cell ("oui",
 * "oui : fauteuil roulant", "x", empty). A detail without the yes is refused (ticking the box is
 * the decision); null `needed` when the value is neither a yes nor a no.
 */
export function readAccessibility(neededText: string, noteText: string): { needed: boolean | null; note: string } {
  let needed = cleanText(neededText)
  let note = cleanText(noteText)
  const detailed = /^(oui|yes)\s*[:;,\-–—]\s*(.+)$/iu.exec(needed)
  if (detailed && !note) {
    needed = detailed[1]!
    note = detailed[2]!
  }
  const key = foldText(needed).replace(/[\s.!]+/g, '')
  if (YES.has(key)) return { needed: true, note }
  if (NO.has(key)) return { needed: false, note }
  return { needed: null, note }
}

/** The sheet's cell for a stored need: "oui", or "oui : <detail>" (read back by readAccessibility). */
export function accessibilityCell(c: { accessibility_needed?: number; accessibility_note?: string | null }): string {
  if (!c.accessibility_needed) return ''
  return c.accessibility_note ? `oui : ${c.accessibility_note}` : 'oui'
}

/** The shared rule of every text field (src/lib/text.ts). */
export { controlCharacter } from '../../lib/text.ts'

/** Names: letters of any script (with their combining marks), spaces, hyphens, apostrophes, dots. */
const NAME_CHAR = /^[\p{L}\p{M} \-\u2010\u2011'\u2019.]$/u
/** Communes: the same, digits ("Paris 15e"), parentheses ("Saint-Denis (La Réunion)") and commas ("Washington, D.C."). */
const CITY_CHAR = /^[\p{L}\p{M}\p{Nd} \-\u2010\u2011'\u2019.(),]$/u

/** The first character of `value` outside `allowed`, ready to be shown, or null. */
function firstForbidden(value: string, allowed: RegExp): string | null {
  for (const ch of value) if (!allowed.test(ch)) return shownChar(ch)
  return null
}

/** Why a (cleaned) name is refused: a character it may not hold, or no letter at all (`=1+1`, `…`). */
export function nameProblem(value: string, field: 'lastName' | 'firstName'): Msg | null {
  const prefix = field === 'lastName' ? 'candidates.last_name' : 'candidates.first_name'
  const char = firstForbidden(value, NAME_CHAR)
  if (char) return msg(`${prefix}.invalid_char`, { char })
  if (!/\p{L}/u.test(value)) return msg(`${prefix}.no_letter`)
  return null
}

/** Why a (cleaned) commune is refused; it must start with a letter or a digit (so never with '=', '+', '-', '@'). */
export function communeProblem(value: string): Msg | null {
  const char = firstForbidden(value, CITY_CHAR)
  if (char) return msg('candidates.birth_city.invalid_char', { char })
  if (!/^[\p{L}\p{Nd}]/u.test(value)) return msg('candidates.birth_city.invalid_start')
  return null
}

/** Spaces as typed are trimmed and runs of spaces collapsed (trailing spaces are common in sheets). */
export function cleanText(value: string): string {
  return value.replace(/\s+/g, ' ').trim()
}

/**
 * '1' → '01', '2a' → '2A', '971'; null when it is no French department code
 * (01–95 without 20, 2A, 2B, 971–976) nor 99 ("born abroad").
 */
export function normaliseDepartment(value: string): string | null {
  const code = value.replace(/\s+/g, '').toUpperCase()
  if (/^2[AB]$/.test(code)) return code
  if (/^97[1-6]$/.test(code)) return code
  if (!/^\d{1,2}$/.test(code)) return null
  const n = Number(code)
  if (n < 1 || (n > 95 && n !== 99) || n === 20) return null
  return String(n).padStart(2, '0')
}

/** '33', '33 %', '33%', '0,33', '0.33' → 33; '' → null; NaN when it is not a whole percentage. */
export function parseExtraTime(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(Math.round(value * 1e6) / 1e6) ? Math.round(value) : Number.NaN
  const text = value.replace(/\s+/g, '')
  if (!text) return null
  let match = /^(\d{1,3})(?:[.,]0+)?%?$/.exec(text)
  if (match) return Number(match[1])
  match = /^0[.,](\d{1,2})%?$/.exec(text)
  if (match) return Number(match[1]!.padEnd(2, '0'))
  return Number.NaN
}

/** The approval date of an accommodation: empty (none), jj/mm/aaaa typed, or a date cell; not in the future. */
function readApprovalDate(value: string | CalendarDate | undefined, today: CalendarDate): { date: string | null; error?: Msg } {
  if (value === undefined) return { date: null }
  let date: CalendarDate | null
  if (typeof value === 'string') {
    const text = value.trim()
    if (!text) return { date: null }
    date = parseDate(text, { twoDigitYears: true, today })
    if (!date) return { date: null, error: msg('candidates.accommodation_approved_on.invalid', { value: text }) }
  } else {
    date = value
    if (!isValidCalendarDate(date)) return { date: null, error: msg('candidates.accommodation_approved_on.invalid', { value: toIsoDate(date) }) }
  }
  if (date.y < 1900) return { date: null, error: msg('candidates.accommodation_approved_on.invalid', { value: toIsoDate(date) }) }
  if (compareDates(date, today) > 0) return { date: null, error: msg('candidates.accommodation_approved_on.future') }
  return { date: toIsoDate(date) }
}

function readBirthdate(value: string | CalendarDate, today: CalendarDate): { date?: string; error?: Msg } {
  let date: CalendarDate | null
  if (typeof value === 'string') {
    const text = value.trim()
    if (!text) return { error: msg('candidates.birthdate.required') }
    date = parseDate(text, { twoDigitYears: true, today })
    if (!date) return { error: msg('candidates.birthdate.invalid', { value: text }) }
  } else {
    date = value
    if (!isValidCalendarDate(date)) return { error: msg('candidates.birthdate.invalid', { value: toIsoDate(date) }) }
  }
  if (date.y < 1900) return { error: msg('candidates.birthdate.too_old') }
  if (compareDates(date, today) > 0) return { error: msg('candidates.birthdate.future') }
  return { date: toIsoDate(date) }
}

/** Checks every field and returns the clean candidate, or one message per field in error. */
export function validateCandidate(input: CandidateInput, today: CalendarDate = todayInParis()): Result<CandidateData, CandidateErrors> {
  // Control characters first, on the raw value: cleanText would silently turn some (vertical tab) into spaces.
  const errors: CandidateErrors = controlCharacterErrors(input, CANDIDATE_FORM_FIELDS)
  const text = (
    field: Exclude<
      CandidateField,
      'birthdate' | 'extraTime' | 'accessibilityNeeded' | 'accessibilityNote' | 'accommodationApprovedBy' | 'accommodationApprovedOn'
    >,
  ) => {
    const value = cleanText(input[field] ?? '')
    if (value.length > MAX_TEXT_LENGTH) errors[field] ??= msg('candidates.too_long', { max: MAX_TEXT_LENGTH })
    return value
  }
  const lastName = text('lastName')
  const firstName = text('firstName')
  const birthCity = text('birthCity')
  const departmentText = text('birthDepartment')
  const countryText = text('birthCountry')
  const email = text('email')
  const externalId = text('externalId')

  // One message per field: the first problem found is the one to fix (`??=` keeps it).
  errors.lastName ??= lastName ? (nameProblem(lastName, 'lastName') ?? undefined) : msg('candidates.last_name.required')
  errors.firstName ??= firstName ? (nameProblem(firstName, 'firstName') ?? undefined) : msg('candidates.first_name.required')
  const birthdate = errors.birthdate ? {} : readBirthdate(input.birthdate, today)
  if (birthdate.error) errors.birthdate = birthdate.error
  errors.birthCity ??= birthCity ? (communeProblem(birthCity) ?? undefined) : msg('candidates.birth_city.required')

  const birthDepartmentCode = departmentText ? normaliseDepartment(departmentText) : null
  if (!departmentText) errors.birthDepartment ??= msg('candidates.birth_department.required')
  else if (!birthDepartmentCode) errors.birthDepartment ??= msg('candidates.birth_department.invalid', { value: departmentText })

  const birthCountry = countryText ? findCountry(countryText) : null
  if (!countryText) errors.birthCountry ??= msg('candidates.birth_country.required')
  else if (!birthCountry) errors.birthCountry ??= msg('candidates.birth_country.invalid', { value: countryText })

  if (birthDepartmentCode && birthCountry && !errors.birthDepartment && !errors.birthCountry) {
    const problem = birthPlaceMismatch(birthDepartmentCode, birthCountry)
    if (problem) errors.birthDepartment = problem
  }

  if (email && !errors.email && !isValidEmail(email)) errors.email = msg('candidates.email.invalid', { value: email })

  const extraTime = parseExtraTime(input.extraTime)
  if (!errors.extraTime && extraTime !== null && !(extraTime >= 1 && extraTime <= 99)) {
    errors.extraTime = msg('candidates.extra_time.invalid', { value: typeof input.extraTime === 'number' ? `${input.extraTime}` : input.extraTime.trim() })
  }

  const accessibility = readAccessibility(input.accessibilityNeeded ?? '', input.accessibilityNote ?? '')
  if (accessibility.needed === null) {
    errors.accessibilityNeeded ??= msg('candidates.accessibility.invalid', { value: cleanText(input.accessibilityNeeded ?? '') })
  } else if (accessibility.note && !accessibility.needed) {
    errors.accessibilityNote ??= msg('candidates.accessibility.note_without_need')
  }
  if (accessibility.note.length > MAX_ACCESSIBILITY_NOTE_LENGTH) errors.accessibilityNote ??= msg('candidates.too_long', { max: MAX_ACCESSIBILITY_NOTE_LENGTH })

  // Who approved the accommodation, and when: only meaningful with extra time or a need.
  const approvedByRaw = input.accommodationApprovedBy ?? ''
  const approvedByChar = singleLineCharacter(approvedByRaw)
  if (approvedByChar) errors.accommodationApprovedBy ??= msg('form.control_character', { char: approvedByChar })
  const approvedBy = cleanText(approvedByRaw)
  if (approvedBy.length > MAX_APPROVED_BY_LENGTH) errors.accommodationApprovedBy ??= msg('candidates.too_long', { max: MAX_APPROVED_BY_LENGTH })
  const approvedOn = readApprovalDate(input.accommodationApprovedOn, today)
  if (approvedOn.error) errors.accommodationApprovedOn ??= approvedOn.error
  // An invalid extra time or need already has its message: no second one here.
  if (extraTime === null && accessibility.needed === false) {
    if (approvedBy) errors.accommodationApprovedBy ??= msg('candidates.accommodation.without_accommodation')
    if (approvedOn.date) errors.accommodationApprovedOn ??= msg('candidates.accommodation.without_accommodation')
  }

  const language = (input.convocationLanguage ?? '').trim() || 'fr'
  if (!(CONVOCATION_LANGUAGES as readonly string[]).includes(language)) errors.convocationLanguage ??= msg('candidates.convocation_language.invalid')

  for (const field of CANDIDATE_FORM_FIELDS) if (errors[field] === undefined) delete errors[field]
  if (Object.keys(errors).length) return invalid(errors)
  return ok({
    lastName,
    firstName,
    birthdate: birthdate.date!,
    birthCity,
    birthDepartmentCode: birthDepartmentCode!,
    birthCountry: birthCountry!,
    email: email || null,
    externalId: externalId || null,
    extraTimePercentage: extraTime,
    accessibilityNeeded: accessibility.needed === true,
    accessibilityNote: accessibility.needed && accessibility.note ? accessibility.note : null,
    accommodationApprovedBy: approvedBy || null,
    accommodationApprovedOn: approvedOn.date,
    ...(input.convocationLanguage !== undefined ? { convocationLanguage: language as ConvocationLanguage } : {}),
  })
}

/**
 * The department code and the country must tell the same story: 99 is for a birth abroad, a
 * metropolitan department for a birth in France. Overseas codes (971–976) go with France or the
 * territory's own name.
 */
export function birthPlaceMismatch(departmentCode: string, country: string): Msg | null {
  if (departmentCode === '99') return country === 'France' ? msg('candidates.birth_place.abroad_in_france') : null
  if (departmentCode.length === 3) return null
  return country === 'France' ? null : msg('candidates.birth_place.france_abroad', { country, department: departmentCode })
}

/** Two candidates are the same person when their names have the same key (`personNameKey`) and the birthdate matches. */
export const candidateKey = personKey

/** A non-blocking warning: the commune is unknown in that department (null when it is known or cannot be checked). */
export function communeWarning(c: Pick<CandidateData, 'birthCity' | 'birthDepartmentCode'>): Msg | null {
  if (c.birthDepartmentCode === '99') return null
  return isKnownCommune(c.birthCity, c.birthDepartmentCode) === false
    ? msg('candidates.birth_city.unknown', { city: c.birthCity.length > 60 ? `${c.birthCity.slice(0, 59)}…` : c.birthCity, department: c.birthDepartmentCode })
    : null
}
