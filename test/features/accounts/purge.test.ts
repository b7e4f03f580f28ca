import t from 'tap'
import { toTimestamp } from '../../../src/lib/timestamps.ts'
import { createPasswordReset, createSetupTokenIfEmpty, resetPassword } from '../../../src/features/accounts/accounts.service.ts'
import { purgeExpired } from '../../../src/features/accounts/purge.ts'
import { createWebSession, SESSION_DURATION_MS, validateSessionToken } from '../../../src/features/accounts/web-session.ts'
import { build, createMember } from '../../helper.ts'

const HOUR = 60 * 60 * 1000

t.test('expired web sessions and dead reset links are deleted; live ones stay usable', async (t) => {
  const server = await build(t)
  const { userId, email } = await createMember(server)
  const now = Date.UTC(2026, 0, 1)
  const spentReset = await createPasswordReset(server.db, email, now - 10 * 60 * 1000)
  t.ok(await resetPassword(server.db, spentReset!.token, 'Nouveau-mot-de-passe-1', now - 5 * 60 * 1000), 'a spent link')
  t.ok(await createPasswordReset(server.db, email, now - 2 * HOUR), 'a link that expired an hour ago')
  t.ok(await createPasswordReset(server.db, email, now), 'a live link')
  await createWebSession(server.db, userId, null, now - SESSION_DURATION_MS - 1)
  const liveSession = await createWebSession(server.db, userId, null, now)

  // OpenID sign-ins: one spent, one never finished in time, one under way.
  const attempt = (id: string, expiresAt: number, usedAt: number | null) => ({
    id,
    nonce: 'n',
    code_verifier: 'v',
    next_path: null,
    expires_at: toTimestamp(expiresAt),
    used_at: usedAt === null ? null : toTimestamp(usedAt),
  })
  await server.db
    .insertInto('oidc_attempt')
    .values([attempt('spent', now + HOUR, now - 1000), attempt('expired', now - 1000, null), attempt('live', now + HOUR, null)])
    .execute()

  const result = await purgeExpired(server.db, now + 1000)
  t.same(result, { webSessions: 1, passwordResets: 2, setupTokens: 0, oidcAttempts: 2 })
  t.same(
    (await server.db.selectFrom('oidc_attempt').select('id').execute()).map((r) => r.id),
    ['live'],
    'only the sign-in under way is left',
  )
  t.same(
    (await server.db.selectFrom('password_reset').select('expires_at').execute()).map((r) => r.expires_at),
    [toTimestamp(now + HOUR)],
    'only the live link is left',
  )
  t.ok(await validateSessionToken(server.db, liveSession.token, now + 1000), 'the live session still works')
  t.same(await purgeExpired(server.db, now + 1000), { webSessions: 0, passwordResets: 0, setupTokens: 0, oidcAttempts: 0 }, 'nothing more to purge')
})

t.test('setup tokens go once spent, or once an account exists', async (t) => {
  const server = await build(t)
  const token = await createSetupTokenIfEmpty(server.db)
  t.ok(token)
  t.equal((await purgeExpired(server.db)).setupTokens, 0, 'an unused token on an empty database is kept (setup is still open)')
  await createMember(server)
  t.equal((await purgeExpired(server.db)).setupTokens, 1, 'once an account exists it can never be used')
  t.equal((await server.db.selectFrom('setup_token').select('id').execute()).length, 0)
})
