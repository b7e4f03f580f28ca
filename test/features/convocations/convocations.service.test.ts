import t from 'tap'
import { MAX_CONVOCATIONS_PER_SESSION } from '../../../src/features/convocations/convocations.repository.ts'
import { sendConvocations } from '../../../src/features/convocations/convocations.service.ts'
import { translator } from '../../../src/i18n/index.ts'
import { nowTimestamp } from '../../../src/lib/timestamps.ts'
import { changeByTest, createCandidate, createSession, finaliseSession } from '../../factories.ts'
import { build, createMember } from '../../helper.ts'

t.test('sending convocations: how many were queued; refused past the session limit (in each language) and once finalised', async (t) => {
  const server = await build(t)
  const { centreId } = await createMember(server)
  const session = await createSession(server.db, centreId)
  const julie = await createCandidate(server.db, session.id, { last_name: 'Dupont', first_name: 'Julie' })
  await createCandidate(server.db, session.id, { last_name: 'Durand', first_name: 'Michel', email: null })

  t.same(await sendConvocations(server.db, session, null, changeByTest(centreId)), { ok: true, value: 1 }, 'the one candidate with an address')
  t.same(await sendConvocations(server.db, session, null, changeByTest(centreId)), { ok: true, value: 0 }, 'nobody else waits for one')

  // The session has used up its sends: a resend is refused, with the limit written in the page's language.
  const used = Array.from({ length: MAX_CONVOCATIONS_PER_SESSION - 1 }, () => ({
    session_id: session.id,
    candidate_id: julie.id,
    email: 'julie.dupont@example.org',
    status: 'sent' as const,
    session_key: 'x',
    queued_at: nowTimestamp(),
  }))
  for (let i = 0; i < used.length; i += 500)
    await server.db
      .insertInto('convocation_mail')
      .values(used.slice(i, i + 500))
      .execute()
  const refused = await sendConvocations(server.db, session, [julie.id], changeByTest(centreId))
  if (refused.ok) throw new Error('the limit should refuse')
  t.match(translator('fr')(refused.refused), /au plus 2\u202f000 convocations/, 'French: 2 000')
  t.match(translator('en')(refused.refused), /at most 2,000 notices/, 'English: 2,000')

  await finaliseSession(server.db, session.id)
  t.match(await sendConvocations(server.db, session, [julie.id], changeByTest(centreId)), { ok: false, reason: 'finalised' })
})
