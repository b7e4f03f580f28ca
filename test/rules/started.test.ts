import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { findExistingSessions } from '../../src/features/batch-import/batch-import.repository.ts'
import { findListVersion, hasStarted } from '../../src/features/candidates/candidates.repository.ts'
import { removeCandidate, replaceCandidates } from '../../src/features/candidates/candidates.service.ts'
import { finalise } from '../../src/features/finalisation/finalisation.service.ts'
import { candidateNotStarted, candidateStarted, hasCandidateStarted, hasSessionStarted, sessionStarted } from '../../src/features/sessions/started.ts'
import { confirmPresence, setEndScreenSeen } from '../../src/features/supervision/supervision-changes.service.ts'
import { changeByTest, createCandidate, createSession, joinCandidate } from '../factories.ts'
import { build, createMember } from '../helper.ts'

// "Started" has one SQL spelling (src/features/sessions/started.ts): a candidate whose certification
// course exists, a session with one such candidate. Every write that depends on it says it so.

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))

t.test('no module writes the condition itself', async (t) => {
  const byHand = [
    // exists (select … from certification_course …), in a builder or in raw SQL
    /exists\s*\(\s*(?:\w+\s*\.\s*)?(?:selectFrom\s*\(\s*'certification_course|select 1 from certification_course)/g,
    // a course looked up by session or candidate only to see whether there is one
    /selectFrom\('certification_course'\)\s*\.select\('id'\)\s*\.where\('(?:session|candidate)_id', '=', \w+\)(?:\s*\.limit\(1\))?\s*\.executeTakeFirst\(\)/g,
  ]
  const offenders = files('src')
    .filter((file) => file !== join('src', 'features', 'sessions', 'started.ts'))
    .flatMap((file) => {
      const source = readFileSync(file, 'utf8')
      return byHand.flatMap((re) =>
        [...source.matchAll(re)]
          // The entry window (nobody started more than 24 hours ago) is another rule.
          .filter((m) => !source.slice(m.index, m.index + 160).includes('joined_at <'))
          .map((m) => `${file}: ${m[0]}`),
      )
    })
  t.same(offenders, [], 'every "started?" goes through started.ts')
})

t.test('a started and a waiting candidate, as each write tells them', async (t) => {
  const server = await build(t)
  const { centreId, userId } = await createMember(server)
  const by = changeByTest(centreId)
  const now = new Date()
  const waitingSession = await createSession(server.db, centreId)
  const session = await createSession(server.db, centreId)
  const started = await createCandidate(server.db, session.id)
  const waiting = await createCandidate(server.db, session.id, { first_name: 'Léa', last_name: 'Martin' })
  await joinCandidate(server.db, started)

  const read = async <T>(expression: ReturnType<typeof sessionStarted>) =>
    Boolean((await server.db.selectNoFrom(expression.as('v')).executeTakeFirstOrThrow()).v) as T
  t.equal(await read(sessionStarted(session.id)), true, 'the session has started')
  t.equal(await read(sessionStarted(waitingSession.id)), false, 'the other has not')
  t.equal(await read(candidateStarted(started.id)), true)
  t.equal(await read(candidateNotStarted(waiting.id)), true)
  t.same(
    (await server.db.selectFrom('candidate').select('id').where(candidateStarted('candidate.id')).execute()).map((r) => r.id),
    [started.id],
    'on the statement’s own row',
  )
  t.equal(await hasSessionStarted(server.db, session.id), true)
  t.equal(await hasCandidateStarted(server.db, waiting.id), false)

  t.equal(await hasStarted(server.db, started.id), true, 'the Candidats tab: started')
  t.equal(await hasStarted(server.db, waiting.id), false, 'the Candidats tab: waiting')
  const existing = await findExistingSessions(server.db, centreId, [session.id, waitingSession.id])
  t.same([existing.get(session.id)?.started, existing.get(waitingSession.id)?.started], [true, false], 'the batch import')
  t.equal(await replaceCandidates(server.db, session.id, [], await findListVersion(server.db, session.id), by), 'started', 'an import: refused once started')
  t.equal(await finalise(server.db, waitingSession.id, userId, 0, by), 'not_started', 'the finalisation: refused before anyone started')
  t.not(await finalise(server.db, session.id, userId, -1, by), 'not_started', 'the finalisation: past that check once started')
  t.equal(await confirmPresence(server.db, session.id, started.id, { kind: 'staff', userId }, now), false, 'presence: not once started')
  t.equal(await setEndScreenSeen(server.db, session.id, waiting.id, true, { kind: 'staff', userId }, now), false, 'end screen: not before')
  t.equal(await setEndScreenSeen(server.db, session.id, started.id, true, { kind: 'staff', userId }, now), true, 'end screen: once started')
  t.match(await removeCandidate(server.db, session.id, started.id, by), { ok: false, reason: 'refused' }, 'delete: not once started')
  t.match(await removeCandidate(server.db, session.id, waiting.id, by), { ok: true }, 'delete: a waiting candidate')
})
