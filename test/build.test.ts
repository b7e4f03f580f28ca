import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { createSession } from './factories.ts'
import { candidateRow, participantsSheet } from './lib/ods.ts'
import { freePort, HttpClient, PROCESS_CENTRE, prepareDataDir, ROOT } from './lib/server-process.ts'

/**
 * Issue 13, item 7: `npm start` compiles to dist/ and runs plain JavaScript. This is also the smoke
 * test .ci/run runs on the oldest Node we support (boot, login, session list, .ods import).
 */
t.test('npm start builds, boots the compiled server, and serves a logged-in user', async (t) => {
  const env = await prepareDataDir(t, 'certisalle-build-')
  const session = await createSession(env.db, env.centreId, { room: 'Salle compilée' })
  const port = await freePort()
  // Its own process group, so that npm, its shell and node all stop together.
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, DATA_DIR: env.dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', COOKIE_SECRET: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let running = true
  void exited.then(() => (running = false))
  const stop = async () => {
    if (running) process.kill(-child.pid!, 'SIGTERM')
    await exited
  }
  t.teardown(stop)

  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 240_000 // the build comes first
  let up = false
  while (!up && running && Date.now() < deadline) {
    up = await fetch(`${baseUrl}/sante`).then(
      (r) => r.ok,
      () => false,
    )
    if (!up) await new Promise((r) => setTimeout(r, 250))
  }
  t.ok(up, `the server answers /sante\n${output}`)
  if (!up) return

  t.ok(existsSync(path.join(ROOT, 'dist/src/server.js')), 'compiled to dist/')
  t.ok(existsSync(path.join(ROOT, 'dist/migrations')), 'migrations compiled beside it')
  const command = serverCommandLine(child.pid!)
  t.match(command, /dist\/src\/server\.js/, 'npm start runs the compiled server')
  t.notMatch(command, /tsx/, 'with plain node, no tsx loader')

  const client = new HttpClient(baseUrl)
  await client.login(env.email)
  const list = await client.get('/sessions')
  t.equal(list.status, 200)
  t.match(list.text, /Salle compilée/, 'the session list, rendered from views/ found from dist/')
  const css = await fetch(`${baseUrl}/public/css/app.css`)
  t.equal(css.status, 200, 'public/ is served too')

  await client.get(`/sessions/${session.id}/candidats`)
  const form = new FormData()
  form.append('fichier', new Blob([new Uint8Array(participantsSheet([candidateRow(0), candidateRow(1)]))]), 'liste.ods')
  const imported = await client.postMultipart(`/sessions/${session.id}/candidats/import`, form)
  t.equal(imported.status, 303, 'the .ods import works')
  const count = await env.db
    .selectFrom('candidate')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', session.id)
    .executeTakeFirstOrThrow()
  t.equal(Number(count.n), 2, 'two candidates imported')

  // Issue 10, item 13: nobody else can read the data folder.
  const mode = (file: string) => statSync(path.join(env.dataDir, file)).mode & 0o777
  t.equal(mode('.'), 0o700, 'DATA_DIR 0700')
  t.equal(mode('uploads'), 0o700, 'uploads/ 0700')
  t.equal(mode('cookie-secret'), 0o600, 'cookie secret 0600')
  for (const file of ['certisalle.sqlite', 'certisalle.sqlite-wal', 'certisalle.sqlite-shm']) t.equal(mode(file), 0o600, `${file} 0600`)
  t.match(output, /certisalle\.sqlite était lisible par les autres comptes \(644\)/, 'the 0644 database an older version made was tightened, and said so')

  await stop()

  // The operator commands run from dist/ too: `npm run cli` builds first when dist/ is stale
  // (precli), then plain node runs the compiled CLI; tsx is a development tool only. The build was
  // just done by npm start: --ignore-scripts skips precli's check.
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
    dependencies: Record<string, string>
  }
  t.match(manifest.scripts.precli, /build-if-stale/, 'npm run cli builds first when dist/ is older than the sources')
  t.equal(manifest.scripts.cli, 'node dist/src/cli.js', 'then runs the compiled CLI with node')
  t.notOk('tsx' in manifest.dependencies, 'tsx is not a production dependency')
  const cli = spawnSync('npm', ['run', '--silent', '--ignore-scripts', 'cli', '--', 'list-centres'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: env.dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  })
  t.equal(cli.status, 0, `npm run cli -- list-centres exits 0\n${cli.stderr}`)
  t.match(cli.stdout, new RegExp(PROCESS_CENTRE), 'and lists the centre from the compiled CLI')
})

