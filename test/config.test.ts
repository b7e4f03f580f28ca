import Fastify from 'fastify'
import t from 'tap'
import { ConfigError, fastifyTrustProxy, loadConfig, settingsSchema } from '../src/config.ts'

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  return ''
}

t.test('defaults: a config with no setting at all', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 3000)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.publicUrl, 'http://localhost:3000')
  t.equal(config.trustProxy, false)
  t.same(config.rateLimit, { max: 10, windowMs: 900_000 })
  t.equal(config.production, false)
  t.equal(config.smtp, null)
  t.equal(config.cookieSecret, '', 'read from DATA_DIR at start-up, not here')
})

t.test('values are converted to their types', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    SECURE_COOKIES: 'true',
    RATE_LIMIT_MAX: '25',
    NODE_ENV: 'production',
    SMTP_HOST: 'smtp.example.org',
    SMTP_PORT: '465',
    SMTP_SECURE: 'true',
    PUBLIC_URL: 'https://certif.lycee.fr/',
  })
  t.equal(config.port, 8080)
  t.equal(config.secureCookies, true)
  t.equal(config.rateLimit.max, 25)
  t.equal(config.production, true)
  t.match(config.smtp, { host: 'smtp.example.org', port: 465, secure: true })
  t.equal(config.publicUrl, 'https://certif.lycee.fr')
  t.equal(loadConfig({ SMTP_HOST: '' }).smtp, null, 'an empty optional setting counts as unset')
})

t.test('each bad value stops with one line naming the variable, the value and what is expected', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: '' }, /^Réglage invalide : PORT="" — attendu : un entier de 0 à 65535$/],
    [{ PORT: 'abc' }, /^Réglage invalide : PORT="abc" — attendu : un entier/],
    [{ PORT: '70000' }, /PORT="70000"/],
    [{ PORT: '3000.5' }, /PORT="3000.5"/],
    [{ RATE_LIMIT_MAX: '' }, /^Réglage invalide : RATE_LIMIT_MAX="" — attendu : un nombre d’essais entier, au moins 1$/],
    [{ RATE_LIMIT_MAX: '0' }, /RATE_LIMIT_MAX="0"/],
    [{ RATE_LIMIT_WINDOW_MS: 'quinze minutes' }, /RATE_LIMIT_WINDOW_MS="quinze minutes" — attendu : une durée en millisecondes/],
    [{ SECURE_COOKIES: 'yes' }, /SECURE_COOKIES="yes" — attendu : true ou false/],
    [{ NODE_ENV: 'prod' }, /NODE_ENV="prod" — attendu : production, development ou test/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL="verbose"/],
    [{ HOST: '' }, /HOST=""/],
    [{ DATA_DIR: '' }, /DATA_DIR="" — attendu : un chemin de dossier/],
    [{ PUBLIC_URL: 'certif.lycee.fr' }, /PUBLIC_URL="certif.lycee.fr" — attendu : une adresse http/],
    [{ SMTP_PORT: 'smtp' }, /SMTP_PORT="smtp"/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY="true" — attendu : false, un nombre de proxys/],
    [{ TRUST_PROXY: '' }, /TRUST_PROXY=""/],
    [{ TRUST_PROXY: '10.0.0.300' }, /TRUST_PROXY="10.0.0.300"/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY="10.0.0.0\/33"/],
    [{ TRUST_PROXY: 'nginx' }, /TRUST_PROXY="nginx"/],
  ]
  for (const [env, expected] of cases) {
    const message = errorOf(env)
    t.match(message, expected, JSON.stringify(env))
    t.equal(message.split('\n').length, 1, 'one line')
  }
})

t.test('several bad values: one line each; secrets are not printed', async (t) => {
  const message = errorOf({ PORT: '', SECURE_COOKIES: 'oui', COOKIE_SECRET: 'trop-court-secret' })
  t.equal(message.split('\n').length, 3)
  t.match(message, /PORT=""/)
  t.match(message, /SECURE_COOKIES="oui"/)
  t.match(message, /COOKIE_SECRET=\(masqué, 17 caractères\) — attendu : au moins 32 caractères/)
  t.notMatch(message, /trop-court-secret/)
})

