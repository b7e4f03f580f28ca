import { isIP } from 'node:net'
import path from 'node:path'
import envSchema from 'env-schema'
import Type, { type Static } from 'typebox'

/**
 * Every setting the app reads from the environment (see .env.example), in one schema: the
 * `description` is what the error line says is expected. Adding a setting is one entry here
 * (plus its field in `Config` below). A setting with a default may not be empty; an optional one
 * (no default) that is set to an empty value counts as unset.
 */
export const settingsSchema = Type.Object({
  DATA_DIR: Type.String({ minLength: 1, default: './data', description: 'un chemin de dossier' }),
  DATABASE_FILE: Type.Optional(Type.String({ description: 'un chemin de fichier SQLite' })),
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://\\S+$', description: 'une adresse postgres://utilisateur:mot-de-passe@serveur:5432/base' }),
  ),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 1000, default: 10, description: 'un nombre de connexions entier, au moins 1' }),
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 3_600_000,
    default: 10_000,
    description: 'une durée en millisecondes, de 100 à 3600000 (1 heure)',
  }),
  HOST: Type.String({ pattern: '^[A-Za-z0-9.:%_-]+$', default: '127.0.0.1', description: 'une adresse d’écoute (127.0.0.1, 0.0.0.0, ::)' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'un entier de 0 à 65535' }),
  PUBLIC_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^/\\s?#]+(/\\S*)?$', description: 'une adresse http:// ou https:// (https://certif.lycee.fr)' }),
  ),
  TRUST_PROXY: Type.String({
    default: 'false',
    pattern:
      '^(false|[0-9]{1,2}|(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(/[0-9]{1,3})?)( *, *(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(/[0-9]{1,3})?))*)$',
    description: 'false, un nombre de proxys (1) ou leurs adresses IP séparées par des virgules (127.0.0.1, 10.0.0.0/8)',
  }),
  SECURE_COOKIES: Type.Boolean({ default: false, description: 'true ou false' }),
  COOKIE_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'au moins 32 caractères' })),
  NODE_ENV: Type.Union([Type.Literal('production'), Type.Literal('development'), Type.Literal('test')], {
    default: 'development',
    description: 'production, development ou test',
  }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info', description: 'fatal, error, warn, info, debug, trace ou silent' },
  ),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10, description: 'un nombre d’essais entier, au moins 1' }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({
    minimum: 1000,
    maximum: 86_400_000,
    default: 900_000,
    description: 'une durée en millisecondes, de 1000 (1 s) à 86400000 (1 jour)',
  }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://\\S+$', description: 'une adresse redis://serveur:6379' })),
  SMTP_HOST: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.:_-]+$', description: 'un nom de serveur SMTP (smtp.example.org)' })),
  SMTP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 587, description: 'un entier de 1 à 65535' }),
  SMTP_SECURE: Type.Boolean({ default: false, description: 'true ou false' }),
  SMTP_USER: Type.Optional(Type.String({ description: 'un identifiant' })),
  SMTP_PASSWORD: Type.Optional(Type.String({ description: 'un mot de passe' })),
  SMTP_FROM: Type.String({
    minLength: 3,
    default: 'Certisalle <no-reply@localhost>',
    description: 'une adresse d’expéditeur (Certisalle <no-reply@example.org>)',
  }),
  CONVOCATIONS_PER_MINUTE: Type.Integer({
    minimum: 1,
    maximum: 600,
    default: 30,
    description: 'un nombre entier de convocations envoyées par minute, de 1 à 600 (les serveurs de messagerie des établissements limitent souvent le débit)',
  }),
  OIDC_ISSUER: Type.Optional(
    Type.String({ pattern: '^https?://[^\\s?#]+$', description: 'l’adresse de l’émetteur OpenID Connect (https://auth.agentconnect.gouv.fr/api/v2)' }),
  ),
  OIDC_CLIENT_ID: Type.Optional(Type.String({ pattern: '^\\S+$', description: 'l’identifiant client déclaré chez le fournisseur d’identité' })),
  OIDC_CLIENT_SECRET: Type.Optional(Type.String({ description: 'le secret client donné par le fournisseur d’identité' })),
  OIDC_LABEL: Type.String({
    minLength: 1,
    maxLength: 60,
    default: 'ProConnect',
    description: 'le nom du bouton de connexion, 60 caractères au plus (ProConnect)',
  }),
  OIDC_SCOPES: Type.String({
    pattern: '^([A-Za-z0-9_:.-]+ +)*openid( +[A-Za-z0-9_:.-]+)*$',
    default: 'openid email profile',
    description: 'des portées séparées par des espaces, dont openid (openid email profile)',
  }),
  OIDC_AUTHORIZATION_PARAMS: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_.-]+=[^&\\s]*(&[A-Za-z0-9_.-]+=[^&\\s]*)*$',
      description: 'des paramètres ajoutés à la demande d’autorisation (acr_values=eidas1&idp_id=…)',
    }),
  ),
  OIDC_ALLOW_INSECURE: Type.Boolean({ default: false, description: 'true ou false (true : émetteur http:// accepté, pour les tests seulement)' }),
  PASSWORD_LOGIN: Type.Boolean({ default: true, description: 'true ou false (false : connexion par OpenID Connect seulement, sauf pour l’exploitation)' }),
  OPERATOR_EMAILS: Type.Optional(
    Type.String({ pattern: '^ *[^\\s,@]+@[^\\s,@]+( *, *[^\\s,@]+@[^\\s,@]+)* *$', description: 'des adresses e-mail séparées par des virgules' }),
  ),
  RETENTION_MONTHS: Type.Integer({
    minimum: 1,
    maximum: 120,
    default: 12,
    description: 'une durée de conservation en mois, de 1 à 120, après la finalisation d’une session (12 par défaut)',
  }),
  PRIVACY_CONTACT: Type.Optional(
    Type.String({
      maxLength: 500,
      pattern: '^[^<>]*$',
      description: 'le contact pour les données personnelles (délégué à la protection des données), sans < ni > (dpo@lycee.fr)',
    }),
  ),
})

