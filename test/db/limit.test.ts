import t from 'tap'
import type { Db } from '../../src/db/database.ts'
import { prepared } from '../../src/db/prepared.ts'
import { createSession } from '../factories.ts'
import { build, createMember } from '../helper.ts'
import { onPostgres } from '../lib/test-database.ts'

// src/db/database.ts (LiteralLimitCompiler): on SQLite a LIMIT from the code is written into the SQL
// text, because a bound LIMIT made SQLite compile the statement again on every run. On both databases
// (the suite runs on each): the rows are the same either way.
t.test('a page of rows: LIMIT in the SQL text on SQLite, a parameter on PostgreSQL, the same rows', async (t) => {
  const server = await build(t)
  const db = server.db
  const { centreId } = await createMember(server)
  const ids: number[] = []
  for (let i = 0; i < 5; i++) ids.push((await createSession(db, centreId)).id)

  const page = (limit: number, offset: number) =>
    db.selectFrom('certification_session').select('id').where('centre_id', '=', centreId).orderBy('id').limit(limit).offset(offset)
  const compiled = page(2, 1).compile()
  if (onPostgres) {
    t.match(compiled.sql, /limit \$2 offset \$3$/, 'PostgreSQL: limit and offset stay parameters')
    t.same(compiled.parameters, [centreId, 2, 1])
  } else {
    t.match(compiled.sql, /limit 2 offset \?$/, 'SQLite: the limit is in the text, the offset a parameter')
    t.same(compiled.parameters, [centreId, 1])
  }
  t.same(
    (await page(2, 1).execute()).map((r) => r.id),
    ids.slice(1, 3),
  )
  t.same(
    (await page(10, 3).execute()).map((r) => r.id),
    ids.slice(3),
  )
  t.same(await page(0, 0).execute(), [], 'limit 0: no row')

  // Only a non-negative integer is written out; anything else is bound as before (and refused by the database as before).
  for (const odd of [2.5, -1]) {
    const sql = page(odd, 0).compile().sql
    t.match(sql, onPostgres ? /limit \$2/ : /limit \?/, `${odd} stays a parameter`)
  }

  // A prepared query's argument is a parameter whatever its value (prepared() checks it is one).
  const preparedPage = prepared((db: Db, limit: number) =>
    db.selectFrom('certification_session').select('id').where('centre_id', '=', centreId).orderBy('id').limit(limit),
  )
  t.same(
    (await preparedPage(db, 3)).map((r) => r.id),
    ids.slice(0, 3),
  )
  t.same(
    (await preparedPage(db, 1)).map((r) => r.id),
    ids.slice(0, 1),
    'the next call’s limit is its own',
  )
})
