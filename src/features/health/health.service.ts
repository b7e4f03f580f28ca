import type { Db } from '../../db/database.ts'
import { pingDatabase } from './health.repository.ts'

/** Whether the database answers (GET /sante): resolves when it does, rejects when it cannot. */
export function checkDatabase(db: Db): Promise<void> {
  return pingDatabase(db)
}
