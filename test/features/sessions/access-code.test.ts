import t from 'tap'
import { ACCESS_CODE_DIGITS, ACCESS_CODE_LETTERS, ACCESS_CODE_PATTERN, generateAccessCode } from '../../../src/features/sessions/access-code.ts'

t.test('a code is 4 letters without vowels then 2 digits without look-alikes', async (t) => {
  t.equal(ACCESS_CODE_LETTERS, 'BCDFGHJKMPQRTVWXY')
  t.equal(ACCESS_CODE_DIGITS, '2346789')
  const codes = Array.from({ length: 3000 }, () => generateAccessCode())
  t.ok(
    codes.every((c) => ACCESS_CODE_PATTERN.test(c)),
    'every code matches',
  )
  t.ok(
    codes.every((c) => c.length === 6),
    'six characters',
  )
  // 12,000 letter draws: each of the 17 letters shows up (missing one has a probability ~1e-300).
  const letters = new Set(codes.flatMap((c) => [...c.slice(0, 4)]))
  const digits = new Set(codes.flatMap((c) => [...c.slice(4)]))
  t.equal(letters.size, 17, 'every letter is used')
  t.equal(digits.size, 7, 'every digit is used')
  t.ok(new Set(codes).size > 2990, 'codes differ from one another')
})

t.test('letters and digits come from the random source, in order', async (t) => {
  const draws: number[] = []
  const lowest = generateAccessCode((max) => {
    draws.push(max)
    return 0
  })
  t.equal(lowest, 'BBBB22')
  t.same(draws, [17, 17, 17, 17, 7, 7], 'four letter draws over 17, two digit draws over 7')
  t.equal(
    generateAccessCode((max) => max - 1),
    'YYYY99',
  )
  const sequence = [4, 8, 9, 0, 0, 3]
  t.equal(
    generateAccessCode(() => sequence.shift()!),
    'GMPB26',
    'the guide’s example',
  )
})
