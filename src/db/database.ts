import { closeSync, openSync, rmSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteDatabase,
  type TransactionSettings,
} from 'kysely'
import type { PasswordResetTable, SetupTokenTable, UserSessionTable, UserTable } from '../features/accounts/accounts.table.ts'
import type { BatchPlanTable } from '../features/batch-import/batch-import.table.ts'
import type { CandidateTable, CertificationCourseTable } from '../features/candidates/candidates.table.ts'
import type { ConvocationMailTable } from '../features/convocations/convocations.table.ts'
import type { CentreTable, MembershipTable } from '../features/centres/centres.table.ts'
import type { ReportTable, SessionDocumentTable } from '../features/finalisation/finalisation.table.ts'
import type { CertificationSessionTable } from '../features/sessions/sessions.table.ts'
import type { InvitationTable } from '../features/team/team.table.ts'
import type { HistoryTable } from '../features/history/history.table.ts'
import type { InvigilatorAccessTable, SupervisionEventTable } from '../features/supervision/supervision.table.ts'

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
 * The only place that knows the database is SQLite: pragmas live here, so that another
 * dialect (PostgreSQL) can be added beside it without touching feature code.
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

class CertisalleSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}

export function createDb(file: string, options: { busyTimeoutMs?: number } = {}): { db: Db; sqlite: SQLite.Database } {
  const sqlite = openSqlite(file, options)
  const db = new Kysely<Database>({ dialect: new CertisalleSqliteDialect({ database: withStatementCache(sqlite) }) })
  return { db, sqlite }
}

/** True when the database refused a statement because another process holds its write lock. */
export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof SQLite.SqliteError && error.code.startsWith('SQLITE_BUSY')
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
