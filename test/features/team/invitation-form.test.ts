import t from 'tap'
import { readNewAccountForm } from '../../../src/features/team/invitation-form.ts'

const good = { jeton: 'abc', firstName: 'Paul', lastName: 'Petit', password: 'un mot de passe long', confirmation: 'un mot de passe long', cgu: 'on' }

// "Créer mon compte" from an invitation is judged in the feature: name, password twice, terms of use.
t.test('a complete form gives the account to create', async (t) => {
  const { values, result } = readNewAccountForm(good)
  t.equal(values.jeton, 'abc')
  t.same(result, { ok: true, value: good })
})

t.test('every field says what is wrong, at once', async (t) => {
  const { result } = readNewAccountForm({ ...good, firstName: '', password: 'court', cgu: '' })
  t.equal(result.ok, false)
  if (!result.ok) t.same(Object.keys(result.errors).sort(), ['cgu', 'firstName', 'password'])
  const mismatch = readNewAccountForm({ ...good, confirmation: 'un autre mot de passe' }).result
  t.equal(mismatch.ok, false)
  if (!mismatch.ok) t.equal(mismatch.errors.confirmation?.key, 'accounts.password.mismatch')
  const control = readNewAccountForm({ ...good, lastName: 'Pe\u001btit' }).result
  t.equal(control.ok, false, 'the one name rule: no control character')
})
