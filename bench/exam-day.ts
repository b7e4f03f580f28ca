/**
 * `npm run bench -- --exam-day [--json] [--quick] [--rooms R] [--only sqlite|postgres_1|postgres_2]
 * [--cpu-prof DIR]` (`--costs`: each kind's CPU per request instead, see requestCosts): the
 * exam-day load model. How many rooms one server carries when every room of the morning starts at
 * once, measured open-loop through the real server (compiled, `npm start`'s flags), with cookies
 * and CSRF tokens as a browser sends them; not part of `npm test`.
 *
 * One room: 25 candidates (every 20th room 60), one invigilator. The morning (MORNING_MIN minutes):
 * - the invigilator logs in with the session number and password in the first minute, then the
 *   list fragment is fetched every 5 s, as public/js/enhance.js does (with the tag of the list last
 *   received: 304 while nothing changed);
 * - candidates arrive, 90 % within the first 10 minutes and the rest before minute 20; each does the
 *   real join flow: GET /rejoindre, step 1, step 2 (access code) → the waiting page, retried every
 *   10 s ("J’ai prévenu mon surveillant, réessayer") until the invigilator has confirmed the presence,
 *   then the started page;
 * - the invigilator confirms each presence 20 s to 2 min after the arrival, records one incident
 *   between minutes 15 and 45, and ends every test between minutes 40 and 60;
 * - in the background, for every 10 rooms, a member of staff opens a page every 30 s (the session
 *   list, a Candidats tab, a session's details), and each room's convocations are printed once
 *   in the first 10 minutes.
 * By default the morning runs in real time (compression 1) and only its first PEAK_WINDOW_MIN (6)
 * minutes are played (`--window M`; --quick: 3): the peak, when every invigilator logs in, arrivals
 * come at their highest rate and the waiting candidates' retries have reached their steady number
 * (a presence is confirmed at most 2 minutes after the arrival). The ends and the incidents come
 * later in the morning; `--window 60` plays the whole of it, and `--compression F` makes the events
 * (arrivals, confirmations, incidents, ends, prints) happen F times sooner than in a real morning
 * while periodic requests (the 5 s list, the 10 s retry, the 30 s staff pages) keep their real
 * period: the arrivals' burst is then F times denser than a real one, and R a lower bound of what a
 * real morning of R rooms needs.
 *
 * Open-loop: every person's first request of an event (an arrival, a poll, a confirmation…) leaves
 * at its scheduled time whatever the latency of the others (a slow server is seen as slow, not as
 * fewer requests), and its latency counts from that time, queueing in the client's connection pool
 * included; the next requests of the same event (step 1 after the join page, step 2 after step 1)
 * leave when the previous answer arrives, as a person's browser does, and count from then. A configuration holds R rooms when no request failed and
 * the p99 of all requests is ≤ 300 ms. R doubles from a start until it fails, then is bisected twice.
 * The same model against bench/exam-day-floor.ts (bare Fastify, raw driver, the same reads and
 * writes) gives this machine's ceiling for the same data.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { type DatabaseTarget, openDatabase } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { acceptCgu, addUserToCentre } from '../src/features/accounts/accounts.service.ts'
import { insertCentre } from '../src/features/centres/centres.repository.ts'
import { type CpuProfile, readProfiles, type Stage, stagesOf, topFunctions } from './profile.ts'
import { createBenchDatabase, cpuSeconds, dropBenchDatabase, postgresCpu, QUIET_MS, rssMb, spawnProxy, spawnServer, stopAll } from './processes.ts'

const MORNING_MIN = 60
/** How many times sooner than in a real morning the events happen (`--compression F`). */
export const COMPRESSION = 1
/** The minutes of the morning played (`--window M`; --quick: 3): its peak, see above. */
export const PEAK_WINDOW_MIN = 6
const P99_LIMIT_MS = 300
const EMAIL = 'examday@example.org'
const PASSWORD = 'Bench-password-1234'

