// What other features may use of accounts (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export { findUserName, spendPasswordResets } from './accounts.repository.ts'
export { authenticate, createOrFindUser, findUserByEmail, isValidEmail, normalizeEmail, OPERATOR } from './accounts.service.ts'
export type { NewAccount } from './accounts.service.ts'
export { validateName, validateNewPassword } from './my-account.ts'
export { hashPassword } from './password.ts'
export { generateToken, hashToken } from './token.ts'
