import { msg } from '../../i18n/index.ts'
import { isValidCalendarDate, toIsoDate } from '../../lib/dates.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import type { Identity } from './matching.ts'

export const identityFields = ['sessionNumber', 'firstName', 'lastName', 'birthDay', 'birthMonth', 'birthYear'] as const
export type IdentityValues = Record<(typeof identityFields)[number], string>
export const codeFields = ['accessCode'] as const

const NAME_MAX = 255

export interface IdentityInput extends Identity {
  sessionId: number
}

/**
 * Checks the first step's fields. The birthdate comes as three fields (jour, mois, année), its
 * error is reported once, on `birthdate` (the day field carries that id).
 */
export function validateIdentity(values: IdentityValues): Result<IdentityInput> {
  const errors: FieldErrors = {}
  const number = values.sessionNumber.replace(/\s+/g, '')
  if (!number) errors.sessionNumber = msg('joining.session_number.required')
  else if (!/^\d{1,9}$/.test(number) || Number(number) === 0) errors.sessionNumber = msg('joining.session_number.invalid')

  if (!values.firstName) errors.firstName = msg('joining.first_name.required')
  else if (values.firstName.length > NAME_MAX) errors.firstName = msg('form.too_long', { max: NAME_MAX })
  if (!values.lastName) errors.lastName = msg('joining.last_name.required')
  else if (values.lastName.length > NAME_MAX) errors.lastName = msg('form.too_long', { max: NAME_MAX })

  let birthdate: string | null = null
  const { birthDay, birthMonth, birthYear } = values
  if (!birthDay || !birthMonth || !birthYear) errors.birthdate = msg('joining.birthdate.required')
  else if (!/^\d{1,2}$/.test(birthDay) || !/^\d{1,2}$/.test(birthMonth) || !/^\d{4}$/.test(birthYear)) errors.birthdate = msg('joining.birthdate.invalid')
  else {
    const date = { y: Number(birthYear), m: Number(birthMonth), d: Number(birthDay) }
    if (isValidCalendarDate(date) && date.y >= 1900) birthdate = toIsoDate(date)
    else errors.birthdate = msg('joining.birthdate.invalid')
  }

  if (Object.keys(errors).length > 0 || !birthdate) return invalid(errors)
  return ok({ sessionId: Number(number), firstName: values.firstName, lastName: values.lastName, birthdate })
}

/** Step 2's one field: the access code as typed (compared by `accessCodeMatches`). */
export function validateAccessCode(typed: string): Result<string> {
  return typed.trim() ? ok(typed) : invalid({ accessCode: msg('joining.access_code.required') })
}
