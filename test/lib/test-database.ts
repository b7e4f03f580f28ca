import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { createPostgresDb } from '../../src/db/database.ts'
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

/** The template's name follows the migrations' contents: a changed migration gets a new template. */
async function buildTemplate(): Promise<string> {
  const folder = new URL('../../migrations/', import.meta.url)
  const hash = createHash('sha256')
  for (const file of readdirSync(folder).sort()) hash.update(file).update(readFileSync(new URL(file, folder)))
  const name = `certisalle_tpl_${hash.digest('hex').slice(0, 16)}`
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
