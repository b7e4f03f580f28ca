import { create as contentDisposition } from 'content-disposition'
import { type Msg, msg } from '../../i18n/index.ts'
import { sniffFileType } from '../../lib/lazy-modules.ts'

/**
 * Rules for the documents of step 2: what a file is (by its first bytes, never by its name),
 * how big it may be, how many a session may hold, and the name it is downloaded under.
 */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
export const MAX_DOCUMENTS_PER_SESSION = 10
export const MAX_DOCUMENT_COMMENT_LENGTH = 500

export type DocumentType = 'application/pdf' | 'image/jpeg' | 'image/png'

const EXTENSIONS: Record<DocumentType, string[]> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
}

const isDocumentType = (mime: string): mime is DocumentType => mime in EXTENSIONS

/** The real type of a file from its magic bytes (file-type); null for anything but PDF, JPEG and PNG. */
export async function sniffDocumentType(buffer: Buffer): Promise<DocumentType | null> {
  const sniffed = await sniffFileType(buffer)
  return sniffed && isDocumentType(sniffed.mime) ? sniffed.mime : null
}

export interface UploadFacts {
  size: number
  truncated: boolean
  type: DocumentType | null
  /** Documents the session already holds. */
  existingCount: number
}

/** Why an upload is refused, or null when it may be stored. */
export function documentProblem(facts: UploadFacts): Msg | null {
  if (facts.existingCount >= MAX_DOCUMENTS_PER_SESSION) return msg('finalisation.documents.error.too_many', { max: MAX_DOCUMENTS_PER_SESSION })
  if (facts.truncated || facts.size > MAX_DOCUMENT_BYTES) return msg('finalisation.documents.error.too_large')
  if (facts.size === 0) return msg('finalisation.documents.error.empty')
  if (!facts.type) return msg('finalisation.documents.error.type')
  return null
}

/**
 * The name shown and used for the download: no folders, no control characters, at most 150
 * characters, and an extension that tells the truth about the content.
 */
export function documentDisplayName(original: string, type: DocumentType): string {
  const base = original.split(/[/\\]/).pop() ?? ''
  let name = base
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
    .trim()
    .slice(0, 150)
  if (!name || name.startsWith('.')) name = `document${name}`
  const lower = name.toLowerCase()
  if (!EXTENSIONS[type].some((ext) => lower.endsWith(ext))) name = `${name}${EXTENSIONS[type][0]}`
  return name
}

/**
 * Content-Disposition for a download (content-disposition, RFC 6266): the exact UTF-8 name plus an
 * ASCII fallback of our own, accents dropped rather than the library's "?" ("PV ete.pdf", not
 * "PV ?t?.pdf"), and no "%" (some browsers decode it in the plain name).
 */
export function attachmentHeader(name: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/[%\\]/g, '_') || 'document'
  return contentDisposition(name, { fallback: ascii })
}
