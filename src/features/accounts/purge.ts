import type { Db } from '../../db/database.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { toTimestamp } from '../../lib/timestamps.ts'

/** How often the running server purges (it also does at start). */
export const PURGE_INTERVAL_MS = 24 * 60 * 60 * 1000

export interface PurgeResult {
  webSessions: number
  passwordResets: number
  setupTokens: number
  /** OpenID sign-ins started and spent, or never finished in time. */
  oidcAttempts: number
}

/**
 * Deletes what can never be used again: expired web sessions, password reset links that expired or
 * were spent, and setup tokens once spent or once an account exists (setup is then closed). Only
 * the hashes are stored, but rows that pile up for ever are still data kept without a reason.
 */
export async function purgeExpired(db: Db, now = Date.now()): Promise<PurgeResult> {
  const cutoff = toTimestamp(now)
  return writeTransaction(db, async (trx) => {
    const webSessions = await trx.deleteFrom('user_session').where('expires_at', '<=', cutoff).executeTakeFirst()
    const passwordResets = await trx
      .deleteFrom('password_reset')
      .where((eb) => eb.or([eb('expires_at', '<=', cutoff), eb('used_at', 'is not', null)]))
      .executeTakeFirst()
    const hasAccount = await trx.selectFrom('user').select('id').limit(1).executeTakeFirst()
    const spentSetupTokens = trx.deleteFrom('setup_token')
    const setupTokens = await (hasAccount ? spentSetupTokens : spentSetupTokens.where('used_at', 'is not', null)).executeTakeFirst()
    const oidcAttempts = await trx
      .deleteFrom('oidc_attempt')
      .where((eb) => eb.or([eb('expires_at', '<=', cutoff), eb('used_at', 'is not', null)]))
      .executeTakeFirst()
    return {
      webSessions: Number(webSessions.numDeletedRows),
      passwordResets: Number(passwordResets.numDeletedRows),
      setupTokens: Number(setupTokens.numDeletedRows),
      oidcAttempts: Number(oidcAttempts.numDeletedRows),
    }
  })
}
