import { randomBytes } from 'node:crypto'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Config } from './config.ts'

/**
 * DATA_DIR holds password hashes and candidates' personal data: only the account that runs the
 * server may read it. Folders are 0700, files 0600 (the database, its -wal and -shm, the cookie
 * secret; documents are written 0600 by document-storage.ts, backups by backupSqlite).
 */
export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/** Any permission for other accounts (the group's are left as the operator set them). */
const OTHERS = 0o007

function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
}

/**
 * A file or folder that other accounts can read is tightened (we own it: we created it, or an
 * older version did with 0644/0755) and reported; one we cannot change stops the start-up.
 */
function keepPrivate(file: string, mode: number, warnings: string[]): void {
  if (!existsSync(file)) return
  const current = statSync(file).mode & 0o777
  if ((current & OTHERS) === 0) return
  try {
    chmodSync(file, current & ~OTHERS & mode)
  } catch {
    throw new Error(
      `${file} est lisible par les autres comptes (${current.toString(8)}) et ne peut pas être protégé : lancez chmod ${mode.toString(8)} ${file}`,
    )
  }
  warnings.push(`${file} était lisible par les autres comptes (${current.toString(8)}) : droits ramenés à ${(current & ~OTHERS & mode).toString(8)}`)
}

/** The cookie secret survives restarts: taken from the environment, else kept in DATA_DIR. */
function loadCookieSecret(config: Config, warnings: string[]): string {
  if (config.cookieSecret) return config.cookieSecret
  const file = path.join(config.dataDir, 'cookie-secret')
  if (existsSync(file)) {
    keepPrivate(file, PRIVATE_FILE_MODE, warnings)
    return readFileSync(file, 'utf8').trim()
  }
  const secret = randomBytes(32).toString('hex')
  writeFileSync(file, secret, { mode: PRIVATE_FILE_MODE, flag: 'wx' })
  return secret
}

/**
 * Start-up side of the settings: creates DATA_DIR and uploads/ (0700), the database file (0600,
 * before SQLite creates it 0644; its -wal and -shm inherit its mode), the cookie secret (0600), and
 * tightens what an older version left readable by others. Returns the config with its cookie
 * secret, and the warnings to log.
 */
export function prepareDataDir(config: Config): { config: Config; warnings: string[] } {
  const warnings: string[] = []
  makePrivateDir(config.dataDir)
  keepPrivate(config.dataDir, PRIVATE_DIR_MODE, warnings)
  makePrivateDir(config.uploadsDir)
  keepPrivate(config.uploadsDir, PRIVATE_DIR_MODE, warnings)
  if (config.database.kind === 'sqlite' && config.databaseFile !== ':memory:') {
    if (!existsSync(config.databaseFile)) closeSync(openSync(config.databaseFile, 'wx', PRIVATE_FILE_MODE))
    for (const suffix of ['', '-wal', '-shm']) keepPrivate(config.databaseFile + suffix, PRIVATE_FILE_MODE, warnings)
  }
  return { config: { ...config, cookieSecret: loadCookieSecret(config, warnings) }, warnings }
}
