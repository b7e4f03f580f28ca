import fp from 'fastify-plugin'
import type SQLite from 'better-sqlite3'
import { createDb, type Db } from '../../db/database.ts'
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
    const { db, sqlite } = createDb(app.config.databaseFile)
    await migrateToLatest(db)
    app.decorate('db', db)
    app.decorate('sqlite', sqlite)
    app.addHook('onClose', async () => {
      await db.destroy()
    })
  },
  { name: 'db', dependencies: ['config'] },
)
