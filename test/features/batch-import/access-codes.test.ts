import t from 'tap'
import { analyseFile, confirmPlan, loadPlan, savePlan } from '../../../src/features/batch-import/batch-import.service.ts'
import { createSession, TEST_ACTOR } from '../../factories.ts'
import { build, createMember } from '../../helper.ts'
import { csvOf } from '../../lib/batch-csv.ts'

t.test('a batch whose drawn codes clash with open sessions, or with one another, still gets one code per session', async (t) => {
  const server = await build(t)
  const db = server.db
  const member = await createMember(server)
  await createSession(db, member.centreId, { access_code: 'GMPB26' })
  const lines = ['Lycée A', 'Lycée B', 'Lycée C'].map((site) => ({ site, room: 'Salle 1', date: '15/06/2030', time: '09:00', invigilators: 'Eric Martin' }))
  const analysed = await analyseFile(db, member.centreId, csvOf(lines))
  if (!analysed.ok) throw new Error('the file should be accepted')
  const stored = await loadPlan(db, await savePlan(db, member.userId, member.centreId, analysed.value), member.userId, member.centreId)
  // GMPB26 is held by an open session; the first new session then gets BCDF22, which the next draw repeats.
  const drawn = ['GMPB26', 'BCDF22', 'BCDF22', 'BCDF23', 'GMPB26', 'BCDF22', 'BCDF24']
  const outcome = await confirmPlan(db, stored!, member.userId, member.centreId, TEST_ACTOR, new Date(), () => drawn.shift()!)
  if (!outcome.ok) throw new Error('the plan should apply')
  t.same(
    outcome.value.created.map((s) => [s.siteName, s.accessCode]),
    [
      ['Lycée A', 'BCDF22'],
      ['Lycée B', 'BCDF23'],
      ['Lycée C', 'BCDF24'],
    ],
  )
  t.same(drawn, [], 'every refused code was drawn again')
  const rows = await db.selectFrom('certification_session').select('access_code').orderBy('id').execute()
  t.same(
    rows.map((r) => r.access_code),
    ['GMPB26', 'BCDF22', 'BCDF23', 'BCDF24'],
    'four sessions in the database, no trace of a refused try',
  )
})
