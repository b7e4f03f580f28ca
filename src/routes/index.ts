import type { FastifyInstance } from 'fastify'
import loginRoutes from './accounts/login.ts'
import passwordRoutes from './accounts/password.ts'
import setupRoutes from './accounts/setup.ts'
import spaceRoutes from './accounts/space.ts'
import sessionRoutes from './sessions/sessions.ts'
import joinRoutes from './joining/join.ts'
import printableRoutes from './printables/printables.ts'
import finalisationRoutes from './finalisation/finalisation.ts'
import candidateRoutes from './candidates/candidates.ts'
import teamRoutes from './team/team.ts'
import invitationRoutes from './team/invitation.ts'
import myAccountRoutes from './accounts/my-account.ts'
import supervisionRoutes from './supervision/supervision.ts'
import batchRoutes from './batch-import/batch-import.ts'
import convocationRoutes from './convocations/convocations.ts'
import languageRoutes from './i18n/language.ts'
import oidcRoutes from './oidc/sign-in.ts'
import operationsRoutes from './operations/operations.ts'
import privacyRoutes from './privacy/privacy.ts'

/** Every route of the app, in one table of contents. Folders are named after the feature folders (src/features/). */
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
