import { randomInt } from 'node:crypto'
import { ACCESS_CODE_DIGITS, ACCESS_CODE_LETTERS, type RandomInt } from './access-code.ts'

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
