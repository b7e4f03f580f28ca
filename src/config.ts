import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Every setting the app reads, from the environment (see .env.example). */
export interface Config {
  dataDir: string
  /** SQLite file; ':memory:' is allowed for tests. */
  databaseFile: string
  uploadsDir: string
  host: string
  port: number
  /** Public address of the app, used in e-mails and on the invigilator kit. */
  publicUrl: string
  /** Sets the Secure flag on cookies: turn on when served over HTTPS. */
  secureCookies: boolean
  /** Signs cookies and CSRF tokens. */
  cookieSecret: string
  logLevel: string
  smtp: { host: string; port: number; secure: boolean; user: string; password: string; from: string } | null
  /** Rate limits (tries per window) for login, password reset, setup and candidate joining. */
  rateLimit: { max: number; windowMs: number }
  production: boolean
}

type Env = Record<string, string | undefined>

/** The cookie secret survives restarts: taken from the environment, else kept in DATA_DIR. */
function loadCookieSecret(env: Env, dataDir: string): string {
  if (env.COOKIE_SECRET) return env.COOKIE_SECRET
  const file = path.join(dataDir, 'cookie-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const secret = randomBytes(32).toString('hex')
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env.DATA_DIR ?? './data')
  mkdirSync(dataDir, { recursive: true })
  const uploadsDir = path.join(dataDir, 'uploads')
  mkdirSync(uploadsDir, { recursive: true })
  const port = Number(env.PORT ?? 3000)
  const host = env.HOST ?? '127.0.0.1'
  return {
    dataDir,
    databaseFile: env.DATABASE_FILE ?? path.join(dataDir, 'certisalle.sqlite'),
    uploadsDir,
    host,
    port,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    secureCookies: env.SECURE_COOKIES === 'true',
    cookieSecret: loadCookieSecret(env, dataDir),
    logLevel: env.LOG_LEVEL ?? 'info',
    smtp: env.SMTP_HOST
      ? {
          host: env.SMTP_HOST,
          port: Number(env.SMTP_PORT ?? 587),
          secure: env.SMTP_SECURE === 'true',
          user: env.SMTP_USER ?? '',
          password: env.SMTP_PASSWORD ?? '',
          from: env.SMTP_FROM ?? 'Certisalle <no-reply@localhost>',
        }
      : null,
    rateLimit: { max: Number(env.RATE_LIMIT_MAX ?? 10), windowMs: Number(env.RATE_LIMIT_WINDOW_MS ?? 15 * 60 * 1000) },
    production: env.NODE_ENV === 'production',
    ...overrides,
  }
}
