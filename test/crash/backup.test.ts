import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import t from 'tap'
import { createCandidate, createSession } from '../factories.ts'
import { HttpClient, prepareDataDir, ROOT, startServer } from '../lib/server-process.ts'
import { childEnv, RUN_TYPESCRIPT } from '../lib/typescript.ts'

/**
 * The documented command (`npm run cli -- backup`), asynchronously so that writes go on meanwhile.
 * It runs src/cli.ts as the other CLI tests do: `npm run cli` would first build dist/, which another
 * test file may be running a server from at the same moment (test/build.test.ts checks the script).
 */
function cli(dataDir: string, ...args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...childEnv(), DATA_DIR: dataDir, COOKIE_SECRET: 'x'.repeat(32) },
      timeout: 60_000,
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', (status) => resolve({ status, out }))
  })
}

// Issue 7, item 12: `npm run cli -- backup --to <file>` copies the live database; restoring it is copying it back (docs/operations.md).
t.test('backup of the live database, then the restore drill of docs/operations.md', async (t) => {
  const env = await prepareDataDir(t, 'certisalle-backup-')
  const session = await createSession(env.db, env.centreId, { room: 'Salle avant sauvegarde' })
  for (let i = 0; i < 50; i++) await createCandidate(env.db, session.id, { last_name: `Sauve${i}` })
  const server = await startServer(t, env.dataDir)
  const client = new HttpClient(server.baseUrl)
  await client.login(env.email)

  // Writes keep going while the backup runs: the copy is still consistent.
  let writing = true
  const writer = (async () => {
    let i = 0
    while (writing) {
      await createCandidate(env.db, session.id, { last_name: `Pendant${i++}` })
      await new Promise((r) => setTimeout(r, 2))
    }
    return i
  })()
  const file = path.join(env.dataDir, 'sauvegarde.sqlite')
  const result = await cli(env.dataDir, 'backup', '--to', file)
  writing = false
  const written = await writer
  t.equal(result.status, 0, `backup exits 0 (${result.out.trim()})`)
  t.ok(written > 0, `${written} rows were written while the backup ran`)
  t.match(result.out, /Sauvegarde écrite/, 'says where it wrote')
  const copy = new SQLite(file, { readonly: true })
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok', 'the copy passes integrity_check')
  const count = (copy.prepare("select count(*) as n from candidate where last_name like 'Sauve%'").get() as { n: number }).n
  t.equal(count, 50, 'the copy holds the data written before it')
  copy.close()

  const again = await cli(env.dataDir, 'backup', '--to', file)
  t.not(again.status, 0, 'an existing file is never overwritten')
  t.match(again.out, /existe déjà/, 'and the operator is told why')

  // Restore: stop the server, put the copy in place of the database (and drop the old WAL files), start again.
  await server.kill('SIGTERM')
  await env.db.destroy()
  for (const suffix of ['', '-wal', '-shm']) rmSync(env.databaseFile + suffix, { force: true })
  copyFileSync(file, env.databaseFile)
  const restarted = await startServer(t, env.dataDir)
  const after = new HttpClient(restarted.baseUrl)
  await after.login(env.email)
  const restored = new SQLite(env.databaseFile, { readonly: true })
  t.equal(
    (restored.prepare('select room from certification_session where id = ?').get(session.id) as { room: string }).room,
    'Salle avant sauvegarde',
    'the restored server serves the saved data',
  )
  restored.close()
  t.ok(existsSync(file), 'the backup file is left in place')
})
