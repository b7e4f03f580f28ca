import type { frFeatures } from '../fr/index.ts'
import type { MessageKey, Plural, Translation } from '../index.ts'
import { common } from './common.ts'
import { accounts } from './accounts.ts'
import { session } from './session.ts'
import { sessions } from './sessions.ts'
import { joining } from './joining.ts'
import { printables } from './printables.ts'
import { finalisation } from './finalisation.ts'
import { candidates } from './candidates.ts'
import { team } from './team.ts'
import { history } from './history.ts'
import { supervision } from './supervision.ts'
import { batchImport } from './batch-import.ts'
import { convocations } from './convocations.ts'
import { oidc } from './oidc.ts'
import { operations } from './operations.ts'
import { privacy } from './privacy.ts'

/**
 * The English catalog: one file per feature of src/i18n/fr/, the same keys (each file is typed
 * `Translation<typeof the French file>`, so a key or a feature missing here fails `npm run typecheck`).
 */
export const enFeatures: { [F in keyof typeof frFeatures]: Translation<(typeof frFeatures)[F]> } = {
  common,
  accounts,
  session,
  sessions,
  joining,
  printables,
  finalisation,
  candidates,
  team,
  history,
  supervision,
  batchImport,
  convocations,
  oidc,
  operations,
  privacy,
}

export const en: Partial<Record<MessageKey, string | Plural>> = Object.assign({}, ...Object.values(enFeatures))
