import { Signer } from '@fastify/cookie'
import t from 'tap'
import { rememberingSigner } from '../../src/plugins/external/cookie.ts'

// Issue 28: the server's cookie signer remembers what it computed. It must answer exactly as
// @fastify/cookie's own signer, remember only what it found valid, and stay within its bound.
const SECRET = 'a-secret-of-the-right-length-for-tests'

t.test('it signs and checks exactly as @fastify/cookie’s signer, the first time and again', async (t) => {
  const plain = new Signer(SECRET, 'sha256')
  const remembering = rememberingSigner(SECRET)
  for (const value of ['abc', 'session-token.with.dots', 'é']) {
    const signed = plain.sign(value)
    t.equal(remembering.sign(value), signed, `${value}: signed the same`)
    t.equal(remembering.sign(value), signed, `${value}: and again`)
    t.same(remembering.unsign(signed), plain.unsign(signed), `${value}: checked the same`)
    t.same(remembering.unsign(signed), { valid: true, renew: false, value }, `${value}: and again`)
  }
  const other = new Signer('another-secret-another-secret-another').sign('abc')
  for (const forged of [other, 'abc', 'abc.', 'abc.AAAA', `${plain.sign('abc')}x`]) {
    t.same(remembering.unsign(forged), plain.unsign(forged), `${forged}: refused as the plain signer refuses it`)
    t.equal(remembering.unsign(forged).valid, false, `${forged}: and again`)
  }
})

t.test('what a caller does to an answer does not change the next one', async (t) => {
  const remembering = rememberingSigner(SECRET)
  const signed = remembering.sign('value')
  const first = remembering.unsign(signed)
  first.value = 'changed'
  ;(first as { valid: boolean }).valid = false
  t.same(remembering.unsign(signed), { valid: true, renew: false, value: 'value' })
})

t.test('its tables are bounded, the least recently used going first', async (t) => {
  const calls: string[] = []
  const plain = new Signer(SECRET, 'sha256')
  const unsign = plain.unsign.bind(plain)
  const remembering = rememberingSigner(SECRET, 2)
  const a = plain.sign('a')
  const b = plain.sign('b')
  const c = plain.sign('c')
  // Counting the HMACs through the prototype: the remembering signer has its own Signer instance.
  const proto = Signer.prototype as unknown as { unsign(input: string): unknown }
  const original = proto.unsign
  proto.unsign = function (input: string) {
    calls.push(input)
    return original.call(this, input)
  }
  t.teardown(() => {
    proto.unsign = original
  })
  remembering.unsign(a)
  remembering.unsign(b)
  remembering.unsign(a) // remembered; a is now the most recent
  remembering.unsign(c) // b goes
  remembering.unsign(a) // still remembered
  remembering.unsign(b) // computed again
  t.same(calls, [a, b, c, b], 'a computed once; b again once pushed out')
  t.same(unsign(b), remembering.unsign(b), 'and the answers stay right')
})
