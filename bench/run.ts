/**
 * `npm run bench -- --exam-day [--quick] [--json] [--rooms R] [--only sqlite|postgres_1|postgres_2]
 * [--compression F] [--window M] [--from R] [--no-floor | --floor-only] [--cpu-prof DIR]`: the exam-day load model instead (bench/exam-day.ts).
 * `npm run bench -- --exam-day --costs [--rooms R] [--quick]`: the server's CPU per request for the model's most frequent kinds, each alone.
 *
 * `npm run bench [-- --quick] [-- --json] [-- --source] [-- --db postgres] [-- --instances N]`
 * (--source: src/server.ts under tsx instead of the build): the app in production mode on a seeded
 * temporary database, next to a bare Fastify server, both driven by autocannon (20 connections) from
 * this process. Each page is measured next to its floor (bench/floor.ts) in the same run.
 * --db postgres: the same on PostgreSQL, in a throw-away cluster started like CI does
 * (scripts/with-postgres.sh). --instances N: the pages are also measured through a round-robin proxy
 * (haproxy when installed, else bench/proxy.ts: spawnProxy) in front of one instance, then of N
 * instances on the same database.
 * Not part of `npm test` (no timings in tests).
 */
import { type ChildProcess, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { type DatabaseTarget, openDatabase } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { acceptCgu, addUserToCentre } from '../src/features/accounts/accounts.service.ts'
import { insertCentre } from '../src/features/centres/centres.repository.ts'
import {
  createBenchDatabase,
  dropBenchDatabase,
  idleRssMb,
  postgresVersion,
  QUIET_MS,
  ROOT,
  rssMb,
  spawnProxy,
  spawnServer as spawnWithProfile,
  stopAll,
} from './processes.ts'

const argv = process.argv.slice(2)
const args = new Set(argv)
/** The value after a flag (`--db postgres`), or undefined. */
const argValue = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined)
const dbKind = argValue('--db') ?? 'sqlite'
if (dbKind !== 'sqlite' && dbKind !== 'postgres') throw new Error(`--db ${dbKind}: sqlite or postgres`)
const instances = Number(argValue('--instances') ?? 1)
if (!Number.isInteger(instances) || instances < 1 || instances > 8) throw new Error('--instances: an integer from 1 to 8')
const quick = args.has('--quick')
const json = args.has('--json')
/** `--page candidates_tab`: that page (and its floor) only, to profile or compare one change quickly. */
const onlyPage = argValue('--page')
/** `--cpu-prof DIR`: the app server writes a V8 CPU profile there when the bench stops it (open it in Chrome's DevTools). */
const cpuProfileDir = argValue('--cpu-prof')
const DURATION_S = quick ? 3 : 10
const CONNECTIONS = 20
const EMAIL = 'bench@example.org'
const EMAIL_LARGE = 'bench.large@example.org'
const LARGE_SESSIONS = 20_000
const PASSWORD = 'Bench-password-1234'
// Everything goes to stdout in order, so that with --json the figures are the very last line.
const log = (line = '') => process.stdout.write(`${line}\n`)

type PageName = 'login' | 'session_list' | 'session_list_20000' | 'session_details' | 'candidates_tab' | 'attendance_sheet' | 'invigilator_list'
interface Load {
  rps: number
  p50_ms: number
  p99_ms: number
  errors: number
}
interface PageFigures extends Load {
  ratio_to_bare: number
  floor: Load
  /** How many times the page costs its floor (floor req/s ÷ page req/s): 1 is the floor itself. */
  times_floor: number
}

