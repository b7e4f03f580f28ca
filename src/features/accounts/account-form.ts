import { msg } from '../../i18n/index.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { controlCharacterErrors } from '../../lib/text.ts'
import { isValidEmail } from './accounts.service.ts'
import { validateNewPassword } from './my-account.ts'

export const accountFields = ['centreName', 'firstName', 'lastName', 'email', 'password', 'confirmation'] as const
export type AccountValues = Record<(typeof accountFields)[number], string>

/** Rules of the setup form (centre + first admin). */
export function validateSetup(values: AccountValues): FieldErrors {
  // Passwords are secrets, not text shown anywhere: any character may be in them.
  const errors: FieldErrors = controlCharacterErrors(values, ['centreName', 'firstName', 'lastName', 'email'])
  if (!values.centreName) errors.centreName = msg('accounts.setup.centre_required')
  else if (values.centreName.length > 255) errors.centreName ??= msg('form.too_long', { max: 255 })
  if (!values.firstName) errors.firstName = msg('accounts.first_name.required')
  else if (values.firstName.length > 255) errors.firstName ??= msg('form.too_long', { max: 255 })
  if (!values.lastName) errors.lastName = msg('accounts.last_name.required')
  else if (values.lastName.length > 255) errors.lastName ??= msg('form.too_long', { max: 255 })
  if (!errors.email && !isValidEmail(values.email)) errors.email = msg('accounts.email.invalid')
  return { ...errors, ...validateNewPassword(values) }
}
