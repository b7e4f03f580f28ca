import t from 'tap'
import { fittedFlashValue, MAX_FLASH_COOKIE_BYTES } from '../../src/plugins/app/render.ts'
import type { Msg } from '../../src/i18n/index.ts'

const sign = (value: string) => `${value}.${'s'.repeat(43)}`
const decode = (value: string) => JSON.parse(Buffer.from(value.slice(0, value.lastIndexOf('.')), 'base64url').toString('utf8'))
const cookieBytes = (value: string) => 'certisalle_flash='.length + Buffer.byteLength(encodeURIComponent(value))
const line = (i: number, size: number): Msg => ({
  key: 'candidates.import.commune_warning',
  params: { line: i, city: `Île-${'é'.repeat(size)}`, department: '76' },
})

t.test('short details are all kept (up to 8 lines, then a count)', async (t) => {
  const few = decode(fittedFlashValue({ type: 'success', message: { key: 'app.name' }, details: [line(1, 5), line(2, 5)] }, sign))
  t.equal(few.details.length, 2)
  const many = decode(fittedFlashValue({ type: 'success', message: { key: 'app.name' }, details: Array.from({ length: 20 }, (_, i) => line(i, 5)) }, sign))
  t.equal(many.details.length, 9)
  t.same(many.details[8], { key: 'flash.more', params: { count: 12 } })
})

t.test('long details: lines are dropped and counted until the encoded, signed cookie fits', async (t) => {
  const details = Array.from({ length: 12 }, (_, i) => line(i, 250))
  const value = fittedFlashValue({ type: 'warning', message: { key: 'app.name' }, details }, sign)
  t.ok(cookieBytes(value) <= MAX_FLASH_COOKIE_BYTES, `${cookieBytes(value)} bytes`)
  const flash = decode(value)
  const kept = flash.details.length - 1
  t.ok(kept >= 1 && kept < 8, `${kept} lines kept`)
  t.same(flash.details.at(-1), { key: 'flash.more', params: { count: 12 - kept } })
  t.same(flash.message, { key: 'app.name' })
  // One line more would not have fitted.
  const tighter = fittedFlashValue({ type: 'warning', message: { key: 'app.name' }, details }, sign, cookieBytes(value) - 1)
  t.ok(decode(tighter).details.length - 1 < kept)
})

t.test('a message too long for any detail keeps the message alone', async (t) => {
  const flash = decode(fittedFlashValue({ type: 'error', message: { key: 'app.name' }, details: [line(1, 2000)] }, sign))
  t.same(flash, { type: 'error', message: { key: 'app.name' }, details: [{ key: 'flash.more', params: { count: 1 } }] })
})
