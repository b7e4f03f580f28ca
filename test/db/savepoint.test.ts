import t from 'tap'
import { sql } from 'kysely'
import { isUniqueViolation } from '../../src/db/database.ts'
import { withSavepoint, writeTransaction } from '../../src/db/transaction.ts'
import { createSession } from '../factories.ts'
import { build, createMember } from '../helper.ts'

// Both databases (PostgreSQL refuses every statement of a transaction after a failed one unless
// the failure was inside a savepoint rolled back to).
/** A session row as inserted straight into the table (the repository's insert retries on purpose). */
const sessionValues = (centreId: number, values: { id?: number; access_code: string }) => ({
  centre_id: centreId,
  site_name: 's',
  room: 'r',
  date: '2030-01-01',
  start_time: '10:00',
  invigilators: 'i',
  invigilator_password: 'x',
  ...values,
})
const OPEN_CODE = { name: 'certification_session_open_code_idx', table: 'certification_session', columns: ['access_code'] } as const

t.test('a failure inside a savepoint undoes only its own writes; the transaction goes on', async (t) => {
  const server = await build(t)
  const db = server.db
  const { centreId } = await createMember(server)
  await createSession(db, centreId, { access_code: 'GMPB26' })
  const codes = await writeTransaction(db, async (trx) => {
    await trx.updateTable('certification_session').set({ room: 'avant' }).where('access_code', '=', 'GMPB26').execute()
    const refused = await withSavepoint(trx, 'test_point', async () => {
      await trx.updateTable('certification_session').set({ room: 'dedans' }).where('access_code', '=', 'GMPB26').execute()
      await sql`insert into certification_session (centre_id, site_name, room, date, start_time, invigilators, access_code) values (${centreId}, 's', 'r', '2030-01-01', '10:00', 'i', 'GMPB26')`.execute(
        trx,
      )
    }).catch((error: unknown) => error)
    t.ok(isUniqueViolation(refused, OPEN_CODE), 'the second open session with the same code is refused by the index')
    // The transaction still works after the refusal.
    const kept = await withSavepoint(trx, 'test_point', () =>
      trx
        .insertInto('certification_session')
        .values(sessionValues(centreId, { access_code: 'GMPB27' }))
        .execute(),
    )
    t.ok(kept, 'a later savepoint commits its write')
    return trx.selectFrom('certification_session').select(['access_code', 'room']).orderBy('access_code').execute()
  })
  t.same(codes, [
    { access_code: 'GMPB26', room: 'avant' },
    { access_code: 'GMPB27', room: 'r' },
  ])
  t.same(await db.selectFrom('certification_session').select(['access_code', 'room']).orderBy('access_code').execute(), codes, 'committed as seen')
})

t.test('isUniqueViolation names one index: other constraints and other errors are not it', async (t) => {
  const server = await build(t)
  const db = server.db
  const { centreId } = await createMember(server)
  const session = await createSession(db, centreId, { access_code: 'HHHH22' })
  const duplicateId = await db
    .insertInto('certification_session')
    .values(sessionValues(centreId, { id: session.id, access_code: 'HHHH23' }))
    .execute()
    .catch((error: unknown) => error)
  t.notOk(isUniqueViolation(duplicateId, OPEN_CODE), 'a primary key clash is another constraint')
  t.notOk(isUniqueViolation(new Error('UNIQUE constraint failed: certification_session.access_code'), OPEN_CODE), 'a plain Error is not a database refusal')
  t.notOk(isUniqueViolation(undefined, OPEN_CODE))
})
