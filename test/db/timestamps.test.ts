import { promises as fs, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator, sql } from 'kysely'
import t from 'tap'
import { changeByTest, TEST_ACTOR } from '../factories.ts'
import { createDb, type Db } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { acceptCgu, completeSetup, createPasswordReset, createSetupTokenIfEmpty, resetPassword } from '../../src/features/accounts/accounts.service.ts'
import { createWebSession, SESSION_DURATION_MS, validateSessionToken } from '../../src/features/accounts/web-session.ts'
import { writeCandidate } from '../../src/features/candidates/candidates.service.ts'
import { finalise, storeDocument, storeReport } from '../../src/features/finalisation/finalisation.service.ts'
import { startCourse } from '../../src/features/supervision/supervision-changes.service.ts'
import { createSession, updateSession } from '../../src/features/sessions/sessions.service.ts'
import { TIMESTAMP_PATTERN } from '../../src/lib/timestamps.ts'
import { savePlan } from '../../src/features/batch-import/batch-import.service.ts'
import type { BatchPlan } from '../../src/features/batch-import/plan.ts'
import { openAccess } from '../../src/features/supervision/supervision.service.ts'
import { acceptWithNewAccount, inviteMembers, resendInvitation } from '../../src/features/team/team.service.ts'
import type { Teardown } from '../helper.ts'

const migrationFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')
const BEFORE = '2026_11_26_0920_create_finalisation'

function tempDb(t: Teardown): Db {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'certisalle-ts-'))
  const { db } = createDb(path.join(dir, 'db.sqlite'))
  t.teardown(async () => {
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  })
  return db
}

/** Every value of every `*_at` column of every table that is not the one representation. */
async function strayTimestamps(db: Db): Promise<string[]> {
  const tables = await sql<{
    name: string
  }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(db)
  const stray: string[] = []
  let seen = 0
  for (const { name } of tables.rows) {
    const columns = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db)
    for (const column of columns.rows.filter((c) => c.name.endsWith('_at'))) {
      const values = await sql<{ v: unknown }>`select ${sql.ref(column.name)} as v from ${sql.table(name)} where ${sql.ref(column.name)} is not null`.execute(
        db,
      )
      for (const { v } of values.rows) {
        seen++
        if (typeof v !== 'string' || !TIMESTAMP_PATTERN.test(v)) stray.push(`${name}.${column.name} = ${JSON.stringify(v)}`)
      }
    }
  }
  if (seen === 0) stray.push('no timestamp at all: the test checked nothing')
  return stray
}

