import t from 'tap'
import { build, Client, createMember, stopTriesClock } from '../helper.ts'
import { startRedis } from '../lib/redis.ts'

// Several instances behind one proxy: with REDIS_URL, a limit counts the tries made on all of them.
t.test('with REDIS_URL, the login limit counts the failures made through two instances together', async (t) => {
  const redisUrl = await startRedis(t)
  const a = await build(t, { rateLimit: { max: 3, windowMs: 15 * 60_000 }, redisUrl })
  const b = await build(t, { rateLimit: { max: 3, windowMs: 15 * 60_000 }, redisUrl })
  stopTriesClock(a, b)
  const email = 'partage@example.org'
  await createMember(a, { email })
  await createMember(b, { email })
  const [onA, onB] = [new Client(a), new Client(b)]
  await onA.get('/connexion')
  await onB.get('/connexion')
  const statuses = [
    (await onA.post('/connexion', { email, password: 'wrong-password-123' })).statusCode,
    (await onB.post('/connexion', { email, password: 'wrong-password-123' })).statusCode,
    (await onA.post('/connexion', { email, password: 'wrong-password-123' })).statusCode,
    (await onB.post('/connexion', { email, password: 'wrong-password-123' })).statusCode,
  ]
  t.same(statuses, [401, 401, 401, 429], 'the fourth try, on B, is refused: B saw only one failure itself')
})

t.test('without REDIS_URL, each instance counts its own failures (docs/security.md says what that means)', async (t) => {
  const a = await build(t, { rateLimit: { max: 3, windowMs: 15 * 60_000 } })
  const b = await build(t, { rateLimit: { max: 3, windowMs: 15 * 60_000 } })
  stopTriesClock(a, b)
  const email = 'seul@example.org'
  await createMember(a, { email })
  await createMember(b, { email })
  const [onA, onB] = [new Client(a), new Client(b)]
  await onA.get('/connexion')
  await onB.get('/connexion')
  for (let i = 0; i < 3; i++) t.equal((await onA.post('/connexion', { email, password: 'wrong-password-123' })).statusCode, 401)
  t.equal((await onA.post('/connexion', { email, password: 'wrong-password-123' })).statusCode, 429)
  t.equal((await onB.post('/connexion', { email, password: 'wrong-password-123' })).statusCode, 401, 'B has not seen A’s failures')
})
