import { AsyncLocalStorage } from 'node:async_hooks'
import { closeSync, openSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import SQLite from 'better-sqlite3'
import type pg from 'pg'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type LimitNode,
  PostgresAdapter,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteDatabase,
  SqliteQueryCompiler,
  type QueryCompiler,
  type TransactionSettings,
  ValueNode,
} from 'kysely'
import type { OidcAttemptTable, PasswordResetTable, SetupTokenTable, UserSessionTable, UserTable } from '../features/accounts/accounts.table.ts'
import type { BatchPlanTable } from '../features/batch-import/batch-import.table.ts'
import type { CandidateTable, CertificationCourseTable } from '../features/candidates/candidates.table.ts'
import type { ConvocationMailTable } from '../features/convocations/convocations.table.ts'
import type { CentreTable, MembershipTable } from '../features/centres/centres.table.ts'
import type { ReportTable, SessionDocumentTable } from '../features/finalisation/finalisation.table.ts'
import type { CertificationSessionTable } from '../features/sessions/sessions.table.ts'
import type { InvitationTable } from '../features/team/team.table.ts'
import type { HistoryTable } from '../features/history/history.table.ts'
import type { ClockChangeTable, InvigilatorAccessTable, SupervisionEventTable } from '../features/supervision/supervision.table.ts'

export interface Database {
  centre: CentreTable
  user: UserTable
  membership: MembershipTable
  user_session: UserSessionTable
  password_reset: PasswordResetTable
  setup_token: SetupTokenTable
  certification_session: CertificationSessionTable
  candidate: CandidateTable
  certification_course: CertificationCourseTable
  report: ReportTable
  session_document: SessionDocumentTable
  invitation: InvitationTable
  history: HistoryTable
  invigilator_access: InvigilatorAccessTable
  supervision_event: SupervisionEventTable
  batch_plan: BatchPlanTable
  convocation_mail: ConvocationMailTable
  oidc_attempt: OidcAttemptTable
  clock_change: ClockChangeTable
}

export type Db = Kysely<Database>

/**
 * How long a statement waits for another process's write lock (an admin's `sqlite3` shell, a CLI
 * command) before giving up with SQLITE_BUSY. better-sqlite3 waits synchronously, so the server
 * waits short: the request gets the 503 "réessayez dans un instant" page and the event loop is free
 * again at once. The CLI, alone in its process, can afford to wait longer.
 */
export const SERVER_BUSY_TIMEOUT_MS = 200
/** The CLI, and the server while it starts (migrations run before it listens). */
export const CLI_BUSY_TIMEOUT_MS = 5000

/**
 * The only place that knows which database is used: SQLite (pragmas, busy timeout, backup) or
 * PostgreSQL (pool, statement timeout, write lock). Feature code is the same for both; migrations
 * branch on `dialectOf` where the two must differ (CONTRIBUTING.md, "Deux bases").
 */
export function openSqlite(file: string, { busyTimeoutMs = SERVER_BUSY_TIMEOUT_MS }: { busyTimeoutMs?: number } = {}): SQLite.Database {
  const sqlite = new SQLite(file, { timeout: busyTimeoutMs })
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  // Must be set on every connection, or ON DELETE CASCADE silently does nothing.
  sqlite.pragma('foreign_keys = ON')
  setBusyTimeout(sqlite, busyTimeoutMs)
  return sqlite
}

