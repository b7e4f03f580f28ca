import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDb, type Db } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { acceptCgu, addUserToCentre } from '../../src/features/accounts/accounts.service.ts'
import { insertCentre } from '../../src/features/centres/centres.repository.ts'
import { PASSWORD, type Teardown } from '../helper.ts'
import { childEnv, RUN_TYPESCRIPT } from './typescript.ts'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const COOKIE_SECRET = 'process-test-secret-process-test-secret'

/** A DATA_DIR with a migrated database, a centre and a member who accepted the terms. */
export async function prepareDataDir(t: Teardown, prefix = 'certisalle-proc-') {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix))
  const databaseFile = path.join(dataDir, 'certisalle.sqlite')
  const { db, sqlite } = createDb(databaseFile)
  await migrateToLatest(db)
  const { centreId, email, userId } = await seedProcessCentre(db)
  t.teardown(async () => {
    await db.destroy().catch(() => {})
    rmSync(dataDir, { recursive: true, force: true })
  })
  return { dataDir, databaseFile, db: db as Db, sqlite, centreId, email, userId }
}

export const PROCESS_CENTRE = 'Centre Processus'

/** In a migrated database (SQLite or PostgreSQL): the centre and its admin, Paul Martin, who accepted the terms. */
export async function seedProcessCentre(db: Db) {
  const centreId = await insertCentre(db, PROCESS_CENTRE)
  const email = 'process@example.org'
  const userId = await addProcessMember(db, { email, firstName: 'Paul', lastName: 'Martin' })
  return { centreId, email, userId }
}

/** Another member of the centre (password PASSWORD, terms accepted); their user id. */
export async function addProcessMember(db: Db, person: { email: string; firstName: string; lastName: string }, role: 'admin' | 'member' = 'admin') {
  const result = await addUserToCentre(db, { ...person, password: PASSWORD }, PROCESS_CENTRE, role)
  if ('error' in result) throw new Error('could not create the member')
  await acceptCgu(db, result.userId)
  return result.userId
}

/** A DATA_DIR of its own, empty (the database being elsewhere: PostgreSQL), removed at teardown. */
export function emptyDataDir(t: Teardown, prefix = 'certisalle-proc-'): string {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  return dataDir
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

export interface ServerProcess {
  child: ChildProcess
  baseUrl: string
  /** Peak resident memory of the server process so far (VmHWM), in MB. */
  peakRssMb(): number
  /** Peak resident memory of the largest running child process of the server (the sheet reader), in MB; 0 when none. */
  childPeakRssMb(): number
  alive(): boolean
  kill(signal?: NodeJS.Signals): Promise<void>
  output(): string
}

/** The real server (`src/server.ts`) on its own process, as an operator runs it. */
export async function startServer(t: Teardown, dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/server.ts'], {
    cwd: ROOT,
    env: { ...childEnv(), DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', COOKIE_SECRET, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  let exited = false
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())))
  const server: ServerProcess = {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    peakRssMb() {
      try {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0)
        return Math.round(kb / 1024)
      } catch {
        return -1
      }
    },
    childPeakRssMb() {
      try {
        const pids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').split(/\s+/).filter(Boolean)
        const peaks = pids.map((pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0))
        return Math.round(Math.max(0, ...peaks) / 1024)
      } catch {
        return 0
      }
    },
    alive: () => !exited,
    async kill(signal = 'SIGTERM') {
      if (!exited) child.kill(signal)
      await exit
    },
    output: () => output,
  }
  t.teardown(() => server.kill('SIGKILL'))
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited while starting:\n${output}`)
    try {
      const response = await fetch(`${server.baseUrl}/sante`)
      if (response.ok) return server
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server did not answer /sante within 60 s:\n${output}`)
}

/**
 * A browser-like HTTP client over fetch: cookies, the page's CSRF token, no redirects followed.
 * Setting `baseUrl` sends the next requests to another instance with the same cookies and token,
 * as a load balancer in front of several instances does.
 */
export class HttpClient {
  cookies = new Map<string, string>()
  csrf = ''
  /** The candidate list version of the last Candidats tab read (its import form's hidden field). */
  listVersion = ''
  baseUrl: string
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl
  }

  private async send(method: string, url: string, body?: BodyInit, headers: Record<string, string> = {}, signal?: AbortSignal) {
    const response = await fetch(this.baseUrl + url, {
      method,
      body,
      redirect: 'manual',
      signal,
      headers: { ...headers, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair!.indexOf('=')
      const name = pair!.slice(0, index).trim()
      const value = pair!.slice(index + 1).trim()
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  async request(method: string, url: string, body?: BodyInit, headers: Record<string, string> = {}, signal?: AbortSignal) {
    const response = await this.send(method, url, body, headers, signal)
    const text = await response.text()
    const match = /name="_csrf" value="([^"]+)"/.exec(text)
    if (match) this.csrf = match[1]!
    const version = /name="version_liste" value="(\d+)"/.exec(text)
    if (version) this.listVersion = version[1]!
    return { status: response.status, headers: response.headers, text }
  }

  get(url: string) {
    return this.request('GET', url)
  }

  /** A file (a download): its bytes, not read as a page. */
  async download(url: string) {
    const response = await this.send('GET', url)
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) }
  }

  post(url: string, form: Record<string, string> = {}, signal?: AbortSignal) {
    const body = new URLSearchParams({ _csrf: this.csrf, ...form })
    return this.request('POST', url, body.toString(), { 'content-type': 'application/x-www-form-urlencoded' }, signal)
  }

  postMultipart(url: string, form: FormData, signal?: AbortSignal) {
    if (!form.has('_csrf')) form.append('_csrf', this.csrf)
    if (!form.has('version_liste') && this.listVersion) form.append('version_liste', this.listVersion)
    return this.request('POST', url, form, {}, signal)
  }

  async login(email: string, password = PASSWORD) {
    await this.get('/connexion')
    const response = await this.post('/connexion', { email, password })
    if (response.status !== 303) throw new Error(`login failed: ${response.status}`)
    await this.get('/cgu')
  }
}

/** The text of the error messages a page shows (flash, error summary, field errors), tags removed. */
export function errorMessages(html: string): string[] {
  const found: string[] = []
  const re = /<(div|p|ul|li|span)[^>]*class="[^"]*(notice--error|notice--warning|error-summary|field__error|import-errors)[^"]*"[^>]*>([\s\S]*?)<\/\1>/g
  for (const m of html.matchAll(re)) {
    const text = m[3]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
    if (text) found.push(text)
  }
  return found
}

/** French enough: accented letters or common French words, and nothing that looks like a stack trace. */
export function looksFrench(text: string): boolean {
  if (/\b(Error|undefined|null|NaN|TypeError|at \w+ \()\b|\[object /.test(text)) return false
  return /[àâçéèêëîïôûùüœ]|\b(le|la|les|du|des|un|une|est|pas|fichier|ligne|veuillez)\b/i.test(text)
}
