import t from 'tap'
import { purgePersonalData, holdSession, eraseCandidate, retentionCutoff } from '../../../src/features/privacy/retention.ts'
import { recordHistory } from '../../../src/features/history/history.ts'
import { insertCentre } from '../../../src/features/centres/centres.repository.ts'
import { createCandidate, createSession, joinCandidate } from '../../factories.ts'
import { build } from '../../helper.ts'
import type { Db } from '../../../src/db/database.ts'

const NOW = Date.parse('2027-06-15T10:00:00.000Z')
const monthsAgo = (months: number) => retentionCutoff(months, NOW)
const by = (centreId: number) => ({ centreId, actor: { kind: 'user' as const, userId: null, name: 'Claire Admin' } })

/** A finalised session (at `finalisedAt`, or open when null) with two candidates, a report, a document, a mail, history naming them. */
async function seeded(db: Db, centreId: number, finalisedAt: string | null) {
  const session = await createSession(db, centreId, {
    observations: 'Julie Dupont est arrivée en retard',
    global_comment_choice: 'incident',
    global_comment: 'Malaise de Paul Durand',
  })
  const julie = await createCandidate(db, session.id, {
    external_id: 'INE-1',
    accessibility_needed: 1,
    accessibility_note: 'Tiers temps',
    extra_time_percentage: 33,
  })
  const paul = await createCandidate(db, session.id, { first_name: 'Paul', last_name: 'Durand', email: 'paul@example.org' })
  await joinCandidate(db, julie)
  await db
    .insertInto('report')
    .values({ session_id: session.id, candidate_id: julie.id, category: 'C', code: 'C1', question_number: null, details: 'Julie a pleuré' })
    .execute()
  await db
    .insertInto('session_document')
    .values({
      session_id: session.id,
      original_name: 'pv-julie-dupont.pdf',
      stored_name: `doc-${session.id}`,
      mime_type: 'application/pdf',
      size: 3,
      comment: null,
      content: Buffer.from('pdf'),
    })
    .execute()
  await db
    .insertInto('convocation_mail')
    .values({
      session_id: session.id,
      candidate_id: paul.id,
      email: 'paul@example.org',
      status: 'sent',
      session_key: 'k',
      error: null,
      queued_at: '2026-01-01T00:00:00.000Z',
      claimed_at: null,
      sent_at: null,
    })
    .execute()
  await recordHistory(db, { ...by(centreId), action: 'candidate_added', sessionId: session.id, subject: 'Julie Dupont' })
  await recordHistory(db, { ...by(centreId), action: 'session_edited', sessionId: session.id })
  if (finalisedAt) await db.updateTable('certification_session').set({ finalised_at: finalisedAt }).where('id', '=', session.id).execute()
  return { session, julie, paul }
}

t.test('retentionCutoff: calendar months back, the end of a shorter month kept', async (t) => {
  t.equal(retentionCutoff(12, Date.parse('2027-06-15T10:00:00.000Z')), '2026-06-15T10:00:00.000Z')
  t.equal(retentionCutoff(1, Date.parse('2027-03-31T08:00:00.000Z')), '2027-02-28T08:00:00.000Z')
})