export function setBusyTimeout(sqlite: SQLite.Database, ms: number): void {
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`)
}

const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely prepares every query anew; preparing costs more than running most of ours. The app's
 * queries are a small fixed set of SQL strings, so prepared statements are kept and reused
 * (better-sqlite3 runs them synchronously, one at a time; Kysely's streaming is not used).
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let statement = statements.get(query)
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!)
        statement = sqlite.prepare(query)
        statements.set(query, statement)
      }
      return statement
    },
  }
}

/**
 * Kysely's SQLite driver opens every transaction with a plain (deferred) BEGIN: the write lock is
 * then taken at the first write, and if another process took it meanwhile the transaction fails
 * half-way (in WAL mode without even waiting). Ours take the write lock up front (BEGIN
 * IMMEDIATE), so a transaction either starts with the right to write or fails before doing
 * anything. Only a transaction marked read-only keeps the deferred BEGIN.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin' : 'begin immediate'))
  }
}

/**
 * A LIMIT written into the SQL text (`limit 50`) rather than bound (`limit ?`). SQLite (3.53 here)
 * reads a bound LIMIT while planning, and then marks the statement to be compiled again whenever that
 * parameter is bound, which better-sqlite3 does on every run: a cached statement with `limit ?` was
 * re-prepared each time (about 30 µs for one page of the history, 20 for the list of sessions,
 * measured on this 2-core machine; the same read with `limit 20`: 3 µs). Only an integer from the
 * code is written out (page sizes); anything else stays a parameter. OFFSET is not read while
 * planning and stays bound.
 */
class LiteralLimitCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    const limit = node.limit
    if (ValueNode.is(limit) && Number.isSafeInteger(limit.value) && (limit.value as number) >= 0) this.append(`limit ${limit.value as number}`)
    else super.visitLimit(node)
  }
}

class CertisalleSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
  override createQueryCompiler(): QueryCompiler {
    return new LiteralLimitCompiler()
  }
}

export function createDb(file: string, options: { busyTimeoutMs?: number } = {}): { db: Db; sqlite: SQLite.Database } {
  const sqlite = openSqlite(file, options)
  const db = new Kysely<Database>({ dialect: new CertisalleSqliteDialect({ database: withStatementCache(sqlite) }) })
  return { db, sqlite }
}

export type DatabaseKind = 'sqlite' | 'postgres'

/** Which dialect `db` speaks (for migrations, the health check and the CLI; never for feature code). */
export function dialectOf(db: Kysely<any>): DatabaseKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

/**
 * PostgreSQL: every transaction that writes first takes one advisory lock, held until it ends: the
 * writers follow one another as on SQLite (BEGIN IMMEDIATE), so a transaction that reads then
 * writes (finalisation, import, a new access code) sees nobody else's write in between, on any
 * instance. Reads, and read-only transactions, never wait. The wait is bounded by the statement
 * timeout, after which the request gets the same 503 as a busy SQLite.
 */
export const PG_WRITE_LOCK = 7_263_001
/**
 * The first half of a session's own lock (`pg_advisory_xact_lock(PG_SESSION_LOCKS, sessionId)`,
 * a two-key lock: never the same lock as PG_WRITE_LOCK's one key).
 */
export const PG_SESSION_LOCKS = 7_263_002

/**
 * A write that touches one session's exam-day rows only (the Espace surveillant's changes, a
 * candidate's start; `sessionWriteTransaction` in transaction.ts) holds PG_WRITE_LOCK *shared*
 * and its session's lock alone: writes of different rooms no longer wait for one another, while
 * every other write, which holds PG_WRITE_LOCK alone, still waits until none of them runs and is
 * waited for by all (so it still sees nobody's write in between, as before). The session comes
 * from the async context of the transaction's caller; SQLite keeps its one write lock.
 */
const sessionScope = new AsyncLocalStorage<number>()

/** Runs `fn` (which opens one write transaction) as a write of session `sessionId` only. */
export function inSessionScope<T>(sessionId: number, fn: () => Promise<T>): Promise<T> {
  return sessionScope.run(sessionId, fn)
}

class SerializedWritesPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings)
    if (settings.accessMode === 'read only') return
    const sessionId = sessionScope.getStore()
    try {
      if (sessionId === undefined) await connection.executeQuery(CompiledQuery.raw(`select pg_advisory_xact_lock(${PG_WRITE_LOCK})`))
      else {
        if (!Number.isSafeInteger(sessionId) || sessionId < 1 || sessionId > 2 ** 31 - 1) throw new Error(`Bad session id for a lock: ${sessionId}`)
        await connection.executeQuery(
          CompiledQuery.raw(`select pg_advisory_xact_lock_shared(${PG_WRITE_LOCK}), pg_advisory_xact_lock(${PG_SESSION_LOCKS}, ${sessionId})`),
        )
      }
    } catch (error) {
      // Kysely rolls back only a transaction that began: never give back a connection left aborted.
      await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => {})
      throw error
    }
  }
}

class CertisallePostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig
  constructor(config: PostgresDialectConfig) {
    super(config)
    this.#config = config
  }
  override createDriver(): Driver {
    return new SerializedWritesPostgresDriver(this.#config)
  }
}

const require = createRequire(import.meta.url)
let pgModule: typeof pg | undefined
/**
 * The PostgreSQL driver, loaded when a PostgreSQL database is first opened: a server on SQLite
 * never holds it (with ioredis, 8 MB of heap and 5 MB of resident memory at idle). Until then no
 * error can be one of its own.
 */
function loadPg(): typeof pg {
  return (pgModule ??= require('pg') as typeof pg)
}
const isPgError = (error: unknown): error is pg.DatabaseError => pgModule !== undefined && error instanceof pgModule.DatabaseError

/** bigint (counts, epoch milliseconds) and numeric (sums) come back as numbers, as on SQLite. */
function pgTypes(types: typeof pg.types) {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === types.builtins.INT8 || oid === types.builtins.NUMERIC
        ? (value: string) => Number(value)
        : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
  }
}

/** The SQL of prepared() queries (src/db/prepared.ts) → the name of its statement on PostgreSQL. */
const statementNames = new Map<string, string>()

/** PostgreSQL: `sqlText` runs as a named statement from now on, on every connection of every pool. */
export function nameStatement(sqlText: string): void {
  if (!statementNames.has(sqlText)) statementNames.set(sqlText, `certisalle_${statementNames.size + 1}`)
}

export interface PostgresOptions {
  poolSize?: number
  statementTimeoutMs?: number
}

export function createPostgresDb(url: string, { poolSize = 10, statementTimeoutMs = 10_000 }: PostgresOptions = {}): { db: Db; pool: pg.Pool } {
  const pg = loadPg()
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    statement_timeout: statementTimeoutMs,
    application_name: 'certisalle',
    // An unreachable server fails a request (503) after 5 s instead of leaving it waiting.
    connectionTimeoutMillis: 5000,
    types: pgTypes(pg.types),
  })
  // An idle connection dropped by the server (restart, network): the pool opens another when needed.
  pool.on('error', () => {})
  // A connection dropped while checked out (between two statements of a transaction) emits 'error'
  // on its client; without a listener that would stop the whole process. The statement in flight
  // or the next one fails instead, and the request gets the 503 page.
  pool.on('connect', (client) => {
    client.on('error', () => {})
    // A query of prepared() (src/db/prepared.ts) runs as a named statement: PostgreSQL parses and
    // plans it once per connection instead of at every call.
    const query = client.query.bind(client) as (...args: unknown[]) => unknown
    client.query = ((text: unknown, ...rest: unknown[]) => {
      const name = typeof text === 'string' ? statementNames.get(text) : undefined
      return name && rest.length === 1 && Array.isArray(rest[0]) ? query({ name, text, values: rest[0] }) : query(text, ...rest)
    }) as typeof client.query
  })
  const db = new Kysely<Database>({ dialect: new CertisallePostgresDialect({ pool }) })
  return { db, pool }
}

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize?: number; statementTimeoutMs?: number }

/** The settings' database (config.database and config.databaseFile) as a target for `openDatabase`. */
export function databaseTarget(config: {
  databaseFile: string
  database: { kind: 'sqlite' } | { kind: 'postgres'; url: string; poolSize: number; statementTimeoutMs: number }
}): DatabaseTarget {
  return config.database.kind === 'postgres' ? config.database : { kind: 'sqlite', file: config.databaseFile }
}

/**
 * Opens the database of the settings. `serving()` switches to the server's short waits for a
 * lock once the schema is current (SQLite; PostgreSQL waits asynchronously, bounded by its
 * statement timeout).
 */
export function openDatabase(target: DatabaseTarget, options: { busyTimeoutMs?: number } = {}): { db: Db; kind: DatabaseKind; serving(): void } {
  if (target.kind === 'postgres') {
    const { db } = createPostgresDb(target.url, target)
    return { db, kind: 'postgres', serving() {} }
  }
  const { db, sqlite } = createDb(target.file, options)
  return { db, kind: 'sqlite', serving: () => setBusyTimeout(sqlite, SERVER_BUSY_TIMEOUT_MS) }
}

/**
 * PostgreSQL's codes for "try again in a moment": serialization failure, deadlock, lock not
 * available, statement cancelled (the statement timeout), server shutting down or starting.
 */
const PG_RETRY_CODES = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P03'])

/**
 * True when the database refused a statement because another process holds its write lock (or
 * PostgreSQL stopped it for a lock or a timeout): nothing was written, the person retries.
 */
export function isDatabaseBusy(error: unknown): boolean {
  if (error instanceof SQLite.SqliteError) return error.code.startsWith('SQLITE_BUSY')
  return isPgError(error) && PG_RETRY_CODES.has(error.code ?? '')
}

/**
 * True when `error` is the refusal of the unique index `index` (PostgreSQL names the index; SQLite
 * names its columns, "UNIQUE constraint failed: table.column"), and of no other constraint.
 */
export function isUniqueViolation(error: unknown, index: { name: string; table: string; columns: readonly string[] }): boolean {
  if (error instanceof SQLite.SqliteError) {
    const columns = index.columns.map((column) => `${index.table}.${column}`).join(', ')
    return error.code === 'SQLITE_CONSTRAINT_UNIQUE' && error.message === `UNIQUE constraint failed: ${columns}`
  }
  return isPgError(error) && error.code === '23505' && error.constraint === index.name
}

/** True when PostgreSQL cannot be reached at all (refused, unknown host, broken connection). */
export function isDatabaseUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P03'].includes(code)) ||
    (error instanceof Error && /Connection terminated|timeout exceeded when trying to connect/.test(error.message))
  )
}

/** A connection that cannot write (for `backup`): no pragma, no migration, the file must exist. */
export function openSqliteReadOnly(file: string): SQLite.Database {
  return new SQLite(file, { readonly: true, fileMustExist: true, timeout: 5000 })
}

/**
 * Consistent copy of the live database (SQLite online backup), readable by this account only:
 * the file is created 0600 first ('wx': an existing file is never overwritten), then filled.
 */
export async function backupSqlite(sqlite: SQLite.Database, destination: string): Promise<void> {
  closeSync(openSync(destination, 'wx', 0o600))
  try {
    await sqlite.backup(destination)
  } catch (error) {
    rmSync(destination, { force: true })
    throw error
  }
}
