import type { Transaction } from 'kysely'
import type { Database, Db } from './database.ts'

export type Trx = Transaction<Database>

/**
 * Every transaction that writes goes through here: it is opened for writing from its first
 * statement (BEGIN IMMEDIATE on SQLite, see database.ts; READ WRITE elsewhere), so it either gets
 * the write lock before reading anything or fails at once with nothing done. The callback may be
 * run on `trx` only; a throw rolls everything back.
 */
export function writeTransaction<T>(db: Db | Trx, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Trx)
  return db.transaction().setAccessMode('read write').execute(fn)
}
