import t from 'tap'
import { validateSetup } from '../../../src/features/accounts/account-form.ts'

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
