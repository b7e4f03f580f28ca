import t from 'tap'
import { checkOdsFile } from '../../../src/features/candidates/ods/file-type.ts'
import { checkZipSize, listZipEntries, readZipEntry, writeZip, ZipError } from '../../../src/features/candidates/ods/zip.ts'

const ODS = Buffer.from('application/vnd.oasis.opendocument.spreadsheet')

t.test('writeZip and readZipEntry round trip; mimetype stored first', async (t) => {
  const zip = writeZip([
    { name: 'mimetype', data: ODS, store: true },
    { name: 'content.xml', data: Buffer.from('<x>é</x>'.repeat(1000)) },
  ])
  t.equal(zip.toString('latin1', 30, 38), 'mimetype')
  const entries = listZipEntries(zip)
  t.same(entries.map((e) => e.name), ['mimetype', 'content.xml'])
  t.equal(readZipEntry(zip, entries[1]!, 1e6).toString(), '<x>é</x>'.repeat(1000))
})

t.test('a zip bomb is refused before any parser inflates it', async (t) => {
  const bomb = writeZip([
    { name: 'mimetype', data: ODS, store: true },
    { name: 'content.xml', data: Buffer.alloc(100 * 1024 * 1024, 0x20) },
  ])
  t.ok(bomb.length < 200 * 1024, `small on the wire (${bomb.length} bytes)`)
  t.throws(() => checkZipSize(bomb, 40 * 1024 * 1024), new ZipError('too_big'))
  t.match(checkOdsFile(bomb), { key: 'candidates.import.bomb' })
})

t.test('a bomb lying about its sizes in the central directory is still caught while inflating', async (t) => {
  const bomb = writeZip([
    { name: 'mimetype', data: ODS, store: true },
    { name: 'content.xml', data: Buffer.alloc(60 * 1024 * 1024, 0x20) },
  ])
  // rewrite the claimed uncompressed size of content.xml (central directory) to 1 KB
  const entries = listZipEntries(bomb)
  const central = bomb.lastIndexOf(Buffer.from('content.xml')) - 46
  bomb.writeUInt32LE(1024, central + 24)
  t.equal(listZipEntries(bomb)[1]!.uncompressedSize, 1024)
  t.ok(entries.length === 2)
  t.throws(() => checkZipSize(bomb, 40 * 1024 * 1024), new ZipError('too_big'))
})

t.test('too many entries, truncated or corrupt archives', async (t) => {
  const many = writeZip([{ name: 'mimetype', data: ODS, store: true }, ...Array.from({ length: 1200 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') }))])
  t.match(checkOdsFile(many), { key: 'candidates.import.bomb' })
  const good = writeZip([{ name: 'mimetype', data: ODS, store: true }, { name: 'content.xml', data: Buffer.from('<x/>') }])
  t.match(checkOdsFile(good.subarray(0, good.length - 30)), { key: 'candidates.import.unreadable' })
  t.equal(checkOdsFile(good), null)
})
