import { crc32 } from 'node:zlib'
import { Inflate } from 'fflate'

/**
 * A strict reader of uploaded ZIP archives (the container of .ods files), read once per import.
 *
 * A ZIP names each entry twice: in the central directory (the table of contents at the end) and
 * in a local header in front of its data. Readers disagree on which to trust (SheetJS takes the
 * method, sizes and name from the local header; most tools take the central directory), so an
 * archive whose two copies differ can show one harmless file to a check and a zip bomb to the
 * parser. This reader refuses any such disagreement (method, flags, sizes, CRC, name), duplicate
 * names (also by case and by `\` or `/`, as SheetJS looks names up), entries that overlap, data
 * outside the archive's own layout, ZIP64 and encryption. Inflation (fflate's streaming `Inflate`)
 * counts its output and stops past a limit whatever sizes the archive claims, then checks the
 * real size and CRC. Only the entries read here are ever handed on (see `readCheckedEntries` in import.ts).
 *
 * The parsing of headers stays ours (fflate's `unzipSync` trusts the central directory and checks
 * none of this): it is the part the attack is about.
 */
export interface ZipEntry {
  name: string
  method: number
  flags: number
  crc: number
  compressedSize: number
  uncompressedSize: number
  /** Where the entry's compressed data starts and ends (end excludes any data descriptor). */
  dataStart: number
  dataEnd: number
}

export type ZipProblem = 'corrupt' | 'inconsistent' | 'too_big' | 'too_many_entries' | 'unsupported'

export class ZipError extends Error {
  readonly reason: ZipProblem
  constructor(reason: ZipProblem) {
    super(`zip: ${reason}`)
    this.reason = reason
  }
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const DESCRIPTOR = 0x08074b50
/** Input handed to fflate per step: deflate expands at most ~1,032×, so one step overshoots the limit by ≤ 8.5 MB. */
const INFLATE_STEP = 8 * 1024
/** Flags: 0x1 encrypted, 0x40 strong encryption, 0x2000 masked central directory. */
const ENCRYPTION_FLAGS = 0x0001 | 0x0040 | 0x2000
/** Flag 0x8: CRC and sizes follow the data (data descriptor) instead of being in the local header. */
const HAS_DESCRIPTOR = 0x0008

export function isZip(buffer: Uint8Array): boolean {
  return buffer.length >= 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04
}

/** How SheetJS finds an entry: without case, `\` and `/` alike (and we add: no leading `/` or `./`). */
export function nameKey(name: string): string {
  return name
    .replace(/\\/g, '/')
    .replace(/^(\.?\/)+/, '')
    .toLowerCase()
}

/** The parsed archive: its entries by exact name, and a bounded, checked read of each one. */
export class ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>
  private readonly cache = new Map<string, Buffer>()

  private readonly buffer: Buffer
  private constructor(buffer: Buffer, entries: Map<string, ZipEntry>) {
    this.buffer = buffer
    this.entries = entries
  }

  /** Parses and cross-checks every header (cheap: nothing is inflated). Throws ZipError. */
  static open(buffer: Buffer, maxEntries = 1000): ZipArchive {
    return new ZipArchive(buffer, readEntries(buffer, maxEntries))
  }

  names(): string[] {
    return [...this.entries.keys()]
  }

  /**
   * The bytes of one entry (exact name): ZipError 'too_big' when it claims more than `maxBytes`,
   * 'inconsistent' as soon as it inflates past the size it claims, or when its CRC is wrong.
   */
  read(name: string, maxBytes: number): Buffer {
    const cached = this.cache.get(name)
    if (cached) return cached
    const entry = this.entries.get(name)
    if (!entry) throw new ZipError('corrupt')
    if (entry.uncompressedSize > maxBytes) throw new ZipError('too_big')
    const data = this.buffer.subarray(entry.dataStart, entry.dataEnd)
    const out = entry.method === 0 ? Buffer.from(data) : inflateBounded(data, entry.uncompressedSize)
    if (out.length !== entry.uncompressedSize || crc32(out) >>> 0 !== entry.crc) throw new ZipError('inconsistent')
    this.cache.set(name, out)
    return out
  }
}

/** Inflates raw DEFLATE data with fflate, refusing as soon as the output passes `maxBytes` (the size claimed). */
function inflateBounded(data: Uint8Array, maxBytes: number): Buffer {
  const chunks: Uint8Array[] = []
  let total = 0
  let ended = false
  const inflate = new Inflate((chunk, final) => {
    total += chunk.length
    if (total > maxBytes) throw new ZipError('inconsistent')
    chunks.push(chunk)
    if (final) ended = true
  })
  try {
    for (let i = 0; i < data.length || i === 0; i += INFLATE_STEP) {
      const end = Math.min(data.length, i + INFLATE_STEP)
      inflate.push(data.subarray(i, end), end === data.length)
      if (end === data.length) break
    }
  } catch (error) {
    if (error instanceof ZipError) throw error
    throw new ZipError('corrupt') // not a valid DEFLATE stream (fflate's own errors)
  }
  if (!ended) throw new ZipError('corrupt')
  return Buffer.concat(chunks, total)
}

