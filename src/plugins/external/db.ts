import fp from 'fastify-plugin'
import { CLI_BUSY_TIMEOUT_MS, type DatabaseKind, databaseTarget, type Db, openDatabase } from '../../db/database.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { moveUploadsIntoDatabase } from '../../features/finalisation/document-storage.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** SQLite (the default) or PostgreSQL (DATABASE_URL): for the health check, never for feature code. */
    dbKind: DatabaseKind
  }
}

/** Opens the database, brings its schema up to date, closes it with the server. */
export default fp(
  async (app) => {
    // Before listening, waiting for another process's lock harms nobody; once serving, waits are short.
    const { db, kind, serving } = openDatabase(databaseTarget(app.config), { busyTimeoutMs: CLI_BUSY_TIMEOUT_MS })
    try {
      await migrateToLatest(db)
      const { moved, orphans } = await moveUploadsIntoDatabase(db, app.config.uploadsDir)
      if (moved || orphans)
        app.log.warn(`Documents : ${moved} fichier(s) de ${app.config.uploadsDir} déplacé(s) dans la base, ${orphans} fichier(s) orphelin(s) supprimé(s)`)
    } catch (error) {
      await db.destroy()
      throw error
    }
    serving()
    app.decorate('db', db)
    app.decorate('dbKind', kind)
    app.addHook('onClose', async () => {
      await db.destroy()
    })
  },
  { name: 'db', dependencies: ['config'] },
)
