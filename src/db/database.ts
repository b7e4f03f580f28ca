import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely'
import type { PasswordResetTable, SetupTokenTable, UserSessionTable, UserTable } from '../features/accounts/accounts.table.ts'
import type { BatchPlanTable } from '../features/batch-import/batch-import.table.ts'
import type { CandidateTable, CertificationCourseTable } from '../features/candidates/candidates.table.ts'
import type { CentreTable, MembershipTable } from '../features/centres/centres.table.ts'
import type { ReportTable, SessionDocumentTable } from '../features/finalisation/finalisation.table.ts'
import type { CertificationSessionTable } from '../features/sessions/sessions.table.ts'

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
  batch_plan: BatchPlanTable
}

export type Db = Kysely<Database>

/**
 * The only place that knows the database is SQLite: pragmas live here, so that another
 * dialect (PostgreSQL) can be added beside it without touching feature code.
 */
export function openSqlite(file: string): SQLite.Database {
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  // Must be set on every connection, or ON DELETE CASCADE silently does nothing.
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return sqlite
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

export function createDb(file: string): { db: Db; sqlite: SQLite.Database } {
  const sqlite = openSqlite(file)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
  return { db, sqlite }
}

/** Consistent copy of the live database (SQLite online backup). */
export async function backupSqlite(sqlite: SQLite.Database, destination: string): Promise<void> {
  await sqlite.backup(destination)
}