function readEntries(buffer: Buffer, maxEntries: number): Map<string, ZipEntry> {
  if (buffer.length < 22) throw new ZipError('corrupt')
  // SheetJS takes the last end-of-directory signature of the file: so do we, and it must end the file exactly.
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (eocd < 0 || eocd + 22 > buffer.length || buffer.readUInt32LE(eocd) !== EOCD) throw new ZipError('corrupt')
  if (eocd + 22 + buffer.readUInt16LE(eocd + 20) !== buffer.length) throw new ZipError('inconsistent')
  const disk = buffer.readUInt16LE(eocd + 4)
  const cdDisk = buffer.readUInt16LE(eocd + 6)
  const onDisk = buffer.readUInt16LE(eocd + 8)
  const count = buffer.readUInt16LE(eocd + 10)
  const cdSize = buffer.readUInt32LE(eocd + 12)
  const cdOffset = buffer.readUInt32LE(eocd + 16)
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new ZipError('unsupported') // ZIP64: never an attendance sheet
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw new ZipError('unsupported') // split archives
  if (count > maxEntries) throw new ZipError('too_many_entries')
  if (cdOffset + cdSize !== eocd) throw new ZipError('inconsistent')

  const entries = new Map<string, ZipEntry>()
  const keys = new Set<string>()
  const spans: Array<{ start: number; end: number }> = []
  let p = cdOffset
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buffer.readUInt32LE(p) !== CENTRAL) throw new ZipError('corrupt')
    const flags = buffer.readUInt16LE(p + 8)
    const method = buffer.readUInt16LE(p + 10)
    const crc = buffer.readUInt32LE(p + 16)
    const compressedSize = buffer.readUInt32LE(p + 20)
    const uncompressedSize = buffer.readUInt32LE(p + 24)
    const nameLength = buffer.readUInt16LE(p + 28)
    const extraLength = buffer.readUInt16LE(p + 30)
    const commentLength = buffer.readUInt16LE(p + 32)
    const localOffset = buffer.readUInt32LE(p + 42)
    const next = p + 46 + nameLength + extraLength + commentLength
    if (next > eocd) throw new ZipError('corrupt')
    const nameBytes = buffer.subarray(p + 46, p + 46 + nameLength)
    if (hasZip64(buffer.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength))) throw new ZipError('unsupported')
    if (flags & ENCRYPTION_FLAGS) throw new ZipError('unsupported')
    if (method !== 0 && method !== 8) throw new ZipError('unsupported')
    if (method === 0 && compressedSize !== uncompressedSize) throw new ZipError('inconsistent')
    // SheetJS decodes names byte by byte (latin1); a name must mean the same to everyone, so ASCII only.
    if (nameLength === 0 || nameBytes.some((b) => b < 0x20 || b > 0x7e)) throw new ZipError('inconsistent')
    const name = nameBytes.toString('latin1')
    if (keys.has(nameKey(name))) throw new ZipError('inconsistent')
    keys.add(nameKey(name))

    // The local header must say exactly the same.
    const l = localOffset
    if (l + 30 > cdOffset || buffer.readUInt32LE(l) !== LOCAL) throw new ZipError('inconsistent')
    const localFlags = buffer.readUInt16LE(l + 6)
    const localMethod = buffer.readUInt16LE(l + 8)
    const localCrc = buffer.readUInt32LE(l + 14)
    const localCompressed = buffer.readUInt32LE(l + 18)
    const localUncompressed = buffer.readUInt32LE(l + 22)
    const localNameLength = buffer.readUInt16LE(l + 26)
    const localExtraLength = buffer.readUInt16LE(l + 28)
    if (localFlags !== flags || localMethod !== method || localNameLength !== nameLength) throw new ZipError('inconsistent')
    if (!buffer.subarray(l + 30, l + 30 + nameLength).equals(nameBytes)) throw new ZipError('inconsistent')
    const dataStart = l + 30 + nameLength + localExtraLength
    if (hasZip64(buffer.subarray(l + 30 + nameLength, dataStart))) throw new ZipError('unsupported')
    const dataEnd = dataStart + compressedSize
    let end = dataEnd
    if (flags & HAS_DESCRIPTOR) {
      // Sizes and CRC follow the data; the local header holds zeros (or the same values).
      const zeroOrSame = (local: number, central: number) => local === 0 || local === central
      if (!zeroOrSame(localCrc, crc) || !zeroOrSame(localCompressed, compressedSize) || !zeroOrSame(localUncompressed, uncompressedSize))
        throw new ZipError('inconsistent')
      let d = dataEnd
      if (d + 4 <= cdOffset && buffer.readUInt32LE(d) === DESCRIPTOR) d += 4
      if (d + 12 > cdOffset) throw new ZipError('inconsistent')
      if (buffer.readUInt32LE(d) !== crc || buffer.readUInt32LE(d + 4) !== compressedSize || buffer.readUInt32LE(d + 8) !== uncompressedSize)
        throw new ZipError('inconsistent')
      end = d + 12
    } else if (localCrc !== crc || localCompressed !== compressedSize || localUncompressed !== uncompressedSize) {
      throw new ZipError('inconsistent')
    }
    if (end > cdOffset) throw new ZipError('inconsistent')
    spans.push({ start: l, end })
    entries.set(name, { name, method, flags, crc, compressedSize, uncompressedSize, dataStart, dataEnd })
    p = next
  }
  if (p !== eocd) throw new ZipError('inconsistent')
  // No two entries may share bytes (one local header listed twice, or data inside another's).
  spans.sort((a, b) => a.start - b.start)
  for (let i = 1; i < spans.length; i++) if (spans[i]!.start < spans[i - 1]!.end) throw new ZipError('inconsistent')
  return entries
}

/** A ZIP64 extra field (id 0x0001) lets a reader replace the sizes: SheetJS does, so refuse it. */
function hasZip64(extra: Buffer): boolean {
  for (let i = 0; i + 4 <= extra.length;) {
    if (extra.readUInt16LE(i) === 0x0001) return true
    i += 4 + extra.readUInt16LE(i + 2)
  }
  return false
}
