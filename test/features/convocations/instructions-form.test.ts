import t from 'tap'
import { readInstructionsForm } from '../../../src/features/convocations/instructions-form.ts'
import { MAX_INSTRUCTIONS_LENGTH } from '../../../src/features/convocations/convocation.ts'

// The "Consignes aux candidats" form is read and judged in the feature; the route only renders.
t.test('the text to save is trimmed with its line breaks normalised; the typed text is kept as received', async (t) => {
  const read = readInstructionsForm({ consignes: '  Venir tôt.\r\nApporter une pièce d’identité.  ' })
  t.same(read.result, { ok: true, value: 'Venir tôt.\nApporter une pièce d’identité.' })
  t.equal(read.typed, '  Venir tôt.\r\nApporter une pièce d’identité.  ')
  t.same(readInstructionsForm({}).result, { ok: true, value: '' }, 'no field: back to the default text')
})

t.test('control characters and a text too long are refused on the field', async (t) => {
  const control = readInstructionsForm({ consignes: 'Venir\u0007 tôt' })
  t.equal(control.result.ok, false)
  if (!control.result.ok) t.equal(control.result.errors.consignes?.key, 'form.control_character')
  t.equal(control.typed, 'Venir\u0007 tôt', 'shown again as typed')
  const long = readInstructionsForm({ consignes: 'a'.repeat(MAX_INSTRUCTIONS_LENGTH + 1) })
  t.equal(long.result.ok, false)
  if (!long.result.ok) t.same(long.result.errors.consignes, { key: 'convocations.instructions.too_long', params: { max: MAX_INSTRUCTIONS_LENGTH } })
  t.equal(readInstructionsForm({ consignes: 'a'.repeat(MAX_INSTRUCTIONS_LENGTH) }).result.ok, true)
})
