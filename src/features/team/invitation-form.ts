import { msg } from '../../i18n/index.ts'
import { type FieldErrors, hasErrors, readFields } from '../../lib/forms.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { validateName, validateNewPassword } from '../accounts/index.ts'

export const accountFields = ['jeton', 'firstName', 'lastName', 'password', 'confirmation', 'cgu'] as const
export type AccountFormValues = Record<(typeof accountFields)[number], string>

/**
 * "Créer mon compte" from an invitation link: the name (the one name rule), the new password typed
 * twice and the terms of use accepted. `values` is the form as read (the link's token included),
 * `result` the account to create or every field's error.
 */
export function readNewAccountForm(body: unknown): { values: AccountFormValues; result: Result<AccountFormValues> } {
  const values = readFields(body, accountFields)
  const errors: FieldErrors = { ...validateName(values), ...validateNewPassword(values) }
  if (values.cgu !== 'on') errors.cgu = msg('team.accept.cgu_required')
  return { values, result: hasErrors(errors) ? invalid(errors) : ok(values) }
}
