import { existsSync } from 'node:fs'
import Fastify from 'fastify'
import app from './app.ts'
import { ConfigError, fastifyTrustProxy, loadConfig } from './config.ts'
import { createSetupTokenIfEmpty } from './features/accounts/accounts.service.ts'
import { PURGE_INTERVAL_MS, purgeExpired } from './features/accounts/purge.ts'
import { purgePersonalData } from './features/privacy/retention.ts'
import { setStrictMessages } from './i18n/index.ts'
import { keepMemoryReducerWorking } from './lib/memory-reducer.ts'

// Whatever this process creates (database, WAL, documents, logs) is for its own account only.
process.umask(0o077)
if (existsSync('.env')) process.loadEnvFile('.env')
let config
try {
  config = loadConfig(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}
setStrictMessages(!config.production)

const server = Fastify({
  logger: {
    level: config.logLevel,
    // Query strings carry one-time tokens (password reset, setup): they never go to the log.
    serializers: { req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url.split('?')[0] }) },
  },
  trustProxy: fastifyTrustProxy(config.trustProxy),
  requestTimeout: 60_000,
  connectionTimeout: 60_000,
  pluginTimeout: 60_000,
})

await server.register(app, { config })

// Without PUBLIC_URL, what is printed and mailed carries the address staff browse.
if (config.production && !config.publicUrlSet) {
  server.log.warn(
    'PUBLIC_URL n’est pas réglé : les convocations, le kit surveillant et les e-mails porteront l’adresse utilisée par le membre du personnel dans son navigateur (réglez PUBLIC_URL pour imposer https://certif.votre-etablissement.fr).',
  )
}

// One-time setup link while nobody has an account yet.
const setupToken = await createSetupTokenIfEmpty(server.db)
if (setupToken) {
  server.log.warn(`Aucun compte n'existe encore. Créez le centre et son premier administrateur ici : ${config.publicUrl}/installation?jeton=${setupToken}`)
}

if (config.oidc?.allowInsecure && config.oidc.issuer.startsWith('http:')) {
  server.log.warn(`OIDC_ALLOW_INSECURE=true : l'émetteur OpenID Connect ${config.oidc.issuer} est joint en http:// (réservé aux tests)`)
}

// Expired web sessions and dead one-time links: purged now, then once a day.
async function purge() {
  try {
    const purged = await purgeExpired(server.db)
    server.log.info({ purged }, 'Purge des sessions et liens expirés')
  } catch (err) {
    server.log.error({ err }, 'La purge des sessions et liens expirés a échoué')
  }
  // Personal data past RETENTION_MONTHS, one session per transaction.
  try {
    const erased = await purgePersonalData(server.db, { months: config!.retentionMonths })
    const { sessions, ...expired } = erased
    server.log.info(
      { sessions: sessions.map((s) => s.id), ...expired },
      `Durée de conservation (${config!.retentionMonths} mois) : ${sessions.length} session(s) effacée(s)`,
    )
  } catch (err) {
    server.log.error({ err }, 'La purge des données personnelles a échoué')
  }
}
await purge()
const purgeTimer = setInterval(purge, PURGE_INTERVAL_MS).unref()
server.addHook('onClose', async () => clearInterval(purgeTimer))

let closing = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (closing) return
    closing = true
    server.log.info(`${signal} reçu : arrêt du serveur`)
    const timer = setTimeout(() => process.exit(1), 10_000)
    server.close().then(
      () => {
        clearTimeout(timer)
        process.exit(0)
      },
      (err: unknown) => {
        server.log.error(err)
        process.exit(1)
      },
    )
  })
}

try {
  await server.listen({ port: config.port, host: config.host })
} catch (err) {
  server.log.error(err)
  process.exit(1)
}
// What start-up (and later each peak) grew is given back once the server is quiet.
keepMemoryReducerWorking()
