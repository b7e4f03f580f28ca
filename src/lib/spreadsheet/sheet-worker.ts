import { readBatchOds } from '../../features/batch-import/read.ts'
import { readAttendanceSheet } from '../../features/candidates/ods/import.ts'
import type { SheetKind } from './sheet-reader.ts'

/**
 * The process where uploads are opened, checked and parsed by SheetJS (see sheet-reader.ts): a
 * file that is too heavy costs this process, never the server's event loop or memory.
 */
process.on('message', async ({ id, kind, bytes }: { id: number; kind: SheetKind; bytes: Uint8Array }) => {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const reading = kind === 'batch' ? await readBatchOds(buffer) : await readAttendanceSheet(buffer)
    process.send!({ id, reading })
  } catch (error) {
    process.send!({ id, failed: error instanceof Error ? error.message : String(error) })
  }
})
// The server is gone (or closed the reader): nothing left to do.
process.on('disconnect', () => process.exit(0))