/** The command line of the process npm started (npm → sh → node) that runs dist/src/server.js. */
function serverCommandLine(pid: number): string {
  let pids = [pid]
  for (let depth = 0; depth < 4 && pids.length > 0; depth++) {
    const next: number[] = []
    for (const p of pids) {
      const command = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (/server\.js/.test(command)) return command
      for (const task of readdirSync(`/proc/${p}/task`)) {
        next.push(...readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number))
      }
    }
    pids = next
  }
  return ''
}

t.test('every module a SheetParser names is an entry point of the build, so the reader’s process finds it in dist/', async (t) => {
  const build = readFileSync(path.join(ROOT, 'scripts/build.mjs'), 'utf8')
  const declared: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(file)
      else if (file.endsWith('.ts'))
        for (const m of readFileSync(file, 'utf8').matchAll(/SheetParser<[^>]*>\s*=\s*\{\s*module:\s*'([^']+)'/g)) declared.push(m[1]!)
    }
  }
  walk(path.join(ROOT, 'src'))
  t.ok(declared.length >= 2, `parsers found: ${declared.join(', ')}`)
  for (const module of declared) {
    t.ok(existsSync(path.join(ROOT, `${module}.ts`)), `${module}.ts exists`)
    t.ok(build.includes(`'${module}.ts'`), `${module}.ts is an entry point of scripts/build.mjs`)
  }
  t.ok(build.includes(`'src/lib/spreadsheet/sheet-worker.ts'`), 'and the reader’s process itself')
})

t.test('the compiled server starts without the modules it never uses, and its sources stay one byte a character', async (t) => {
  // Issue 28, item 4 (scripts/build.mjs, DEFERRED_LOADS): `tls`, `http2` and undici weigh about
  // 10 MB of the idle server's memory; nothing in a plain HTTP server behind a proxy needs them.
  // The first test of this file built dist/.
  const env = await prepareDataDir(t, 'certisalle-build-')
  const port = await freePort()
  const report = "process.on('SIGUSR2',()=>process.stdout.write('MODULES '+JSON.stringify(process.moduleLoadList)+'\\n'))"
  const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(report)}`, 'dist/src/server.js'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: env.dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.teardown(async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  let up = false
  for (let i = 0; i < 400 && !up && child.exitCode === null; i++) {
    up = await fetch(`http://127.0.0.1:${port}/sante`).then(
      (r) => r.ok,
      () => false,
    )
    if (!up) await new Promise((r) => setTimeout(r, 100))
  }
  t.ok(up, 'the compiled server answers /sante')
  child.kill('SIGUSR2')
  const line = () => output.split('\n').find((l) => l.startsWith('MODULES '))
  while (!line() && child.exitCode === null) await new Promise((r) => setTimeout(r, 50))
  const loaded = JSON.parse(line()!.slice('MODULES '.length)) as string[]
  t.ok(loaded.includes('NativeModule http'), 'the list is the one of a running HTTP server')
  for (const name of ['tls', 'https', 'http2', 'internal/deps/undici/undici'])
    t.notOk(loaded.includes(`NativeModule ${name}`), `${name} is not loaded at start`)

  const wide: string[] = []
  for (const file of readdirSync(path.join(ROOT, 'dist'), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js')) continue
    if (/[^\x00-\xff]/.test(readFileSync(path.join(ROOT, 'dist', file), 'utf8'))) wide.push(file)
  }
  t.same(wide, [], 'no compiled file holds a character beyond Latin-1')
})
