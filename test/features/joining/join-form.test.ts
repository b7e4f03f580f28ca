import t from 'tap'
import { type IdentityValues, validateAccessCode, validateIdentity } from '../../../src/features/joining/join-form.ts'
import { decodeIdentified, decodeStarted, encodeIdentified, encodeStarted, IDENTIFIED_TTL_MS } from '../../../src/features/joining/join-token.ts'

const valid = { sessionNumber: '307', firstName: 'Julie', lastName: 'Dupont', birthDay: '13', birthMonth: '3', birthYear: '1996' }

function errorsOf(values: IdentityValues) {
  const result = validateIdentity(values)
  return result.ok ? {} : result.errors
}

t.test('a complete form gives the identity with an ISO birthdate', async (t) => {
  t.same(validateIdentity(valid), { ok: true, value: { sessionId: 307, firstName: 'Julie', lastName: 'Dupont', birthdate: '1996-03-13' } })
  t.match(validateIdentity({ ...valid, sessionNumber: ' 3 07 ' }), { ok: true, value: { sessionId: 307 } }, 'spaces in the number are ignored')
})

t.test('each field has its own message', async (t) => {
  const empty = validateIdentity({ sessionNumber: '', firstName: '', lastName: '', birthDay: '', birthMonth: '', birthYear: '' })
  t.equal(empty.ok, false)
  t.same(Object.fromEntries(Object.entries(empty.ok ? {} : empty.errors).map(([k, v]) => [k, v.key])), {
    sessionNumber: 'joining.session_number.required',
    firstName: 'joining.first_name.required',
    lastName: 'joining.last_name.required',
    birthdate: 'joining.birthdate.required',
  })
  t.equal(errorsOf({ ...valid, sessionNumber: 'abc' }).sessionNumber?.key, 'joining.session_number.invalid')
  t.equal(errorsOf({ ...valid, sessionNumber: '0' }).sessionNumber?.key, 'joining.session_number.invalid')
  t.equal(errorsOf({ ...valid, birthMonth: '' }).birthdate?.key, 'joining.birthdate.required')
  for (const date of [
    ['31', '2', '2000'],
    ['13', '13', '1996'],
    ['13', '03', '96'],
    ['1', '1', '1899'],
    ['x', '1', '2000'],
  ]) {
    const [birthDay, birthMonth, birthYear] = date as [string, string, string]
    t.equal(errorsOf({ ...valid, birthDay, birthMonth, birthYear }).birthdate?.key, 'joining.birthdate.invalid', date.join('/'))
  }
  t.equal(errorsOf({ ...valid, lastName: 'x'.repeat(256) }).lastName?.key, 'form.too_long')
})

t.test('the access code is required', async (t) => {
  t.same(validateAccessCode('ABCD12'), { ok: true, value: 'ABCD12' })
  t.same(validateAccessCode(' '), { ok: false, reason: 'invalid', errors: { accessCode: { key: 'joining.access_code.required', params: undefined } } })
})

t.test('step tokens round-trip and expire', async (t) => {
  const now = 1_700_000_000_000
  const identity = { sessionId: 307, firstName: 'Zoé', lastName: 'D’Amico "<x>"', birthdate: '1996-03-13' }
  const token = encodeIdentified(identity, now)
  t.match(token, /^[\w-]+$/, 'a cookie-safe value')
  t.same(decodeIdentified(token, now), { ...identity, expiresAt: now + IDENTIFIED_TTL_MS })
  t.equal(decodeIdentified(token, now + IDENTIFIED_TTL_MS), null, 'expired')
  t.equal(decodeIdentified(Buffer.from(JSON.stringify([307, 'Zoé', 'X', '13/03/1996', now + 1000])).toString('base64url'), now), null, 'malformed date')
  t.equal(decodeIdentified(Buffer.from(JSON.stringify({ sessionId: 307 })).toString('base64url'), now), null)
  t.equal(decodeIdentified('12.307', now), null)
  t.equal(decodeIdentified('a.b.c', now), null)
  t.equal(decodeIdentified(undefined, now), null)
  t.same(decodeStarted(encodeStarted(5, now), now)?.courseId, 5)
  t.equal(decodeStarted(encodeStarted(5, now), now + 31 * 60 * 1000), null)
})
