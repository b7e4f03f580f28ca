import { parentPort } from 'node:worker_threads'
import { readAttendanceSheet } from './import.ts'

/**
 * The thread where uploads are opened, checked and parsed by SheetJS (see sheet-reader.ts): a
 * file that is too heavy costs this thread, never the server's event loop.
 */
parentPort!.on('message', async ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  try {
    const reading = await readAttendanceSheet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    parentPort!.postMessage({ id, reading })
  } catch (error) {
    parentPort!.postMessage({ id, failed: error instanceof Error ? error.message : String(error) })
  }
})
