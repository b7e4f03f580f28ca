import type { Kysely } from 'kysely'

/**
 * Sign-in through OpenID Connect and the operator console.
 * - `user.oidc_sub`: the provider's subject, stored at the first sign-in (matched then on a
 *   verified e-mail, or through an invitation); unique: one identity, one account.
 * - `user.operator_since`: the account may use /exploitation (`create-user … --operator`); null: not.
 * - `centre.deactivated_at`: the operator deactivated the centre (its members can no longer open
 *   it; its data is kept); null: active.
 * - `user_session.oidc_id_token`: the ID token of a session opened through the provider, the
 *   `id_token_hint` of RP-initiated logout; null for a password login.
 * - `oidc_attempt`: one row per sign-in started (the hash of its `state`, with the nonce and the
 *   PKCE verifier it needs back), spent at the callback so a replayed `state` is refused. The
 *   state itself, and an invitation's token being accepted, stay in the browser's signed cookie.
 * Dialect-neutral (text columns, Kysely's schema builder). Frozen: imports no app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user').addColumn('oidc_sub', 'text').execute()
  await db.schema.createIndex('user_oidc_sub_idx').on('user').column('oidc_sub').unique().execute()
  await db.schema.alterTable('user').addColumn('operator_since', 'text').execute()
  await db.schema.alterTable('centre').addColumn('deactivated_at', 'text').execute()
  await db.schema.alterTable('user_session').addColumn('oidc_id_token', 'text').execute()
  await db.schema
    .createTable('oidc_attempt')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('next_path', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_attempt').execute()
  await db.schema.alterTable('user_session').dropColumn('oidc_id_token').execute()
  await db.schema.alterTable('centre').dropColumn('deactivated_at').execute()
  await db.schema.alterTable('user').dropColumn('operator_since').execute()
  await db.schema.dropIndex('user_oidc_sub_idx').execute()
  await db.schema.alterTable('user').dropColumn('oidc_sub').execute()
}
