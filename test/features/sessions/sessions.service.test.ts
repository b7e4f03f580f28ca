import t from 'tap'
import { t as translate } from '../../../src/i18n/index.ts'
import { findSessionForCentre } from '../../../src/features/sessions/sessions.repository.ts'
import { createSession, deleteSession, deletionBlocker, sessionStatus, updateSession } from '../../../src/features/sessions/sessions.service.ts'
import { TEST_ACTOR, createCandidate, createSession as insertSession, SESSION_INPUT, finaliseSession, joinCandidate } from '../../factories.ts'
import { build, createMember } from '../../helper.ts'

const input = SESSION_INPUT

t.test('status: Créée, then Finalisée', async (t) => {
  t.equal(translate(sessionStatus({ finalised_at: null })), 'Créée')
  t.equal(translate(sessionStatus({ finalised_at: '2021-01-12T12:00:00Z' })), 'Finalisée')
})

t.test('deletion is refused once finalised or once someone joined', async (t) => {
  t.equal(deletionBlocker({ finalised_at: null }, 0), null)
  t.equal(translate(deletionBlocker({ finalised_at: null }, 1)!), 'Au moins un candidat a rejoint la session, vous ne pouvez pas la supprimer.')
  t.equal(translate(deletionBlocker({ finalised_at: '2021-01-12T12:00:00Z' }, 0)!), 'Cette session est finalisée : elle ne peut pas être supprimée.')
})

t.test('with a database', async (t) => {
  const server = await build(t)
  const db = server.db
  const { centreId } = await createMember(server)

  t.test('creation gives sequential ids and a code from the generator', async (t) => {
    const first = await createSession(db, centreId, input, TEST_ACTOR, () => 'GMPB26')
    const second = await createSession(db, centreId, input, TEST_ACTOR, () => 'GMPB27')
    t.equal(second, first + 1)
    t.equal((await findSessionForCentre(db, centreId, first))?.access_code, 'GMPB26')
  })

  t.test('a code used by an open session is drawn again; a finalised session’s code can be reused', async (t) => {
    await insertSession(db, centreId, { access_code: 'BCDF22' })
    const finalised = await insertSession(db, centreId, { access_code: 'BCDF33' })
    await finaliseSession(db, finalised.id)
    const drawn = ['BCDF22', 'BCDF33']
    const id = await createSession(db, centreId, input, TEST_ACTOR, () => drawn.shift()!)
    t.equal((await findSessionForCentre(db, centreId, id))?.access_code, 'BCDF33')
    t.same(drawn, [])
    const created = await db.selectFrom('history').select('id').where('session_id', '=', id).where('action', '=', 'session_created').execute()
    t.equal(created.length, 1, 'the refused try left nothing behind: one session, one line of history')
  })

  t.test('a generator that only gives taken codes ends with an error and writes nothing', async (t) => {
    await insertSession(db, centreId, { access_code: 'BCDF44' })
    const before = await db.selectFrom('certification_session').select('id').execute()
    let draws = 0
    await t.rejects(
      createSession(db, centreId, input, TEST_ACTOR, () => {
        draws++
        return 'BCDF44'
      }),
      /No free access code after 50 attempts/,
    )
    t.equal(draws, 50, 'stops after 50 draws, not an endless loop')
    t.same(await db.selectFrom('certification_session').select('id').execute(), before, 'no session added')
  })

  t.test('an update changes the fields, never the id or the code; refused once finalised', async (t) => {
    const session = await insertSession(db, centreId, { access_code: 'KKKK44' })
    t.same(await updateSession(db, session, { ...input, siteName: 'Lycée Hugo', observations: 'RAS' }, TEST_ACTOR), { ok: true, value: null })
    const updated = await findSessionForCentre(db, centreId, session.id)
    t.match(updated, { id: session.id, access_code: 'KKKK44', site_name: 'Lycée Hugo', observations: 'RAS' })
    await finaliseSession(db, session.id)
    t.match(await updateSession(db, session, { ...input, siteName: 'Autre' }, TEST_ACTOR), {
      ok: false,
      reason: 'finalised',
      refused: { key: 'sessions.finalised.read_only' },
    })
    t.equal((await findSessionForCentre(db, centreId, session.id))?.site_name, 'Lycée Hugo')
  })

  t.test('delete removes the session and its candidates, unless someone joined', async (t) => {
    const session = await insertSession(db, centreId)
    await createCandidate(db, session.id)
    t.same(await deleteSession(db, session, TEST_ACTOR), { ok: true, value: null })
    t.equal(await findSessionForCentre(db, centreId, session.id), undefined)
    t.equal((await db.selectFrom('candidate').selectAll().where('session_id', '=', session.id).execute()).length, 0)

    const started = await insertSession(db, centreId)
    await joinCandidate(db, await createCandidate(db, started.id))
    const refusal = await deleteSession(db, started, TEST_ACTOR)
    t.match(refusal, { ok: false, reason: 'refused', refused: { key: 'sessions.delete.started' } })
    t.notOk('finalised' in refusal, 'not a finalised session')
    t.ok(await findSessionForCentre(db, centreId, started.id), 'still there')

    // Finalised after the caller read it (the route answers the one page of a finalised session).
    const closed = await insertSession(db, centreId)
    await finaliseSession(db, closed.id)
    t.match(await deleteSession(db, closed, TEST_ACTOR), { ok: false, reason: 'finalised', refused: { key: 'sessions.finalised.no_delete' } })
    t.ok(await findSessionForCentre(db, centreId, closed.id), 'still there')
  })

  t.test('creation draws an invigilator password; the duration can change until someone starts', async (t) => {
    const id = await createSession(db, centreId, { ...input, testDuration: 90 }, TEST_ACTOR, () => 'QQQQ99')
    const created = await findSessionForCentre(db, centreId, id)
    t.match(created?.invigilator_password, /^[BCDFGHJKMPQRTVWXY2346789]{6}$/)
    t.equal(created?.test_duration_minutes, 90)
    t.ok((await updateSession(db, created!, { ...input, testDuration: 60 }, TEST_ACTOR)).ok)
    t.equal((await findSessionForCentre(db, centreId, id))?.test_duration_minutes, 60, 'changed before anyone starts')
    await joinCandidate(db, await createCandidate(db, id))
    t.ok((await updateSession(db, created!, { ...input, siteName: 'Lycée Hugo', testDuration: 30 }, TEST_ACTOR)).ok)
    t.match(await findSessionForCentre(db, centreId, id), { site_name: 'Lycée Hugo', test_duration_minutes: 60 }, 'kept once someone started')
  })
})
