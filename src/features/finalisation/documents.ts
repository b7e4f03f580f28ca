import { type Msg, msg } from '../../i18n/index.ts'

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

function startsWith(buffer: Buffer, bytes: number[]): boolean {
  return buffer.length >= bytes.length && bytes.every((b, i) => buffer[i] === b)
}

/** The real type of a file from its magic bytes; null for anything but PDF, JPEG and PNG. */
export function sniffDocumentType(buffer: Buffer): DocumentType | null {
  if (startsWith(buffer, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf' // %PDF-
  if (startsWith(buffer, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(buffer, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  return null
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
  let name = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim().slice(0, 150)
  if (!name || name.startsWith('.')) name = `document${name}`
  const lower = name.toLowerCase()
  if (!EXTENSIONS[type].some((ext) => lower.endsWith(ext))) name = `${name}${EXTENSIONS[type][0]}`
  return name
}

/** Content-Disposition for a download: an ASCII fallback plus the exact UTF-8 name (RFC 6266). */
export function attachmentHeader(name: string): string {
  const ascii = name.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\%]/g, '_') || 'document'
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}
