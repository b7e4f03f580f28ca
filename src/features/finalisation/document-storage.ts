import { readFile, readdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import type { Db } from '../../db/database.ts'
import { writeTransaction } from '../../db/transaction.ts'

/**
 * Session documents live in the database (session_document.content, a BLOB on SQLite, bytea on
 * PostgreSQL), written in the same transaction as their row: no orphan file after a crash, one
 * file to back up on SQLite, and every instance reads what another stored.
 *
 * Older versions kept them as files under DATA_DIR/uploads, named by random hex only. At start-up
 * (and with `npm run cli -- migrate`) each such file is moved into its row, then removed; a file
 * no row names (an orphan a crash left) is removed too. Runs again harmlessly: once moved, a
 * document has content and no file.
 */
const STORED_NAME = /^[0-9a-f]{32}$/

export async function moveUploadsIntoDatabase(db: Db, uploadsDir: string): Promise<{ moved: number; orphans: number }> {
  let names: string[]
  try {
    names = (await readdir(uploadsDir)).filter((name) => STORED_NAME.test(name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { moved: 0, orphans: 0 }
    throw error
  }
  let moved = 0
  let orphans = 0
  for (const name of names) {
    const file = path.join(uploadsDir, name)
    const content = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null // moved meanwhile by another process on this DATA_DIR
      throw error
    })
    if (!content) continue
    const stored = await writeTransaction(db, async (trx) => {
      const row = await trx.selectFrom('session_document').select(['id', 'content']).where('stored_name', '=', name).executeTakeFirst()
      if (!row) return 'orphan'
      if (row.content === null) await trx.updateTable('session_document').set({ content }).where('id', '=', row.id).execute()
      return 'moved'
    })
    // Removed only once its bytes are committed (or when no row names it).
    await unlink(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
    if (stored === 'moved') moved += 1
    else orphans += 1
  }
  return { moved, orphans }
}
