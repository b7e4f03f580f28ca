import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { loadConfig } from '../src/config.ts'
import { prepareDataDir } from '../src/data-dir.ts'
import { createDb } from '../src/db/database.ts'

const mode = (file: string) => statSync(file).mode & 0o777

function scratch(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'certisalle-datadir-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return path.join(dir, 'data')
}

t.test('loadConfig creates nothing; prepareDataDir creates DATA_DIR 0700, the database and the secret 0600', async (t) => {
  const dataDir = scratch(t)
  const config = loadConfig({ DATA_DIR: dataDir })
  t.notOk(existsSync(dataDir), 'loadConfig has no side effect')

  const { config: prepared, warnings } = prepareDataDir(config)
  t.same(warnings, [])
  t.equal(mode(dataDir), 0o700)
  t.equal(mode(path.join(dataDir, 'uploads')), 0o700)
  t.equal(mode(path.join(dataDir, 'cookie-secret')), 0o600)
  t.equal(mode(config.databaseFile), 0o600)
  t.match(prepared.cookieSecret, /^[0-9a-f]{64}$/)
  t.equal(prepareDataDir(config).config.cookieSecret, prepared.cookieSecret, 'the secret survives restarts')

  // SQLite gives the WAL and shared-memory files the mode of the database file.
  const { db, sqlite } = createDb(config.databaseFile)
  sqlite.exec('create table probe (x)')
  t.equal(mode(`${config.databaseFile}-wal`), 0o600)
  t.equal(mode(`${config.databaseFile}-shm`), 0o600)
  await db.destroy()
})

t.test('what an older version left readable by others is tightened, and said so', async (t) => {
  const dataDir = scratch(t)
  mkdirSync(dataDir, { mode: 0o755 })
  chmodSync(dataDir, 0o755)
  const databaseFile = path.join(dataDir, 'certisalle.sqlite')
  writeFileSync(databaseFile, '')
  chmodSync(databaseFile, 0o644)
  writeFileSync(path.join(dataDir, 'cookie-secret'), 'secret-kept-from-before-secret-kept')
  chmodSync(path.join(dataDir, 'cookie-secret'), 0o644)

  const { config, warnings } = prepareDataDir(loadConfig({ DATA_DIR: dataDir }))
  t.equal(mode(dataDir), 0o700)
  t.equal(mode(databaseFile), 0o600)
  t.equal(mode(path.join(dataDir, 'cookie-secret')), 0o600)
  t.equal(config.cookieSecret, 'secret-kept-from-before-secret-kept')
  t.equal(warnings.length, 3)
  t.match(warnings.join('\n'), /certisalle\.sqlite était lisible par les autres comptes \(644\) : droits ramenés à 600/)
  t.equal(readFileSync(path.join(dataDir, 'cookie-secret'), 'utf8'), 'secret-kept-from-before-secret-kept')
})
