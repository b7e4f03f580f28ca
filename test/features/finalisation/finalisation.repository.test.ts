import t from 'tap'
import { finalise, saveDraft } from '../../../src/features/finalisation/finalisation.service.ts'
import type { Draft } from '../../../src/features/finalisation/finalisation.rules.ts'
import { build, createMember } from '../../helper.ts'
import type { Db } from '../../../src/db/database.ts'
import { changeByTest, createCandidate, createSession, joinCandidate } from '../../factories.ts'

async function setup(t: Parameters<typeof build>[0]) {
  const server = await build(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId)
  const julie = await createCandidate(server.db, session.id)
  await joinCandidate(server.db, julie)
  return { db: server.db, member, session, julie }
}

t.test('a draft is saved whole or not at all', async (t) => {
  const { db, session, julie } = await setup(t)
  // The CHECK constraint on global_comment_choice makes the second statement fail after the ticks were written.
  const broken = { endScreenSeen: [julie.id], globalCommentChoice: 'bogus', globalComment: null } as unknown as Draft
  await t.rejects(saveDraft(db, session.id, [julie.id], broken, changeByTest(session.centre_id)))
  const row = await db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', julie.id).executeTakeFirstOrThrow()
  t.equal(row.has_seen_end_screen, 0, 'the tick written before the failure was rolled back')

  t.equal(
    await saveDraft(
      db,
      session.id,
      [julie.id],
      { endScreenSeen: [julie.id], globalCommentChoice: 'none', globalComment: null },
      changeByTest(session.centre_id),
    ),
    true,
  )
  t.equal((await db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', julie.id).executeTakeFirstOrThrow()).has_seen_end_screen, 1)
})

const versionOf = async (db: Db, id: number) =>
  (await db.selectFrom('certification_session').select('draft_version').where('id', '=', id).executeTakeFirstOrThrow()).draft_version

t.test('every draft save raises the version; finalise refuses a version that is not the stored one', async (t) => {
  const { db, member, session, julie } = await setup(t)
  const before = await versionOf(db, session.id)
  t.equal(
    await saveDraft(db, session.id, [julie.id], { endScreenSeen: [julie.id], globalCommentChoice: 'none', globalComment: null }, changeByTest(member.centreId)),
    true,
  )
  const after = await versionOf(db, session.id)
  t.equal(after, before + 1)
  t.equal(await finalise(db, session.id, member.userId, before, changeByTest(member.centreId)), 'draft_changed')
  t.equal((await db.selectFrom('certification_session').select('finalised_at').where('id', '=', session.id).executeTakeFirstOrThrow()).finalised_at, null)
  t.equal(await finalise(db, session.id, member.userId, after, changeByTest(member.centreId)), 'finalised')
})

t.test('finalise: once, by one user, never for a session nobody joined; drafts are refused afterwards', async (t) => {
  const { db, member, session, julie } = await setup(t)
  const empty = await createSession(db, member.centreId)
  t.equal(await finalise(db, empty.id, member.userId, await versionOf(db, empty.id), changeByTest(member.centreId)), 'not_started')
  t.equal((await db.selectFrom('certification_session').select('finalised_at').where('id', '=', empty.id).executeTakeFirstOrThrow()).finalised_at, null)

  // A draft saved from another tab after the confirmation page: "incident" without a comment.
  await db.updateTable('certification_session').set({ global_comment_choice: 'incident', global_comment: null }).where('id', '=', session.id).execute()
  t.equal(
    await finalise(db, session.id, member.userId, await versionOf(db, session.id), changeByTest(member.centreId)),
    'draft_invalid',
    'the stored draft is checked again',
  )
  await db.updateTable('certification_session').set({ global_comment_choice: 'none' }).where('id', '=', session.id).execute()

  const now = new Date('2021-01-12T13:00:00.000Z')
  const version = await versionOf(db, session.id)
  const results = await Promise.all([
    finalise(db, session.id, member.userId, version, changeByTest(member.centreId), now),
    finalise(db, session.id, member.userId, version, changeByTest(member.centreId), now),
  ])
  t.same(results.sort(), ['already_finalised', 'finalised'])
  const row = await db.selectFrom('certification_session').selectAll().where('id', '=', session.id).executeTakeFirstOrThrow()
  t.equal(row.finalised_at, '2021-01-12T13:00:00.000Z')
  t.equal(row.finalised_by_user_id, member.userId)
  t.equal(
    await saveDraft(db, session.id, [julie.id], { endScreenSeen: [julie.id], globalCommentChoice: null, globalComment: null }, changeByTest(session.centre_id)),
    false,
  )
  t.equal((await db.selectFrom('candidate').select('has_seen_end_screen').where('id', '=', julie.id).executeTakeFirstOrThrow()).has_seen_end_screen, 0)
})
