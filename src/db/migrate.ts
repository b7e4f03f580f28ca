import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, type Kysely, type MigrationResultSet, Migrator } from 'kysely'

// Resolved from this file so it works under tsx (.ts) and once compiled (.js) alike.
const migrationFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}