type Settings = Static<typeof settingsSchema>

/** Values never printed in an error line. */
const SECRET_SETTINGS = new Set(['COOKIE_SECRET', 'SMTP_PASSWORD', 'DATABASE_URL', 'REDIS_URL', 'OIDC_CLIENT_SECRET'])

/** Every setting the app reads, already checked (see `settingsSchema`). */
export interface Config {
  dataDir: string
  /** SQLite file; ':memory:' is allowed for tests. Unused when `database` is PostgreSQL. */
  databaseFile: string
  /**
   * Where the data lives: SQLite in `databaseFile` (the default), or PostgreSQL (DATABASE_URL) with a
   * pool of `poolSize` connections and statements stopped after `statementTimeoutMs`.
   */
  database: { kind: 'sqlite' } | { kind: 'postgres'; url: string; poolSize: number; statementTimeoutMs: number }
  uploadsDir: string
  host: string
  port: number
  /** Public address of the app, used in e-mails and on the invigilator kit. */
  publicUrl: string
  /**
   * PUBLIC_URL was set. Without it, pages and e-mails made for a request use the address the staff
   * member is browsing (`request.publicUrl`); `publicUrl` (localhost) only serves the CLI and the log.
   */
  publicUrlSet: boolean
  /**
   * Which peers may set X-Forwarded-For (Fastify's `trustProxy`): false (nobody, the default), the
   * number of proxies in front of the app, or their addresses / CIDR ranges.
   */
  trustProxy: false | number | string[]
  /** Sets the Secure flag on cookies: turn on when served over HTTPS. */
  secureCookies: boolean
  /** Signs cookies and CSRF tokens. Empty until `prepareDataDir` reads (or creates) DATA_DIR/cookie-secret. */
  cookieSecret: string
  logLevel: string
  smtp: { host: string; port: number; secure: boolean; user: string; password: string; from: string } | null
  /** Convocation e-mails sent per minute at most, by the background sender. */
  convocationsPerMinute: number
  /** Months after its finalisation when a session's personal data is erased (not while on hold). */
  retentionMonths: number
  /** Who candidates and staff write to about their personal data (the DPO), shown on "Données personnelles"; null: not given. */
  privacyContact: string | null
  /** DATA_DIR/pages: the installation's own text of "Données personnelles" and "Accessibilité", when present. */
  pagesDir: string
  /** Rate limits (tries per window) for login, password reset, setup and candidate joining. */
  rateLimit: { max: number; windowMs: number }
  /** Where the tries counters live: Redis, shared by every instance; null: in this process's memory. */
  redisUrl: string | null
  /** NODE_ENV=production: templates cached, static files cached, lenient message lookup. */
  production: boolean
  /**
   * Sign-in through an OpenID Connect provider: discovery from `issuer`, authorization
   * code flow with PKCE, state and nonce; the redirect URI is `{publicUrl}/connexion/oidc/retour`.
   * null: no OIDC button. `allowInsecure`: an http: issuer (tests only; warned about at start).
   */
  oidc: {
    issuer: string
    clientId: string
    clientSecret: string
    label: string
    scopes: string
    authorizationParams: Record<string, string>
    allowInsecure: boolean
  } | null
  /** false: staff sign in through OIDC only; operators keep their password (PASSWORD_LOGIN). */
  passwordLogin: boolean
  /** Accounts that may use the operator console (/exploitation) besides those marked by the CLI; normalised. */
  operatorEmails: string[]
}

