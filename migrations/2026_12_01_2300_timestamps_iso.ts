import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * One representation for every timestamp: ISO-8601 UTC text with milliseconds,
 * 'YYYY-MM-DDTHH:MM:SS.sssZ' (what `Date.prototype.toISOString` writes; it sorts as text and
 * reads the same on PostgreSQL). Before, three were mixed: epoch milliseconds (integer columns
 * of the sign-in tables), SQLite's CURRENT_TIMESTAMP text 'YYYY-MM-DD HH:MM:SS' (defaults, and
 * `updated_at` on edit) and ISO strings (joined_at, finalised_at, cgu_accepted_at).
 *
 * SQLite cannot change a column's type or default in place, so each table is rebuilt (the
 * documented procedure: foreign keys off, new table, copy, drop, rename, indexes again, check),
 * with the timestamp columns as text and defaults that write the same representation. Existing
 * values are converted. Frozen: this file imports no app code.
 *
 * PostgreSQL changes types and defaults in place (ALTER COLUMN … TYPE text USING …), in the
 * migration's transaction.
 */
const ISO = `'%Y-%m-%dT%H:%M:%fZ'`

const TIMESTAMPS: Record<string, string[]> = {
  centre: ['created_at'],
  user: ['cgu_accepted_at', 'created_at'],
  membership: ['created_at'],
  user_session: ['expires_at', 'created_at'],
  password_reset: ['expires_at', 'used_at'],
  setup_token: ['created_at', 'used_at'],
  certification_session: ['created_at', 'updated_at', 'finalised_at'],
  candidate: ['created_at'],
  certification_course: ['joined_at'],
  report: ['created_at'],
  session_document: ['created_at'],
}

/** A stored value (epoch ms, 'YYYY-MM-DD HH:MM:SS' or ISO text) as ISO text; anything unreadable is left as it is. */
const convert = (column: string) =>
  `case when "${column}" is null then null
        when typeof("${column}") in ('integer', 'real') then strftime(${ISO}, "${column}" / 1000.0, 'unixepoch')
        else coalesce(strftime(${ISO}, "${column}"), "${column}") end`

async function rebuild(db: Kysely<any>, table: string, columns: string[]): Promise<void> {
  const found = await sql<{ sql: string }>`select sql from sqlite_schema where type = 'table' and name = ${table}`.execute(db)
  const create = found.rows[0]?.sql
  if (!create) throw new Error(`table ${table} not found`)
  const indexes = await sql<{ sql: string }>`select sql from sqlite_schema where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db)
  let next = create.replace(/^create table\s+"?[\w]+"?/i, `create table "${table}__new"`)
  next = next.replace(/default\s+CURRENT_TIMESTAMP/gi, `default (strftime(${ISO}, 'now'))`)
  for (const column of columns) next = next.replace(new RegExp(`"${column}"\\s+integer`, 'i'), `"${column}" text`)
  await sql.raw(next).execute(db)
  // Converted while copied, from the old columns (once in a text column, epoch ms would be text too).
  const all = (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db)).rows.map((c) => c.name)
  const values = all.map((c) => (columns.includes(c) ? convert(c) : `"${c}"`)).join(', ')
  const names = all.map((c) => `"${c}"`).join(', ')
  await sql.raw(`insert into "${table}__new" (${names}) select ${values} from "${table}"`).execute(db)
  // Keep the autoincrement counter, so that ids of deleted rows (session numbers) are never given again.
  const sequence = await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${table}`.execute(db)
  await sql.raw(`drop table "${table}"`).execute(db)
  await sql.raw(`alter table "${table}__new" rename to "${table}"`).execute(db)
  const seq = sequence.rows[0]?.seq
  if (seq !== undefined) await sql`update sqlite_sequence set seq = max(seq, ${seq}) where name = ${table}`.execute(db)
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db)
}

/** PostgreSQL's expression for now as ISO text, the default of every timestamp column that has one. */
const PG_NOW_ISO = `to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

async function upPostgres(db: Kysely<any>): Promise<void> {
  const iso = (value: string) => `to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  for (const [table, columns] of Object.entries(TIMESTAMPS)) {
    for (const column of columns) {
      const found = await sql<{ data_type: string; column_default: string | null }>`
        select data_type, column_default from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} and column_name = ${column}`.execute(db)
      const info = found.rows[0]
      if (!info) throw new Error(`column ${table}.${column} not found`)
      const c = `"${column}"`
      const using =
        info.data_type === 'text'
          ? `case when ${c} ~ '^[0-9]{4}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]' then ${iso(`${c}::timestamptz`)} else ${c} end`
          : `${iso(`to_timestamp(${c} / 1000.0)`)}`
      const parts = [`alter column ${c} drop default`, `alter column ${c} type text using ${using}`]
      if (info.column_default) parts.push(`alter column ${c} set default ${PG_NOW_ISO}`)
      await sql.raw(`alter table "${table}" ${parts.join(', ')}`).execute(db)
    }
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return upPostgres(db)
  await sql`pragma foreign_keys = off`.execute(db)
  try {
    await sql`begin immediate`.execute(db)
    try {
      for (const [table, columns] of Object.entries(TIMESTAMPS)) await rebuild(db, table, columns)
      const broken = await sql`pragma foreign_key_check`.execute(db)
      if (broken.rows.length) throw new Error(`foreign keys broken by the rebuild: ${JSON.stringify(broken.rows.slice(0, 5))}`)
      await sql`commit`.execute(db)
    } catch (error) {
      await sql`rollback`.execute(db)
      throw error
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db)
  }
}

export async function down(): Promise<void> {
  // The old mix of representations is not worth restoring.
}
