import fp from 'fastify-plugin'
import { OidcClient } from '../../features/oidc/oidc-client.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The OpenID Connect client, or null when OIDC_ISSUER is not set. */
    oidc: OidcClient | null
  }
}

/** One client per app: the provider's metadata is discovered at the first sign-in, and again after a failure. */
export default fp(
  async (app) => {
    app.decorate('oidc', app.config.oidc ? new OidcClient(app.config.oidc, app.config.publicUrl) : null)
  },
  { name: 'oidc', dependencies: ['config'] },
)
