import type { Catalog } from '../index.ts'
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

/** One file per feature; keys are prefixed by the feature's name. Each has its English twin in src/i18n/en/. */
export const frFeatures = {
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

export const fr = {
  ...common,
  ...accounts,
  ...session,
  ...sessions,
  ...joining,
  ...printables,
  ...finalisation,
  ...candidates,
  ...team,
  ...history,
  ...supervision,
  ...batchImport,
  ...convocations,
  ...oidc,
  ...operations,
  ...privacy,
} satisfies Catalog
