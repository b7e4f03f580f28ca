import { zipSync } from 'fflate'
import t from 'tap'
import { checkOdsFile } from '../../../src/lib/spreadsheet/file-type.ts'
import { ZipArchive, ZipError } from '../../../src/lib/spreadsheet/zip.ts'
import { differentialCorpus } from '../../lib/hostile.ts'
import { bombStream, zip } from '../../lib/ods.ts'
import { fixture } from '../../features/candidates/fixtures/sheets.ts'

const ODS = Buffer.from('application/vnd.oasis.opendocument.spreadsheet')
const MB = 1024 * 1024
const zipOf = (files: Record<string, Uint8Array>) => Buffer.from(zipSync(files))
const reason = (fn: () => unknown) => {
  try {
    fn()
    return 'read'
  } catch (error) {
    return error instanceof ZipError ? error.reason : String(error)
  }
}

t.test('archives written by fflate and by LibreOffice open, and their entries read back', async (t) => {
  const archive = ZipArchive.open(zipOf({ mimetype: ODS, 'content.xml': Buffer.from('<x>é</x>'.repeat(1000)) }))
  t.same(archive.names(), ['mimetype', 'content.xml'])
  t.equal(archive.read('content.xml', MB).toString(), '<x>é</x>'.repeat(1000))
  for (const name of ['filled.ods', 'template.ods', 'filled-xlsx-resaved.ods']) {
    const lo = ZipArchive.open(fixture(name))
    t.ok(
      lo
        .read('content.xml', 40 * MB)
        .toString('utf8')
        .includes('office:document-content'),
      `${name}: content.xml read`,
    )
  }
})

t.test('a zip bomb is refused by its claimed size, before anything is inflated', async (t) => {
  const bomb = zip([
    { name: 'mimetype', data: ODS, store: true },
    { name: 'content.xml', raw: bombStream('<x>', Buffer.alloc(MB, 0x20), 100, '</x>') },
  ])
  t.ok(bomb.length < 200 * 1024, `small on the wire (${bomb.length} bytes)`)
  t.equal(
    reason(() => ZipArchive.open(bomb).read('content.xml', 40 * MB)),
    'too_big',
  )
  t.match(await checkOdsFile(bomb), { ok: true, value: {} }, 'opening it costs nothing: only reading an entry inflates')
})

t.test('a bomb lying about its size in both headers stops inflating at the size it claims', async (t) => {
  // 512 MB of spaces announced as 2 KB: fflate's output counter stops it after the first step.
  const stream = bombStream('<x>', Buffer.alloc(MB, 0x20), 512, '</x>')
  const bomb = zip([
    { name: 'mimetype', data: ODS, store: true },
    { name: 'content.xml', raw: { ...stream, size: 2048 } },
  ])
  const before = process.memoryUsage().arrayBuffers
  t.equal(
    reason(() => ZipArchive.open(bomb).read('content.xml', 40 * MB)),
    'inconsistent',
  )
  t.ok(process.memoryUsage().arrayBuffers - before < 64 * MB, 'without inflating it all')
})

t.test('every differential archive of the corpus is refused when it is opened or read', async (t) => {
  const corpus = differentialCorpus()
  t.ok(corpus.length >= 12, `${corpus.length} archives`)
  for (const file of corpus) {
    const result = reason(() => {
      const archive = ZipArchive.open(file.bytes)
      for (const name of archive.names()) archive.read(name, 40 * MB)
    })
    t.ok(result === 'inconsistent' || result === 'unsupported', `${file.name}: ${result}`)
  }
})

t.test('too many entries, truncated or corrupt archives, encryption', async (t) => {
  const many = zipOf({ mimetype: ODS, ...Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`f${i}`, Buffer.from('x')])) })
  t.equal(
    reason(() => ZipArchive.open(many)),
    'too_many_entries',
  )
  t.match(await checkOdsFile(many), { refused: { key: 'candidates.import.bomb' } })
  const good = zipOf({ mimetype: ODS, 'content.xml': Buffer.from('<x/>') })
  t.not(
    reason(() => ZipArchive.open(good.subarray(0, good.length - 30))),
    'read',
    'truncated',
  )
  t.match(await checkOdsFile(good), { ok: true, value: {} })
  const corrupt = Buffer.from(good)
  const at = corrupt.indexOf('content.xml') + 'content.xml'.length
  corrupt.fill(0xff, at, at + 6) // the deflate data of content.xml, in its local entry
  t.equal(
    reason(() => ZipArchive.open(corrupt).read('content.xml', MB)),
    'corrupt',
  )
  const encrypted = Buffer.from(good)
  for (const name of ['mimetype', 'content.xml']) {
    encrypted.writeUInt16LE(1, encrypted.indexOf(name) - 30 + 6)
    encrypted.writeUInt16LE(1, encrypted.lastIndexOf(name) - 46 + 8)
  }
  t.equal(
    reason(() => ZipArchive.open(encrypted)),
    'unsupported',
    'ZIP encryption',
  )
})
