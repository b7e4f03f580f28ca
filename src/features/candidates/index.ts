// What other features may use of candidates (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export { approvalText } from './accommodation.ts'
export { BIRTH_CODE_FIELDS, withBirthplace } from './birthplace.ts'
export type { BirthCodeField } from './birthplace.ts'
export { CANDIDATE_FIELDS, candidateKey, cleanText, communeWarning, validateCandidate } from './candidate-rules.ts'
export type { CandidateData, CandidateField, CandidateInput } from './candidate-rules.ts'
export type { LineProblem } from './candidates.import.ts'
export {
  deleteCandidatesOfSession,
  findCandidateInSession,
  hasStarted,
  insertCandidates,
  listCandidatesForSheet,
  listCandidatesWithCourse,
} from './candidates.repository.ts'
export { candidateName } from './candidates.service.ts'
export type { CandidateRow, ConvocationLanguage } from './candidates.table.ts'
export { BIRTHPLACE_REQUIRED, matchHeader, missingTitlesText, PIX_TITLES, quotedTitles } from './header-match.ts'
export type { HeaderRules } from './header-match.ts'
export { repackOds } from './ods/export.ts'
export { birthdateValue, extraTimeValue } from './ods/import.ts'
export { BIRTH_CODE_TITLES, SHEET_COLUMNS, titleKey, titlesOf } from './ods/sheet-layout.ts'
export { personNameKey, samePersonName } from './person-name.ts'
export { placeKey } from './places.ts'
