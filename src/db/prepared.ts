import type { Compilable, CompiledQuery } from 'kysely'
import { type DatabaseKind, type Db, dialectOf, nameStatement } from './database.ts'

/** An argument of a prepared query while it is compiled: its place among the caller's arguments. */
class Slot {
  readonly index: number
  constructor(index: number) {
    this.index = index
  }
}

/**
 * A query built and compiled by Kysely once per dialect, then run with each call's arguments:
 * for the few reads the exam-day peak repeats hundreds of times a second (the Espace surveillant's
 * list every 5 s, the waiting page every 10 s) and for those every staff page makes first (web
 * session, centres, the session of the URL), where building and compiling the query cost about
 * as much as SQLite running it (docs/performance.md, « Requêtes préparées »). A page size is a
 * number of the code in `.limit()`, not an argument (SQLite, src/db/database.ts).
 *
 * `build` receives stand-ins for its arguments and must put each one as it is into a value of the
 * query (`where('id', '=', id)`): never compute with it, test it or turn it into something else.
 * The first call checks that every argument became a parameter of the SQL, and refuses
 * the query otherwise. The rows come back as `execute()` gives them. On PostgreSQL the query is
 * also a named statement (src/db/database.ts), parsed and planned once per connection.
 */
export function prepared<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>): (db: Db, ...args: A) => Promise<R[]> {
  const compiled = new Map<DatabaseKind, CompiledQuery<R>>()
  return async (db, ...args) => {
    const kind = dialectOf(db)
    let query = compiled.get(kind)
    if (!query) {
      query = build(db, ...(args.map((_, index) => new Slot(index)) as A)).compile()
      const places = query.parameters.filter((p) => p instanceof Slot).map((p) => (p as Slot).index)
      if (new Set(places).size !== args.length) throw new Error(`prepared(): each argument must be a parameter of the query as it is (${query.sql})`)
      if (kind === 'postgres') nameStatement(query.sql)
      compiled.set(kind, query)
    }
    const parameters = query.parameters.map((p) => (p instanceof Slot ? args[p.index] : p))
    const result = await db.executeQuery<R>({ ...query, parameters })
    return result.rows
  }
}

/** `prepared` for a query of at most one row: that row, or undefined (as `executeTakeFirst()`). */
export function preparedFirst<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>): (db: Db, ...args: A) => Promise<R | undefined> {
  const query = prepared(build)
  return async (db, ...args) => (await query(db, ...args))[0]
}