t.test('the migration converts epoch milliseconds and CURRENT_TIMESTAMP text; tables keep rows, keys, indexes and counters', async (t) => {
  const db = tempDb(t)
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) })
  const before = await migrator.migrateTo(BEFORE)
  t.error(before.error)
  // Rows as the old code wrote them: defaults (CURRENT_TIMESTAMP), ISO strings and epoch milliseconds.
  const run = (text: string) => sql.raw(text).execute(db)
  await run(`insert into centre (id, name) values (1, 'Lycée')`)
  await run(
    `insert into user (id, email, first_name, last_name, password_hash, cgu_accepted_at) values (1, 'a@b.fr', 'A', 'B', 'x', '2026-11-30T08:00:00.000Z')`,
  )
  await run(`insert into membership (user_id, centre_id, role) values (1, 1, 'admin')`)
  await run(`insert into user_session (id, user_id, centre_id, expires_at) values ('s', 1, 1, 1700000000123)`)
  await run(`insert into password_reset (id, user_id, expires_at, used_at) values ('r', 1, 1700000000123, 1700000000999)`)
  await run(`insert into setup_token (id, created_at, used_at) values ('k', 1700000000000, null)`)
  await run(
    `insert into certification_session (id, centre_id, site_name, room, date, start_time, invigilators, access_code, updated_at) values (307, 1, 's', 'r', '2026-12-01', '10:00', 'i', 'GMPB26', '2026-11-30 09:15:00')`,
  )
  await run(
    `insert into certification_session (id, centre_id, site_name, room, date, start_time, invigilators, access_code) values (308, 1, 's', 'r', '2026-12-01', '10:00', 'i', 'ABCD23')`,
  )
  await run(`delete from certification_session where id = 308`)
  await run(
    `insert into candidate (id, session_id, last_name, first_name, birthdate, birth_city, birth_department_code, birth_country) values (1, 307, 'Dupont', 'Julie', '1996-03-13', 'Le Havre', '76', 'France')`,
  )
  await run(`insert into certification_course (session_id, candidate_id, joined_at) values (307, 1, '2026-12-01T09:05:00.000Z')`)
  await run(`insert into report (session_id, candidate_id, category, code) values (307, 1, 'fraud', 'C6')`)
  await run(`insert into session_document (session_id, original_name, stored_name, mime_type, size) values (307, 'a.pdf', 'x', 'application/pdf', 1)`)

  t.ok((await strayTimestamps(db)).length > 0, 'the old database mixes representations')
  await migrateToLatest(db)
  t.same(await strayTimestamps(db), [], 'every timestamp is ISO-8601 UTC text')

  const session = await db.selectFrom('certification_session').selectAll().where('id', '=', 307).executeTakeFirstOrThrow()
  t.equal(session.updated_at, '2026-11-30T09:15:00.000Z', 'CURRENT_TIMESTAMP text read as UTC')
  t.equal(
    (await db.selectFrom('user_session').select('expires_at').executeTakeFirstOrThrow()).expires_at,
    '2023-11-14T22:13:20.123Z',
    'epoch ms, to the millisecond',
  )
  t.same(await db.selectFrom('password_reset').select(['expires_at', 'used_at']).executeTakeFirstOrThrow(), {
    expires_at: '2023-11-14T22:13:20.123Z',
    used_at: '2023-11-14T22:13:20.999Z',
  })
  t.equal((await db.selectFrom('certification_course').select('joined_at').executeTakeFirstOrThrow()).joined_at, '2026-12-01T09:05:00.000Z', 'ISO kept')
  const types = await sql<{ name: string; type: string }>`select name, type from pragma_table_info('user_session')`.execute(db)
  t.equal(types.rows.find((c) => c.name === 'expires_at')?.type.toLowerCase(), 'text', 'the column is text now')

  // Defaults write the same representation.
  await run(`insert into centre (name) values ('Autre')`)
  t.match((await db.selectFrom('centre').select('created_at').where('name', '=', 'Autre').executeTakeFirstOrThrow()).created_at, TIMESTAMP_PATTERN)
  // The autoincrement counter survived: a deleted session's number is not given again.
  await run(
    `insert into certification_session (centre_id, site_name, room, date, start_time, invigilators, access_code) values (1, 's', 'r', '2026-12-02', '10:00', 'i', 'WXYZ45')`,
  )
  t.ok((await db.selectFrom('certification_session').select('id').where('access_code', '=', 'WXYZ45').executeTakeFirstOrThrow()).id > 308)
  // Indexes and foreign keys are back.
  const indexes = await sql<{ name: string }>`select name from sqlite_schema where type = 'index' and name = 'certification_session_open_code_idx'`.execute(db)
  t.equal(indexes.rows.length, 1, 'partial unique index recreated')
  await t.rejects(
    run(
      `insert into candidate (session_id, last_name, first_name, birthdate, birth_city, birth_department_code, birth_country) values (999, 'X', 'Y', '2000-01-01', 'c', '01', 'France')`,
    ),
    'foreign keys enforced',
  )
  await run(`delete from certification_session where id = 307`)
  t.equal((await db.selectFrom('candidate').select('id').execute()).length, 0, 'cascades still work')
})

