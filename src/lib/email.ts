/**
 * The one e-mail rule, for accounts (login, reset, setup, CLI) and candidates' convocation
 * addresses: something@domain.tld with no space, no second "@", none of the characters that
 * would need quoting (`<>()[]\,;:"`), no empty part of the domain ("a@b..fr", "a@.fr"), and at
 * most 254 characters (RFC 5321), nothing invisible. A form check, not a delivery check.
 */
const PART = '[^\\s@<>()[\\]\\\\,;:"]'
const DOMAIN_LABEL = '[^\\s@<>()[\\]\\\\,;:".]+'
const EMAIL_PATTERN = new RegExp(`^${PART}+@(?:${DOMAIN_LABEL}\\.)+${DOMAIN_LABEL}$`)

export const MAX_EMAIL_LENGTH = 254

/**
 * No control, format (bidi overrides U+202A–U+202E, isolates U+2066–U+2069, marks, zero-width
 * characters) or space character anywhere: an address shown to an admin or a
 * candidate reads exactly as it is.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Z}]/u

export function isValidEmail(email: string): boolean {
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email) && !INVISIBLE.test(email)
}
