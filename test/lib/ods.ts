import { crc32, deflateRawSync, constants } from 'node:zlib'
import * as XLSX from 'xlsx'

/** One file of a zip archive; `raw` lets a test hand over pre-compressed bytes (zip bomb). */
export interface ZipEntry {
  name: string
  data?: Buffer
  store?: boolean
  raw?: { compressed: Buffer; size: number; crc: number }
}

/** A minimal zip writer (store or deflate), enough to craft any .ods a test needs, broken ones included. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8')
    const data = entry.data ?? Buffer.alloc(0)
    const method = entry.raw ? 8 : entry.store ? 0 : 8
    const compressed = entry.raw ? entry.raw.compressed : entry.store ? data : deflateRawSync(data)
    const size = entry.raw ? entry.raw.size : data.length
    const crc = entry.raw ? entry.raw.crc : crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt16LE(method, 8)
    local.writeUInt32LE(crc >>> 0, 14)
    local.writeUInt32LE(compressed.length, 18)
    local.writeUInt32LE(size >>> 0, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt32LE(crc >>> 0, 16)
    central.writeUInt32LE(compressed.length, 20)
    central.writeUInt32LE(size >>> 0, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, compressed)
    centrals.push(central, name)
    offset += local.length + name.length + compressed.length
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(centralSize, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, ...centrals, end])
}

const MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet'
const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"'

export function manifest(mimetype = MIMETYPE, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mimetype}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">${extra}</manifest:file-entry></manifest:manifest>`
}

/** A cell: a string, a number, a calendar date, or a formula with its cached text. */
export type Cell = string | number | null | { date: string } | { formula: string; text: string }

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function cellXml(cell: Cell): string {
  if (cell === null || cell === '') return '<table:table-cell/>'
  if (typeof cell === 'number') return `<table:table-cell office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`
  if (typeof cell === 'string') return `<table:table-cell office:value-type="string"><text:p>${xmlText(cell)}</text:p></table:table-cell>`
  if ('date' in cell) return `<table:table-cell office:value-type="date" office:date-value="${cell.date}"><text:p>${cell.date}</text:p></table:table-cell>`
  return `<table:table-cell table:formula="${xmlText(cell.formula).replace(/"/g, '&quot;')}" office:value-type="string" office:string-value="${xmlText(cell.text)}"><text:p>${xmlText(cell.text)}</text:p></table:table-cell>`
}

export function tableXml(name: string, rows: Cell[][]): string {
  return `<table:table table:name="${xmlText(name)}">${rows.map((r) => `<table:table-row>${r.map(cellXml).join('')}</table:table-row>`).join('')}</table:table>`
}

export function contentXml(tables: string, prolog = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${prolog}<office:document-content ${NS}><office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`
}

const STYLES = `<?xml version="1.0" encoding="UTF-8"?><office:document-styles ${NS}/>`

/** An .ods written by hand (mimetype stored first, as the format requires). */
export function ods(sheets: Array<{ name: string; rows: Cell[][] }>, options: { content?: string; mimetype?: string; extraEntries?: ZipEntry[] } = {}): Buffer {
  const content = options.content ?? contentXml(sheets.map((s) => tableXml(s.name, s.rows)).join(''))
  return zip([
    { name: 'mimetype', data: Buffer.from(options.mimetype ?? MIMETYPE), store: true },
    { name: 'META-INF/manifest.xml', data: Buffer.from(manifest(options.mimetype ?? MIMETYPE)) },
    { name: 'content.xml', data: Buffer.from(content, 'utf8') },
    { name: 'styles.xml', data: Buffer.from(STYLES) },
    ...(options.extraEntries ?? []),
  ])
}

/** The participants table's titles (seed's 2021 sheet), with the row number in front. */
export const HEADER: string[] = [
  'N°',
  'Nom de naissance',
  'Prénom',
  'Date de naissance (format : jj/mm/aaaa)',
  'Commune de naissance',
  'Code du département de naissance',
  'Pays de naissance',
  'Adresse e-mail de convocation',
  'Identifiant local',
  'Temps majoré ?',
  'Signature',
  'Ecran de fin de test vu (cocher)',
]

/** A valid candidate row; `i` makes names distinct. */
export function candidateRow(
  i: number,
  overrides: Partial<Record<'last' | 'first' | 'birthdate' | 'city' | 'dept' | 'country' | 'email' | 'local' | 'extra', Cell>> = {},
): Cell[] {
  const letters = (n: number) => {
    let s = ''
    do {
      s = String.fromCharCode(97 + (n % 26)) + s
      n = Math.floor(n / 26)
    } while (n > 0)
    return s
  }
  return [
    i + 1,
    overrides.last ?? `Nom${letters(i)}`,
    overrides.first ?? `Prenom${letters(i)}`,
    overrides.birthdate ?? `${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/1990`,
    overrides.city ?? 'Le Havre',
    overrides.dept ?? '76',
    overrides.country ?? 'France',
    overrides.email ?? '',
    overrides.local ?? '',
    overrides.extra ?? '',
    '',
    '',
  ]
}

/**
 * A participants sheet. When the app's own download is given, its layout (session block, header row)
 * is kept and the rows are written under its header, as a user filling it in LibreOffice would.
 */
export function participantsSheet(rows: Cell[][], template?: Buffer): Buffer {
  if (template) {
    const workbook = XLSX.read(template, { type: 'buffer' })
    const sheet = workbook.Sheets[workbook.SheetNames[0]!]!
    const aoa = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, blankrows: true, defval: '' })
    const headerIndex = aoa.findIndex((r) => r.some((c) => typeof c === 'string' && c.includes('Nom de naissance')))
    if (headerIndex >= 0) {
      const header = aoa[headerIndex]!.map(String)
      const before: Cell[][] = aoa.slice(0, headerIndex + 1).map((r) => r.map((c) => (typeof c === 'number' || typeof c === 'string' ? c : String(c))))
      const column = (title: string) => header.findIndex((h) => h.trim().startsWith(title))
      const order = HEADER.map((title) => column(title.replace(/ \(.*| \?/, '')))
      const mapped = rows.map((r) => {
        const out: Cell[] = new Array(header.length).fill('')
        r.forEach((cell, i) => {
          const target = order[i] ?? -1
          if (target >= 0) out[target] = cell
        })
        return out
      })
      return ods([{ name: workbook.SheetNames[0]!, rows: [...before, ...mapped] }])
    }
  }
  return ods([{ name: 'Feuille d’émargement', rows: [HEADER, ...rows] }])
}

/**
 * A deflate stream that inflates to `repeat` × `chunk` bytes while staying tiny: the chunk is
 * compressed once (non-final block, sync flush) and repeated, then a final empty block closes it.
 */
export function bombStream(prefix: string, chunk: Buffer, repeat: number, suffix: string) {
  const head = deflateRawSync(Buffer.from(prefix), { finishFlush: constants.Z_SYNC_FLUSH })
  const body = deflateRawSync(chunk, { finishFlush: constants.Z_SYNC_FLUSH, level: 9 })
  const tail = deflateRawSync(Buffer.from(suffix))
  let crc = crc32(Buffer.from(prefix))
  for (let i = 0; i < repeat; i++) crc = crc32(chunk, crc)
  crc = crc32(Buffer.from(suffix), crc)
  const compressed = Buffer.concat([head, ...new Array<Buffer>(repeat).fill(body), tail])
  return { compressed, size: prefix.length + chunk.length * repeat + suffix.length, crc }
}
