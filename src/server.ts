import { existsSync } from 'node:fs'
import Fastify from 'fastify'
import app from './app.ts'
import { loadConfig } from './config.ts'
import { createSetupTokenIfEmpty } from './features/accounts/accounts.service.ts'

if (existsSync('.env')) process.loadEnvFile('.env')
const config = loadConfig()

const server = Fastify({
  logger: {
    level: config.logLevel,
    // Query strings carry one-time tokens (password reset, setup): they never go to the log.
    serializers: { req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url.split('?')[0] }) },
  },
  trustProxy: process.env.TRUST_PROXY === 'true',
  requestTimeout: 60_000,
  connectionTimeout: 60_000,
  pluginTimeout: 60_000,
})

await server.register(app, { config })

// One-time setup link while nobody has an account yet.
const setupToken = await createSetupTokenIfEmpty(server.db)
if (setupToken) {
  server.log.warn(`Aucun compte n'existe encore. Créez le centre et son premier administrateur ici : ${config.publicUrl}/installation?jeton=${setupToken}`)
}

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
