import { randomInt } from 'node:crypto'

/** No vowels (no words), no look-alikes (0/O, 1/I/L, 5/S): as Pix does. */
export const ACCESS_CODE_LETTERS = 'BCDFGHJKMPQRTVWXY'
export const ACCESS_CODE_DIGITS = '2346789'
export const ACCESS_CODE_PATTERN = /^[BCDFGHJKMPQRTVWXY]{4}[2346789]{2}$/

/** A uniform integer in [0, max): node's CSPRNG by default, a fake in tests. */
export type RandomInt = (max: number) => number

/** 4 letters then 2 digits, e.g. 'GMPB26'. The code is what lets a candidate in: never Math.random. */
export function generateAccessCode(random: RandomInt = randomInt): string {
  let code = ''
  for (let i = 0; i < 4; i++) code += ACCESS_CODE_LETTERS[random(ACCESS_CODE_LETTERS.length)]
  for (let i = 0; i < 2; i++) code += ACCESS_CODE_DIGITS[random(ACCESS_CODE_DIGITS.length)]
  return code
}