type Env = Record<string, string | undefined>

/** A setting that does not match the schema; `message` has one line per bad variable. */
export class ConfigError extends Error {
  readonly lines: string[]
  constructor(lines: string[]) {
    super(lines.join('\n'))
    this.lines = lines
    this.name = 'ConfigError'
  }
}

function describe(name: string): string {
  const schema = (settingsSchema.properties as Record<string, { description?: string }>)[name]
  return schema?.description ?? 'une valeur valide'
}

function invalid(name: string, value: string | undefined): string {
  const shown = SECRET_SETTINGS.has(name) ? `(masqué, ${value?.length ?? 0} caractères)` : JSON.stringify(value ?? '')
  return `Réglage invalide : ${name}=${shown} — attendu : ${describe(name)}`
}

/** TRUST_PROXY (already shaped by the schema's pattern) → Fastify's trustProxy; null when an address is not an IP. */
function parseTrustProxy(value: string): Config['trustProxy'] | null {
  if (value === 'false' || value === '0') return false
  if (/^[0-9]+$/.test(value)) return Number(value)
  const entries = value.split(',').map((entry) => entry.trim())
  for (const entry of entries) {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) continue
    const [address = '', bits] = entry.split('/')
    const family = isIP(address)
    if (!family) return null
    if (bits !== undefined && Number(bits) > (family === 4 ? 32 : 128)) return null
  }
  return entries
}

/**
 * Config's trustProxy as Fastify takes it. A hop count becomes a function: Fastify 5 turns a plain
 * number into "trust nobody", because a hop count trusts whoever connects directly; it is safe
 * only when the app can be reached through the proxy alone (HOST=127.0.0.1). Addresses are safer.
 */
export function fastifyTrustProxy(trustProxy: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy === 'number') return (_address: string, hop: number) => hop < trustProxy
  return trustProxy
}