export type ConfigurationName = 'sqlite' | 'postgres_1' | 'postgres_2'
export interface ExamDayOptions {
  quick: boolean
  /** Events this many times sooner than real (arrivals, confirmations, ends); periodic requests keep their period. */
  compression: number
  /** Play the morning's first this many minutes only (model minutes; MORNING_MIN: the whole morning). */
  windowMin: number
  /** Measure this R only (no search). */
  rooms?: number
  only?: ConfigurationName
  /** `--from R`: the search's first R (then doubling), to skip trials known to hold. */
  from?: number
  /** `--no-floor`: the app only (to compare changes; no share of the floor is reported). */
  skipFloor?: boolean
  /** `--floor-only`: the floor only (this machine's ceiling for the model). */
  floorOnly?: boolean
  cpuProfileDir?: string
  appScript: string
  log: (line?: string) => void
}
interface Trial {
  rooms: number
  candidates: number
  requests: number
  errors: number
  p50_ms: number
  p99_ms: number
  kinds: Record<string, { n: number; p50_ms: number; p99_ms: number; errors: number }>
  /** `quiet_rss_mb`: an app server's RSS QUIET_MS (30 s) after the peak (single trials, `--rooms R`): what it gives back once quiet. */
  processes: Array<{ name: string; cpu_cores: number; peak_rss_mb: number; quiet_rss_mb?: number }>
  firstErrors: string[]
}
export interface ConfigurationResult {
  rooms: number
  p99_ms: number
  floor_rooms: number
  share_of_floor: number
  at_limit: Trial | null
  floor_at_limit: Trial | null
  profile_top?: Array<{ function: string; self_pct: number }>
  profile_stages?: Array<{ stage: Stage; pct: number }>
}

// --- The seed ---------------------------------------------------------------------------------

interface Room {
  sessionId: number
  accessCode: string
  password: string
  candidates: Array<{ id: number; lastName: string; firstName: string; birthdate: string }>
}

const LETTERS = 'BCDFGHJKMPQRTVWXY'
const DIGITS = '2346789'
/** Distinct access codes (4 letters + 2 digits, as the app's alphabet) and 6-letter invigilator passwords. */
const accessCode = (n: number) =>
  `${LETTERS[Math.floor(n / 4913) % 17]}${LETTERS[Math.floor(n / 289) % 17]}${LETTERS[Math.floor(n / 17) % 17]}${LETTERS[n % 17]}${DIGITS[Math.floor(n / 83521) % 7]}${DIGITS[n % 7]}`
const invigilatorPassword = (n: number) => accessCode(n * 7 + 3).slice(0, 4) + 'BC'

