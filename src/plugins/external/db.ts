import fp from 'fastify-plugin'
import type SQLite from 'better-sqlite3'
import { CLI_BUSY_TIMEOUT_MS, createDb, type Db, SERVER_BUSY_TIMEOUT_MS, setBusyTimeout } from '../../db/database.ts'
import { migrateToLatest } from '../../db/migrate.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    sqlite: SQLite.Database
  }
}

/** Opens the database, brings its schema up to date, closes it with the server. */
export default fp(
  async (app) => {
    // Before listening, waiting for another process's lock harms nobody; once serving, waits are short.
    const { db, sqlite } = createDb(app.config.databaseFile, { busyTimeoutMs: CLI_BUSY_TIMEOUT_MS })
    await migrateToLatest(db)
    setBusyTimeout(sqlite, SERVER_BUSY_TIMEOUT_MS)
    app.decorate('db', db)
    app.decorate('sqlite', sqlite)
    app.addHook('onClose', async () => {
      await db.destroy()
    })
  },
  { name: 'db', dependencies: ['config'] },
)