/** A centre, 200 sessions, and one session with 200 candidates; another centre with 20,000 sessions. */
async function seed(target: DatabaseTarget): Promise<{ bigSessionId: number; exportSessionId: number; importSessionId: number; largeCentreId: number }> {
  const { db } = openDatabase(target)
  await migrateToLatest(db)
  await insertCentre(db, 'Centre Bench')
  const result = await addUserToCentre(db, { email: EMAIL, password: PASSWORD, firstName: 'Bea', lastName: 'Nch' }, 'Centre Bench', 'admin')
  if ('error' in result) throw new Error('seed: user')
  await acceptCgu(db, result.userId)
  const letters = 'BCDFGHJKMPQRTVWXY'
  const code = (n: number) =>
    `${letters[Math.floor(n / 289) % 17]}${letters[Math.floor(n / 17) % 17]}${letters[n % 17]}B${'2346789'[n % 7]}${'2346789'[Math.floor(n / 7) % 7]}`
  let bigSessionId = 0
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < 200; i++) {
      const row = await trx
        .insertInto('certification_session')
        .values({
          centre_id: result.centreId,
          site_name: `Lycée ${i}`,
          room: `Salle ${i % 30}`,
          date: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
          start_time: '10:00',
          invigilators: 'Eric Martin',
          observations: null,
          access_code: code(i),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (i === 0) bigSessionId = row.id
    }
    for (let i = 0; i < 200; i++) {
      await trx
        .insertInto('candidate')
        .values({
          session_id: bigSessionId,
          last_name: `Nom${i}`,
          first_name: `Prénom${i}`,
          birthdate: `19${60 + (i % 40)}-0${(i % 9) + 1}-1${i % 10}`,
          birth_city: 'Le Havre',
          birth_department_code: '76',
          birth_country: 'France',
          email: `c${i}@example.org`,
          external_id: `EXT${i}`,
          extra_time_percentage: i % 10 === 0 ? 33 : null,
        })
        .execute()
    }
  })
  // For the .ods figures: a session of 2,000 candidates to download, an empty one to import into.
  let exportSessionId = 0
  let importSessionId = 0
  await db.transaction().execute(async (trx) => {
    const values = (n: number) => ({
      centre_id: result.centreId,
      site_name: 'Lycée Bench',
      room: 'Gymnase',
      date: '2026-06-15',
      start_time: '08:00',
      invigilators: 'Eric Martin',
      observations: null,
      access_code: code(1000 + n),
    })
    exportSessionId = (await trx.insertInto('certification_session').values(values(1)).returning('id').executeTakeFirstOrThrow()).id
    importSessionId = (await trx.insertInto('certification_session').values(values(2)).returning('id').executeTakeFirstOrThrow()).id
    for (let i = 0; i < 2000; i++) {
      await trx
        .insertInto('candidate')
        .values({
          session_id: exportSessionId,
          last_name: `Export${i}`,
          first_name: `Prénom${i}`,
          birthdate: `19${60 + (i % 40)}-0${(i % 9) + 1}-1${i % 10}`,
          birth_city: 'Rouen',
          birth_department_code: '76',
          birth_country: 'France',
          email: null,
          external_id: null,
          extra_time_percentage: null,
        })
        .execute()
    }
  })
  // A centre with three years of sessions: the list must stay as fast as with 200.
  await insertCentre(db, 'Centre Vingt Mille')
  const large = await addUserToCentre(db, { email: EMAIL_LARGE, password: PASSWORD, firstName: 'Vingt', lastName: 'Mille' }, 'Centre Vingt Mille', 'admin')
  if ('error' in large) throw new Error('seed: user of the large centre')
  await acceptCgu(db, large.userId)
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < LARGE_SESSIONS; i += 500) {
      const rows = Array.from({ length: Math.min(500, LARGE_SESSIONS - i) }, (_, k) => {
        const n = i + k
        const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(n / 20) * 86_400_000).toISOString().slice(0, 10)
        return {
          centre_id: large.centreId,
          site_name: `Site ${n % 7}`,
          room: `Salle ${n % 20}`,
          date: day,
          start_time: `${String(8 + (n % 10)).padStart(2, '0')}:00`,
          invigilators: 'Eric Martin',
          observations: null,
          access_code: code(5000 + n),
          finalised_at: n < LARGE_SESSIONS - 200 ? '2026-01-01T00:00:00.000Z' : null,
        }
      })
      await trx.insertInto('certification_session').values(rows).execute()
    }
  })
  // What autovacuum does to a live PostgreSQL within a minute of such a load (planner statistics,
  // the visibility map behind index-only counts): without it the bench would measure a database
  // that no running server keeps for long. SQLite keeps no statistics unless asked, nor does the app.
  if (target.kind === 'postgres') await sql`vacuum analyze`.execute(db)
  await db.destroy()
  return { bigSessionId, exportSessionId, importSessionId, largeCentreId: large.centreId }
}

const spawnServer = (script: string, env: Record<string, string>) => spawnWithProfile(script, env, cpuProfileDir)

/** Target for the idle server (issue 13, item 7). */
const IDLE_RSS_TARGET_MB = 100