t.test('purge with the clock moved: 13 months → erased; 11 months → kept; on hold → kept; not finalised → kept', async (t) => {
  const server = await build(t)
  const db = server.db
  const centreId = await insertCentre(db, 'Centre Testix')
  const old = await seeded(db, centreId, monthsAgo(13))
  const recent = await seeded(db, centreId, monthsAgo(11))
  const held = await seeded(db, centreId, monthsAgo(13))
  const open = await seeded(db, centreId, null)
  t.ok((await holdSession(db, held.session.id, true, by(centreId), NOW)).ok, 'hold set')

  const dry = await purgePersonalData(db, { months: 12, now: NOW, dryRun: true })
  t.same(
    dry.sessions.map((s) => [s.id, s.candidates]),
    [[old.session.id, 2]],
    'the dry run lists only the session finalised 13 months ago',
  )
  t.equal(
    (await db.selectFrom('candidate').select('last_name').where('id', '=', old.julie.id).executeTakeFirstOrThrow()).last_name,
    'Dupont',
    'the dry run erased nothing',
  )

  const result = await purgePersonalData(db, { months: 12, now: NOW })
  t.same(
    result.sessions.map((s) => s.id),
    [old.session.id],
    'only the session finalised 13 months ago is purged',
  )

  const candidates = await db.selectFrom('candidate').selectAll().where('session_id', '=', old.session.id).orderBy('id').execute()
  t.equal(candidates.length, 2, 'the rows stay (counts keep their meaning)')
  for (const c of candidates) {
    t.match(c, {
      last_name: '',
      first_name: '',
      birthdate: '',
      birth_city: '',
      birth_country: '',
      birth_department_code: '',
      email: null,
      external_id: null,
      accessibility_note: null,
      accessibility_needed: 0,
      extra_time_percentage: null,
    })
    t.ok(c.erased_at, 'marked erased')
  }
  t.equal(await count(db, 'certification_course', old.session.id), 1, 'the certification course (who joined) stays')
  const report = await db.selectFrom('report').selectAll().where('session_id', '=', old.session.id).executeTakeFirstOrThrow()
  t.equal(report.code, 'C1', 'the report code stays')
  t.equal(report.details, null, 'its details are gone')
  t.equal(await count(db, 'session_document', old.session.id), 0, 'finalisation documents deleted')
  t.equal(await count(db, 'convocation_mail', old.session.id), 0, 'convocation mails deleted')
  const session = await db.selectFrom('certification_session').selectAll().where('id', '=', old.session.id).executeTakeFirstOrThrow()
  t.match(session, { observations: null, global_comment: null, room: '45', date: '2021-01-12', global_comment_choice: 'incident' })
  t.ok(session.personal_data_erased_at)
  const history = await db.selectFrom('history').selectAll().where('session_id', '=', old.session.id).orderBy('id').execute()
  t.same(
    history.map((h) => [h.action, h.subject, h.actor_name]),
    [
      ['candidate_added', null, 'Claire Admin'],
      ['session_edited', null, 'Claire Admin'],
      ['personal_data_purged', null, 'Purge automatique (durée de conservation)'],
    ],
    'history keeps who did what, loses the name, and records the purge',
  )
  t.equal(history[2]!.count, 2)

  for (const kept of [recent, held, open]) {
    const row = await db.selectFrom('candidate').selectAll().where('id', '=', kept.julie.id).executeTakeFirstOrThrow()
    t.equal(row.last_name, 'Dupont', `session ${kept.session.id}: kept`)
    t.equal(await count(db, 'session_document', kept.session.id), 1)
    const subject = await db
      .selectFrom('history')
      .select('subject')
      .where('session_id', '=', kept.session.id)
      .where('action', '=', 'candidate_added')
      .executeTakeFirstOrThrow()
    t.equal(subject.subject, 'Julie Dupont')
  }

  const again = await purgePersonalData(db, { months: 12, now: NOW })
  t.same(again.sessions, [], 'a second run does nothing (idempotent)')
  t.equal(
    await db
      .selectFrom('history')
      .select('id')
      .where('action', '=', 'personal_data_purged')
      .execute()
      .then((r) => r.length),
    1,
    'recorded once',
  )

  // Released, the held session goes at the next run.
  t.ok((await holdSession(db, held.session.id, false, by(centreId), NOW)).ok)
  t.same(
    (await purgePersonalData(db, { months: 12, now: NOW })).sessions.map((s) => s.id),
    [held.session.id],
  )
  const holdHistory = await db
    .selectFrom('history')
    .select('action')
    .where('session_id', '=', held.session.id)
    .where('action', 'in', ['retention_hold_set', 'retention_hold_released'])
    .orderBy('id')
    .execute()
  t.same(
    holdHistory.map((h) => h.action),
    ['retention_hold_set', 'retention_hold_released'],
    'the hold is in the history',
  )
})

