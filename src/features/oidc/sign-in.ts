import type { Db } from '../../db/database.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { msg } from '../../i18n/index.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import { findUserByEmail, normalizeEmail, spendPasswordResets } from '../accounts/index.ts'
import type { OidcIdentity } from './oidc-client.ts'

export interface OidcAccount {
  id: number
  name: string
  email: string
  cguAccepted: boolean
}

/**
 * The account an identity signs in to, never a new one: the account linked to
 * its `sub`; else, once, the account whose address the provider vouches for (`email_verified`),
 * which is then linked to the `sub` (later changes of the address at the provider change nothing).
 * `null` when no account is linked or matches: the caller refuses, or an invitation decides.
 */
export async function findOidcAccount(db: Db, identity: OidcIdentity, label: string): Promise<Ok<OidcAccount | null> | Refusal> {
  return writeTransaction(db, async (trx) => {
    const linked = await trx.selectFrom('user').selectAll().where('oidc_sub', '=', identity.sub).executeTakeFirst()
    const user = linked ?? (identity.email ? await findUserByEmail(trx, identity.email) : undefined)
    if (!user) return ok(null)
    if (!linked) {
      if (!identity.emailVerified) return refused(msg('oidc.refused.unverified', { label, email: normalizeEmail(identity.email ?? '') }))
      if (user.oidc_sub !== null) return refused(msg('oidc.refused.other_identity', { label }))
      await trx.updateTable('user').set({ oidc_sub: identity.sub }).where('id', '=', user.id).where('oidc_sub', 'is', null).execute()
    }
    // Like a password login: older reset links found later in a mailbox are worth nothing.
    await spendPasswordResets(trx, user.id)
    return ok({ id: user.id, name: `${user.first_name} ${user.last_name}`, email: user.email, cguAccepted: user.cgu_accepted_at !== null })
  })
}
