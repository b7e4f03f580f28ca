// What other features may use of centres (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export { findCentreByName, insertCentre, upsertMembership } from './centres.repository.ts'
export type { Role } from './centres.table.ts'
