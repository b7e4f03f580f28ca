import { spawn } from 'node:child_process'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import t from 'tap'
import { createCandidate, createSession } from '../factories.ts'
import { cli } from '../lib/cli.ts'
import { prepareDataDir } from '../lib/server-process.ts'
import { childEnv, RUN_TYPESCRIPT } from '../lib/typescript.ts'

const root = path.resolve(import.meta.dirname, '../..')
const SESSIONS = 40
const CANDIDATES = 150
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Each session after the crash: erased as a whole (candidates, marker, history) or untouched; never half. */
function sessionStates(databaseFile: string, sessionIds: number[]) {
  const sqlite = new SQLite(databaseFile, { readonly: true })
  try {
    const integrity = sqlite.pragma('integrity_check', { simple: true })
    const states = sessionIds.map((id) => {
      const session = sqlite.prepare('select personal_data_erased_at, observations from certification_session where id = ?').get(id) as {
        personal_data_erased_at: string | null
        observations: string | null
      }
      const { erased } = sqlite
        .prepare("select count(*) as erased from candidate where session_id = ? and erased_at is not null and last_name = ''")
        .get(id) as {
        erased: number
      }
      const { named } = sqlite.prepare("select count(*) as named from candidate where session_id = ? and erased_at is null and last_name <> ''").get(id) as {
        named: number
      }
      const { purged } = sqlite.prepare("select count(*) as purged from history where session_id = ? and action = 'personal_data_purged'").get(id) as {
        purged: number
      }
      const { subjects } = sqlite
        .prepare("select count(*) as subjects from history where session_id = ? and subject is not null and action = 'candidate_added'")
        .get(id) as {
        subjects: number
      }
      if (session.personal_data_erased_at && erased === CANDIDATES && named === 0 && purged === 1 && subjects === 0 && session.observations === null)
        return 'purged'
      if (!session.personal_data_erased_at && erased === 0 && named === CANDIDATES && purged === 0 && subjects === 1 && session.observations !== null)
        return 'untouched'
      return `MIXED (${JSON.stringify({ session, erased, named, purged, subjects })})`
    })
    return { integrity, states }
  } finally {
    sqlite.close()
  }
}

// Issue 26, item 6: kill -9 during a purge; each session is purged or untouched, the database sound,
// and the next run finishes the work (idempotent).
t.test('SIGKILL during the retention purge (CLI purge)', async (t) => {
  const env = await prepareDataDir(t, 'certisalle-crash-purge-')
  const finalisedAt = new Date(Date.now() - 400 * 24 * 3600 * 1000).toISOString()
  const ids: number[] = []
  for (let s = 0; s < SESSIONS; s++) {
    const session = await createSession(env.db, env.centreId, { observations: `Session ${s} : Julie Dupont en retard` })
    for (let i = 0; i < CANDIDATES; i++) await createCandidate(env.db, session.id, { last_name: `Nom${s}x${i}` })
    await env.db
      .insertInto('history')
      .values({
        centre_id: env.centreId,
        session_id: session.id,
        actor_kind: 'user',
        actor_user_id: null,
        actor_name: 'Paul Martin',
        action: 'candidate_added',
        subject: 'Julie Dupont',
        count: null,
        created_at: finalisedAt,
      })
      .execute()
    await env.db.updateTable('certification_session').set({ finalised_at: finalisedAt }).where('id', '=', session.id).execute()
    ids.push(session.id)
  }
  await env.db.destroy()
  env.sqlite.close()

  const dry = await cli(env.dataDir, 'purge', '--dry-run')
  t.equal(dry.code, 0, dry.stderr)
  t.match(dry.stdout, new RegExp(`Simulation, rien n'est effacé\\.\\nSessions à effacer : ${SESSIONS}`))
  t.same(
    sessionStates(env.databaseFile, ids).states,
    ids.map(() => 'untouched'),
    'the dry run erased nothing',
  )

  const reader = new SQLite(env.databaseFile, { readonly: true })
  t.teardown(() => reader.close())
  const count = reader.prepare("select count(*) as n from history where action = 'personal_data_purged'")
  const purgedCount = () => (count.get() as { n: number }).n
  // Killed as soon as one more session is purged: the moment comes from the database, not from a delay.
  for (const round of [1, 2]) {
    const before = purgedCount()
    const child = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', 'purge'], {
      cwd: root,
      env: { ...childEnv(), DATA_DIR: env.dataDir },
      stdio: 'ignore',
    })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    while (purgedCount() <= before && child.exitCode === null) await sleep(1)
    child.kill('SIGKILL')
    await exited
    const { integrity, states } = sessionStates(env.databaseFile, ids)
    t.equal(integrity, 'ok', `kill ${round}: PRAGMA integrity_check = ok`)
    const mixed = states.filter((s) => s !== 'purged' && s !== 'untouched')
    t.same(mixed, [], `kill ${round}: every session purged or untouched`)
    t.comment(`kill ${round}: ${states.filter((s) => s === 'purged').length} purged, ${states.filter((s) => s === 'untouched').length} untouched`)
  }

  const rest = await cli(env.dataDir, 'purge')
  t.equal(rest.code, 0, rest.stderr)
  t.match(rest.stdout, /Durée de conservation : 12 mois\.\nSessions effacées : \d+/)
  t.same(
    sessionStates(env.databaseFile, ids).states,
    ids.map(() => 'purged'),
    'the next run purges the rest',
  )
  t.equal(purgedCount(), SESSIONS, 'each session recorded once')
  const again = await cli(env.dataDir, 'purge')
  t.match(again.stdout, /Sessions effacées : 0/, 'then nothing is left to do')
})
