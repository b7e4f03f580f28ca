import { sql } from 'kysely'
import t, { type Test } from 'tap'
import { databaseTarget, type Db, openDatabase, PG_SESSION_LOCKS, PG_WRITE_LOCK } from '../../src/db/database.ts'
import { sessionWriteTransaction, writeTransaction } from '../../src/db/transaction.ts'
import { recordPersonalDataAccess } from '../../src/features/privacy/access-journal.ts'
import { act } from '../../src/features/supervision/supervision.service.ts'
import { createCandidate, createSession } from '../factories.ts'
import { build, createMember } from '../helper.ts'
import { onPostgres } from '../lib/test-database.ts'

// On PostgreSQL the exam-day writes of one room (sessionWriteTransaction) wait for that room's
// writes and for the other writes, never for another room's; every other write still waits for
// all of them (src/db/database.ts, PG_SESSION_LOCKS). Each moment is reached by holding a
// transaction open from the test and reading pg_locks: no timing.
if (!onPostgres) {
  t.plan(0, 'PostgreSQL only (bash scripts/with-postgres.sh): SQLite has one write lock for its one process')
} else {
  /** A transaction of `open`'s kind that stays open until `release()`; `held` once it has its locks. */
  function holdOpen(open: (fn: () => Promise<void>) => Promise<void>) {
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    let inside!: () => void
    const held = new Promise<void>((r) => (inside = r))
    const done = open(async () => {
      inside()
      await released
    })
    return { held, release, done }
  }

  t.test('exam-day writes of different rooms do not wait for one another; other writes wait for them', async (t) => {
    const server = await build(t)
    const a = server.db
    const b = openDatabase(databaseTarget(server.config)).db as Db
    t.teardown(() => b.destroy())
    const member = await createMember(server)
    const { centreId } = member
    const roomA = await createSession(a, centreId)
    const roomB = await createSession(a, centreId)
    const candidateB = await createCandidate(a, roomB.id)

    /** The advisory locks some backend waits for: `write` (PG_WRITE_LOCK) or `session N`. */
    const waitingFor = async () => {
      const { rows } = await sql<{ classid: number; objid: number; objsubid: number }>`
        select classid::int, objid::int, objsubid::int from pg_locks
        where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`.execute(a)
      return rows.map((r) =>
        r.objsubid === 2 && r.classid === PG_SESSION_LOCKS ? `session ${r.objid}` : r.objsubid === 1 && r.objid === PG_WRITE_LOCK ? 'write' : 'other',
      )
    }
    const waitUntilWaiting = async (what: string) => {
      const deadline = Date.now() + 20_000
      while (!(await waitingFor()).includes(what)) {
        if (Date.now() > deadline) throw new Error(`nobody waits for ${what} after 20 s`)
        await new Promise((r) => setTimeout(r, 20))
      }
    }

    type Holder = ReturnType<typeof holdOpen>

    /** Runs `write` while `holder` is open: it must wait for no lock (else the test lets go, and fails). */
    async function goesWhileHeld<T>(t: Test, holder: Holder, write: () => Promise<T>, what: string): Promise<T> {
      await holder.held
      let answered = false
      const writing = write().finally(() => (answered = true))
      let waited: string[] = []
      while (!answered && waited.length === 0) {
        waited = await waitingFor()
        await new Promise((r) => setTimeout(r, 10))
      }
      t.same(waited, [], `${what} waited for no lock`)
      holder.release()
      await holder.done
      return writing
    }

    /** Runs `write` while `holder` is open: it must wait for `lock`, and go once `holder` ends. */
    async function waitsWhileHeld(t: Test, holder: Holder, write: () => Promise<unknown>, lock: string, waits: string, goes: string) {
      await holder.held
      let finished = false
      const writing = write().then(() => (finished = true))
      await waitUntilWaiting(lock)
      t.notOk(finished, waits)
      holder.release()
      await holder.done
      await writing
      t.ok(finished, goes)
    }

    const roomAWrite = () => holdOpen((fn) => sessionWriteTransaction(a, roomA.id, fn))

    await t.test('room B confirms a presence while room A holds its write open', async (t) => {
      const confirmed = await goesWhileHeld(
        t,
        roomAWrite(),
        () => act(b, roomB.id, candidateB, 'confirm', { kind: 'staff', userId: member.userId }),
        'room B’s write',
      )
      t.ok(confirmed.ok, 'and its confirmation went through')
    })

    await t.test('printing room B’s convocations (the access journal) while room A holds its write open', async (t) => {
      const journal = () => recordPersonalDataAccess(b, centreId, null, 'convocations', { sessionId: roomB.id, count: 1 })
      await goesWhileHeld(t, roomAWrite(), journal, 'the journal line of room B')
      const lines = await a.selectFrom('history').select('subject').where('session_id', '=', roomB.id).where('action', '=', 'personal_data_printed').execute()
      t.same(lines, [{ subject: 'Convocations' }], 'and is written')
    })

    await t.test('a write of the whole centre waits for an open exam-day write, then goes', async (t) => {
      const centreWrite = () =>
        writeTransaction(b, async (trx) => {
          await trx.updateTable('certification_session').set({ observations: 'vu' }).where('id', '=', roomB.id).execute()
        })
      await waitsWhileHeld(t, roomAWrite(), centreWrite, 'write', 'it waits for the exam-day write to end', 'and goes once it has ended')
    })

    await t.test('an exam-day write waits for an open write of the whole centre, then goes', async (t) => {
      const centreWrite = holdOpen((fn) => writeTransaction(a, fn))
      const roomWrite = () => sessionWriteTransaction(b, roomB.id, async () => {})
      await waitsWhileHeld(t, centreWrite, roomWrite, 'write', 'it waits (the shared half of the write lock)', 'and goes once it has ended')
    })

    await t.test('two writes of the same room follow one another', async (t) => {
      const first = holdOpen((fn) => sessionWriteTransaction(a, roomB.id, fn))
      const second = () => sessionWriteTransaction(b, roomB.id, async () => {})
      await waitsWhileHeld(t, first, second, `session ${roomB.id}`, 'the second waits for the room’s own lock', 'and goes once the first has ended')
    })
  })
}
