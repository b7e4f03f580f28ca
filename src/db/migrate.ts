import { promises as fs } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Kysely, type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely'
import { onFirstUse } from '../lib/lazy-modules.ts'
import { ROOT } from '../paths.ts'

// migrations/*.ts under tsx, dist/migrations/*.js once built (the build bundles this module into a
// shared chunk: its own location says only which of the two it is).
const migrationFolder = path.join(ROOT, import.meta.url.endsWith('.ts') ? 'migrations' : 'dist/migrations')

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