t.test('purge: expired invitations and invigilator accesses go, live ones stay', async (t) => {
  const server = await build(t)
  const db = server.db
  const centreId = await insertCentre(db, 'Centre Testix')
  const session = await createSession(db, centreId)
  const invitation = (expires: string) => ({
    centre_id: centreId,
    email: `${expires}@example.org`,
    role: 'member' as const,
    token_hash: expires,
    invited_by: null,
    sent_at: '2027-01-01T00:00:00.000Z',
    expires_at: expires,
    accepted_at: null,
    created_at: '2027-01-01T00:00:00.000Z',
  })
  await db
    .insertInto('invitation')
    .values([invitation('2027-06-01T00:00:00.000Z'), invitation('2027-07-01T00:00:00.000Z')])
    .execute()
  await db
    .insertInto('invigilator_access')
    .values([
      { id: 'a', session_id: session.id, created_at: '2027-06-01T00:00:00.000Z', expires_at: '2027-06-02T00:00:00.000Z', ended_at: null },
      { id: 'b', session_id: session.id, created_at: '2027-06-15T00:00:00.000Z', expires_at: '2027-06-16T00:00:00.000Z', ended_at: null },
    ])
    .execute()
  const result = await purgePersonalData(db, { months: 12, now: NOW })
  t.equal(result.invitations, 1)
  t.equal(result.invigilatorAccesses, 1)
  t.same(
    (await db.selectFrom('invitation').select('expires_at').execute()).map((r) => r.expires_at),
    ['2027-07-01T00:00:00.000Z'],
  )
  t.same(
    (await db.selectFrom('invigilator_access').select('id').execute()).map((r) => r.id),
    ['b'],
  )
})

t.test('erasure on request: deleted before joining an open session, a placeholder otherwise, the name out of the history', async (t) => {
  const server = await build(t)
  const db = server.db
  const centreId = await insertCentre(db, 'Centre Testix')
  const { session, julie, paul } = await seeded(db, centreId, null)
  await recordHistory(db, { ...by(centreId), action: 'candidate_added', sessionId: session.id, subject: 'Paul Durand' })

  t.ok((await eraseCandidate(db, session.id, paul.id, by(centreId), NOW)).ok)
  t.notOk(await db.selectFrom('candidate').select('id').where('id', '=', paul.id).executeTakeFirst(), 'Paul had not joined: deleted')
  t.ok((await eraseCandidate(db, session.id, julie.id, by(centreId), NOW)).ok)
  const row = await db.selectFrom('candidate').selectAll().where('id', '=', julie.id).executeTakeFirstOrThrow()
  t.match(row, { last_name: '', first_name: '', email: null, external_id: null }, 'Julie had joined: placeholder row')
  t.equal((await db.selectFrom('report').select('details').where('candidate_id', '=', julie.id).executeTakeFirstOrThrow()).details, null)
  const subjects = await db.selectFrom('history').select(['action', 'subject']).where('session_id', '=', session.id).orderBy('id').execute()
  t.notMatch(JSON.stringify(subjects), /Julie|Dupont|Paul|Durand/, 'no name left in the history')
  t.same(subjects.filter((s) => s.action === 'candidate_erased').length, 2, 'each erasure recorded, without the name')
  const again = await eraseCandidate(db, session.id, julie.id, by(centreId), NOW)
  t.notOk(again.ok, 'erasing twice is refused')
})

t.test('history: a subject may be blanked, nothing else changed', async (t) => {
  const server = await build(t)
  const db = server.db
  const centreId = await insertCentre(db, 'Centre Testix')
  await recordHistory(db, { ...by(centreId), action: 'candidate_added', subject: 'Julie Dupont' })
  await t.rejects(db.updateTable('history').set({ subject: 'Quelqu’un d’autre' }).execute(), /append-only/)
  await t.rejects(db.updateTable('history').set({ subject: null, actor_name: 'X' }).execute(), /append-only/)
  await db.updateTable('history').set({ subject: null }).execute()
  t.equal((await db.selectFrom('history').select('subject').executeTakeFirstOrThrow()).subject, null)
})

async function count(db: Db, table: 'certification_course' | 'session_document' | 'convocation_mail', sessionId: number) {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow()
  return Number(n)
}
