import { msg } from '../../i18n/index.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { isValidEmail, normalizeEmail } from '../accounts/index.ts'
import type { Role } from '../centres/index.ts'

export const inviteFields = ['emails', 'role'] as const
export type InviteValues = Record<(typeof inviteFields)[number], string>
export const MAX_INVITATIONS_AT_ONCE = 50

export function isRole(value: string): value is Role {
  return value === 'admin' || value === 'member'
}

/** Addresses separated by commas, semicolons or line breaks: trimmed, lower-cased, each once, in order. */
export function parseEmailList(text: string): string[] {
  const seen = new Set<string>()
  for (const part of text.split(/[,;\r\n]+/)) {
    const email = normalizeEmail(part)
    if (email) seen.add(email)
  }
  return [...seen]
}

/** The addresses to invite and the role, or the form's errors (nothing is sent when any address is bad). */
export function validateInvite(values: InviteValues): Result<{ emails: string[]; role: Role }> {
  const errors: FieldErrors = {}
  const emails = parseEmailList(values.emails)
  const bad = emails.filter((e) => !isValidEmail(e))
  if (emails.length === 0) errors.emails = msg('team.invite.emails_required')
  else if (bad.length) errors.emails = msg('team.invite.emails_invalid', { emails: bad.join(', ') })
  else if (emails.length > MAX_INVITATIONS_AT_ONCE) errors.emails = msg('team.invite.too_many', { max: MAX_INVITATIONS_AT_ONCE })
  const role = values.role || 'member'
  if (!isRole(role)) errors.role = msg('team.role.invalid')
  if (Object.keys(errors).length || !isRole(role)) return invalid(errors)
  return ok({ emails, role })
}
