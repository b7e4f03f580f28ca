import t from 'tap'
import { validateSetup } from '../../../src/features/accounts/account-form.ts'
import { validateName } from '../../../src/features/accounts/my-account.ts'

const valid = {
  centreName: 'Centre Testix',
  firstName: 'Paul',
  lastName: 'Martin',
  email: 'paul@example.org',
  password: 'Secret-1234-abcd',
  confirmation: 'Secret-1234-abcd',
}

t.test('the setup form refuses control characters in its text fields, not in the password', async (t) => {
  t.same(validateSetup(valid), {
    ok: true,
    value: { centreName: 'Centre Testix', account: { email: 'paul@example.org', password: 'Secret-1234-abcd', firstName: 'Paul', lastName: 'Martin' } },
  })
  t.same(validateSetup({ ...valid, centreName: 'Centre\u0000', lastName: 'Mar\u0085tin' }), {
    ok: false,
    reason: 'invalid',
    errors: {
      centreName: { key: 'form.control_character', params: { char: 'U+0000' } },
      lastName: { key: 'form.control_character', params: { char: 'U+0085' } },
    },
  })
  t.match(validateSetup({ ...valid, password: 'Secret-1234-\u0001abcd', confirmation: 'Secret-1234-\u0001abcd' }), {
    ok: true,
    value: { account: { password: 'Secret-1234-\u0001abcd' } },
  })
})

t.test(
  'one rule for a person’s name (setup, invitation, Mon compte, CLI): no control, line-break or bidi character, no reserved actor name (issue 23, items 6 and 7)',
  async (t) => {
    const refusedChar = (char: string) => ({ key: 'form.control_character', params: { char } })
    for (const [value, char] of [
      ['Alice\nVisitez https://faux.example', 'U+000A'],
      ['Alice\r', 'U+000D'],
      ['Ali\tce', 'U+0009'],
      ['Ali\u0000ce', 'U+0000'],
      ['Alice\u2028', 'U+2028'],
      ['\u202enimdA', 'U+202E'],
      ['Alice\u202a', 'U+202A'],
      ['Alice\u2066x\u2069', 'U+2066'],
      ['Alice\u200e', 'U+200E'],
      ['Alice\u200f', 'U+200F'],
      ['Alice\u061c', 'U+061C'],
      ['Al\u200bice', 'U+200B'],
      ['Al\u00adice', 'U+00AD'],
    ] as const) {
      t.same(validateName({ firstName: value, lastName: 'Martin' }), { firstName: refusedChar(char) }, `first name with ${char}`)
      t.same(validateName({ firstName: 'Alice', lastName: value }), { lastName: refusedChar(char) }, `last name with ${char}`)
      t.same(validateSetup({ ...valid, firstName: value }), { ok: false, reason: 'invalid', errors: { firstName: refusedChar(char) } }, `setup: ${char}`)
    }
    t.same(validateName({ firstName: 'Zoë-Marie', lastName: 'N’Diaye O’Brien' }), {}, 'letters, accents, apostrophes and hyphens')
    t.same(validateName({ firstName: 'مهر\u200cناز', lastName: 'Martin' }), {}, 'the zero-width non-joiner some scripts need')
    for (const [firstName, lastName] of [
      ['Surveillant', '(mot de passe de session)'],
      ['surveillant', 'MOT DE PASSE DE SESSION'],
      ['Service', 'informatique (ligne de commande)'],
    ] as const)
      t.same(validateName({ firstName, lastName }), { lastName: { key: 'accounts.name.reserved' } }, `${firstName} ${lastName}: reserved`)
    t.same(validateName({ firstName: 'Julie', lastName: 'Surveillant' }), {}, 'a real surname stays possible')
    t.same(
      validateSetup({ ...valid, centreName: 'Centre\nTestix' }),
      { ok: false, reason: 'invalid', errors: { centreName: refusedChar('U+000A') } },
      'the centre’s name is one line',
    )
  },
)
