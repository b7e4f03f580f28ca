import { timingSafeEqual } from 'node:crypto'
import { PASSWORD_LENGTH, PASSWORD_PREFIX } from '../sessions/index.ts'

// Drawn when a session is created (sessions, batch import) or renewed (the Espace surveillant).
export { generateInvigilatorPassword, PASSWORD_ALPHABET, PASSWORD_LENGTH, PASSWORD_PREFIX } from '../sessions/index.ts'

export function displayPassword(stored: string): string {
  return PASSWORD_PREFIX + stored
}

/** As typed: spaces dropped, any case, with or without the "C-" prefix. */
export function normaliseTypedPassword(typed: string): string {
  const value = typed.replace(/\s+/g, '').toUpperCase()
  if (value.startsWith(PASSWORD_PREFIX)) return value.slice(PASSWORD_PREFIX.length)
  return value
}

/** Constant-time comparison; a stored value that is not a real password never matches. */
export function passwordMatches(typed: string, stored: string): boolean {
  if (stored.length !== PASSWORD_LENGTH) return false
  const a = Buffer.from(normaliseTypedPassword(typed))
  const b = Buffer.from(stored)
  return a.length === b.length && timingSafeEqual(a, b)
}
