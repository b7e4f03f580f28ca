// What other features may use of team (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export { upsertInvitation } from './team.repository.ts'
export { INVITATION_DURATION_MS } from './team.service.ts'
export type { SentInvitation } from './team.service.ts'
