import t from 'tap'
import { invalid, ok, refused, unreachable } from '../../src/lib/result.ts'

// One discriminated shape: every failure says why in `reason`, so a route's switch is checked by the compiler.
t.test('every failure carries its reason', async (t) => {
  t.same(ok(3), { ok: true, value: 3 })
  t.same(invalid({ name: { key: 'form.required' } }), { ok: false, reason: 'invalid', errors: { name: { key: 'form.required' } } })
  t.same(refused({ key: 'sessions.finalised.read_only' }), { ok: false, reason: 'refused', refused: { key: 'sessions.finalised.read_only' } })
  t.same(refused({ key: 'sessions.finalised.read_only' }, 'finalised'), { ok: false, reason: 'finalised', refused: { key: 'sessions.finalised.read_only' } })
})

t.test('unreachable throws when a reason was left unanswered at run time', async (t) => {
  t.throws(() => unreachable({ ok: false, reason: 'new' } as never), /inattendue/)
})
