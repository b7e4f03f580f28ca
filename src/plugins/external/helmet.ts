import fastifyHelmet from '@fastify/helmet'
import fp from 'fastify-plugin'

/** No inline script anywhere: scripts live in public/js and only enhance pages that work without them. */
export default fp(
  async (app) => {
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: app.config.secureCookies ? [] : null,
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: app.config.secureCookies,
    })
  },
  { name: 'helmet', dependencies: ['config'] },
)
