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
  t.same(validateSetup(valid), {})
  const errors = validateSetup({ ...valid, centreName: 'Centre\u0000', lastName: 'Mar\u0085tin' })
  t.same(errors, {
    centreName: { key: 'form.control_character', params: { char: 'U+0000' } },
    lastName: { key: 'form.control_character', params: { char: 'U+0085' } },
  })
  t.same(validateSetup({ ...valid, password: 'Secret-1234-\u0001abcd', confirmation: 'Secret-1234-\u0001abcd' }), {})
})
