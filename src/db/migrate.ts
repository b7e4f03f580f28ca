import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, type Kysely, type MigrationResultSet, Migrator } from 'kysely'

// Resolved from this file so it works under tsx (.ts) and once compiled (.js) alike.
const migrationFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) })
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest()
  if (result.error) throw result.error
  return result
}

/** Names of the migrations not yet applied (reads only: creates no table). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  return (await migrator(db).getMigrations()).filter((m) => !m.executedAt).map((m) => m.name)
}
