import { existsSync, statSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import t from 'tap'
import { templateTitles } from '../../src/features/batch-import/columns.ts'
import { createCandidate, createSession } from '../factories.ts'
import { HttpClient, prepareDataDir, startServer } from '../lib/server-process.ts'

const BASE = '/sessions/import-multiple'
const NEW_SESSIONS = 199
const PER_SESSION = 25
/** Fractions of a full confirmation's duration at which the server is killed. */
const MOMENTS = [0.2, 0.6, 1, 1.5, 3]

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Names hold letters only: 0 → 'a', 27 → 'bb'. */
const letters = (n: number): string => (n < 26 ? String.fromCharCode(97 + n) : letters(Math.floor(n / 26) - 1) + String.fromCharCode(97 + (n % 26)))

/** Round k's file: 199 new sessions of 25 candidates, and the existing session's list replaced by 25 others (5,000 candidates). */
function fileFor(k: number, existingId: number): Buffer {
  const lines = [
    templateTitles()
      .map((h) => `"${h}"`)
      .join(';'),
  ]
  const candidate = (name: string, j: number) => `${name};Julie;${String((j % 28) + 1).padStart(2, '0')}/03/1996;Le Havre;76;France;;;`
  for (let i = 0; i < NEW_SESSIONS; i++) {
    for (let j = 0; j < PER_SESSION; j++) lines.push(`;Lycée R${k}-${i};Salle 1;15/06/2030;09:00;Eric Martin;;${candidate(`Nom${letters(j)}`, j)}`)
  }
  for (let j = 0; j < PER_SESSION; j++) lines.push(`${existingId};;;;;;;${candidate(`Remplace${letters(k)}x${letters(j)}`, j)}`)
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8')
}

t.test('SIGKILL during "Créer/éditer les sessions": after restart, everything or nothing', async (t) => {
  const env = await prepareDataDir(t, 'certisalle-batch-crash-')
  const existing = await createSession(env.db, env.centreId, { date: '2030-07-01' })
  for (let j = 0; j < 50; j++) await createCandidate(env.db, existing.id, { last_name: `Ancien${j}` })
  await env.db.destroy()

  let server = await startServer(t, env.dataDir)
  let client = new HttpClient(server.baseUrl)
  await client.login(env.email)
  /** Uploads round k's file; returns the recap's URL. */
  const plan = async (k: number) => {
    await client.get(BASE)
    const form = new FormData()
    form.append('_csrf', client.csrf)
    form.append('fichier', new Blob([new Uint8Array(fileFor(k, existing.id))]), 'sessions.csv')
    const response = await client.postMultipart(`${BASE}/import`, form)
    if (response.status !== 303) throw new Error(`upload refused: ${response.status}`)
    const url = response.headers.get('location')!
    await client.get(url) // the recap, and its CSRF token
    return url
  }
  const state = (k: number) => {
    const sqlite = new SQLite(env.databaseFile)
    try {
      const integrity = sqlite.pragma('integrity_check', { simple: true })
      const sessions = (sqlite.prepare('select count(*) as n from certification_session where site_name like ?').get(`Lycée R${k}-%`) as { n: number }).n
      const candidates = (
        sqlite
          .prepare('select count(*) as n from candidate join certification_session s on s.id = candidate.session_id where s.site_name like ?')
          .get(`Lycée R${k}-%`) as { n: number }
      ).n
      const replaced = (
        sqlite.prepare('select last_name from candidate where session_id = ? order by id').all(existing.id) as Array<{ last_name: string }>
      ).map((r) => r.last_name)
      const used = (sqlite.prepare('select count(*) as n from batch_plan where used_at is not null').get() as { n: number }).n
      return { integrity, sessions, candidates, replaced, used }
    } finally {
      sqlite.close()
    }
  }

  // One full confirmation first: its duration places the kills.
  const url0 = await plan(0)
  const started = Date.now()
  const done = await client.post(`${url0}/confirmation`)
  const duration = Date.now() - started
  t.equal(done.status, 303, `a 5,000-candidate confirmation (${duration} ms)`)
  let expected = state(0)
  t.equal(expected.sessions, NEW_SESSIONS)
  t.equal(expected.candidates, NEW_SESSIONS * PER_SESSION)
  t.equal(expected.replaced[0], 'Remplaceaxa')

  const rounds: Array<number | { walGrowth: number }> = [...MOMENTS, { walGrowth: 0 }, { walGrowth: 256 * 1024 }]
  const outcomes: string[] = []
  for (const [index, moment] of rounds.entries()) {
    const k = index + 1
    const url = await plan(k)
    const wal = `${env.databaseFile}-wal`
    const walSize = () => (existsSync(wal) ? statSync(wal).size : 0)
    const base = walSize()
    const pending = client.post(`${url}/confirmation`).catch(() => null)
    if (typeof moment === 'number') await sleep(Math.round(duration * moment))
    else {
      const deadline = Date.now() + 10 * duration
      while (walSize() <= base + moment.walGrowth && Date.now() < deadline) await sleep(1)
    }
    await server.kill('SIGKILL')
    await pending
    const label = typeof moment === 'number' ? `${Math.round(moment * 100)} %` : `WAL +${moment.walGrowth} B`
    const now = state(k)
    t.equal(now.integrity, 'ok', `kill at ${label}: PRAGMA integrity_check = ok`)
    const nothing = now.sessions === 0 && now.candidates === 0 && now.used === expected.used && now.replaced.join() === expected.replaced.join()
    const everything =
      now.sessions === NEW_SESSIONS &&
      now.candidates === NEW_SESSIONS * PER_SESSION &&
      now.used === expected.used + 1 &&
      now.replaced[0] === `Remplace${letters(k)}xa` &&
      now.replaced.length === PER_SESSION
    t.ok(nothing || everything, `kill at ${label}: nothing or everything (${now.sessions} sessions, ${now.candidates} candidates, list of ${now.replaced[0]}…)`)
    outcomes.push(`${label}: ${nothing ? 'nothing' : everything ? 'everything' : 'MIXED'}`)
    expected = now
    server = await startServer(t, env.dataDir)
    client = new HttpClient(server.baseUrl)
    await client.login(env.email)
    t.equal((await client.get('/sessions')).status, 200, 'the restarted server shows the list')
  }
  t.comment(`outcomes of the kills: ${outcomes.join(', ')}`)
  // The restarted server confirms a plan normally (the rounds' requests were not refused for another reason).
  const last = await plan(rounds.length + 1)
  t.equal((await client.post(`${last}/confirmation`)).status, 303, 'a confirmation after the crashes goes through')
  t.equal(state(rounds.length + 1).sessions, NEW_SESSIONS)
})
