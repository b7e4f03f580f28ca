import { sql, type Transaction } from 'kysely'
import { type Database, type Db, inSessionScope } from './database.ts'

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

/**
 * A write transaction that changes the exam-day rows of session `sessionId` only (candidates'
 * presence, starts, ends, time and incidents of that room, their events and history lines):
 * on PostgreSQL it waits for the writes of the same session and for the other writes, never for
 * another room's (see PG_SESSION_LOCKS in database.ts); on SQLite it is a writeTransaction.
 * Anything that reads or writes beyond that session goes through writeTransaction.
 */
export function sessionWriteTransaction<T>(db: Db | Trx, sessionId: number, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Trx)
  return inSessionScope(sessionId, () => db.transaction().setAccessMode('read write').execute(fn))
}

/**
 * Runs `fn` inside `trx` so that its failure undoes only what `fn` wrote: the transaction goes on
 * (PostgreSQL would otherwise refuse every later statement of an aborted transaction). For a write
 * that may be refused by a unique index and tried again, such as a new session's access code.
 */
export async function withSavepoint<T>(trx: Trx, name: string, fn: () => Promise<T>): Promise<T> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Bad savepoint name: ${name}`)
  await sql.raw(`savepoint ${name}`).execute(trx)
  let result: T
  try {
    result = await fn()
  } catch (error) {
    await sql.raw(`rollback to savepoint ${name}`).execute(trx)
    await sql.raw(`release savepoint ${name}`).execute(trx)
    throw error
  }
  await sql.raw(`release savepoint ${name}`).execute(trx)
  return result
}
