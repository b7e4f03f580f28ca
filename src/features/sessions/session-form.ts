import { type Msg, msg } from '../../i18n/index.ts'
import { parseDate, parseTime, toIsoDate } from '../../lib/dates.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { controlCharacterErrors, singleLineErrors } from '../../lib/text.ts'
import type { SessionRow } from './sessions.table.ts'

/** Pix's length of a certification test (the session's, which the Espace surveillant's clock counts from). */
export const DEFAULT_TEST_DURATION_MINUTES = 105
export const MIN_TEST_DURATION_MINUTES = 1
export const MAX_TEST_DURATION_MINUTES = 600

export const sessionFields = ['siteName', 'room', 'date', 'startTime', 'invigilators', 'observations', 'testDuration'] as const
export type SessionField = (typeof sessionFields)[number]
/** Every field but the observations (a text area) holds one line: no tab, no line break. */
const SINGLE_LINE_FIELDS = sessionFields.filter((field) => field !== 'observations')
/** The form as typed (trimmed strings). */
export type SessionFormValues = Record<SessionField, string>

/** What the form gives once valid: the date as YYYY-MM-DD, the time as HH:MM. */
export interface SessionInput {
  siteName: string
  room: string
  date: string
  startTime: string
  invigilators: string
  observations: string | null
  /** "Durée de l'épreuve (minutes)" */
  testDuration: number
}

/** Pix's limits. */
export const MAX_LENGTH = { siteName: 255, room: 255, invigilators: 255, observations: 350 } as const

/**
 * Session dates far from today are typing mistakes (a native date input accepts year 0202):
 * such a date is refused like an impossible one.
 */
const MIN_YEAR = 2000
const MAX_YEAR = 2099

/** Reads 'YYYY-MM-DD' (native input) or 'jj/mm/aaaa' typed by hand; null if not a real date. */
export function parseSessionDate(text: string): string | null {
  const date = parseDate(text)
  if (!date || date.y < MIN_YEAR || date.y > MAX_YEAR) return null
  return toIsoDate(date)
}

function required(value: string, missing: Msg, tooLong: Msg, max: number): Msg | null {
  if (!value) return missing
  if (value.length > max) return tooLong
  return null
}

/** Checks the session form; the messages are Pix's. */
export function validateSessionForm(values: SessionFormValues): Result<SessionInput> {
  // The rule of every text field first: a control character is the problem to fix in that field.
  const errors: FieldErrors = { ...controlCharacterErrors(values, sessionFields), ...singleLineErrors(values, SINGLE_LINE_FIELDS) }
  const check = (field: SessionField, problem: Msg | null) => {
    if (problem) errors[field] ??= problem
  }
  check(
    'siteName',
    required(values.siteName, msg('sessions.site_name.required'), msg('sessions.site_name.too_long', { max: MAX_LENGTH.siteName }), MAX_LENGTH.siteName),
  )
  check('room', required(values.room, msg('sessions.room.required'), msg('sessions.room.too_long', { max: MAX_LENGTH.room }), MAX_LENGTH.room))
  const date = parseSessionDate(values.date)
  check('date', date ? null : msg('sessions.date.invalid'))
  const startTime = parseTime(values.startTime)
  check('startTime', startTime ? null : msg('sessions.start_time.invalid'))
  check(
    'invigilators',
    required(
      values.invigilators,
      msg('sessions.invigilators.required'),
      msg('sessions.invigilators.too_long', { max: MAX_LENGTH.invigilators }),
      MAX_LENGTH.invigilators,
    ),
  )
  if (values.observations.length > MAX_LENGTH.observations) errors.observations ??= msg('sessions.observations.too_long', { max: MAX_LENGTH.observations })
  const testDuration = parseDuration(values.testDuration)
  if (testDuration === null) errors.testDuration ??= msg('sessions.test_duration.invalid', { min: MIN_TEST_DURATION_MINUTES, max: MAX_TEST_DURATION_MINUTES })
  if (Object.keys(errors).length > 0 || !date || !startTime || testDuration === null) return invalid(errors)
  return ok({
    siteName: values.siteName,
    room: values.room,
    date,
    startTime,
    invigilators: values.invigilators,
    observations: values.observations || null,
    testDuration,
  })
}

/** Whole minutes; left empty, Pix's 105. */
function parseDuration(text: string): number | null {
  if (text === '') return DEFAULT_TEST_DURATION_MINUTES
  if (!/^\d{1,4}$/.test(text)) return null
  const n = Number(text)
  return n >= MIN_TEST_DURATION_MINUTES && n <= MAX_TEST_DURATION_MINUTES ? n : null
}

/**
 * The values to put back in the form after an error: a date or time that was understood is
 * shown in the native inputs' format (a `type=date` input shows nothing for '12/01/2021').
 */
export function valuesForRedisplay(values: SessionFormValues): SessionFormValues {
  return {
    ...values,
    date: parseSessionDate(values.date) ?? values.date,
    startTime: parseTime(values.startTime) ?? values.startTime,
  }
}

/** The edit form prefilled from a stored session. */
export function valuesFromSession(
  session: Pick<SessionRow, 'site_name' | 'room' | 'date' | 'start_time' | 'invigilators' | 'observations' | 'test_duration_minutes'>,
): SessionFormValues {
  return {
    siteName: session.site_name,
    room: session.room,
    date: session.date,
    startTime: session.start_time,
    invigilators: session.invigilators,
    observations: session.observations ?? '',
    testDuration: String(session.test_duration_minutes),
  }
}

export const emptySessionForm: SessionFormValues = {
  siteName: '',
  room: '',
  date: '',
  startTime: '',
  invigilators: '',
  observations: '',
  testDuration: String(DEFAULT_TEST_DURATION_MINUTES),
}

/**
 * Native date/time inputs show nothing for a value they cannot read ('31/02/2026', '24:00'):
 * such a value comes back in a text input, so the person sees what they typed.
 */
export function inputTypes(values: Pick<SessionFormValues, 'date' | 'startTime'>): { date: 'date' | 'text'; startTime: 'time' | 'text' } {
  return {
    date: values.date === '' || /^\d{4}-\d{2}-\d{2}$/.test(values.date) ? 'date' : 'text',
    startTime: values.startTime === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(values.startTime) ? 'time' : 'text',
  }
}
