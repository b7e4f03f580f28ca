import { type Msg, msg } from '../../../i18n/index.ts'
import { checkZipSize, isZip, listZipEntries, readZipEntry, ZipError } from './zip.ts'

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024
/** A filled sheet of 2,000 candidates inflates to a few MB; anything far above is a zip bomb. */
export const MAX_INFLATED_BYTES = 40 * 1024 * 1024

const ODS_MIME = 'application/vnd.oasis.opendocument.spreadsheet'

/** No NUL byte and hardly any control characters: text (CSV, TSV…), in UTF-8 or Windows-1252. */
function looksLikeText(buffer: Buffer): boolean {
  const sample = buffer.subarray(0, 4096)
  if (sample.includes(0)) return false
  let control = 0
  for (const byte of sample) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++
  return control <= sample.length / 100
}

/**
 * Checks, before SheetJS sees it, that an upload is an OpenDocument spreadsheet of sane size:
 * names the real type of anything else (Excel, CSV, PDF…) and refuses zip bombs.
 */
export function checkOdsFile(buffer: Buffer): Msg | null {
  if (buffer.length === 0) return msg('candidates.import.empty_file')
  if (buffer.length > MAX_IMPORT_BYTES) return msg('candidates.import.too_large')
  if (buffer.subarray(0, 5).toString('latin1') === '%PDF-') return msg('candidates.import.is_pdf')
  if (buffer.length >= 8 && buffer.readUInt32BE(0) === 0xd0cf11e0) return msg('candidates.import.is_xls')
  if (!isZip(buffer)) {
    // a flat XML spreadsheet (.fods, "Excel 2003 XML") is text too, but not a CSV
    if (/^\s*<\?xml|^\s*</.test(buffer.subarray(0, 100).toString('utf8'))) return msg('candidates.import.not_ods')
    return looksLikeText(buffer) ? msg('candidates.import.is_csv') : msg('candidates.import.not_ods')
  }
  try {
    const entries = listZipEntries(buffer)
    const names = new Set(entries.map((e) => e.name))
    const mimetype = entries.find((e) => e.name === 'mimetype')
    const type = mimetype ? readZipEntry(buffer, mimetype, 200).toString('latin1').trim() : ''
    if (type !== ODS_MIME || !names.has('content.xml')) {
      if (names.has('[Content_Types].xml') && [...names].some((n) => n.startsWith('xl/'))) return msg('candidates.import.is_xlsx')
      if (names.has('[Content_Types].xml') && [...names].some((n) => n.startsWith('word/'))) return msg('candidates.import.is_docx')
      if (type === 'application/vnd.oasis.opendocument.text') return msg('candidates.import.is_odt')
      return msg('candidates.import.not_ods')
    }
    checkZipSize(buffer, MAX_INFLATED_BYTES)
    return null
  } catch (error) {
    if (error instanceof ZipError && (error.reason === 'too_big' || error.reason === 'too_many_entries')) return msg('candidates.import.bomb')
    if (error instanceof ZipError) return msg('candidates.import.unreadable')
    throw error
  }
}