function parisNow(): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  })
    .formatToParts(new Date())
    .reduce<Record<string, string>>((all, p) => ({ ...all, [p.type]: p.value }), {})
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}` }
}

async function seed(target: DatabaseTarget, roomCount: number): Promise<{ rooms: Room[] }> {
  const { db } = openDatabase(target)
  await migrateToLatest(db)
  await insertCentre(db, 'Centre Examen')
  const user = await addUserToCentre(db, { email: EMAIL, password: PASSWORD, firstName: 'Exa', lastName: 'Men' }, 'Centre Examen', 'admin')
  if ('error' in user) throw new Error('seed: user')
  await acceptCgu(db, user.userId)
  const { date, time } = parisNow()
  const rooms: Room[] = []
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < roomCount; start += 500) {
      const values = Array.from({ length: Math.min(500, roomCount - start) }, (_, k) => ({
        centre_id: user.centreId,
        site_name: 'Lycée Examen',
        room: `Salle ${start + k + 1}`,
        date,
        start_time: time,
        invigilators: 'Eric Martin',
        observations: null,
        access_code: accessCode(start + k),
        invigilator_password: invigilatorPassword(start + k),
      }))
      const ids = await trx.insertInto('certification_session').values(values).returning('id').execute()
      ids.forEach((row, k) => rooms.push({ sessionId: row.id, accessCode: values[k]!.access_code, password: values[k]!.invigilator_password, candidates: [] }))
    }
    let batch: Array<{ room: Room; lastName: string; firstName: string; birthdate: string }> = []
    const flush = async () => {
      if (batch.length === 0) return
      const ids = await trx
        .insertInto('candidate')
        .values(
          batch.map((c) => ({
            session_id: c.room.sessionId,
            last_name: c.lastName,
            first_name: c.firstName,
            birthdate: c.birthdate,
            birth_city: 'Le Havre',
            birth_department_code: '76',
            birth_country: 'France',
            email: null,
            external_id: null,
            extra_time_percentage: null,
          })),
        )
        .returning('id')
        .execute()
      ids.forEach((row, k) =>
        batch[k]!.room.candidates.push({ id: row.id, lastName: batch[k]!.lastName, firstName: batch[k]!.firstName, birthdate: batch[k]!.birthdate }),
      )
      batch = []
    }
    for (const [r, room] of rooms.entries()) {
      const size = r % 20 === 19 ? 60 : 25
      for (let i = 0; i < size; i++) {
        batch.push({ room, lastName: `NOM${r}X${i}`, firstName: `Prénom${i}`, birthdate: `${1990 + (i % 20)}-0${(i % 9) + 1}-1${i % 10}` })
        if (batch.length === 500) await flush()
      }
    }
    await flush()
  })
  if (target.kind === 'postgres') await sql`vacuum analyze`.execute(db)
  await db.destroy()
  return { rooms }
}

// --- The load generator: open-loop, keep-alive, a cookie jar and a CSRF token per person --------

class Person {
  readonly jar = new Map<string, string>()
  token = ''
  cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

interface Answer {
  status: number
  /** The body's length: the body itself is never decoded (see `request`). */
  bytes: number
  etag?: string
}

/**
 * The page's CSRF token, read from its bytes: decoding every page into a string (a 42 KB list 200
 * times a second) made the load generator's own garbage collections pause it for up to 140 ms, time
 * that counted as the server's latency.
 */
const CSRF_FIELD = Buffer.from('name="_csrf" value="')
function csrfTokenOf(body: Buffer): string | undefined {
  const at = body.indexOf(CSRF_FIELD)
  if (at < 0) return undefined
  const end = body.indexOf(0x22, at + CSRF_FIELD.length)
  return end > at + CSRF_FIELD.length ? body.toString('latin1', at + CSRF_FIELD.length, end) : undefined
}

class Load {
  private readonly agent: http.Agent
  private readonly started = performance.now()
  readonly latencies = new Map<string, number[]>()
  readonly errors = new Map<string, number>()
  readonly firstErrors: string[] = []
  private pending = 0
  private timers = new Set<NodeJS.Timeout>()
  private readonly base: URL
  /** Events scheduled at or after this time (ms from the start) are not played: the measured window ends there. */
  private readonly untilMs: number
  constructor(base: URL, untilMs = Infinity) {
    this.base = base
    this.untilMs = untilMs
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  }

  /** Runs `task` at `atMs` after the start, whatever else is still waiting for an answer. */
  at(atMs: number, task: () => Promise<void>): void {
    if (atMs >= this.untilMs) return
    const timer = setTimeout(
      () => {
        this.timers.delete(timer)
        this.pending++
        task()
          .catch((error: unknown) => this.fail('task', String(error)))
          .finally(() => this.pending--)
      },
      Math.max(0, atMs - (performance.now() - this.started)),
    )
    this.timers.add(timer)
  }

  /** Every `periodMs` from `fromMs` until `untilMs`, or until `task` answers false. */
  every(fromMs: number, periodMs: number, untilMs: number, task: () => Promise<boolean | void>): void {
    const tick = (atMs: number) =>
      this.at(atMs, async () => {
        const goOn = await task()
        if (goOn !== false && atMs + periodMs < untilMs) tick(atMs + periodMs)
      })
    tick(fromMs)
  }

  private fail(kind: string, why: string) {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1)
    if (this.firstErrors.length < 5) this.firstErrors.push(`${kind}: ${why}`)
  }

  /** One request; its latency counts from `scheduledMs` (the time it should have left). */
  request(
    kind: string,
    person: Person,
    method: 'GET' | 'POST',
    url: string,
    scheduledMs: number,
    form?: Record<string, string>,
    expect: number[] = [200, 303],
    extraHeaders: Record<string, string> = {},
  ): Promise<Answer | null> {
    const body = form ? new URLSearchParams({ _csrf: person.token, ...form }).toString() : undefined
    const headers: Record<string, string> = { cookie: person.cookie(), ...extraHeaders }
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      headers['content-length'] = String(Buffer.byteLength(body))
      headers.origin = this.base.origin
    }
    return new Promise((resolve) => {
      const outgoing = http.request({ host: this.base.hostname, port: this.base.port, path: url, method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          const elapsed = performance.now() - this.started - scheduledMs
          let list = this.latencies.get(kind)
          if (!list) this.latencies.set(kind, (list = []))
          list.push(elapsed)
          for (const line of response.headers['set-cookie'] ?? []) {
            const pair = line.split(';')[0]!
            const i = pair.indexOf('=')
            if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) person.jar.delete(pair.slice(0, i))
            else person.jar.set(pair.slice(0, i), pair.slice(i + 1))
          }
          const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
          const token = csrfTokenOf(body)
          if (token) person.token = token
          const status = response.statusCode ?? 0
          if (!expect.includes(status)) this.fail(kind, `${method} ${url} → ${status}`)
          resolve({ status, bytes: body.length, etag: response.headers.etag })
        })
      })
      outgoing.on('error', (error) => {
        this.fail(kind, `${method} ${url}: ${error.message}`)
        resolve(null)
      })
      if (body !== undefined) outgoing.write(body)
      outgoing.end()
    })
  }

  now(): number {
    return performance.now() - this.started
  }

  async drained(): Promise<void> {
    while (this.timers.size > 0 || this.pending > 0) await new Promise((r) => setTimeout(r, 200))
    this.agent.destroy()
  }
}

/** Step 1 of the join flow as the candidate types it. */
function identityForm(room: Room, candidate: Room['candidates'][number]): Record<string, string> {
  const [year = '', month = '', day = ''] = candidate.birthdate.split('-')
  return {
    sessionNumber: String(room.sessionId),
    lastName: candidate.lastName,
    firstName: candidate.firstName,
    birthDay: day,
    birthMonth: month,
    birthYear: year,
  }
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!)
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

/** Deterministic pseudo-random numbers (the same morning for every configuration and every R). */
function random(seedValue: number) {
  let state = seedValue >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/** Drives the whole morning against `base` and returns what it measured. */
async function morning(base: string, rooms: Room[], compression: number, windowMin: number, staffCookie: Person): Promise<Omit<Trial, 'processes'>> {
  const minute = 60_000 / compression
  const load = new Load(new URL(base), windowMin * minute)
  const end = MORNING_MIN * minute
  const rand = random(42)
  const between = (from: number, to: number) => from + rand() * (to - from)

  for (const [r, room] of rooms.entries()) {
    const invigilator = new Person()
    const list = `/sessions/${room.sessionId}/surveillance`
    let loggedIn: Promise<void> | null = null
    // When the invigilator's page is open: an action cannot leave before, so it counts from then at the earliest.
    let inAt = Infinity
    const login = between(0, minute)
    loggedIn = new Promise((done) =>
      load.at(login, async () => {
        await load.request('invigilator_login', invigilator, 'GET', '/surveillance', login)
        await load.request(
          'invigilator_login',
          invigilator,
          'POST',
          '/surveillance',
          load.now(),
          { sessionNumber: String(room.sessionId), password: `C-${room.password}` },
          [303],
        )
        await load.request('invigilator_page', invigilator, 'GET', list, load.now())
        inAt = load.now()
        done()
      }),
    )
    // The list fragment every 5 s, real time, until the end of the morning.
    // With the tag of the list last received, as enhance.js does: 304 while the room has not changed.
    let listTag: string | undefined
    load.every(login + 5000, 5000, end, async () => {
      await loggedIn
      const answer = await load.request(
        'invigilator_list',
        invigilator,
        'GET',
        `${list}/liste`,
        load.now(),
        undefined,
        [200, 304],
        listTag ? { 'if-none-match': listTag } : {},
      )
      if (answer?.status === 200) listTag = answer.etag
    })
    const action = (kind: string, candidateId: number, path: string, atMs: number, form: Record<string, string> = {}) =>
      load.at(atMs, async () => {
        await loggedIn
        await load.request(
          kind,
          invigilator,
          'POST',
          `/sessions/${room.sessionId}/surveillance/candidats/${candidateId}/${path}`,
          Math.max(atMs, inAt),
          form,
          [303],
        )
      })

    const started = new Set<number>()
    for (const candidate of room.candidates) {
      const person = new Person()
      const arrival = rand() < 0.9 ? between(0, 10 * minute) : between(10 * minute, 20 * minute)
      load.at(arrival, async () => {
        await load.request('join_page', person, 'GET', '/rejoindre', arrival)
        await load.request('join_step1', person, 'POST', '/rejoindre', load.now(), identityForm(room, candidate), [200])
        const step2 = await load.request('join_step2', person, 'POST', '/rejoindre/code', load.now(), { accessCode: room.accessCode }, [200, 303])
        if (!step2) return
        // The invigilator sees the candidate waiting and confirms the presence, 20 s to 2 min later.
        action('confirm_presence', candidate.id, 'presence', load.now() + between(20_000, 120_000) / compression)
        // The waiting page's button, every 10 s (real time) until the course starts.
        load.every(load.now() + 10_000, 10_000, end, async () => {
          const retried = load.now()
          const answer = await load.request('join_retry', person, 'POST', '/rejoindre/reessayer', retried, {}, [200, 303])
          if (answer?.status !== 303) return true
          await load.request('join_started', person, 'GET', '/rejoindre', load.now(), undefined, [200])
          started.add(candidate.id)
          return false
        })
      })
      // The end of the test, between minutes 40 and 60, for those who started.
      const ending = between(40 * minute, end - minute / 2)
      load.at(ending, async () => {
        if (!started.has(candidate.id)) return
        await loggedIn
        await load.request(
          'end_test',
          invigilator,
          'POST',
          `/sessions/${room.sessionId}/surveillance/candidats/${candidate.id}/terminer`,
          Math.max(ending, inAt),
          {},
          [303],
        )
      })
    }
    // One incident per room.
    const incidentFor = room.candidates[Math.floor(rand() * room.candidates.length)]!
    action('record_incident', incidentFor.id, 'signalement', between(15 * minute, 45 * minute), {
      categorie: 'technical_problem',
      details_technical_problem: 'Écran figé, poste redémarré',
    })
    // The room's convocations printed once before the start, and staff pages.
    const print = between(0, 10 * minute)
    load.at(print, async () => {
      await load.request('staff_print_convocations', staffCookie, 'GET', `/sessions/${room.sessionId}/impression/convocations`, print, undefined, [200])
    })
    if (r % 10 === 0) {
      let k = 0
      load.every(between(0, 30_000), 30_000, end, async () => {
        const pages = ['/sessions', `/sessions/${room.sessionId}/candidats`, `/sessions/${room.sessionId}`]
        const page = pages[k++ % pages.length]!
        await load.request('staff_page', staffCookie, 'GET', page, load.now(), undefined, [200])
      })
    }
  }
  await load.drained()

  const all: number[] = []
  const kinds: Trial['kinds'] = {}
  for (const [kind, values] of load.latencies) {
    values.sort((a, b) => a - b)
    for (const value of values) all.push(value)
    kinds[kind] = { n: values.length, p50_ms: round(percentile(values, 50)), p99_ms: round(percentile(values, 99)), errors: load.errors.get(kind) ?? 0 }
  }
  all.sort((a, b) => a - b)
  const errors = [...load.errors.values()].reduce((a, b) => a + b, 0)
  return {
    rooms: rooms.length,
    candidates: rooms.reduce((n, room) => n + room.candidates.length, 0),
    requests: all.length,
    errors,
    p50_ms: round(percentile(all, 50)),
    p99_ms: round(percentile(all, 99)),
    kinds,
    firstErrors: load.firstErrors,
  }
}

/** Logs in like a browser; the staff member's cookie for the background pages. */
async function staffLogin(base: string): Promise<Person> {
  const person = new Person()
  const load = new Load(new URL(base))
  await load.request('login', person, 'GET', '/connexion', 0)
  const answer = await load.request('login', person, 'POST', '/connexion', load.now(), { email: EMAIL, password: PASSWORD }, [303])
  await load.drained()
  if (answer?.status !== 303) throw new Error(`exam-day: staff login answered ${answer?.status}`)
  return person
}

interface Servers {
  base: string
  processes: Array<{ name: string; child: ChildProcess }>
}

/** One trial: a fresh database of R rooms, the servers of the configuration, the morning. */
async function trial(configuration: ConfigurationName, floor: boolean, roomCount: number, options: ExamDayOptions, profileDir?: string): Promise<Trial> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certisalle-exam-day-'))
  const postgres = configuration !== 'sqlite'
  const url = postgres ? await createBenchDatabase(`_${roomCount}_${floor ? 'f' : 'a'}`) : null
  const target: DatabaseTarget = url ? { kind: 'postgres', url } : { kind: 'sqlite', file: path.join(dataDir, 'certisalle.sqlite') }
  const databaseEnv: Record<string, string> = url ? { DATABASE_URL: url } : { DATABASE_FILE: target.kind === 'sqlite' ? target.file : '' }
  const children: ChildProcess[] = []
  try {
    const { rooms } = await seed(target, roomCount)
    const instances = configuration === 'postgres_2' ? 2 : 1
    const servers: Servers = { base: '', processes: [] }
    const env = {
      DATA_DIR: dataDir,
      ...databaseEnv,
      LOG_LEVEL: 'error',
      COOKIE_SECRET: 'exam-day-secret-exam-day-secret-exam-day',
      ...(instances > 1 && process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    }
    const backends: string[] = []
    for (let i = 0; i < instances; i++) {
      const server = await spawnServer(floor ? 'bench/exam-day-floor.ts' : options.appScript, env, profileDir)
      children.push(server.child)
      servers.processes.push({ name: `${floor ? 'floor' : 'app'} ${i + 1}`, child: server.child })
      backends.push(server.url)
    }
    servers.base = backends[0]!
    if (instances > 1) {
      const proxy = await spawnProxy(backends)
      children.push(proxy.child)
      servers.processes.push({ name: `proxy (${proxy.name})`, child: proxy.child })
      servers.base = proxy.url
    }
    const staff = floor ? new Person() : await staffLogin(servers.base)
    const cpuBefore = servers.processes.map((p) => cpuSeconds(p.child.pid))
    const clientBefore = process.cpuUsage()
    const postgresBefore = postgres ? postgresCpu() : new Map<number, number>()
    const startedAt = performance.now()
    const figures = await morning(servers.base, rooms, options.compression, options.windowMin, staff)
    const seconds = (performance.now() - startedAt) / 1000
    const processes: Trial['processes'] = servers.processes.map((p, i) => ({
      name: p.name,
      cpu_cores: round((cpuSeconds(p.child.pid) - cpuBefore[i]!) / seconds, 2),
      peak_rss_mb: rssMb(p.child.pid),
    }))
    // The load generator runs on the same cores: its share is part of the picture.
    const client = process.cpuUsage(clientBefore)
    if (postgres) {
      // Every PostgreSQL process of the machine (the bench's cluster is the only one running): what the database itself took.
      let used = 0
      for (const [pid, after] of postgresCpu()) used += after - (postgresBefore.get(pid) ?? 0)
      processes.push({ name: 'postgresql', cpu_cores: round(used / seconds, 2), peak_rss_mb: 0 })
    }
    processes.push({
      name: 'load generator',
      cpu_cores: round((client.user + client.system) / 1e6 / seconds, 2),
      peak_rss_mb: round(process.memoryUsage().rss / 2 ** 20, 0),
    })
    if (options.rooms && !floor) {
      // What the peak leaves behind once the rooms are quiet (src/lib/memory-reducer.ts).
      await new Promise((r) => setTimeout(r, QUIET_MS))
      servers.processes.forEach((p, i) => {
        if (p.name.startsWith('app')) processes[i]!.quiet_rss_mb = rssMb(p.child.pid, 'VmRSS')
      })
    }
    return { ...figures, processes }
  } finally {
    await stopAll(children)
    if (url) await dropBenchDatabase(url)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const held = (t: Trial) => t.errors === 0 && t.p99_ms <= P99_LIMIT_MS

/** The largest R that holds: doubling from `start`, then two bisections. */
async function search(
  configuration: ConfigurationName,
  floor: boolean,
  options: ExamDayOptions,
  profileDir?: string,
): Promise<{ rooms: number; trial: Trial | null }> {
  const label = `${configuration}${floor ? ' floor' : ''}`
  const run = async (rooms: number, dir?: string) => {
    const t = await trial(configuration, floor, rooms, options, dir)
    options.log(
      `  ${label.padEnd(17)} R = ${String(rooms).padStart(5)}: ${t.requests} requests, p50 ${t.p50_ms} ms, p99 ${t.p99_ms} ms, ${t.errors} errors → ${held(t) ? 'holds' : 'fails'}` +
        (t.firstErrors.length > 0 ? ` (${t.firstErrors.join('; ')})` : ''),
    )
    return t
  }
  if (options.rooms) {
    const t = await run(options.rooms, profileDir)
    return { rooms: held(t) ? options.rooms : 0, trial: t }
  }
  const ceiling = 16000
  let good = 0
  let goodTrial: Trial | null = null
  let bad = 0
  for (let rooms = options.from ?? (options.quick ? 50 : 100); rooms <= ceiling; rooms *= 2) {
    const t = await run(rooms)
    if (!held(t)) {
      bad = rooms
      break
    }
    good = rooms
    goodTrial = t
  }
  for (let step = 0; step < 2 && bad > 0 && bad - good > 10; step++) {
    const middle = Math.round((good + bad) / 2)
    const t = await run(middle)
    if (held(t)) {
      good = middle
      goodTrial = t
    } else bad = middle
  }
  return { rooms: good, trial: goodTrial }
}

export async function runExamDay(options: ExamDayOptions): Promise<{ results: Partial<Record<ConfigurationName, ConfigurationResult>> }> {
  const { log } = options
  log(
    `Exam-day model: rooms of 25 candidates (every 20th of 60), a ${MORNING_MIN}-minute morning with its events ${options.compression}× sooner than real, periodic requests at their real period, ` +
      `its first ${options.windowMin} minutes played${options.windowMin < MORNING_MIN ? ' (the peak)' : ' (all of it)'}; holds when p99 ≤ ${P99_LIMIT_MS} ms and no error.`,
  )
  const results: Partial<Record<ConfigurationName, ConfigurationResult>> = {}
  const configurations: ConfigurationName[] = ['sqlite', 'postgres_1', 'postgres_2']
  for (const configuration of configurations) {
    if (options.only && options.only !== configuration) continue
    if (configuration !== 'sqlite' && !process.env.TEST_DATABASE_URL) {
      log(`  ${configuration}: no PostgreSQL cluster (TEST_DATABASE_URL): skipped`)
      continue
    }
    // With --rooms, the one trial is profiled; otherwise a last trial at the limit found.
    const dir = options.cpuProfileDir ? path.join(options.cpuProfileDir, configuration) : undefined
    const app = options.floorOnly ? { rooms: 0, trial: null } : await search(configuration, false, options, options.rooms ? dir : undefined)
    const floor = options.skipFloor ? { rooms: 0, trial: null } : await search(configuration, true, options)
    let profile: CpuProfile[] | undefined
    if (dir && !options.rooms && app.rooms > 0) await trial(configuration, false, app.rooms, options, dir)
    if (dir && (options.rooms || app.rooms > 0)) profile = readProfiles(dir)
    results[configuration] = {
      rooms: app.rooms,
      p99_ms: app.trial?.p99_ms ?? 0,
      floor_rooms: floor.rooms,
      share_of_floor: round(app.rooms / Math.max(1, floor.rooms), 2),
      at_limit: app.trial,
      floor_at_limit: floor.trial,
      profile_top: profile && topFunctions(profile),
      profile_stages: profile && stagesOf(profile),
    }
    log()
    log(
      `${configuration}: ${app.rooms} rooms held (p99 ${app.trial?.p99_ms ?? '—'} ms); ${
        options.skipFloor
          ? 'floor not measured (--no-floor)'
          : `floor ${floor.rooms} rooms; ${round((100 * app.rooms) / Math.max(1, floor.rooms))} % of the floor`
      }`,
    )
    if (app.trial) {
      log('  per request kind at that R (n, p50, p99 ms, errors):')
      for (const [kind, f] of Object.entries(app.trial.kinds))
        log(`    ${kind.padEnd(26)} ${String(f.n).padStart(7)} ${String(f.p50_ms).padStart(8)} ${String(f.p99_ms).padStart(8)} ${f.errors}`)
      for (const p of app.trial.processes)
        log(
          `  ${p.name}: ${p.cpu_cores} cores busy on average, peak RSS ${p.peak_rss_mb} MB${p.quiet_rss_mb === undefined ? '' : `, ${p.quiet_rss_mb} MB ${QUIET_MS / 1000} s after the peak`}`,
        )
    }
    const result = results[configuration]!
    if (result.profile_stages && result.profile_top) {
      log(
        `  where the server's time goes at R = ${options.rooms ?? app.rooms} (share of its busy time; profiles in ${options.cpuProfileDir}/${configuration}):`,
      )
      log('    by stage of a request:')
      for (const entry of result.profile_stages) log(`    ${String(entry.pct).padStart(5)} %  ${entry.stage}`)
      log('    by function (self time):')
      for (const entry of result.profile_top) log(`    ${String(entry.self_pct).padStart(5)} %  ${entry.function}`)
    }
    log()
  }
  return { results }
}

