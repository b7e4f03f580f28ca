import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { toTimestamp } from '../src/lib/timestamps.ts'
import { prepareDataDir, startServer } from './lib/server-process.ts'
import { childEnv, RUN_TYPESCRIPT } from './lib/typescript.ts'

const root = path.resolve(import.meta.dirname, '..')

t.test('the process prints the one-time setup link, serves, and shuts down cleanly on SIGTERM', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-server-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/server.ts'], {
    cwd: root,
    env: { ...childEnv(), DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  // 'close', not 'exit': the last lines of its output may still be on their way at 'exit'.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))

  const deadline = Date.now() + 30_000
  while (!/Server listening at (http:\/\/[\d.:]+)/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  const url = /Server listening at (http:\/\/[\d.:]+)/.exec(output)?.[1]
  t.ok(url, 'listening')
  t.match(output, /\/installation\?jeton=[a-z2-7]{32}/, 'setup link printed on an empty database')

  const health = await fetch(`${url}/sante`)
  t.equal(health.status, 200)
  const home = await fetch(`${url}/`, { redirect: 'manual' })
  t.equal(home.status, 303)
  t.equal(home.headers.get('location'), '/connexion')

  await fetch(`${url}/mot-de-passe/nouveau?jeton=jetonsecretdutest`)
  child.kill('SIGTERM')
  t.equal(await exited, 0, 'exit code 0 after SIGTERM')
  t.match(output, /SIGTERM reçu/)
  t.match(output, /"url":"\/mot-de-passe\/nouveau"/, 'requests are logged')
  t.notMatch(output, /jetonsecretdutest/, 'without their query string (one-time tokens)')
  await t.rejects(fetch(`${url}/sante`), 'no longer listening')
})

// Issue 13, item 4: a wrong setting stops the process with one line, before anything is created.
t.test('a bad setting stops the server with one line naming it', async (t) => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'certisalle-server-')), 'data')
  t.teardown(() => rmSync(path.dirname(dataDir), { recursive: true, force: true }))
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/server.ts'], {
    cwd: root,
    env: { ...childEnv(), DATA_DIR: dataDir, PORT: '', RATE_LIMIT_MAX: 'dix' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
  t.equal(code, 1)
  t.same(stderr.trim().split('\n'), [
    'Réglage invalide : PORT="" — attendu : un entier de 0 à 65535',
    'Réglage invalide : RATE_LIMIT_MAX="dix" — attendu : un nombre d’essais entier, au moins 1',
  ])
  t.notOk(existsSync(dataDir), 'DATA_DIR was not created')
})

// Issue 13, item 15: expired web sessions and dead links are purged at start (and daily).
t.test('the server purges expired sessions and dead links at start', async (t) => {
  const env = await prepareDataDir(t, 'certisalle-purge-')
  const now = Date.now()
  await env.db
    .insertInto('user_session')
    .values([
      { id: 'expired-session', user_id: env.userId, centre_id: null, expires_at: toTimestamp(now - 1000) },
      { id: 'live-session', user_id: env.userId, centre_id: null, expires_at: toTimestamp(now + 3_600_000) },
    ])
    .execute()
  await env.db
    .insertInto('password_reset')
    .values({ id: 'expired-reset', user_id: env.userId, expires_at: toTimestamp(now - 1000), used_at: null })
    .execute()
  const server = await startServer(t, env.dataDir)
  const sessions = await env.db.selectFrom('user_session').select('id').execute()
  t.same(
    sessions.map((s) => s.id),
    ['live-session'],
  )
  t.same(await env.db.selectFrom('password_reset').select('id').execute(), [])
  await server.kill()
})
