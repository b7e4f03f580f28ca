/**
 * The process where uploads are opened, checked and parsed by SheetJS (see sheet-reader.ts): a
 * file that is too heavy costs this process, never the server's event loop or memory. It loads
 * only the module of the parser it is asked to run (an attendance sheet's or a batch template's).
 */
process.on('message', async ({ id, parser, bytes }: { id: number; parser: { module: string; name: string }; bytes: Uint8Array }) => {
  try {
    const module = (await import(parser.module)) as Record<string, unknown>
    const parse = module[parser.name]
    if (typeof parse !== 'function') throw new Error(`${parser.module} exports no ${parser.name}`)
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const reading: unknown = await parse(buffer)
    process.send!({ id, reading })
  } catch (error) {
    process.send!({ id, failed: error instanceof Error ? error.message : String(error) })
  }
})
// The server is gone (or closed the reader): nothing left to do.
process.on('disconnect', () => process.exit(0))
