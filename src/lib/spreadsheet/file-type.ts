import { type MessageKey, type Msg, msg } from '../../i18n/index.ts'
import { sniffFileType } from '../lazy-modules.ts'
import { ok, type Ok, type Refusal, refused } from '../result.ts'
import { isZip, ZipArchive, ZipError } from './zip.ts'

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024
/** A filled sheet of 2,000 candidates inflates to a few MB; anything far above is a zip bomb. */
export const MAX_INFLATED_BYTES = 40 * 1024 * 1024

export const ODS_MIME = 'application/vnd.oasis.opendocument.spreadsheet'

/** What a refused upload really is: the type file-type names from its first bytes, or an OpenDocument `mimetype`. */
const KNOWN: Record<string, MessageKey> = {
  'application/pdf': 'candidates.import.is_pdf',
  'application/x-cfb': 'candidates.import.is_xls',
  'application/vnd.ms-excel': 'candidates.import.is_xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'candidates.import.is_xlsx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'candidates.import.is_docx',
  'application/vnd.oasis.opendocument.text': 'candidates.import.is_odt',
}

/**
 * file-type names binary formats only: it says nothing of text. A CSV (UTF-8 or Windows-1252) is
 * recognised here: no NUL byte and hardly any control characters.
 */
function looksLikeText(buffer: Buffer): boolean {
  const sample = buffer.subarray(0, 4096)
  if (sample.includes(0)) return false
  let control = 0
  for (const byte of sample) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++
  return control <= sample.length / 100
}

export type OdsFile = Ok<ZipArchive> | Refusal

/** The message for an archive the strict reader refuses. */
export function zipErrorMessage(error: ZipError): Msg {
  if (error.reason === 'too_big' || error.reason === 'too_many_entries') return msg('candidates.import.bomb')
  if (error.reason === 'inconsistent') return msg('candidates.import.tampered')
  return msg('candidates.import.unreadable')
}

/**
 * Checks, before SheetJS sees it, that an upload is an OpenDocument spreadsheet: names the real
 * type of anything else (Excel, CSV, PDF…) and opens the archive once, strictly (see zip.ts).
 * The archive returned is the only reading of the file the import uses afterwards: a ZIP is never
 * handed to file-type (it would be one more reading of its headers, and its own), only the rest.
 */
export async function checkOdsFile(buffer: Buffer): Promise<OdsFile> {
  if (buffer.length === 0) return refused(msg('candidates.import.empty_file'))
  if (buffer.length > MAX_IMPORT_BYTES) return refused(msg('candidates.import.too_large'))
  if (!isZip(buffer)) {
    const sniffed = await sniffFileType(buffer)
    if (sniffed) return refused(msg(KNOWN[sniffed.mime] ?? 'candidates.import.not_ods'))
    // a flat XML spreadsheet (.fods, "Excel 2003 XML") is text too, but not a CSV
    if (/^\s*<\?xml|^\s*</.test(buffer.subarray(0, 100).toString('utf8'))) return refused(msg('candidates.import.not_ods'))
    return refused(looksLikeText(buffer) ? msg('candidates.import.is_csv') : msg('candidates.import.not_ods'))
  }
  try {
    const archive = ZipArchive.open(buffer)
    const type = archive.entries.has('mimetype') ? archive.read('mimetype', 200).toString('latin1').trim() : ''
    if (type === ODS_MIME && archive.entries.has('content.xml')) return ok(archive)
    // The other ZIP-based formats, named by their entries as file-type does.
    const names = archive.names()
    const known = type ? KNOWN[type] : undefined
    if (known) return refused(msg(known))
    if (names.includes('[Content_Types].xml') && names.some((n) => n.startsWith('xl/'))) return refused(msg('candidates.import.is_xlsx'))
    if (names.includes('[Content_Types].xml') && names.some((n) => n.startsWith('word/'))) return refused(msg('candidates.import.is_docx'))
    return refused(msg('candidates.import.not_ods'))
  } catch (error) {
    if (error instanceof ZipError) return refused(zipErrorMessage(error))
    throw error
  }
}