t.test('the second migration converts the invitations, invigilator accesses and batch plans, keeping the pending-invitation index', async (t) => {
  const db = tempDb(t)
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) })
  t.error((await migrator.migrateTo('2026_12_01_2330_create_batch_plan')).error)
  const run = (text: string) => sql.raw(text).execute(db)
  await run(`insert into centre (id, name) values (1, 'Lycée')`)
  await run(`insert into user (id, email, first_name, last_name, password_hash) values (1, 'a@b.fr', 'A', 'B', 'x')`)
  await run(
    `insert into certification_session (id, centre_id, site_name, room, date, start_time, invigilators, access_code) values (307, 1, 's', 'r', '2026-12-01', '10:00', 'i', 'GMPB26')`,
  )
  // As the old code wrote them: epoch milliseconds, and CURRENT_TIMESTAMP defaults.
  await run(
    `insert into invitation (id, centre_id, email, role, token_hash, invited_by, sent_at, expires_at, accepted_at) values (4, 1, 'x@y.fr', 'member', 'h1', 1, 1700000000123, 1700604800123, null)`,
  )
  await run(
    `insert into invitation (id, centre_id, email, role, token_hash, invited_by, sent_at, expires_at, accepted_at) values (5, 1, 'z@y.fr', 'admin', 'h2', 1, 1700000000000, 1700604800000, 1700000000999)`,
  )
  await run(`insert into invigilator_access (id, session_id, created_at, expires_at) values ('acc', 307, '2026-12-01T08:00:00.000Z', 1700000000123)`)
  await run(`insert into batch_plan (id, user_id, centre_id, plan, expires_at) values ('p', 1, 1, '{}', '2026-12-01T09:00:00.000Z')`)
  t.ok((await strayTimestamps(db)).length >= 5, 'the old database mixes representations')

  await migrateToLatest(db)
  t.same(await strayTimestamps(db), [], 'every timestamp is ISO-8601 UTC text')
  const invitations = await db.selectFrom('invitation').select(['id', 'sent_at', 'expires_at', 'accepted_at']).orderBy('id').execute()
  t.same(invitations, [
    { id: 4, sent_at: '2023-11-14T22:13:20.123Z', expires_at: '2023-11-21T22:13:20.123Z', accepted_at: null },
    { id: 5, sent_at: '2023-11-14T22:13:20.000Z', expires_at: '2023-11-21T22:13:20.000Z', accepted_at: '2023-11-14T22:13:20.999Z' },
  ])
  t.equal((await db.selectFrom('invigilator_access').select('expires_at').executeTakeFirstOrThrow()).expires_at, '2023-11-14T22:13:20.123Z')
  for (const table of ['invitation', 'invigilator_access']) {
    const types = await sql<{ name: string; type: string; notnull: number }>`select name, type, "notnull" from pragma_table_info(${table})`.execute(db)
    const expires = types.rows.find((c) => c.name === 'expires_at')!
    t.same([expires.type.toLowerCase(), expires.notnull], ['text', 1], `${table}.expires_at is text, not null`)
  }
  // The partial unique index is back: one pending invitation per address, any number accepted.
  await t.rejects(
    run(`insert into invitation (centre_id, email, role, token_hash, sent_at, expires_at, created_at) values (1, 'x@y.fr', 'member', 'h3', 'a', 'b', 'c')`),
    'a second pending invitation for the same address is refused',
  )
  await run(
    `insert into invitation (centre_id, email, role, token_hash, sent_at, expires_at, accepted_at, created_at) values (1, 'z@y.fr', 'member', 'h4', 'a', 'b', null, 'c')`,
  )
})

