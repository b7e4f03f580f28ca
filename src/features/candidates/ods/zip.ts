import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'

/**
 * Just enough ZIP (the container of .ods/.xlsx files) to look inside an upload before SheetJS
 * does: name the real type of a file and refuse a zip bomb by inflating every entry ourselves
 * with a hard cap on the output, whatever sizes the archive claims.
 */
export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  uncompressedSize: number
  localOffset: number
}

export class ZipError extends Error {
  constructor(readonly reason: 'corrupt' | 'too_big' | 'too_many_entries' | 'unsupported') {
    super(`zip: ${reason}`)
  }
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

export function isZip(buffer: Buffer): boolean {
  return buffer.length >= 4 && buffer.readUInt32LE(0) === LOCAL
}

/** Entries listed by the central directory (the table of contents at the end of the archive). */
export function listZipEntries(buffer: Buffer, maxEntries = 1000): ZipEntry[] {
  const start = Math.max(0, buffer.length - 22 - 0xffff)
  let eocd = -1
  for (let i = buffer.length - 22; i >= start; i--) {
    if (buffer.readUInt32LE(i) === EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new ZipError('corrupt')
  const count = buffer.readUInt16LE(eocd + 10)
  const offset = buffer.readUInt32LE(eocd + 16)
  if (count === 0xffff || offset === 0xffffffff) throw new ZipError('unsupported') // zip64: never a real attendance sheet
  if (count > maxEntries) throw new ZipError('too_many_entries')
  const entries: ZipEntry[] = []
  let p = offset
  for (let i = 0; i < count; i++) {
    if (p + 46 > buffer.length || buffer.readUInt32LE(p) !== CENTRAL) throw new ZipError('corrupt')
    const nameLength = buffer.readUInt16LE(p + 28)
    const extraLength = buffer.readUInt16LE(p + 30)
    const commentLength = buffer.readUInt16LE(p + 32)
    entries.push({
      method: buffer.readUInt16LE(p + 10),
      compressedSize: buffer.readUInt32LE(p + 20),
      uncompressedSize: buffer.readUInt32LE(p + 24),
      localOffset: buffer.readUInt32LE(p + 42),
      name: buffer.toString('utf8', p + 46, p + 46 + nameLength),
    })
    p += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** The bytes of one entry, inflated with at most `maxBytes` of output (ZipError 'too_big' beyond). */
export function readZipEntry(buffer: Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  const p = entry.localOffset
  if (p + 30 > buffer.length || buffer.readUInt32LE(p) !== LOCAL) throw new ZipError('corrupt')
  const dataStart = p + 30 + buffer.readUInt16LE(p + 26) + buffer.readUInt16LE(p + 28)
  const data = buffer.subarray(dataStart, dataStart + entry.compressedSize)
  if (data.length !== entry.compressedSize) throw new ZipError('corrupt')
  if (entry.method === 0) {
    if (data.length > maxBytes) throw new ZipError('too_big')
    return data
  }
  if (entry.method !== 8) throw new ZipError('unsupported')
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw new ZipError('too_big')
    throw new ZipError('corrupt')
  }
}

/**
 * Inflates every entry, stopping as soon as the total output passes `maxTotalBytes`: the claimed
 * sizes of the central directory are checked first (cheap), then the real ones (they can lie).
 */
export function checkZipSize(buffer: Buffer, maxTotalBytes: number, maxEntries = 1000): ZipEntry[] {
  const entries = listZipEntries(buffer, maxEntries)
  const claimed = entries.reduce((sum, e) => sum + e.uncompressedSize, 0)
  if (claimed > maxTotalBytes) throw new ZipError('too_big')
  let total = 0
  for (const entry of entries) {
    total += readZipEntry(buffer, entry, maxTotalBytes - total).length
    if (total > maxTotalBytes) throw new ZipError('too_big')
  }
  return entries
}

/** A new archive; an OpenDocument file needs `mimetype` first and stored (not compressed). */
export function writeZip(files: Array<{ name: string; data: Buffer; store?: boolean }>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8')
    const body = file.store ? file.data : deflateRawSync(file.data)
    const crc = crc32(file.data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(LOCAL, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt16LE(file.store ? 0 : 8, 8)
    local.writeUInt32LE(0x00210000, 10) // 1980-01-01 00:00 (DOS time, date)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(file.data.length, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(CENTRAL, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    local.copy(central, 8, 6, 26) // flags, method, time, date, crc, sizes
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, body)
    centrals.push(central, name)
    offset += local.length + name.length + body.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(EOCD, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}
