import t from 'tap'
import {
  deleteCandidateNotStarted,
  findListVersion,
  insertCandidate,
  updateCandidateNotStarted,
} from '../../../src/features/candidates/candidates.repository.ts'
import { removeCandidate, replaceCandidates, writeCandidate } from '../../../src/features/candidates/candidates.service.ts'
import { writeTransaction } from '../../../src/db/transaction.ts'
import type { CandidateData } from '../../../src/features/candidates/candidate-rules.ts'
import { changeByTest, createCandidate, createSession, finaliseSession, joinCandidate } from '../../factories.ts'
import { build, createMember } from '../../helper.ts'

// The routes check "joined" and "finalised" when the page is read; these writes check again in
// the same statement or transaction, so a candidate joining (or a colleague finalising) in between
// cannot be overwritten.
const data: CandidateData = {
  lastName: 'Durand',
  firstName: 'Michel',
  birthdate: '2001-05-06',
  birthCity: 'Bordeaux',
  birthDepartmentCode: '33',
  birthCountry: 'France',
  email: null,
  externalId: null,
  extraTimePercentage: null,
}

t.test('writes re-check that the candidate has not joined and the session is open', async (t) => {
  const server = await build(t)
  const { centreId } = await createMember(server)
  const session = await createSession(server.db, centreId)
  const free = await createCandidate(server.db, session.id)
  const joined = await createCandidate(server.db, session.id, { last_name: 'Neige', first_name: 'Jean' })
  await joinCandidate(server.db, joined)

  const write = <T>(fn: (trx: Parameters<Parameters<typeof writeTransaction>[1]>[0]) => Promise<T>) => writeTransaction(server.db, fn)
  t.equal(await write((trx) => updateCandidateNotStarted(trx, session.id, free.id, data)), true)
  t.equal(await write((trx) => updateCandidateNotStarted(trx, session.id, joined.id, data)), false, 'a joined candidate is not rewritten')
  const stillJoined = await server.db.selectFrom('candidate').select('last_name').where('id', '=', joined.id).executeTakeFirstOrThrow()
  t.equal(stillJoined.last_name, 'Neige')
  t.equal(await write((trx) => deleteCandidateNotStarted(trx, session.id, joined.id)), undefined)
  t.match(await removeCandidate(server.db, session.id, joined.id, changeByTest(centreId)), {
    ok: false,
    reason: 'refused',
    refused: { key: 'candidates.started_no_delete' },
  })

  t.match(await writeCandidate(server.db, session.id, null, { ...data, firstName: 'Paul' }, changeByTest(centreId)), { ok: true })
  await finaliseSession(server.db, session.id)
  t.match(await writeCandidate(server.db, session.id, null, { ...data, firstName: 'Luc' }, changeByTest(centreId)), { ok: false, reason: 'finalised' })
  t.match(await writeCandidate(server.db, session.id, free.id, { ...data, lastName: 'Autre' }, changeByTest(centreId)), { ok: false, reason: 'finalised' })
  t.equal(await write((trx) => updateCandidateNotStarted(trx, session.id, free.id, { ...data, lastName: 'Autre' })), false, 'not after finalisation')
  const names = (await server.db.selectFrom('candidate').select('first_name').where('session_id', '=', session.id).execute()).map((r) => r.first_name).sort()
  t.same(names, ['Jean', 'Michel', 'Paul'])
})

t.test('every change of the list raises its version; replaceCandidates only replaces the version shown', async (t) => {
  const server = await build(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId)
  const data = {
    lastName: 'Durand',
    firstName: 'Michel',
    birthdate: '2001-05-06',
    birthCity: 'Rouen',
    birthDepartmentCode: '76',
    birthCountry: 'France',
    email: null,
    externalId: null,
    extraTimePercentage: null,
  }
  const versions = [await findListVersion(server.db, session.id)]
  await writeTransaction(server.db, (trx) => insertCandidate(trx, session.id, data))
  versions.push(await findListVersion(server.db, session.id))
  const row = await server.db.selectFrom('candidate').select('id').where('session_id', '=', session.id).executeTakeFirstOrThrow()
  await writeCandidate(server.db, session.id, row.id, { ...data, firstName: 'Michèle' }, changeByTest(member.centreId))
  versions.push(await findListVersion(server.db, session.id))
  t.equal(await replaceCandidates(server.db, session.id, [data], versions[0]!, changeByTest(member.centreId)), 'changed', 'a stale version is refused')
  t.equal(await replaceCandidates(server.db, session.id, [data, { ...data, lastName: 'Martin' }], versions[2]!, changeByTest(member.centreId)), 'replaced')
  versions.push(await findListVersion(server.db, session.id))
  const ids = await server.db.selectFrom('candidate').select('id').where('session_id', '=', session.id).execute()
  await removeCandidate(server.db, session.id, ids[0]!.id, changeByTest(member.centreId))
  versions.push(await findListVersion(server.db, session.id))
  t.same(
    versions,
    [...versions].sort((a, b) => a - b),
    'increasing',
  )
  t.equal(new Set(versions).size, versions.length, 'each change gives a new version')
})
