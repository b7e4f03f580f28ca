import fastifyMultipart, { type MultipartFile } from '@fastify/multipart'
import fp from 'fastify-plugin'

/** The largest file any form accepts (finalisation documents); the import checks its own 5 MB limit. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

/**
 * Fields and files are parsed before the handler (so the CSRF check can read `_csrf` from the body).
 * A file over the limit is cut and flagged `truncated` instead of throwing, so the page can say so.
 */
export default fp(
  async (app) => {
    await app.register(fastifyMultipart, {
      attachFieldsToBody: true,
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25 },
    })
  },
  { name: 'multipart' },
)

export interface Upload {
  filename: string
  mimetype: string
  buffer: Buffer
  /** More bytes were sent than MAX_UPLOAD_BYTES. */
  truncated: boolean
}

/** The uploaded file of a multipart form field, or null when none was chosen. */
export async function readUpload(body: unknown, field: string): Promise<Upload | null> {
  const part = (body as Record<string, unknown> | undefined)?.[field] as (MultipartFile & { _buf?: Buffer }) | undefined
  if (!part || typeof part !== 'object' || part.type !== 'file') return null
  const buffer = part._buf ?? (await part.toBuffer())
  if (!part.filename && buffer.length === 0) return null
  return { filename: part.filename, mimetype: part.mimetype, buffer, truncated: part.file.truncated }
}

/** A text field of a multipart form ('' when absent). */
export function readMultipartField(body: unknown, field: string): string {
  const part = (body as Record<string, unknown> | undefined)?.[field] as { type?: string; value?: unknown } | undefined
  return part && part.type === 'field' && typeof part.value === 'string' ? part.value : ''
}
