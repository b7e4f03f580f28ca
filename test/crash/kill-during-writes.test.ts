import { existsSync, statSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import t from 'tap'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { parseForms, fillForm } from '../lib/html-form.ts'
import { candidateRow, participantsSheet } from '../lib/ods.ts'
import { buildWithRoutes } from '../lib/routes.ts'
import { HttpClient, prepareDataDir, startServer } from '../lib/server-process.ts'

const IMPORT = '/sessions/:sessionId/candidats/import'
const DOWNLOAD = '/sessions/:sessionId/candidats/feuille-emargement.ods'
const FINALISATION = '/sessions/:sessionId/finalisation'
const CONFIRMATION = '/sessions/:sessionId/finalisation/confirmation'
const ROWS = 2000
/**
 * Fractions of a full import's duration at which the server is killed: most of the time goes to the
 * upload and the parsing, the write happens at the end, so the kills crowd around the end.
 */
const MOMENTS = [0.3, 0.85, 1, 1.3]

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Opens the database after the crash, as the restarted server would, and checks it. */
function inspect(databaseFile: string) {
  const sqlite = new SQLite(databaseFile)
  try {
    const integrity = sqlite.pragma('integrity_check', { simple: true })
    return { integrity, sqlite }
  } catch (err) {
    sqlite.close()
    throw err
  }
}

// Issue 7, item 11: SIGKILL in the middle of a large import; after restart the database is sound
// and the session holds the old list or the new one, never a mix.
t.test('SIGKILL during a 2,000-row import', async (t) => {
  const { routes } = await buildWithRoutes(t)
  const missing = [
    ['POST', IMPORT],
    ['GET', DOWNLOAD],
  ].filter(([m, u]) => !routes.some((r) => r.method === m && r.url === u))
  if (missing.length) {
    t.fail(`import route not registered yet: ${missing.map((x) => x.join(' ')).join(', ')}`)
    return
  }
  const env = await prepareDataDir(t, 'certisalle-crash-')
  const session = await createSession(env.db, env.centreId)
  for (let i = 0; i < 200; i++) await createCandidate(env.db, session.id, { last_name: `Ancien${i}`, birthdate: `19${50 + (i % 40)}-01-0${(i % 9) + 1}` })
  await env.db.destroy()

  const names = (db: SQLite.Database) =>
    (db.prepare('select last_name from candidate where session_id = ? order by last_name').all(session.id) as Array<{ last_name: string }>)
      .map((r) => r.last_name)
      .join('\n')
  let server = await startServer(t, env.dataDir)
  let client = new HttpClient(server.baseUrl)
  await client.login(env.email)
  const template = (await client.download(`/sessions/${session.id}/candidats/feuille-emargement.ods`)).body
  const files = [0, 1].map((k) =>
    participantsSheet(
      Array.from({ length: ROWS }, (_, i) => candidateRow(i + k * 10_000)),
      template,
    ),
  )
  const url = IMPORT.replace(':sessionId', String(session.id))
  // As a browser does: the import form is posted from the Candidats tab, which carries the list's version.
  const post = async (file: Buffer) => {
    await client.get(`/sessions/${session.id}/candidats`)
    const form = new FormData()
    form.append('_csrf', client.csrf)
    form.append('fichier', new Blob([new Uint8Array(file)]), 'liste.ods')
    return client.postMultipart(url, form)
  }

  // One full import first: its duration places the kills, and its result is the "new" list of file 0.
  const started = Date.now()
  const first = await post(files[0]!)
  const duration = Date.now() - started
  t.equal(first.status, 303, `a ${ROWS}-row file made from the app's download imports (${duration} ms)`)
  const check = inspect(env.databaseFile)
  const expected = [names(check.sqlite)]
  check.sqlite.close()
  t.equal(expected[0]!.split('\n').length, ROWS, `${ROWS} candidates after the import`)

  let current = expected[0]!
  const outcomes: string[] = []
  // Timed kills, then kills the moment the write-ahead log starts growing (in the middle of the commit itself).
  const rounds: Array<number | { walGrowth: number }> = [...MOMENTS, { walGrowth: 0 }, { walGrowth: 64 * 1024 }]
  for (const [round, moment] of rounds.entries()) {
    const file = files[(round + 1) % 2]!
    const wal = `${env.databaseFile}-wal`
    const walSize = () => (existsSync(wal) ? statSync(wal).size : 0)
    const base = walSize()
    const pending = post(file).catch(() => null)
    if (typeof moment === 'number') await sleep(Math.round(duration * moment))
    else {
      const deadline = Date.now() + 10 * duration
      while (walSize() <= base + moment.walGrowth && Date.now() < deadline) await sleep(1)
    }
    await server.kill('SIGKILL')
    await pending
    const label = typeof moment === 'number' ? `${Math.round(moment * 100)} %` : `WAL +${moment.walGrowth} B`
    const { integrity, sqlite } = inspect(env.databaseFile)
    t.equal(integrity, 'ok', `kill at ${label} of an import: PRAGMA integrity_check = ok`)
    const now = names(sqlite)
    sqlite.close()
    const fileNames = (round + 1) % 2 === 0 ? expected[0] : undefined
    const isOld = now === current
    const isNew = now.split('\n').length === ROWS && now !== current && (fileNames === undefined || now === fileNames)
    t.ok(
      isOld || isNew,
      `kill at ${label}: the session holds the old list or the new one (${now.split('\n').length} candidates, ${isOld ? 'old' : isNew ? 'new' : 'MIXED'})`,
    )
    outcomes.push(`${label}: ${isOld ? 'old' : isNew ? 'new' : 'MIXED'}`)
    if (isNew && (round + 1) % 2 === 1) expected[1] = now
    current = now
    server = await startServer(t, env.dataDir)
    client = new HttpClient(server.baseUrl)
    await client.login(env.email)
    t.equal((await client.get(`/sessions/${session.id}/candidats`)).status, 200, 'the restarted server shows the session')
  }
  t.comment(`outcomes of the kills: ${outcomes.join(', ')}`)
})

// The same for finalisation: the step-1 save (200 end-screen boxes) and the final "Finaliser".
t.test('SIGKILL during finalisation', async (t) => {
  const { routes } = await buildWithRoutes(t)
  const missing = [
    ['POST', FINALISATION],
    ['POST', CONFIRMATION],
  ].filter(([m, u]) => !routes.some((r) => r.method === m && r.url === u))
  if (missing.length) {
    t.fail(`finalisation routes not registered yet: ${missing.map((x) => x.join(' ')).join(', ')}`)
    return
  }
  const env = await prepareDataDir(t, 'certisalle-crash-')
  const moments = [0, 2, 5, 20]
  // One session for the saves, one per kill of "Finaliser" (a finalised session cannot be finalised again).
  const sessions: number[] = []
  for (let s = 0; s <= moments.length; s++) {
    const session = await createSession(env.db, env.centreId)
    for (let i = 0; i < 200; i++)
      await joinCandidate(env.db, await createCandidate(env.db, session.id, { last_name: `Cand${s}x${i}`, birthdate: `19${50 + (i % 40)}-02-0${(i % 9) + 1}` }))
    sessions.push(session.id)
  }
  await env.db.destroy()
  const state = (db: SQLite.Database, sessionId: number) => {
    const flags = db.prepare('select has_seen_end_screen as f from candidate where session_id = ?').all(sessionId) as Array<{ f: number }>
    const row = db.prepare('select finalised_at from certification_session where id = ?').get(sessionId) as { finalised_at: string | null }
    return { ticked: flags.filter((r) => r.f).length, total: flags.length, finalised: row.finalised_at !== null }
  }
  const outcomes: string[] = []

  const killDuring = async (step: string, sessionId: number, path: string, moment: number, options: Parameters<typeof fillForm>[1]) => {
    const url = path.replace(':sessionId', String(sessionId))
    const server = await startServer(t, env.dataDir)
    const client = new HttpClient(server.baseUrl)
    await client.login(env.email)
    const page = await client.get(url)
    const form = parseForms(page.text).find((f) => f.method === 'POST' && (f.action === url || f.action === '') && f.fields.length > 0)
    if (!form) {
      t.fail(`${step}: no form posting to ${url} on GET ${url} (status ${page.status})`)
      await server.kill('SIGKILL')
      return null
    }
    const before = inspect(env.databaseFile)
    const old = state(before.sqlite, sessionId)
    before.sqlite.close()
    const pending = client.request('POST', url, fillForm(form, options).toString(), { 'content-type': 'application/x-www-form-urlencoded' }).catch(() => null)
    await sleep(moment)
    await server.kill('SIGKILL')
    await pending
    const { integrity, sqlite } = inspect(env.databaseFile)
    t.equal(integrity, 'ok', `${step}, killed after ${moment} ms: integrity_check = ok`)
    const now = state(sqlite, sessionId)
    sqlite.close()
    return { old, now }
  }

  for (const [round, moment] of moments.entries()) {
    const tick = round % 2 === 0 ? 'all' : 'none'
    const result = await killDuring(`save with every box ${tick === 'all' ? 'ticked' : 'unticked'}`, sessions[0]!, FINALISATION, moment, {
      checkboxes: tick,
      button: /sauvegarder|enregistrer/i,
    })
    if (!result) break
    const wanted = tick === 'all' ? result.now.total : 0
    const isOld = result.now.ticked === result.old.ticked
    const isNew = result.now.ticked === wanted
    outcomes.push(`save ${moment} ms: ${isOld && isNew ? 'same' : isOld ? 'old' : isNew ? 'new' : 'MIXED'}`)
    t.ok(isOld || isNew, `save killed after ${moment} ms: the end-screen boxes are the old ones or the new ones (${result.now.ticked}/${result.now.total})`)
  }
  for (const [round, moment] of moments.entries()) {
    const sessionId = sessions[round + 1]!
    const result = await killDuring('finalise', sessionId, CONFIRMATION, moment, { checkboxes: 'as-is', button: /finaliser|valider|confirmer/i })
    if (!result) break
    outcomes.push(`finalise ${moment} ms: ${result.now.finalised ? 'new' : 'old'}`)
    t.same(
      { ticked: result.now.ticked, total: result.now.total },
      { ticked: result.old.ticked, total: result.old.total },
      `finalise killed after ${moment} ms: the candidates are untouched (${result.now.finalised ? 'finalised' : 'not finalised'})`,
    )
  }
  t.comment(`outcomes of the kills: ${outcomes.join(', ')}`)
})
