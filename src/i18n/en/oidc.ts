import type { Translation } from '../index.ts'
import type { oidc as fr } from '../fr/oidc.ts'

export const oidc: Translation<typeof fr> = {
  'oidc.login.button': 'Log in with {label}',
  'oidc.login.or': 'or with your e-mail address and password',
  'oidc.login.password_off': 'Logging in with a password is turned off for staff on this installation: log in with {label}.',
  'oidc.login.password_off_short': 'Password login turned off: use {label}.',
  'oidc.invitation.button': 'Accept with {label}',
  'oidc.invitation.intro': 'Do you have a {label} account (ProConnect, académie account) with this address? Accept the invitation with it:',
  'oidc.invitation.other_email':
    'This invitation was sent to {email}: the account you logged in with does not have this address verified. Log in with the right account, or ask for an invitation to your address.',
  'oidc.refused.unknown': 'No Certisalle account matches your {label} identity. To join a centre, ask its administrator for an invitation.',
  'oidc.refused.unverified':
    'Your e-mail address {email} is not verified by {label}, so it cannot be used to recognise you. Log in with your password, or ask your IT department to have it verified.',
  'oidc.refused.other_identity':
    'The Certisalle account with this address is already linked to another {label} identity. Log in with your password or contact your IT department.',
  'oidc.refused.cancelled': 'Logging in with {label} was cancelled. You can try again.',
  'oidc.refused.state': 'This login attempt has expired or has already been used. Start logging in with {label} again.',
  'oidc.refused.failed': 'Logging in with {label} failed. Try again; if the problem persists, tell your IT department.',
  'oidc.unavailable.page_title': 'Login service unavailable',
  'oidc.unavailable.title': '{label} is not responding',
  'oidc.unavailable.text':
    'The {label} login service is not responding at the moment. Try again in a few minutes. If you have a Certisalle password, you can also log in with it.',
  'oidc.unavailable.back': 'Back to the login page',
}
