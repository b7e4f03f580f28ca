import t from 'tap'
import { databaseTarget, type Db, openDatabase } from '../../src/db/database.ts'
import { finalise } from '../../src/features/finalisation/finalisation.service.ts'
import { createSession } from '../../src/features/sessions/sessions.service.ts'
import { changeByTest, createCandidate, createSession as insertSession, SESSION_INPUT, joinCandidate, TEST_ACTOR } from '../factories.ts'
import { build, createMember } from '../helper.ts'
import { onPostgres } from '../lib/test-database.ts'

// Several instances on one database is the PostgreSQL deployment (an académie): each instance has
// its own pool. SQLite serves one process per file (a second one gets "busy", see
// test/routes/database-busy.test.ts), so there is nothing of this kind to prove on it.
if (!onPostgres) {
  t.plan(0, 'PostgreSQL only (bash scripts/with-postgres.sh): SQLite serves one process per database file')
} else {
  /** The app, plus a second instance's own pool on the same database. */
  const twoInstances = async (t: Parameters<typeof build>[0]) => {
    const server = await build(t)
    const other = openDatabase(databaseTarget(server.config)).db
    t.teardown(() => other.destroy())
    return { server, a: server.db, b: other as Db }
  }

  const input = SESSION_INPUT

  t.test('two instances finalise the same session at the same moment: exactly one wins', async (t) => {
    const { server, a, b } = await twoInstances(t)
    const member = await createMember(server)
    for (let round = 0; round < 5; round++) {
      const session = await insertSession(a, member.centreId)
      await joinCandidate(a, await createCandidate(a, session.id))
      const { draft_version } = await a.selectFrom('certification_session').select('draft_version').where('id', '=', session.id).executeTakeFirstOrThrow()
      const results = await Promise.all([
        finalise(a, session.id, member.userId, draft_version, changeByTest(member.centreId)),
        finalise(b, session.id, member.userId, draft_version, changeByTest(member.centreId)),
      ])
      t.same(results.sort(), ['already_finalised', 'finalised'], `round ${round + 1}`)
      const finalised = await a.selectFrom('history').select('id').where('session_id', '=', session.id).where('action', '=', 'session_finalised').execute()
      t.equal(finalised.length, 1, 'one finalisation in the history')
    }
  })

  t.test('two instances create sessions at the same moment with the same first code: the codes stay unique', async (t) => {
    const { server, a, b } = await twoInstances(t)
    const { centreId } = await createMember(server)
    // Both draw the same code first: the unique index refuses it to the second insert, which draws again.
    const generator = (codes: string[]) => () => codes.shift() ?? 'ZZZZZZ'
    const ids = await Promise.all([
      createSession(a, centreId, input, TEST_ACTOR, generator(['GMPB26', 'GMPB27'])),
      createSession(b, centreId, input, TEST_ACTOR, generator(['GMPB26', 'GMPB28'])),
    ])
    const codes = await a.selectFrom('certification_session').select('access_code').where('id', 'in', ids).execute()
    const values = codes.map((c) => c.access_code).sort()
    t.equal(new Set(values).size, 2, `two different codes: ${values.join(', ')}`)
    t.ok(values.includes('GMPB26'), 'one got the first code')
    t.ok(ids[0] !== ids[1], 'two sessions, two numbers')
  })
}