/**
 * Reads and checks every setting. Pure: no file is read or written (DATA_DIR, its modes and the
 * cookie secret are the start-up's job, see `prepareDataDir` in src/data-dir.ts). Throws a
 * `ConfigError` naming each bad variable, its value and what is expected.
 */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const required = new Set<string>(settingsSchema.required ?? [])
  const data: Record<string, string> = {}
  for (const name of Object.keys(settingsSchema.properties)) {
    const value = env[name]
    if (value === undefined || (value === '' && !required.has(name))) continue
    data[name] = value
  }
  let settings: Settings
  try {
    settings = envSchema<Settings>({ schema: structuredClone(settingsSchema), data, env: false })
  } catch (error) {
    const errors = (error as { errors?: Array<{ instancePath: string }> }).errors
    if (!errors) throw error
    const names = [...new Set(errors.map((e) => e.instancePath.replace(/^\//, '')))]
    throw new ConfigError(names.map((name) => invalid(name, env[name])))
  }
  const trustProxy = parseTrustProxy(settings.TRUST_PROXY)
  if (trustProxy === null) throw new ConfigError([invalid('TRUST_PROXY', env.TRUST_PROXY)])

  // Several instances on one PostgreSQL must sign cookies alike: no secret generated per DATA_DIR.
  if (settings.DATABASE_URL && !settings.COOKIE_SECRET) {
    throw new ConfigError([
      'Réglage manquant : COOKIE_SECRET est obligatoire avec DATABASE_URL (PostgreSQL) — attendu : au moins 32 caractères, les mêmes pour toutes les instances',
    ])
  }

  const oidc = oidcConfig(settings, env)

  const dataDir = path.resolve(settings.DATA_DIR)
  return {
    dataDir,
    databaseFile: settings.DATABASE_FILE ?? path.join(dataDir, 'certisalle.sqlite'),
    database: settings.DATABASE_URL
      ? {
          kind: 'postgres',
          url: settings.DATABASE_URL,
          poolSize: settings.DATABASE_POOL_SIZE,
          statementTimeoutMs: settings.DATABASE_STATEMENT_TIMEOUT_MS,
        }
      : { kind: 'sqlite' },
    uploadsDir: path.join(dataDir, 'uploads'),
    host: settings.HOST,
    port: settings.PORT,
    publicUrl: (settings.PUBLIC_URL ?? `http://localhost:${settings.PORT}`).replace(/\/+$/, ''),
    // An address given in the overrides (tests) counts as set, like PUBLIC_URL.
    publicUrlSet: settings.PUBLIC_URL !== undefined || overrides.publicUrl !== undefined,
    trustProxy,
    secureCookies: settings.SECURE_COOKIES,
    cookieSecret: settings.COOKIE_SECRET ?? '',
    logLevel: settings.LOG_LEVEL,
    smtp: settings.SMTP_HOST
      ? {
          host: settings.SMTP_HOST,
          port: settings.SMTP_PORT,
          secure: settings.SMTP_SECURE,
          user: settings.SMTP_USER ?? '',
          password: settings.SMTP_PASSWORD ?? '',
          from: settings.SMTP_FROM,
        }
      : null,
    convocationsPerMinute: settings.CONVOCATIONS_PER_MINUTE,
    retentionMonths: settings.RETENTION_MONTHS,
    privacyContact: settings.PRIVACY_CONTACT?.trim() || null,
    pagesDir: path.join(dataDir, 'pages'),
    rateLimit: { max: settings.RATE_LIMIT_MAX, windowMs: settings.RATE_LIMIT_WINDOW_MS },
    redisUrl: settings.REDIS_URL ?? null,
    production: settings.NODE_ENV === 'production',
    oidc,
    passwordLogin: settings.PASSWORD_LOGIN,
    operatorEmails: (settings.OPERATOR_EMAILS ?? '')
      .split(',')
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
    ...overrides,
  }
}

/** The OIDC settings go together: an issuer needs its client id and secret; http: only with OIDC_ALLOW_INSECURE=true. */
function oidcConfig(settings: Settings, env: Env): Config['oidc'] {
  const issuer = settings.OIDC_ISSUER
  if (!issuer) {
    const orphan = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter((name) => settings[name])
    if (orphan.length) throw new ConfigError([`Réglage manquant : OIDC_ISSUER est obligatoire avec ${orphan.join(' et ')}`])
    return null
  }
  const missing = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter((name) => !settings[name])
  if (missing.length) throw new ConfigError(missing.map((name) => `Réglage manquant : ${name} est obligatoire avec OIDC_ISSUER — attendu : ${describe(name)}`))
  if (issuer.startsWith('http:') && !settings.OIDC_ALLOW_INSECURE) {
    throw new ConfigError([`${invalid('OIDC_ISSUER', env.OIDC_ISSUER)} en https:// (http:// seulement avec OIDC_ALLOW_INSECURE=true, pour les tests)`])
  }
  return {
    issuer,
    clientId: settings.OIDC_CLIENT_ID!,
    clientSecret: settings.OIDC_CLIENT_SECRET!,
    label: settings.OIDC_LABEL,
    scopes: settings.OIDC_SCOPES.trim().replace(/ +/g, ' '),
    authorizationParams: Object.fromEntries(new URLSearchParams(settings.OIDC_AUTHORIZATION_PARAMS ?? '')),
    allowInsecure: settings.OIDC_ALLOW_INSECURE,
  }
}
