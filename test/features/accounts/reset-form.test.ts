import t from 'tap'
import { readResetForm } from '../../../src/features/accounts/reset-form.ts'

// The password reset form is judged in the feature; the route only renders or resets.
t.test('the new password typed twice, with the link’s token', async (t) => {
  const ok = readResetForm({ jeton: 'tok', password: 'un mot de passe long', confirmation: 'un mot de passe long' })
  t.same(ok, { token: 'tok', result: { ok: true, value: { token: 'tok', password: 'un mot de passe long' } } })
  const mismatch = readResetForm({ jeton: 'tok', password: 'un mot de passe long', confirmation: 'autre chose encore' })
  t.equal(mismatch.token, 'tok', 'kept for the form shown again')
  t.equal(mismatch.result.ok, false)
  if (!mismatch.result.ok) t.equal(mismatch.result.errors.confirmation?.key, 'accounts.password.mismatch')
  const short = readResetForm({ jeton: 'tok', password: 'court', confirmation: 'court' }).result
  t.equal(short.ok, false)
  if (!short.ok) t.ok(short.errors.password)
})
