import type { FastifyInstance } from 'fastify'
import loginRoutes from './accounts/login.ts'
import passwordRoutes from './accounts/password.ts'
import setupRoutes from './accounts/setup.ts'
import spaceRoutes from './accounts/space.ts'
import sessionRoutes from './sessions/index.ts'
import joinRoutes from './join.ts'
import printableRoutes from './sessions/printables.ts'
import finalisationRoutes from './sessions/finalisation.ts'
import candidateRoutes from './sessions/candidates.ts'
import teamRoutes from './team/index.ts'
import invitationRoutes from './team/invitation.ts'
import myAccountRoutes from './accounts/my-account.ts'
import supervisionRoutes from './supervision.ts'
import batchRoutes from './sessions/batch.ts'
import convocationRoutes from './sessions/convocations.ts'
import languageRoutes from './language.ts'
import oidcRoutes from './accounts/oidc.ts'
import operationsRoutes from './operations.ts'
import privacyRoutes from './privacy.ts'

/** Every route of the app, in one table of contents. Folders mirror the URLs' features. */
export default async function routes(app: FastifyInstance) {
  await app.register(loginRoutes)
  await app.register(passwordRoutes)
  await app.register(setupRoutes)
  await app.register(spaceRoutes)
  await app.register(sessionRoutes)
  await app.register(joinRoutes)
  await app.register(printableRoutes)
  await app.register(finalisationRoutes)
  await app.register(candidateRoutes)
  await app.register(teamRoutes)
  await app.register(invitationRoutes)
  await app.register(myAccountRoutes)
  await app.register(supervisionRoutes)
  await app.register(batchRoutes)
  await app.register(convocationRoutes)
  await app.register(languageRoutes)
  await app.register(oidcRoutes)
  await app.register(operationsRoutes)
  await app.register(privacyRoutes)
}
