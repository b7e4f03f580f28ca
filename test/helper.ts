import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type InjectOptions,
  type LightMyRequestResponse,
  type preHandlerHookHandler,
  type onRouteHookHandler,
} from 'fastify'
import app from '../src/app.ts'
import { type Config, fastifyTrustProxy, loadConfig } from '../src/config.ts'
import { acceptCgu, addUserToCentre } from '../src/features/accounts/accounts.service.ts'
import { insertCentre } from '../src/features/centres/centres.repository.ts'
import type { Role } from '../src/features/centres/centres.table.ts'
import { copySqliteTemplate, createTestDatabase, onPostgres, wrongDatabase } from './lib/test-database.ts'

/** What a tap test offers for cleanup (the part helpers need). */
export interface Teardown {
  teardown(fn: () => unknown): void
}

/** What `build` takes besides the settings. */
export interface BuildOptions {
  statementTimeoutMs?: number
  beforeHandler?: (request: FastifyRequest) => Promise<void>
  /** Called for every route as it registers (Fastify's onRoute hook): the sweeps collect the route table with it. */
  onRoute?: (route: Parameters<onRouteHookHandler>[0]) => void
}

/**
 * A fresh app on its own temporary DATA_DIR (never ./data), closed when the test ends: the one
 * builder of the test apps (the route tests, the sweeps through buildWithRoutes, the browser tests
 * through startBrowserApp). On SQLite its database is a copy of a migrated template
 * (sqliteTemplate); with TEST_DATABASE_URL (scripts/with-postgres.sh), on its own PostgreSQL
 * database, dropped at the end, and it refuses to build on SQLite unless the test asks for SQLite
 * itself (`{ database: { kind: 'sqlite' } }`). Fastify trusts proxies as the server does
 * (`trustProxy` in the settings). `beforeHandler` runs in every request right before its handler,
 * after every check of the app's own hooks (scope.ts…): a test stages a race there (see
 * `finaliseBeforeHandler`).
 */
