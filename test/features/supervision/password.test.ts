import t from 'tap'
import {
  displayPassword,
  generateInvigilatorPassword,
  normaliseTypedPassword,
  PASSWORD_ALPHABET,
  passwordMatches,
} from '../../../src/features/supervision/password.ts'

t.test('a password is 6 characters of the access-code alphabets', async (t) => {
  for (let i = 0; i < 200; i++) t.match(generateInvigilatorPassword(), /^[BCDFGHJKMPQRTVWXY2346789]{6}$/)
  t.equal(
    generateInvigilatorPassword(() => 0),
    'BBBBBB',
    'drawn with the given random source',
  )
  t.equal(
    generateInvigilatorPassword(() => PASSWORD_ALPHABET.length - 1),
    '999999',
  )
  t.equal(displayPassword('K7QB2M'), 'C-K7QB2M')
})

t.test('typed with or without "C-", any case, spaces ignored', async (t) => {
  t.equal(normaliseTypedPassword('c-k7qb2m'), 'K7QB2M')
  t.equal(normaliseTypedPassword(' K7Q B2M '), 'K7QB2M')
  t.ok(passwordMatches('C-K7QB2M', 'K7QB2M'))
  t.ok(passwordMatches('k7qb2m', 'K7QB2M'))
  t.ok(passwordMatches('CBBB22', 'CBBB22'), 'a password that starts with C, typed without the prefix')
  t.ok(passwordMatches('C-CBBB22', 'CBBB22'))
  t.notOk(passwordMatches('K7QB2', 'K7QB2M'), 'too short')
  t.notOk(passwordMatches('K7QB2MM', 'K7QB2M'), 'too long')
  t.notOk(passwordMatches('', ''), 'an empty stored password never matches')
  t.notOk(passwordMatches('C-', ''))
})