t.test('DATABASE_URL selects PostgreSQL, with its pool and statement timeout; without it, SQLite in DATA_DIR', async (t) => {
  t.same(loadConfig({}).database, { kind: 'sqlite' })
  const secret = 'x'.repeat(32)
  t.same(loadConfig({ DATABASE_URL: 'postgres://app:pw@db.example:5432/certif', COOKIE_SECRET: secret }).database, {
    kind: 'postgres',
    url: 'postgres://app:pw@db.example:5432/certif',
    poolSize: 10,
    statementTimeoutMs: 10_000,
  })
  t.match(
    loadConfig({ DATABASE_URL: 'postgresql://db/certif', COOKIE_SECRET: secret, DATABASE_POOL_SIZE: '25', DATABASE_STATEMENT_TIMEOUT_MS: '2000' }).database,
    { poolSize: 25, statementTimeoutMs: 2000 },
  )
  const missing = errorOf({ DATABASE_URL: 'postgres://db/certif' })
  t.match(missing, /^Réglage manquant : COOKIE_SECRET est obligatoire avec DATABASE_URL \(PostgreSQL\)/, 'no secret generated per instance')
  t.equal(missing.split('\n').length, 1, 'one line')
  const bad = errorOf({ DATABASE_URL: 'mysql://app:motdepasse@db/certif', COOKIE_SECRET: secret })
  t.match(bad, /DATABASE_URL=\(masqué, \d+ caractères\) — attendu : une adresse postgres:\/\//)
  t.notMatch(bad, /motdepasse/, 'the password in the address is not printed')
  t.match(errorOf({ DATABASE_POOL_SIZE: '0' }), /DATABASE_POOL_SIZE="0"/)
})

t.test('REDIS_URL: the tries counters shared by every instance; without it, in memory', async (t) => {
  t.equal(loadConfig({}).redisUrl, null)
  t.equal(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl, 'redis://127.0.0.1:6379')
  t.match(errorOf({ REDIS_URL: '127.0.0.1:6379' }), /REDIS_URL=\(masqué, 14 caractères\) — attendu : une adresse redis:\/\//)
})

t.test('every setting says what it expects', async (t) => {
  for (const [name, schema] of Object.entries(settingsSchema.properties)) t.ok((schema as { description?: string }).description, name)
})

t.test('TRUST_PROXY: addresses or a hop count; the client address is the one the trusted proxy saw', async (t) => {
  t.same(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1'])
  t.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1)
  t.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false)
  t.same(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy, ['loopback'])

  async function clientIp(setting: string, remoteAddress: string, forwardedFor: string) {
    const app = Fastify({ trustProxy: fastifyTrustProxy(loadConfig({ TRUST_PROXY: setting }).trustProxy) })
    app.get('/', async (request) => request.ip)
    const response = await app.inject({ url: '/', remoteAddress, headers: { 'x-forwarded-for': forwardedFor } })
    await app.close()
    return response.body
  }
  // A client sends its own X-Forwarded-For; the proxy appends the address it really saw.
  t.equal(await clientIp('127.0.0.1', '127.0.0.1', '6.6.6.6, 203.0.113.7'), '203.0.113.7', 'behind the trusted proxy: the real client')
  t.equal(await clientIp('1', '127.0.0.1', '6.6.6.6, 203.0.113.7'), '203.0.113.7', 'one hop: the real client, not the forged one')
  t.equal(await clientIp('127.0.0.1', '198.51.100.9', '6.6.6.6'), '198.51.100.9', 'a peer that is not the proxy cannot choose its address')
  t.equal(await clientIp('false', '127.0.0.1', '203.0.113.7'), '127.0.0.1', 'off: the header is ignored')
})

t.test('.env.example is valid as it stands and leaves npm run dev in development', async (t) => {
  const { readFileSync } = await import('node:fs')
  const { parseEnv } = await import('node:util')
  const example = parseEnv(readFileSync(new URL('../.env.example', import.meta.url), 'utf8'))
  const config = loadConfig(example)
  t.equal(config.production, false)
  t.equal(config.port, 3000)
  for (const name of Object.keys(example)) t.ok(name in settingsSchema.properties, `${name} is a known setting`)
})

t.test('OpenID Connect settings (issue 30): checked together; an http: issuer only with OIDC_ALLOW_INSECURE=true', async (t) => {
  t.equal(loadConfig({}).oidc, null, 'off by default')
  t.equal(loadConfig({}).passwordLogin, true)
  t.same(loadConfig({}).operatorEmails, [])
  const oidc = { OIDC_ISSUER: 'https://auth.example.gouv.fr/api/v2', OIDC_CLIENT_ID: 'certisalle', OIDC_CLIENT_SECRET: 'secret-value' }
  t.same(loadConfig({ ...oidc, OIDC_AUTHORIZATION_PARAMS: 'acr_values=eidas1&idp_id=abc' }).oidc, {
    issuer: 'https://auth.example.gouv.fr/api/v2',
    clientId: 'certisalle',
    clientSecret: 'secret-value',
    label: 'ProConnect',
    scopes: 'openid email profile',
    authorizationParams: { acr_values: 'eidas1', idp_id: 'abc' },
    allowInsecure: false,
  })
  t.match(errorOf({ ...oidc, OIDC_CLIENT_SECRET: '' }), /OIDC_CLIENT_SECRET est obligatoire avec OIDC_ISSUER/)
  t.match(errorOf({ OIDC_CLIENT_ID: 'x' }), /OIDC_ISSUER est obligatoire avec OIDC_CLIENT_ID/)
  const insecure = { ...oidc, OIDC_ISSUER: 'http://127.0.0.1:4000' }
  t.match(errorOf(insecure), /OIDC_ISSUER="http:\/\/127\.0\.0\.1:4000".*OIDC_ALLOW_INSECURE=true/)
  t.equal(loadConfig({ ...insecure, OIDC_ALLOW_INSECURE: 'true' }).oidc?.allowInsecure, true)
  t.match(errorOf({ ...oidc, OIDC_SCOPES: 'email profile' }), /OIDC_SCOPES.*dont openid/, 'openid is required')
  t.notMatch(errorOf({ ...oidc, OIDC_ISSUER: 'ftp://x' }), /secret-value/, 'the secret is never printed')
  t.equal(loadConfig({ PASSWORD_LOGIN: 'false' }).passwordLogin, false)
  t.same(loadConfig({ OPERATOR_EMAILS: 'DSI@ac-test.fr, ops@ac-test.fr' }).operatorEmails, ['dsi@ac-test.fr', 'ops@ac-test.fr'])
  t.match(errorOf({ OPERATOR_EMAILS: 'pas une adresse' }), /OPERATOR_EMAILS/)
})

// The retention period, the privacy contact, and whether PUBLIC_URL was given.
t.test('RETENTION_MONTHS, PRIVACY_CONTACT and PUBLIC_URL set or not', async (t) => {
  const defaults = loadConfig({})
  t.equal(defaults.retentionMonths, 12)
  t.equal(defaults.privacyContact, null)
  t.equal(defaults.publicUrlSet, false, 'without PUBLIC_URL, pages use the address browsed')
  t.equal(loadConfig({ PUBLIC_URL: '' }).publicUrlSet, false, 'empty counts as unset')
  t.equal(loadConfig({ PUBLIC_URL: 'https://certif.lycee.fr/' }).publicUrlSet, true)
  t.equal(loadConfig({ RETENTION_MONTHS: '36', PRIVACY_CONTACT: ' dpo@lycee.fr ' }).retentionMonths, 36)
  t.equal(loadConfig({ PRIVACY_CONTACT: ' dpo@lycee.fr ' }).privacyContact, 'dpo@lycee.fr')
  for (const value of ['0', '121', 'douze', '1.5']) {
    t.equal(
      errorOf({ RETENTION_MONTHS: value }),
      `Réglage invalide : RETENTION_MONTHS=${JSON.stringify(value)} — attendu : une durée de conservation en mois, de 1 à 120, après la finalisation d’une session (12 par défaut)`,
    )
  }
  t.match(errorOf({ PRIVACY_CONTACT: '<script>' }), /^Réglage invalide : PRIVACY_CONTACT="<script>"/)
})
