/**
 * What both benches (`bench/run.ts`: pages next to their floor; `bench/exam-day.ts`: the exam-day
 * load model) need to run servers as operators do: free ports, the app started with `npm start`'s
 * flags, throw-away PostgreSQL databases, and each process's memory and CPU read from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Bench scripts (floors, proxy) are never profiled: only the app server's time is of interest. */
const BENCH_SCRIPTS = new Set(['bench/floor.ts', 'bench/proxy.ts', 'bench/exam-day-floor.ts'])

/**
 * PostgreSQL: a database of the bench's own in the cluster of TEST_DATABASE_URL (the maintenance
 * database; scripts/with-postgres.sh sets it when it starts a throw-away cluster), dropped at the end.
 */
export async function createBenchDatabase(suffix = ''): Promise<string> {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
  await admin.connect()
  const name = `certisalle_bench_${process.pid}${suffix}`
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(process.env.TEST_DATABASE_URL!)
  url.pathname = `/${name}`
  return url.toString()
}

export async function dropBenchDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
  await admin.connect()
  await admin.query(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`)
  await admin.end()
}

export async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const { rows } = await client.query<{ server_version: string }>('show server_version')
  await client.end()
  return rows[0]!.server_version
}

export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

/** The node arguments of `npm start` (package.json), so the bench measures the server as operators run it. */
function startArguments(): string[] {
  // BENCH_APP_ROOT: that checkout's own `npm start` flags too (a change of flags is measured like a change of code).
  const start = (JSON.parse(readFileSync(path.join(process.env.BENCH_APP_ROOT ?? ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts
    .start
  const words = start.split(/\s+/).filter((word) => !/^[A-Z_]+=/.test(word))
  if (words[0] !== 'node') throw new Error(`npm start does not run node: ${start}`)
  return words.slice(1)
}

/**
 * The compiled app (`script` = 'npm start': `npm run bench` builds dist/ first) with `npm start`'s
 * flags, or a .ts script under tsx. `cpuProfileDir`: the app server writes a V8 CPU profile there
 * when it stops.
 */
export async function spawnServer(script: string, env: Record<string, string>, cpuProfileDir?: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort()
  const args = script === 'npm start' ? startArguments() : ['--import', 'tsx', script]
  if (cpuProfileDir && !BENCH_SCRIPTS.has(script)) args.unshift('--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfileDir)}`)
  // BENCH_APP_ROOT=<another checkout, built>: that checkout's app under this bench (before/after a change).
  const child = spawn(process.execPath, args, {
    cwd: script === 'npm start' && process.env.BENCH_APP_ROOT ? process.env.BENCH_APP_ROOT : ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', process.env.BENCH_SERVER_LOG ? 'inherit' : 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  await waitUntilAnswering(child, url, script)
  return { child, url }
}

async function waitUntilAnswering(child: ChildProcess, url: string, name: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited while starting`)
    try {
      await fetch(url)
      return
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`${name} did not start`)
}

/**
 * The round-robin proxy in front of several instances, on the same cores: haproxy (`mode http`,
 * `balance roundrobin`, keep-alive on both sides, one thread), as an académie would run it, when
 * `haproxy` is installed (Debian: `apt-get install haproxy`); else, or with BENCH_PROXY=node,
 * bench/proxy.ts, the same round robin in Node, which costs far more processor per request.
 */
export async function spawnProxy(backends: string[]): Promise<{ child: ChildProcess; url: string; name: 'haproxy' | 'bench/proxy.ts' }> {
  if (process.env.BENCH_PROXY === 'node' || !onPath('haproxy')) {
    const proxy = await spawnServer('bench/proxy.ts', { BACKENDS: backends.join(',') })
    return { ...proxy, name: 'bench/proxy.ts' }
  }
  const port = await freePort()
  const config = path.join(mkdtempSync(path.join(os.tmpdir(), 'certisalle-haproxy-')), 'haproxy.cfg')
  writeFileSync(
    config,
    [
      'global',
      '  nbthread 1',
      '  maxconn 8000',
      'defaults',
      '  mode http',
      '  option http-keep-alive',
      '  http-reuse always',
      '  timeout connect 5s',
      '  timeout client 120s',
      '  timeout server 120s',
      '  timeout http-keep-alive 60s',
      'frontend bench',
      `  bind 127.0.0.1:${port}`,
      '  default_backend instances',
      'backend instances',
      '  balance roundrobin',
      ...backends.map((backend, i) => `  server instance${i + 1} ${new URL(backend).host}`),
      '',
    ].join('\n'),
  )
  const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] })
  const url = `http://127.0.0.1:${port}`
  await waitUntilAnswering(child, url, 'haproxy')
  rmSync(path.dirname(config), { recursive: true })
  return { child, url, name: 'haproxy' }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(path.join(dir, command)))
}

/** Stops the children and waits until each has exited (a CPU profile is written on exit). */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const child of children) child.kill('SIGTERM')
  await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : null)))
}

/** VmHWM: peak resident memory so far; VmRSS: now. In MB, from /proc (Linux). */
export function rssMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS' = 'VmHWM'): number {
  try {
    return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024)
  } catch {
    return -1
  }
}

/**
 * How long a server stays without a request before its memory counts as "at rest": by then V8's
 * memory reducer (src/lib/memory-reducer.ts) has had at least two of its 8-second looks and given
 * back what start-up or a peak grew.
 */
export const QUIET_MS = 30_000

/**
 * The server's memory once it is idle: RSS 5 s after the start (what start-up left), then QUIET_MS
 * after it, without a request. `idle` is the figure held to the target; both are printed.
 */
export async function idleRssMb(pid: number | undefined): Promise<{ afterStart: number; idle: number }> {
  await new Promise((r) => setTimeout(r, 5000))
  const afterStart = rssMb(pid, 'VmRSS')
  await new Promise((r) => setTimeout(r, QUIET_MS - 5000))
  return { afterStart, idle: rssMb(pid, 'VmRSS') }
}

/** CPU time (user + system) the process has used so far, in seconds, from /proc/PID/stat (Linux). */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields 14 and 15 of stat(5) (utime, stime), counted from the state (field 3) here.
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return -1
  }
}

/** CPU seconds of every PostgreSQL process on this machine (the cluster's backends and workers), by pid. */
export function postgresCpu(): Map<number, number> {
  const seconds = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue
    } catch {
      continue
    }
    const cpu = cpuSeconds(Number(entry))
    if (cpu >= 0) seconds.set(Number(entry), cpu)
  }
  return seconds
}
