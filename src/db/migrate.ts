import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Kysely, type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely'
import { onFirstUse } from '../lib/lazy-modules.ts'

// Resolved from this file so it works under tsx (.ts) and once compiled (.js) alike.
const migrationFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

/**
 * Kysely's FileMigrationProvider (same files, same names), except that a migration's module is
 * imported when it runs, not when the list is read: a server that starts on an up-to-date database
 * (every start but the first after an update) loads none of them and keeps none in memory.
 */
const lazyFileMigrations: MigrationProvider = {
  async getMigrations() {
    const migrations: Record<string, Migration> = {}
    for (const fileName of await fs.readdir(migrationFolder)) {
      if (!/\.m?[jt]s$/.test(fileName) || /\.d\.m?ts$/.test(fileName)) continue
      const load = onFirstUse(() => import(pathToFileURL(path.join(migrationFolder, fileName)).href) as Promise<Migration>)
      migrations[fileName.substring(0, fileName.lastIndexOf('.'))] = {
        up: async (db) => (await load()).up(db),
        down: async (db) => (await load()).down?.(db),
      }
    }
    return migrations
  },
}

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: lazyFileMigrations })
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
