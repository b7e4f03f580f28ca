import { type Kysely, sql } from 'kysely'

/**
 * The last timestamps not yet in the one representation (ISO-8601 UTC text with milliseconds,
 * 'YYYY-MM-DDTHH:MM:SS.sssZ', see 2026_12_01_2300_timestamps_iso): the team invitations'
 * `sent_at`, `expires_at`, `accepted_at` (epoch milliseconds) and `created_at` (SQLite's
 * CURRENT_TIMESTAMP default), the invigilator accesses' `expires_at` (epoch milliseconds) and the
 * batch plans' `created_at` (CURRENT_TIMESTAMP default).
 *
 * Dialect-neutral (SQLite and PostgreSQL): only Kysely's schema and query builders, and the
 * values are converted here in JavaScript. Each column is replaced by a text column (add, copy
 * converted, drop, rename). A NOT NULL column added to existing rows needs a constant default:
 * '' here, never written since the code always writes these columns (CURRENT_TIMESTAMP defaults
 * are gone: the code writes `created_at` too). The partial index that names `accepted_at` is
 * dropped and created again around the change. Frozen: this file imports no app code.
 */
const COLUMNS: { table: string; key: string; column: string; notNull: boolean }[] = [
  { table: 'invitation', key: 'id', column: 'sent_at', notNull: true },
  { table: 'invitation', key: 'id', column: 'expires_at', notNull: true },
  { table: 'invitation', key: 'id', column: 'accepted_at', notNull: false },
  { table: 'invitation', key: 'id', column: 'created_at', notNull: true },
  { table: 'invigilator_access', key: 'id', column: 'expires_at', notNull: true },
  { table: 'batch_plan', key: 'id', column: 'created_at', notNull: true },
]

const SQL_TEXT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/

/** A stored value (epoch ms as a number or digits, 'YYYY-MM-DD HH:MM:SS' UTC, ISO text) as ISO text; anything unreadable is kept. */
export function toIso(value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value)).toISOString()
  if (typeof value !== 'string') return value
  if (/^\d+$/.test(value)) return new Date(Number(value)).toISOString()
  const match = SQL_TEXT.exec(value)
  if (!match) return value
  const ms = Date.parse(`${match[1]}T${match[2]}${match[3] ?? ''}Z`)
  return Number.isNaN(ms) ? value : new Date(ms).toISOString()
}

async function toText(db: Kysely<any>, { table, key, column, notNull }: (typeof COLUMNS)[number]): Promise<void> {
  const temporary = `${column}__iso`
  await db.schema
    .alterTable(table)
    .addColumn(temporary, 'text', (c) => (notNull ? c.notNull().defaultTo('') : c))
    .execute()
  const rows = await db.selectFrom(table).select([key, column]).execute()
  for (const row of rows) {
    await db
      .updateTable(table)
      .set({ [temporary]: toIso(row[column]) })
      .where(key, '=', row[key])
      .execute()
  }
  await db.schema.alterTable(table).dropColumn(column).execute()
  await db.schema.alterTable(table).renameColumn(temporary, column).execute()
}

async function change(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invitation_pending_idx').execute()
  for (const column of COLUMNS) await toText(db, column)
  await db.schema
    .createIndex('invitation_pending_idx')
    .on('invitation')
    .columns(['centre_id', 'email'])
    .unique()
    .where(sql.ref('accepted_at'), 'is', null)
    .execute()
}

export async function up(db: Kysely<any>): Promise<void> {
  // PostgreSQL's migrator already runs each migration in a transaction; SQLite's does not.
  if (db.isTransaction) await change(db)
  else await db.transaction().execute(change)
}

export async function down(): Promise<void> {
  // Epoch numbers are not worth restoring.
}
