import { msg } from '../../i18n/index.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { controlCharacterErrors, singleLineErrors } from '../../lib/text.ts'
import { isValidEmail, type NewAccount } from './accounts.service.ts'
import { validateName, validateNewPassword } from './my-account.ts'

export const accountFields = ['centreName', 'firstName', 'lastName', 'email', 'password', 'confirmation'] as const
export type AccountValues = Record<(typeof accountFields)[number], string>

/** Rules of the setup form (centre + first admin): the centre's name and the account to create. */
export function validateSetup(values: AccountValues): Result<{ centreName: string; account: NewAccount }> {
  // Passwords are secrets, not text shown anywhere: any character may be in them.
  // The centre's name is one line (it is quoted in every invitation and convocation); the person's name has its one rule.
  const errors: FieldErrors = { ...controlCharacterErrors(values, ['email']), ...singleLineErrors(values, ['centreName']), ...validateName(values) }
  if (!values.centreName) errors.centreName = msg('accounts.setup.centre_required')
  else if (values.centreName.length > 255) errors.centreName ??= msg('form.too_long', { max: 255 })
  if (!errors.email && !isValidEmail(values.email)) errors.email = msg('accounts.email.invalid')
  Object.assign(errors, validateNewPassword(values))
  if (Object.keys(errors).length) return invalid(errors)
  const { centreName, firstName, lastName, email, password } = values
  return ok({ centreName, account: { email, password, firstName, lastName } })
}
