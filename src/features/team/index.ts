// What other features may use of team (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export { upsertInvitation } from './team.repository.ts'
export { INVITATION_DURATION_MS, initialMailStatus, mailInvitations } from './team.service.ts'
export type { InvitationMailer, SentInvitation } from './team.service.ts'