export async function build(
  t: Teardown,
  overrides: Partial<Config> = {},
  { statementTimeoutMs = 10_000, beforeHandler, onRoute }: BuildOptions = {},
): Promise<FastifyInstance> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-test-'))
  const database = onPostgres && !overrides.database ? await createTestDatabase() : null
  const env: Record<string, string> = { DATA_DIR: dataDir, COOKIE_SECRET: 'test-secret-test-secret-test-secret', LOG_LEVEL: 'silent' }
  if (database) Object.assign(env, { DATABASE_URL: database.url, DATABASE_POOL_SIZE: '4', DATABASE_STATEMENT_TIMEOUT_MS: String(statementTimeoutMs) })
  const config = loadConfig(env, overrides)
  if (config.database.kind === 'sqlite' && config.databaseFile !== ':memory:') await copySqliteTemplate(config.databaseFile)
  const server = Fastify({ logger: process.env.TEST_LOG ? { level: 'error' } : false, trustProxy: fastifyTrustProxy(config.trustProxy) })
  t.teardown(async () => {
    await server.close()
    await database?.drop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  if (onRoute) server.addHook('onRoute', onRoute)
  if (beforeHandler) {
    // A route's own preHandlers run after every hook of the app (scope.ts, CSRF): the last one is ours.
    server.addHook('onRoute', (route) => {
      const last: preHandlerHookHandler = async (request) => beforeHandler(request)
      route.preHandler = [route.preHandler ?? []].flat().concat(last)
    })
  }
  await server.register(app, { config })
  await server.ready()
  const wrong = wrongDatabase({ onPostgres, dbKind: server.dbKind, sqliteAsked: overrides.database?.kind === 'sqlite' })
  if (wrong) throw new Error(wrong)
  return server
}

/**
 * Stops the failed-tries counters' clock on these servers, at the current time: a back-off (one
 * second after the last miss a limit allows) then lasts until the test's next request, however
 * long a loaded machine takes to send it, and a test that expects a 429 there always gets it.
 */
export function stopTriesClock(...servers: FastifyInstance[]) {
  const now = Date.now()
  for (const server of servers) server.tries.now = () => now
}

/**
 * The app, where `race.finalise(sessionId)` finalises that session (as `race.userId`) during the
 * next request to it, after scope.ts let the request through as open and before the handler runs:
 * a colleague's "Finaliser" landing between the check and the write, which must then answer the
 * one page of a finalised session (CONTRIBUTING.md, "Open sessions").
 */
export async function buildWithRace(t: Teardown, overrides: Partial<Config> = {}) {
  let armed: { sessionId: number; userId: number | null } | null = null
  const race = {
    finalise(sessionId: number, userId: number | null = null) {
      armed = { sessionId, userId }
    },
    /** Whether the armed finalisation has run. */
    get done() {
      return armed === null
    },
  }
  const server: FastifyInstance = await build(t, overrides, {
    beforeHandler: async (request) => {
      if (!armed || request.certSession?.id !== armed.sessionId) return
      const { sessionId, userId } = armed
      armed = null
      await server.db
        .updateTable('certification_session')
        .set({ finalised_at: new Date().toISOString(), finalised_by_user_id: userId })
        .where('id', '=', sessionId)
        .execute()
    },
  })
  return { server, race }
}

export const PASSWORD = 'Secret-1234-abcd'

let userCounter = 0
/** A centre member (terms accepted unless told otherwise). */
export async function createMember(
  server: FastifyInstance,
  options: { centre?: string; role?: Role; acceptCgu?: boolean; email?: string; firstName?: string; lastName?: string } = {},
) {
  const centreName = options.centre ?? 'Centre Testix'
  const existing = await server.db.selectFrom('centre').select('id').where('name', '=', centreName).executeTakeFirst()
  const centreId = existing?.id ?? (await insertCentre(server.db, centreName))
  userCounter += 1
  const email = options.email ?? `user${userCounter}@example.org`
  const result = await addUserToCentre(
    server.db,
    { email, password: PASSWORD, firstName: options.firstName ?? 'Paul', lastName: options.lastName ?? 'Martin' },
    centreName,
    options.role ?? 'admin',
  )
  if ('error' in result) throw new Error('createMember failed')
  if (options.acceptCgu !== false) await acceptCgu(server.db, result.userId)
  return { userId: result.userId, centreId, email }
}

/** A browser-like client: keeps cookies, reads the CSRF token of the last page, posts forms. */
export class Client {
  cookies = new Map<string, string>()
  csrf = ''
  /** The candidate list version of the last Candidats tab read (its import form's hidden field). */
  listVersion = ''
  readonly server: FastifyInstance
  constructor(server: FastifyInstance) {
    this.server = server
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private remember(response: LightMyRequestResponse) {
    for (const c of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === ''
      if (expired) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body)
    if (match) this.csrf = match[1]!
    const version = /name="version_liste" value="(\d+)"/.exec(response.body)
    if (version) this.listVersion = version[1]!
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const response = await this.server.inject({ ...options, headers: { ...options.headers, cookie: this.cookieHeader() } })
    this.remember(response)
    return response
  }

  get(url: string) {
    return this.request({ method: 'GET', url })
  }

  /** Posts a urlencoded form with the current CSRF token (unless `_csrf` is given). */
  post(url: string, form: Record<string, string | string[]> = {}) {
    const body = new URLSearchParams()
    if (!('_csrf' in form)) body.append('_csrf', this.csrf)
    for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v)
    return this.request({ method: 'POST', url, payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  }

  /** Posts a multipart form (FormData) with the current CSRF token and, like the import form, the list version last shown. */
  postMultipart(url: string, form: FormData) {
    if (!form.has('_csrf')) form.append('_csrf', this.csrf)
    if (!form.has('version_liste') && this.listVersion) form.append('version_liste', this.listVersion)
    return this.request({ method: 'POST', url, payload: form as unknown as InjectOptions['payload'] })
  }

  async login(email: string, password = PASSWORD) {
    await this.get('/connexion')
    const response = await this.post('/connexion', { email, password })
    if (response.statusCode !== 303) throw new Error(`login failed: ${response.statusCode}`)
    await this.get('/cgu') // a page, to pick up a CSRF token bound to the new session
    return response
  }
}

/** A logged-in client of a new member of `centre`. */
export async function loggedIn(server: FastifyInstance, options: Parameters<typeof createMember>[1] = {}) {
  const member = await createMember(server, options)
  const client = new Client(server)
  await client.login(member.email)
  return { client, ...member }
}
