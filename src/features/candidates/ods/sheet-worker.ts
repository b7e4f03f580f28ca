import { readAttendanceSheet } from './import.ts'

/**
 * The process where uploads are opened, checked and parsed by SheetJS (see sheet-reader.ts): a
 * file that is too heavy costs this process, never the server's event loop or memory.
 */
process.on('message', async ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  try {
    const reading = await readAttendanceSheet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    process.send!({ id, reading })
  } catch (error) {
    process.send!({ id, failed: error instanceof Error ? error.message : String(error) })
  }
})
// The server is gone (or closed the reader): nothing left to do.
process.on('disconnect', () => process.exit(0))
