import { hasErrors, readFields } from '../../lib/forms.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { validateNewPassword } from './my-account.ts'

export const resetFields = ['jeton', 'password', 'confirmation'] as const

/**
 * "Choisir un nouveau mot de passe" (the reset link's page): the new password typed twice. `token`
 * is the link's (kept by the form when it comes back with an error), `result` the new password or
 * the fields' errors.
 */
export function readResetForm(body: unknown): { token: string; result: Result<{ token: string; password: string }> } {
  const values = readFields(body, resetFields)
  const errors = validateNewPassword(values)
  return { token: values.jeton, result: hasErrors(errors) ? invalid(errors) : ok({ token: values.jeton, password: values.password }) }
}
