import { randomBytes } from 'node:crypto'
import { createReadStream, type ReadStream } from 'node:fs'
import { stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Session documents live as files under the uploads folder, named by random hex only: the
 * name a user gave never reaches the file system.
 */
const STORED_NAME = /^[0-9a-f]{32}$/

function storedPath(uploadsDir: string, storedName: string): string {
  if (!STORED_NAME.test(storedName)) throw new Error('Invalid stored document name')
  return path.join(uploadsDir, storedName)
}

export async function storeFile(uploadsDir: string, content: Buffer): Promise<string> {
  const storedName = randomBytes(16).toString('hex')
  // 'wx': never overwrite an existing file.
  await writeFile(storedPath(uploadsDir, storedName), content, { flag: 'wx', mode: 0o600 })
  return storedName
}

export function readStoredFile(uploadsDir: string, storedName: string): ReadStream {
  return createReadStream(storedPath(uploadsDir, storedName))
}

/** Removes a stored file; one already gone is not an error. */
export async function removeStoredFile(uploadsDir: string, storedName: string): Promise<void> {
  try {
    await unlink(storedPath(uploadsDir, storedName))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

export async function storedFileExists(uploadsDir: string, storedName: string): Promise<boolean> {
  try {
    return (await stat(storedPath(uploadsDir, storedName))).isFile()
  } catch {
    return false
  }
}
