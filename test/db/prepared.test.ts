import { sql } from 'kysely'
import t from 'tap'
import type { Db } from '../../src/db/database.ts'
import { prepared } from '../../src/db/prepared.ts'
import { createCandidate, createSession } from '../factories.ts'
import { build, createMember } from '../helper.ts'
import { onPostgres } from '../lib/test-database.ts'

// src/db/prepared.ts: compiled once per dialect, run with each call's arguments; on both databases
// (the suite runs on each).
t.test('a prepared query gives, for each call’s arguments, the rows execute() gives', async (t) => {
  const server = await build(t)
  const db = server.db
  const { centreId } = await createMember(server)
  const one = await createSession(db, centreId)
  const two = await createSession(db, centreId)
  await createCandidate(db, one.id, { last_name: 'Martin' })
  await createCandidate(db, one.id, { last_name: 'Bernard' })
  await createCandidate(db, two.id, { last_name: 'Petit' })

  const direct = (sessionId: number, name: string) =>
    db.selectFrom('candidate').select(['id', 'last_name']).where('session_id', '=', sessionId).where('last_name', '<>', name).orderBy('id')
  const query = prepared((db: Db, sessionId: number, name: string) => direct(sessionId, name))
  for (const [sessionId, name] of [
    [one.id, 'Martin'],
    [two.id, 'Martin'],
    [one.id, 'Bernard'],
    [one.id, 'Nobody'],
    [999_999, 'Martin'],
  ] as const) {
    t.same(await query(db, sessionId, name), await direct(sessionId, name).execute(), `session ${sessionId}, all but ${name}`)
  }
  t.equal((await query(db, two.id, 'Martin')).length, 1, 'the arguments are not those of the first call')

  // In a transaction too: the same compiled SQL, run on the transaction's connection.
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('candidate').set({ last_name: 'Durand' }).where('session_id', '=', two.id).execute()
    t.same(
      (await query(trx as unknown as Db, two.id, 'x')).map((r) => r.last_name),
      ['Durand'],
      'inside a transaction, it sees the transaction’s own write',
    )
  })
})

t.test('a query that computes with its argument instead of passing it as it is is refused at its first call', async (t) => {
  const server = await build(t)
  const computed = prepared((db: Db, sessionId: number) =>
    db
      .selectFrom('candidate')
      .select('id')
      .where('session_id', '=', sessionId + 1),
  )
  await t.rejects(computed(server.db, 1), /each argument must be a parameter of the query as it is/)
  const unused = prepared((db: Db, _sessionId: number) => db.selectFrom('candidate').select('id'))
  await t.rejects(unused(server.db, 1), /each argument must be a parameter/, 'nor one that leaves an argument out')
})

t.test('on PostgreSQL a prepared query is a named statement of the connection that ran it', { skip: !onPostgres && 'PostgreSQL only' }, async (t) => {
  const server = await build(t)
  const query = prepared((db: Db, sessionId: number) => db.selectFrom('candidate').select('id').where('session_id', '=', sessionId).orderBy('id', 'desc'))
  await server.db.transaction().execute(async (trx) => {
    // One connection for the whole transaction: the statement it prepared is listed by it.
    t.same(await query(trx as unknown as Db, 1), [])
    t.same(await query(trx as unknown as Db, 2), [], 'and runs again with other arguments')
    const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx)
    const mine = rows.filter((r) => /order by "id" desc/.test(r.statement) && /"candidate"/.test(r.statement))
    t.equal(mine.length, 1, `prepared once on this connection: ${JSON.stringify(rows)}`)
    t.match(mine[0]?.name, /^certisalle_\d+$/)
  })
})
