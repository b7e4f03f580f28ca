import t from 'tap'
import { loadCandidatesTab } from '../../../src/features/candidates/candidates.service.ts'
import { sessionKey } from '../../../src/features/convocations/convocation.ts'
import { stillToSend } from '../../../src/features/convocations/convocations.repository.ts'
import { loadListConvocations } from '../../../src/features/convocations/convocations.service.ts'
import type { ConvocationStatus } from '../../../src/features/convocations/convocations.table.ts'
import { nowTimestamp } from '../../../src/lib/timestamps.ts'
import { createCandidate, createSession, joinCandidate } from '../../factories.ts'
import { build, createMember } from '../../helper.ts'

t.test('still to send: none yet, failed, or sent before the session changed; never one waiting', async (t) => {
  t.ok(stillToSend(undefined), 'none yet')
  t.ok(stillToSend({ status: 'failed', stale: false }), 'failed')
  t.ok(stillToSend({ status: 'sent', stale: true }), 'sent before the session changed')
  t.notOk(stillToSend({ status: 'sent', stale: false }), 'sent for the session as it is')
  t.notOk(stillToSend({ status: 'pending', stale: false }), 'waiting to leave')
  t.notOk(stillToSend({ status: 'sending', stale: false }), 'leaving')
})

t.test('the Candidats tab in one read: who joined, what can be done, and the count still to send', async (t) => {
  const server = await build(t)
  const { centreId } = await createMember(server)
  const session = await createSession(server.db, centreId)
  const key = sessionKey(session)
  const mail = async (candidateId: number, status: ConvocationStatus, sessionKeyAtSend = key) =>
    server.db
      .insertInto('convocation_mail')
      .values({ session_id: session.id, candidate_id: candidateId, email: 'x@example.org', status, session_key: sessionKeyAtSend, queued_at: nowTimestamp() })
      .execute()
  const never = await createCandidate(server.db, session.id, { last_name: 'Aucun' })
  await createCandidate(server.db, session.id, { last_name: 'Sans', email: null })
  const sent = await createCandidate(server.db, session.id, { last_name: 'Envoye' })
  await mail(sent.id, 'sent')
  const stale = await createCandidate(server.db, session.id, { last_name: 'Ancien' })
  await mail(stale.id, 'sent', sessionKey({ ...session, room: 'autre salle' }))
  const failed = await createCandidate(server.db, session.id, { last_name: 'Echec' })
  await mail(failed.id, 'sent')
  await mail(failed.id, 'failed')
  const waiting = await createCandidate(server.db, session.id, { last_name: 'Attente' })
  await mail(waiting.id, 'pending')

  let tab = await loadCandidatesTab(server.db, session)
  const convocations = await loadListConvocations(server.db, session, tab.candidates)
  t.equal(tab.candidates.length, 6)
  t.equal(convocations.toSend, 3, 'never sent, stale and failed; not the one without an address, sent or waiting')
  t.same([...convocations.byCandidate.keys()].sort(), [sent.id, stale.id, failed.id, waiting.id].sort())
  t.equal(tab.state.canImport, true, 'nobody joined: the list may be replaced')
  t.type(tab.listVersion, 'number')

  await joinCandidate(server.db, never)
  tab = await loadCandidatesTab(server.db, session)
  t.equal(tab.state.canImport, false, 'someone joined: no more import')
  t.equal(tab.candidates.find((c) => c.id === never.id)?.certification_course_id !== null, true)
})
