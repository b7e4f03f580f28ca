// What other features may use of sessions (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export { generateAccessCode } from './access-code.ts'
export { generateInvigilatorPassword, PASSWORD_ALPHABET, PASSWORD_LENGTH, PASSWORD_PREFIX } from './invigilator-password.ts'
export { DEFAULT_TEST_DURATION_MINUTES, validateSessionForm } from './session-form.ts'
export type { SessionFormValues, SessionInput } from './session-form.ts'
export { countCandidates, countStartedCandidates, findSessionForCentre, insertSessionWithAccessCode } from './sessions.repository.ts'
export { sessionColumns } from './sessions.service.ts'
export type { SessionRow } from './sessions.table.ts'
export { finalisedRefusal, isStillOpen, sessionStillOpen } from './still-open.ts'