t.test('every write path stores the one representation', async (t) => {
  const db = tempDb(t)
  await migrateToLatest(db)
  const setupToken = (await createSetupTokenIfEmpty(db))!
  const setup = await completeSetup(db, setupToken, 'Lycée', {
    email: 'anne@lycee.fr',
    firstName: 'Anne',
    lastName: 'Martin',
    password: 'un mot de passe long',
  })
  t.ok(setup)
  const user = await db.selectFrom('user').select('id').executeTakeFirstOrThrow()
  const centre = await db.selectFrom('centre').select('id').executeTakeFirstOrThrow()
  await acceptCgu(db, user.id)
  const { token } = await createWebSession(db, user.id, centre.id, Date.now() - SESSION_DURATION_MS + 3_600_000)
  t.ok(await validateSessionToken(db, token), 'a session near its end is renewed (expires_at rewritten)')
  const reset = (await createPasswordReset(db, 'anne@lycee.fr'))!
  t.ok(await resetPassword(db, reset.token, 'un autre mot de passe'))
  await createWebSession(db, user.id, centre.id)

  const input = { siteName: 'Site', room: '12', date: '2026-12-01', startTime: '10:00', invigilators: 'Eric', observations: null, testDuration: 105 }
  const sessionId = await createSession(db, centre.id, input, TEST_ACTOR)
  t.same(await updateSession(db, { id: sessionId, centre_id: centre.id }, { ...input, room: '13' }, TEST_ACTOR), { ok: true, value: null })
  const candidate = {
    lastName: 'Dupont',
    firstName: 'Julie',
    birthdate: '1996-03-13',
    birthCity: 'Le Havre',
    birthDepartmentCode: '76',
    birthCountry: 'France',
    email: null,
    externalId: null,
    extraTimePercentage: null,
  }
  t.ok((await writeCandidate(db, sessionId, null, candidate, changeByTest(centre.id))).ok)
  const candidateId = (await db.selectFrom('candidate').select('id').executeTakeFirstOrThrow()).id
  await db.updateTable('candidate').set({ presence_confirmed_at: new Date().toISOString() }).where('id', '=', candidateId).execute()
  t.ok(await startCourse(db, sessionId, candidateId, new Date()))
  t.match(await storeReport(db, sessionId, candidateId, { category: 'fraud', code: 'C6', questionNumber: null, details: null }, changeByTest(centre.id)), {
    ok: true,
  })
  t.equal(
    await storeDocument(
      db,
      sessionId,
      { originalName: 'pv.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.4\n'), comment: null },
      10,
      changeByTest(centre.id),
    ),
    'stored',
  )
  const { invigilator_password } = await db
    .selectFrom('certification_session')
    .select('invigilator_password')
    .where('id', '=', sessionId)
    .executeTakeFirstOrThrow()
  t.ok((await openAccess(db, { sessionNumber: String(sessionId), password: invigilator_password })).ok, 'an invigilator access')
  const byAnne = { centreId: centre.id, actor: { kind: 'user' as const, userId: user.id, name: 'Anne Martin' } }
  const { invited } = await inviteMembers(db, byAnne, ['paul@lycee.fr', 'lea@lycee.fr'], 'member')
  t.ok((await resendInvitation(db, byAnne, invited[1]!.id))?.token, 'an invitation re-sent')
  const joined = await acceptWithNewAccount(db, invited[0]!.token, { firstName: 'Paul', lastName: 'Petit', password: 'un mot de passe long' })
  t.ok(joined.ok, 'an invitation accepted')
  t.ok(await savePlan(db, user.id, centre.id, { sessions: [] } as unknown as BatchPlan), 'a batch plan')
  await db.updateTable('candidate').set({ has_seen_end_screen: 1 }).execute()
  const { draft_version } = await db.selectFrom('certification_session').select('draft_version').where('id', '=', sessionId).executeTakeFirstOrThrow()
  t.equal(await finalise(db, sessionId, user.id, draft_version, changeByTest(centre.id)), 'finalised')

  t.same(await strayTimestamps(db), [])
  const session = await db.selectFrom('certification_session').select(['created_at', 'updated_at', 'finalised_at']).executeTakeFirstOrThrow()
  t.ok(session.created_at <= session.updated_at && session.updated_at <= session.finalised_at!, 'timestamps compare as text')
})
