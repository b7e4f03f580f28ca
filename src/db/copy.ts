import { sql } from 'kysely'
import { type Db, dialectOf } from './database.ts'
import { migrateToLatest, pendingMigrations } from './migrate.ts'
import { writeTransaction } from './transaction.ts'

/**
 * `copy-to-postgres`: a school's SQLite database into an empty PostgreSQL database (when it joins
 * its académie's instance). Every table, in the order of their foreign keys, documents included;
 * each identity sequence set past the highest id ever given (SQLite's AUTOINCREMENT counter, so
 * a deleted session's number is never given again). One transaction on the target: all or nothing.
 */
const TABLES = [
  'centre',
  'user',
  'membership',
  'user_session',
  'password_reset',
  'setup_token',
  'certification_session',
  'candidate',
  'certification_course',
  'invigilator_access',
  'supervision_event',
  'clock_change',
  'report',
  'session_document',
  'invitation',
  'history',
  'batch_plan',
  'convocation_mail',
  'oidc_attempt',
] as const

const BATCH = 200

export class CopyRefused extends Error {}

export async function copyToPostgres(source: Db, target: Db): Promise<Array<{ table: string; rows: number }>> {
  if (dialectOf(source) !== 'sqlite' || dialectOf(target) !== 'postgres') throw new CopyRefused('La copie va d’une base SQLite vers une base PostgreSQL.')
  if ((await pendingMigrations(source)).length > 0) throw new CopyRefused('La base SQLite n’est pas à jour : lancez d’abord npm run db:migrate.')
  const known = new Set((await source.introspection.getTables()).map((t) => t.name))
  const missing = [...known].filter((name) => !name.startsWith('kysely_') && !(TABLES as readonly string[]).includes(name))
  if (missing.length) throw new Error(`copy-to-postgres does not know the tables ${missing.join(', ')}: add them to TABLES in src/db/copy.ts`)
  await migrateToLatest(target)
  for (const table of TABLES) {
    const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(target)
    if (Number(row.rows[0]?.n) > 0) throw new CopyRefused(`La base PostgreSQL n’est pas vide (table ${table}) : la copie ne va que dans une base vide.`)
  }
  const sequences = new Map(
    (await sql<{ name: string; seq: number }>`select name, seq from sqlite_sequence`.execute(source)).rows.map((r) => [r.name, Number(r.seq)]),
  )
  const counts: Array<{ table: string; rows: number }> = []
  await writeTransaction(target, async (trx) => {
    for (const table of TABLES) {
      let rows = 0
      for (let offset = 0; ; offset += BATCH) {
        const batch = (await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by rowid limit ${BATCH} offset ${offset}`.execute(source))
          .rows
        if (batch.length === 0) break
        await trx
          .insertInto(table)
          .values(batch as never)
          .execute()
        rows += batch.length
      }
      const columns = await sql<{ column_name: string }>`
        select column_name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} and is_identity = 'YES'`.execute(trx)
      for (const { column_name } of columns.rows) {
        const max = await sql<{ n: number | null }>`select max(${sql.ref(column_name)}) as n from ${sql.table(table)}`.execute(trx)
        const next = Math.max(Number(max.rows[0]?.n ?? 0), sequences.get(table) ?? 0) + 1
        await sql`select setval(pg_get_serial_sequence(${`"${table}"`}, ${column_name}), ${next}, false)`.execute(trx)
      }
      counts.push({ table, rows })
    }
  })
  return counts
}