/** Prints both idle figures (bench/processes.ts idleRssMb) and returns the one held to the target. */
function logIdleRss({ afterStart, idle }: { afterStart: number; idle: number }): number {
  log(
    `RSS of the app server: ${afterStart} MB 5 s after start, ${idle} MB idle ${QUIET_MS / 1000} s after start (target ≤ ${IDLE_RSS_TARGET_MB} MB)${idle > IDLE_RSS_TARGET_MB ? '  ! over the target' : ''}`,
  )
  return idle
}

/** `npm start` runs the compiled build (`npm run bench` builds it first): the bench measures that. */
function buildApp(): string {
  if (args.has('--source')) return 'src/server.ts'
  if (!existsSync(path.join(ROOT, 'dist/src/server.js'))) {
    log('! no build in dist/: measuring src/server.ts under tsx instead (slower start, more memory).')
    return 'src/server.ts'
  }
  return 'npm start'
}

/** Logs in like a browser and returns the cookie header. */
async function login(url: string, email = EMAIL): Promise<string> {
  const jar = new Map<string, string>()
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const i = pair!.indexOf('=')
      jar.set(pair!.slice(0, i), pair!.slice(i + 1))
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const page = await fetch(`${url}/connexion`)
  keep(page)
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
  const response = await fetch(`${url}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ _csrf: token, email, password: PASSWORD }),
  })
  keep(response)
  if (response.status !== 303) throw new Error(`bench login failed: ${response.status}`)
  return cookie()
}

async function drive(url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers })
  return {
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  }
}

type IoFigures = { import_ms: number; sheetjs_parse_ms: number; export_ms: number }
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!

/**
 * Without the candidates feature's bench module, the same figures measured through HTTP on the running
 * server: download of a 2,000-candidate sheet, import of a 2,000-row sheet made from the app's own
 * download (upload + validation + storage), next to SheetJS's bare read of the same bytes.
 */
async function importExportOverHttp(url: string, cookie: string, sessionIds: { export: number; import: number }): Promise<IoFigures | null> {
  const headers = { cookie }
  const download = await fetch(`${url}/sessions/${sessionIds.export}/candidats/feuille-emargement.ods`, { headers })
  if (download.status !== 200) {
    log(`! .ods download answers ${download.status}: no import/export figures.`)
    return null
  }
  const template = Buffer.from(await download.arrayBuffer())
  const runs = quick ? 3 : 5
  const exportTimes: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const response = await fetch(`${url}/sessions/${sessionIds.export}/candidats/feuille-emargement.ods`, { headers })
    await response.arrayBuffer()
    exportTimes.push(performance.now() - started)
  }
  const { participantsSheet, candidateRow } = await import('../test/lib/ods.ts')
  const XLSX = await import('xlsx')
  const sheet = participantsSheet(
    Array.from({ length: 2000 }, (_, i) => candidateRow(i)),
    template,
  )
  const importTimes: number[] = []
  const parseTimes: number[] = []
  for (let i = 0; i < runs; i++) {
    // The tab gives the token and the list's version (an import from a stale page is refused).
    const page = await (await fetch(`${url}/sessions/${sessionIds.import}/candidats`, { headers })).text()
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''
    const form = new FormData()
    form.append('_csrf', token)
    form.append('version_liste', /name="version_liste" value="(\d+)"/.exec(page)?.[1] ?? '')
    form.append('fichier', new Blob([new Uint8Array(sheet)]), 'liste.ods')
    const started = performance.now()
    const response = await fetch(`${url}/sessions/${sessionIds.import}/candidats/import`, { method: 'POST', body: form, headers, redirect: 'manual' })
    await response.arrayBuffer()
    importTimes.push(performance.now() - started)
    if (response.status !== 303) {
      log(`! the 2,000-row import answers ${response.status}: no import figure.`)
      return null
    }
    const parsed = performance.now()
    XLSX.read(sheet, { type: 'buffer' })
    parseTimes.push(performance.now() - parsed)
  }
  return { import_ms: median(importTimes), sheetjs_parse_ms: median(parseTimes), export_ms: median(exportTimes) }
}

async function importExport(url: string, cookie: string, sessionIds: { export: number; import: number }): Promise<IoFigures | null> {
  const file = path.join(ROOT, 'bench/import-export.ts')
  if (!existsSync(file)) {
    log('! bench/import-export.ts is absent (the candidates feature provides it): import/export measured through HTTP instead.')
    return importExportOverHttp(url, cookie, sessionIds)
  }
  const module = (await import(file)) as { runImportExportBench?: () => Promise<{ import_ms: number; sheetjs_parse_ms: number; export_ms: number }> }
  if (typeof module.runImportExportBench !== 'function') {
    log('! bench/import-export.ts does not export runImportExportBench(): import/export measured through HTTP instead.')
    return importExportOverHttp(url, cookie, sessionIds)
  }
  log('import/export figures from bench/import-export.ts (runImportExportBench)')
  return module.runImportExportBench()
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

/** The web session's id as stored (SHA-256 of the cookie's token), for the floor's reads. */
function webSessionId(cookie: string): string {
  const token = /certisalle_session=([^;]+)/.exec(cookie)?.[1]
  if (!token) throw new Error('bench: no session cookie after login')
  return createHash('sha256').update(decodeURIComponent(token)).digest('hex')
}

function table(rows: string[][]) {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  log(line(rows[0]!))
  log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const r of rows.slice(1)) log(line(r))
}

async function main() {
  const started = Date.now()
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certisalle-bench-'))
  const databaseFile = path.join(dataDir, 'certisalle.sqlite')
  const children: ChildProcess[] = []
  const postgresUrl = dbKind === 'postgres' ? await createBenchDatabase() : null
  const target: DatabaseTarget = postgresUrl ? { kind: 'postgres', url: postgresUrl } : { kind: 'sqlite', file: databaseFile }
  const databaseEnv: Record<string, string> = postgresUrl ? { DATABASE_URL: postgresUrl } : { DATABASE_FILE: databaseFile }
  try {
    log(
      `Certisalle benchmark${quick ? ' (quick)' : ''}: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}`,
    )
    log(`database: ${postgresUrl ? `PostgreSQL (${await postgresVersion(postgresUrl)})` : 'SQLite (better-sqlite3, WAL)'}`)
    const { bigSessionId, exportSessionId, importSessionId, largeCentreId } = await seed(target)
    const script = buildApp()
    const appEnv = {
      DATA_DIR: dataDir,
      ...databaseEnv,
      LOG_LEVEL: 'error',
      COOKIE_SECRET: 'bench-secret-bench-secret-bench-secret',
      RATE_LIMIT_MAX: '1000000',
    }
    const app = await spawnServer(script, appEnv)
    children.push(app.child)
    // Idle memory, before any page is asked for.
    const idleRss = logIdleRss(await idleRssMb(app.child.pid))
    const cookie = await login(app.url)
    const cookieLarge = await login(app.url, EMAIL_LARGE)
    const floorServer = await spawnServer('bench/floor.ts', {
      ...databaseEnv,
      WEB_SESSION_ID: webSessionId(cookie),
      SESSION_ID: String(bigSessionId),
      LIST_CENTRES: String(largeCentreId),
    })
    children.push(floorServer.child)

    log(`server: node ${script}; autocannon: ${CONNECTIONS} connections, ${DURATION_S} s per page and per floor`)
    const bareFigures = await drive(floorServer.url)
    const pages: Partial<Record<PageName, PageFigures>> = {}
    const targets: Array<[PageName, string, Record<string, string>, string]> = [
      ['login', '/connexion', {}, '/floor/login'],
      ['session_list', '/sessions', { cookie }, '/floor/session_list'],
      ['session_list_20000', '/sessions', { cookie: cookieLarge }, `/floor/session_list/${largeCentreId}`],
      ['session_details', `/sessions/${bigSessionId}`, { cookie }, '/floor/session_details'],
      ['candidates_tab', `/sessions/${bigSessionId}/candidats`, { cookie }, '/floor/candidates_tab'],
      ['attendance_sheet', `/sessions/${bigSessionId}/impression/feuille-emargement`, { cookie }, '/floor/attendance_sheet'],
      ['invigilator_list', `/sessions/${bigSessionId}/surveillance`, { cookie }, '/floor/invigilator_list'],
    ]
    for (const [name, urlPath, headers, floorPath] of targets) {
      if (onlyPage && name !== onlyPage) continue
      const probe = await fetch(app.url + urlPath, { headers, redirect: 'manual' })
      await probe.arrayBuffer()
      if (probe.status !== 200) {
        log(`! ${name}: GET ${urlPath} answers ${probe.status} (not there yet?): skipped`)
        continue
      }
      const figures = await drive(app.url + urlPath, headers)
      log(`  ${name}: ${figures.rps} req/s; app server's peak RSS so far ${rssMb(app.child.pid)} MB`)
      const floor = await drive(floorServer.url + floorPath)
      pages[name] = { ...figures, ratio_to_bare: round(figures.rps / bareFigures.rps, 3), floor, times_floor: round(floor.rps / Math.max(1, figures.rps), 2) }
    }

    // Several instances: the same pages through a round-robin proxy, in front of one instance then of all.
    const scaling: Array<{ page: PageName; direct: number; proxy_one: number; proxy_all: number }> = []
    let proxyName = ''
    if (instances > 1) {
      const all = [app]
      for (let i = 1; i < instances; i++) {
        const extra = await spawnServer(script, appEnv)
        children.push(extra.child)
        all.push(extra)
      }
      const proxyOne = await spawnProxy([app.url])
      children.push(proxyOne.child)
      const proxyAll = await spawnProxy(all.map((a) => a.url))
      children.push(proxyAll.child)
      proxyName = proxyAll.name
      for (const [name, urlPath, headers] of targets) {
        if (!pages[name] || name === 'login') continue
        scaling.push({
          page: name,
          direct: pages[name].rps,
          proxy_one: (await drive(proxyOne.url + urlPath, headers)).rps,
          proxy_all: (await drive(proxyAll.url + urlPath, headers)).rps,
        })
      }
    }

    const io = onlyPage ? null : await importExport(app.url, cookie, { export: exportSessionId, import: importSessionId })
    const peak = rssMb(app.child.pid)

    const rows: string[][] = [['page', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'floor req/s', 'floor p50 ms', '× floor', 'ratio to bare']]
    rows.push([
      'bare Fastify `ok`',
      String(bareFigures.rps),
      String(bareFigures.p50_ms),
      String(bareFigures.p99_ms),
      String(bareFigures.errors),
      '—',
      '—',
      '—',
      '1',
    ])
    for (const [name] of targets) {
      const f = pages[name]
      rows.push(
        f
          ? [
              name,
              String(f.rps),
              String(f.p50_ms),
              String(f.p99_ms),
              String(f.errors),
              String(f.floor.rps),
              String(f.floor.p50_ms),
              String(f.times_floor),
              String(f.ratio_to_bare),
            ]
          : [name, '—', '—', '—', '—', '—', '—', '—', 'absent'],
      )
    }
    log()
    table(rows)
    log()
    log(
      `floor: bare Fastify + raw ${postgresUrl ? 'pg' : 'better-sqlite3'} reads of the rows the page shows (web session, user, centres included), as JSON; × floor = floor req/s ÷ page req/s.`,
    )
    if (io) {
      log(
        `.ods import of 2,000 rows: ${round(io.import_ms, 1)} ms (SheetJS bare read of the same bytes: ${round(io.sheetjs_parse_ms, 1)} ms, ratio ${round(io.import_ms / io.sheetjs_parse_ms)})`,
      )
      log(`.ods download of 2,000 candidates: ${round(io.export_ms, 1)} ms`)
    }
    if (scaling.length > 0) {
      log()
      log(
        `${instances} instances on one ${postgresUrl ? 'PostgreSQL' : 'SQLite file'}, through ${proxyName} (round robin, keep-alive; it runs on the same ${os.cpus().length} cores):`,
      )
      table([
        ['page', '1 instance, direct', '1 instance, proxy', `${instances} instances, proxy`, 'gain'],
        ...scaling.map((row) => [
          row.page,
          String(row.direct),
          String(row.proxy_one),
          String(row.proxy_all),
          `× ${round(row.proxy_all / Math.max(1, row.proxy_one))}`,
        ]),
      ])
    }
    log(`memory of the app server: ${idleRss} MB RSS idle (${QUIET_MS / 1000} s after start), ${peak} MB peak during the bench`)
    log(`total: ${round((Date.now() - started) / 1000, 1)} s`)

    if (json) {
      const figures = {
        node: process.version,
        server: script,
        database: dbKind,
        instances: scaling.length > 0 ? { count: instances, pages: scaling } : undefined,
        bare: { rps: bareFigures.rps },
        pages,
        import_2000: io
          ? { ms: round(io.import_ms, 1), sheetjs_parse_ms: round(io.sheetjs_parse_ms, 1), ratio_to_parse: round(io.import_ms / io.sheetjs_parse_ms) }
          : null,
        export_2000: io ? { ms: round(io.export_ms, 1) } : null,
        idle_rss_mb: idleRss,
        peak_rss_mb: peak,
      }
      process.stdout.write(`${JSON.stringify(figures)}\n`)
    }
  } finally {
    await stopAll(children)
    if (postgresUrl) await dropBenchDatabase(postgresUrl)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/**
 * `--exam-day`: the exam-day load model (bench/exam-day.ts) on SQLite, then on PostgreSQL with one
 * and two instances (with Redis), each next to its floor; the idle memory of a fresh server first.
 */
async function examDay() {
  const { COMPRESSION, PEAK_WINDOW_MIN, requestCosts, runExamDay } = await import('./exam-day.ts')
  const script = buildApp()
  log(
    `Certisalle exam-day benchmark: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}`,
  )
  if (args.has('--costs')) {
    const costs = await requestCosts({ rooms: Number(argValue('--rooms') ?? 100), requests: quick ? 1000 : 3000, rounds: 3, appScript: script, log })
    if (json) process.stdout.write(`${JSON.stringify({ exam_day_costs: costs })}\n`)
    return
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certisalle-bench-'))
  const databaseFile = path.join(dataDir, 'certisalle.sqlite')
  const { db } = openDatabase({ kind: 'sqlite', file: databaseFile })
  await migrateToLatest(db)
  await db.destroy()
  const idle = await spawnServer(script, {
    DATA_DIR: dataDir,
    DATABASE_FILE: databaseFile,
    LOG_LEVEL: 'error',
    COOKIE_SECRET: 'bench-secret-bench-secret-bench-secret',
  })
  const idleRss = logIdleRss(await idleRssMb(idle.child.pid))
  await stopAll([idle.child])
  rmSync(dataDir, { recursive: true, force: true })
  const only = argValue('--only') as 'sqlite' | 'postgres_1' | 'postgres_2' | undefined
  const rooms = argValue('--rooms') ? Number(argValue('--rooms')) : undefined
  const compression = Number(argValue('--compression') ?? COMPRESSION)
  if (!Number.isInteger(compression) || compression < 1 || compression > 600) throw new Error('--compression: an integer from 1 to 600')
  const windowMin = Number(argValue('--window') ?? (quick ? 3 : PEAK_WINDOW_MIN))
  if (!Number.isInteger(windowMin) || windowMin < 1 || windowMin > 60) throw new Error('--window: an integer from 1 to 60 (minutes)')
  const { results } = await runExamDay({
    quick,
    compression,
    windowMin,
    rooms,
    only,
    skipFloor: args.has('--no-floor'),
    floorOnly: args.has('--floor-only'),
    from: argValue('--from') ? Number(argValue('--from')) : undefined,
    cpuProfileDir,
    appScript: script,
    log,
  })
  const peak = Math.max(
    0,
    ...Object.values(results).flatMap((r) => (r.at_limit?.processes ?? []).filter((p) => p.name.startsWith('app')).map((p) => p.peak_rss_mb)),
  )
  log(`peak RSS of an app process at its limit: ${peak} MB (target ≤ 300 MB)`)
  if (json) {
    const summary = Object.fromEntries(
      Object.entries(results).map(([name, r]) => [
        name,
        {
          rooms: r.rooms,
          p99_ms: r.p99_ms,
          floor_rooms: r.floor_rooms,
          share_of_floor: r.share_of_floor,
          kinds: r.at_limit?.kinds,
          processes: r.at_limit?.processes,
          profile_top: r.profile_top,
          profile_stages: r.profile_stages,
        },
      ]),
    )
    process.stdout.write(`${JSON.stringify({ exam_day: summary, idle_rss_mb: idleRss, peak_rss_mb: peak })}\n`)
  }
}

// --costs measures SQLite alone: no cluster for it.
if ((dbKind === 'postgres' || (args.has('--exam-day') && !args.has('--costs'))) && !process.env.TEST_DATABASE_URL) {
  // No cluster given: the same command again inside a throw-away one, as CI runs the tests.
  const again = spawnSync(
    'bash',
    [path.join(ROOT, 'scripts/with-postgres.sh'), process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...argv],
    {
      stdio: 'inherit',
      cwd: ROOT,
    },
  )
  process.exit(again.status ?? 1)
}
if (args.has('--exam-day')) await examDay()
else await main()
