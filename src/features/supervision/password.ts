import { timingSafeEqual } from 'node:crypto'
import { ACCESS_CODE_DIGITS, ACCESS_CODE_LETTERS, type RandomInt } from '../sessions/access-code.ts'
import { randomInt } from 'node:crypto'

/** The access code's letters and digits together: no vowels, no look-alikes. */
export const PASSWORD_ALPHABET = ACCESS_CODE_LETTERS + ACCESS_CODE_DIGITS
export const PASSWORD_LENGTH = 6
export const PASSWORD_PREFIX = 'C-'

/** 6 random characters (24⁶ ≈ 191 million values), e.g. 'K7QB2M'; shown to staff as 'C-K7QB2M'. */
export function generateInvigilatorPassword(random: RandomInt = randomInt): string {
  let value = ''
  for (let i = 0; i < PASSWORD_LENGTH; i++) value += PASSWORD_ALPHABET[random(PASSWORD_ALPHABET.length)]
  return value
}

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
