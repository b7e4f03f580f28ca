import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'

const root = path.resolve(import.meta.dirname, '..')

t.test('the process prints the one-time setup link, serves, and shuts down cleanly on SIGTERM', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-server-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))

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
