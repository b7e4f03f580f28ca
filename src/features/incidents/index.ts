// What other features may use of incidents (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export { ALL_CODES, codeLabel, validateReport } from './report-categories.ts'
export type { ValidReport } from './report-categories.ts'
