// What other features may use of history (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export type { HistoryAction } from './history.table.ts'
export { INVIGILATOR_ACTOR_NAME, isReservedActorName, listHistory, OPERATOR_ACTOR_NAME, recordHistory } from './history.ts'
export type { Actor, ChangeBy } from './history.ts'
