import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import t from 'tap'
import { createDb, isDatabaseBusy } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { writeTransaction } from '../../src/db/transaction.ts'
import type { Teardown } from '../helper.ts'

function tempDb(t: Teardown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'certisalle-trx-'))
  const file = path.join(dir, 'db.sqlite')
  const { db } = createDb(file)
  t.teardown(async () => {
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  })
  return { db, file }
}

t.test('a write transaction holds the write lock from its first statement (BEGIN IMMEDIATE)', async (t) => {
  const { db, file } = tempDb(t)
  await migrateToLatest(db)
  const other = new SQLite(file, { timeout: 0 })
  t.teardown(() => other.close())
  let otherError: unknown = null
  await writeTransaction(db, async (trx) => {
    // Only a read so far: a deferred BEGIN would not hold the lock yet.
    await trx.selectFrom('centre').select('id').execute()
    try {
      other.exec('BEGIN IMMEDIATE')
      other.exec('ROLLBACK')
    } catch (error) {
      otherError = error
    }
  })
  t.ok(isDatabaseBusy(otherError), 'the other connection cannot start writing')
})

t.test('a write transaction that cannot get the lock fails at once, as "busy", with nothing done', async (t) => {
  const { db, file } = tempDb(t)
  await migrateToLatest(db)
  const other = new SQLite(file)
  other.exec('BEGIN IMMEDIATE')
  t.teardown(() => other.close())
  let ran = false
  const error = await writeTransaction(db, async () => {
    ran = true
  }).catch((e: unknown) => e)
  t.ok(isDatabaseBusy(error))
  t.notOk(ran, 'the callback never ran')
  other.exec('ROLLBACK')
  t.equal(await writeTransaction(db, async () => 'ok'), 'ok', 'the connection is usable again')
})

t.test('no feature opens a transaction except through writeTransaction', async (t) => {
  const offenders: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else if (full.endsWith('.ts') && full !== path.join('src', 'db', 'transaction.ts') && /\.transaction\(\)/.test(readFileSync(full, 'utf8')))
        offenders.push(full)
    }
  }
  walk('src')
  t.same(offenders, [])
})
