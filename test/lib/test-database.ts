import { createHash } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { createDb, createPostgresDb } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'

/**
 * The suite on PostgreSQL (scripts/with-postgres.sh sets TEST_DATABASE_URL to a cluster's
 * maintenance database): every test app gets its own database, copied from a template migrated
 * once (CREATE DATABASE … TEMPLATE: a few milliseconds, not the whole migration history), and
 * dropped when its test ends. Without TEST_DATABASE_URL, everything runs on SQLite as before.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? ''
export const onPostgres = testDatabaseUrl !== ''

const TEMPLATE_LOCK = 7_263_002

function urlFor(name: string): string {
  const url = new URL(testDatabaseUrl)
  url.pathname = `/${name}`
  return url.toString()
}

let admin: pg.Pool | undefined
function adminPool(): pg.Pool {
  // allowExitOnIdle: the pool never keeps a test process alive.
  admin ??= new pg.Pool({ connectionString: testDatabaseUrl, max: 2, allowExitOnIdle: true })
  return admin
}

/** A template's name follows the migrations' contents: a changed migration gets a new template. */
function migrationsHash(): string {
  const folder = new URL('../../migrations/', import.meta.url)
  const hash = createHash('sha256')
  for (const file of readdirSync(folder).sort()) hash.update(file).update(readFileSync(new URL(file, folder)))
  return hash.digest('hex').slice(0, 16)
}

async function buildTemplate(): Promise<string> {
  const name = `certisalle_tpl_${migrationsHash()}`
  const client = await adminPool().connect()
  try {
    // One process builds it; the others (tap's other jobs) wait, then find it.
    await client.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK])
    const found = await client.query('select 1 from pg_database where datname = $1', [name])
    if (!found.rowCount) {
      const building = `${name}_wip`
      await client.query(`drop database if exists "${building}" with (force)`)
      await client.query(`create database "${building}"`)
      const { db } = createPostgresDb(urlFor(building), { poolSize: 1 })
      try {
        await migrateToLatest(db)
      } finally {
        await db.destroy()
      }
      await client.query(`alter database "${building}" rename to "${name}"`)
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => {})
    client.release()
  }
  return name
}

let template: Promise<string> | undefined
let counter = 0

/** A new, migrated, empty database: its URL, and how to drop it. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  template ??= buildTemplate()
  const source = await template
  counter += 1
  const name = `certisalle_t${process.pid}_${counter}`
  await adminPool().query(`create database "${name}" template "${source}"`)
  return {
    name,
    url: urlFor(name),
    drop: async () => {
      await adminPool().query(`drop database if exists "${name}" with (force)`)
    },
  }
}

/**
 * The environment that points an app (a child process, a CLI run) at its own test database on
 * PostgreSQL, dropped at teardown; {} on SQLite.
 */
export async function testDatabaseEnv(t: { teardown(fn: () => unknown): void }): Promise<Record<string, string>> {
  if (!onPostgres) return {}
  const database = await createTestDatabase()
  t.teardown(() => database.drop())
  return { DATABASE_URL: database.url, DATABASE_POOL_SIZE: '4' }
}

/**
 * SQLite's template: a database file migrated once (per migrations' contents, in the system's
 * temporary folder, shared by tap's jobs), which `build` copies into each test app's DATA_DIR
 * instead of running every migration again; the app's own migrateToLatest then finds nothing to
 * do. Built under a name of its own and renamed into place, so a job never copies a half-built file.
 */
let sqliteTemplate: string | undefined
export async function prepareSqliteTemplate(): Promise<string> {
  if (sqliteTemplate && existsSync(sqliteTemplate)) return sqliteTemplate
  const file = path.join(tmpdir(), `certisalle-tpl-${migrationsHash()}.sqlite`)
  if (!existsSync(file)) {
    const building = `${file}.${process.pid}.wip`
    const { db, sqlite } = createDb(building)
    try {
      await migrateToLatest(db)
      // One file, no -wal beside it: what the copy takes is the whole database.
      sqlite.pragma('journal_mode = DELETE')
    } finally {
      await db.destroy()
    }
    renameSync(building, file)
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(building + suffix, { force: true })
  }
  sqliteTemplate = file
  return file
}

/** Copies the migrated template to `databaseFile` (0600, as prepareDataDir creates it). */
export async function copySqliteTemplate(databaseFile: string): Promise<void> {
  copyFileSync(await prepareSqliteTemplate(), databaseFile)
  chmodSync(databaseFile, 0o600)
}

/**
 * Why a test app is on the wrong database for this run, or null: under TEST_DATABASE_URL every app
 * `build` gives is on PostgreSQL, unless the test asked for SQLite itself (copy-to-postgres reads a
 * school's SQLite database). A test selected for the PostgreSQL run that quietly built on SQLite
 * would prove nothing more than the SQLite run (the sweeps did, until they went through `build`).
 */
export function wrongDatabase({
  onPostgres,
  dbKind,
  sqliteAsked,
}: {
  onPostgres: boolean
  dbKind: 'sqlite' | 'postgres'
  sqliteAsked: boolean
}): string | null {
  if (!onPostgres || dbKind === 'postgres' || sqliteAsked) return null
  return 'TEST_DATABASE_URL is set, yet this test app was built on SQLite: build it through test/helper.ts build() (or ask { database: { kind: "sqlite" } } on purpose)'
}
