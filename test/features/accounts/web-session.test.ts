import t from 'tap'
import { hashPassword, verifyPassword } from '../../../src/features/accounts/password.ts'
import { generateToken, hashToken } from '../../../src/features/accounts/token.ts'
import {
  createWebSession,
  invalidateSession,
  invalidateUserSessions,
  SESSION_DURATION_MS,
  validateSessionToken,
} from '../../../src/features/accounts/web-session.ts'
import { build, createMember } from '../../helper.ts'

t.test('tokens are random base32 strings of 160 bits; only their SHA-256 is kept', async (t) => {
  const a = generateToken()
  const b = generateToken()
  t.match(a, /^[a-z2-7]{32}$/)
  t.not(a, b)
  t.equal(hashToken(a), hashToken(a))
  t.not(hashToken(a), hashToken(b))
  t.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'SHA-256 test vector')
})

t.test('passwords are hashed with argon2id and verified', async (t) => {
  const hash = await hashPassword('correct horse battery')
  t.match(hash, /^\$argon2id\$/)
  t.ok(await verifyPassword(hash, 'correct horse battery'))
  t.notOk(await verifyPassword(hash, 'correct horse batterz'))
  t.notOk(await verifyPassword('not a hash', 'x'), 'a broken hash is a refusal, not a crash')
})

t.test('sessions: valid, sliding, expired, invalidated', async (t) => {
  const server = await build(t)
  const { userId } = await createMember(server)
  const now = Date.UTC(2026, 0, 1)
  const { token, session } = await createWebSession(server.db, userId, null, now)
  t.equal(session.expiresAt, now + SESSION_DURATION_MS)

  const fresh = await validateSessionToken(server.db, token, now + 1000)
  t.equal(fresh?.user.id, userId)
  t.equal(fresh?.session.expiresAt, now + SESSION_DURATION_MS, 'not extended while more than half is left')

  const later = now + 20 * 24 * 3600 * 1000
  const slid = await validateSessionToken(server.db, token, later)
  t.equal(slid?.session.expiresAt, later + SESSION_DURATION_MS, 'extended past half-life')

  t.equal(await validateSessionToken(server.db, token, later + SESSION_DURATION_MS), null, 'expired')
  t.equal((await server.db.selectFrom('user_session').selectAll().execute()).length, 0, 'expired row removed')

  t.equal(await validateSessionToken(server.db, 'unknown-token', now), null)

  const one = await createWebSession(server.db, userId, null, now)
  const two = await createWebSession(server.db, userId, null, now)
  await invalidateSession(server.db, one.session.id)
  t.equal(await validateSessionToken(server.db, one.token, now), null)
  t.ok(await validateSessionToken(server.db, two.token, now))
  await invalidateUserSessions(server.db, userId)
  t.equal(await validateSessionToken(server.db, two.token, now), null)
})