// --- `--costs`: what each request kind costs the server, alone ----------------------------------

/** The model's most frequent kinds of request, each sent again and again to one seeded server. */
type CostKind = 'join_page' | 'join_retry' | 'invigilator_list_304' | 'invigilator_list_200'
const COST_KINDS: CostKind[] = ['join_page', 'join_retry', 'invigilator_list_304', 'invigilator_list_200']

/**
 * `npm run bench -- --exam-day --costs [--rooms R]`: the server's CPU time per request for the
 * model's most frequent kinds, each sent alone (16 at a time, `requests` of them, `rounds` times;
 * the median is given), on SQLite, in rooms where every candidate waits. Where the peak's time
 * goes, by kind rather than by function. On a shared machine one figure moves by ±20 % from one
 * minute to the next: compare two builds run in alternation (`BENCH_APP_ROOT`), never a figure with
 * another day's.
 */
export async function requestCosts(options: {
  rooms: number
  requests: number
  rounds: number
  appScript: string
  log: (line?: string) => void
}): Promise<Record<CostKind, { cpu_us: number; bytes: number }>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certisalle-exam-day-'))
  const file = path.join(dataDir, 'certisalle.sqlite')
  const children: ChildProcess[] = []
  try {
    const { rooms } = await seed({ kind: 'sqlite', file }, options.rooms)
    const server = await spawnServer(options.appScript, {
      DATA_DIR: dataDir,
      DATABASE_FILE: file,
      LOG_LEVEL: 'error',
      COOKIE_SECRET: 'exam-day-secret-exam-day-secret-exam-day',
    })
    children.push(server.child)
    const load = new Load(new URL(server.url))
    const pool = async (count: number, task: (k: number) => Promise<unknown>) => {
      let next = 0
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < count) await task(next++)
        }),
      )
    }
    // Every invigilator logged in, every candidate through step 2 and waiting.
    const invigilators: Array<{ person: Person; list: string; tag?: string }> = []
    const waiting: Person[] = []
    await pool(rooms.length, async (r) => {
      const room = rooms[r]!
      const invigilator = { person: new Person(), list: `/sessions/${room.sessionId}/surveillance/liste`, tag: undefined as string | undefined }
      await load.request('setup', invigilator.person, 'GET', '/surveillance', load.now())
      const login = { sessionNumber: String(room.sessionId), password: `C-${room.password}` }
      await load.request('setup', invigilator.person, 'POST', '/surveillance', load.now(), login, [303])
      for (const candidate of room.candidates) {
        const person = new Person()
        await load.request('setup', person, 'GET', '/rejoindre', load.now())
        await load.request('setup', person, 'POST', '/rejoindre', load.now(), identityForm(room, candidate), [200])
        await load.request('setup', person, 'POST', '/rejoindre/code', load.now(), { accessCode: room.accessCode }, [200])
        waiting.push(person)
      }
      invigilator.tag = (await load.request('setup', invigilator.person, 'GET', invigilator.list, load.now(), undefined, [200]))?.etag
      invigilators.push(invigilator)
    })
    const send: Record<CostKind, (k: number) => Promise<Answer | null>> = {
      join_page: () => load.request('join_page', new Person(), 'GET', '/rejoindre', load.now()),
      join_retry: (k) => load.request('join_retry', waiting[k % waiting.length]!, 'POST', '/rejoindre/reessayer', load.now(), {}, [200]),
      invigilator_list_304: (k) => {
        const i = invigilators[k % invigilators.length]!
        return load.request('invigilator_list_304', i.person, 'GET', i.list, load.now(), undefined, [304], { 'if-none-match': i.tag ?? '' })
      },
      invigilator_list_200: (k) => {
        const i = invigilators[k % invigilators.length]!
        return load.request('invigilator_list_200', i.person, 'GET', i.list, load.now(), undefined, [200])
      },
    }
    const figures = new Map<CostKind, number[]>(COST_KINDS.map((kind) => [kind, []]))
    for (let round = 0; round < options.rounds; round++) {
      for (const kind of COST_KINDS) {
        await pool(100, send[kind])
        const before = cpuSeconds(server.child.pid)
        await pool(options.requests, send[kind])
        figures.get(kind)!.push(((cpuSeconds(server.child.pid) - before) / options.requests) * 1e6)
      }
    }
    options.log(
      `Server CPU per request, each kind alone (SQLite, ${options.rooms} rooms, every candidate waiting; median of ${options.rounds} rounds of ${options.requests}):`,
    )
    const result = {} as Record<CostKind, { cpu_us: number; bytes: number }>
    for (const kind of COST_KINDS) {
      const values = figures.get(kind)!.sort((a, b) => a - b)
      const bytes = (await send[kind](0))?.bytes ?? 0
      result[kind] = { cpu_us: Math.round(percentile(values, 50)), bytes }
      options.log(
        `  ${kind.padEnd(22)} ${String(result[kind].cpu_us).padStart(6)} µs  (rounds: ${values.map((v) => Math.round(v)).join(', ')}; answer ${bytes} bytes)`,
      )
    }
    await load.drained()
    if (load.errors.size > 0) throw new Error(`--costs: ${load.firstErrors.join('; ')}`)
    return result
  } finally {
    await stopAll(children)
    rmSync(dataDir, { recursive: true, force: true })
  }
}
