// What other features may use of mail (eslint.config.js: a feature imports another only
// through its index.ts). Add here what another feature needs; routes and tests import any file.
export { recipientRef } from './mail-queue.ts'
export type { Mail, MailLog, MailOutcome, MailQueue } from './mail-queue.ts'
