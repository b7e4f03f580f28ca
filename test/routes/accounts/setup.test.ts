import t from 'tap'
import { createSetupTokenIfEmpty } from '../../../src/features/accounts/accounts.service.ts'
import { build, Client, createMember } from '../../helper.ts'

const form = {
  centreName: 'Lycée Victor Hugo',
  firstName: 'Paul',
  lastName: 'Martin',
  email: 'paul.martin@example.org',
  password: 'un-mot-de-passe-solide',
  confirmation: 'un-mot-de-passe-solide',
}

t.test('the one-time setup page creates the centre and its first admin, then answers 404', async (t) => {
  const server = await build(t)
  const token = (await createSetupTokenIfEmpty(server.db))!
  t.ok(token)
  const client = new Client(server)
  t.equal((await client.get('/installation?jeton=wrong')).statusCode, 404, 'a wrong token is a 404')
  const page = await client.get(`/installation?jeton=${token}`)
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('Nom du centre'))

  const bad = await client.post('/installation', { ...form, jeton: token, centreName: '', password: 'court', confirmation: 'court' })
  t.equal(bad.statusCode, 400)
  t.ok(bad.body.includes('Veuillez indiquer le nom du centre.'))
  t.ok(bad.body.includes('au moins 12 caractères'))
  t.ok(bad.body.includes('value="paul.martin@example.org"'), 'typed values kept')
  t.notOk(bad.body.includes('value="court"'), 'passwords are not sent back')

  const done = await client.post('/installation', { ...form, jeton: token })
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, '/cgu')
  const centre = await server.db.selectFrom('centre').selectAll().executeTakeFirstOrThrow()
  t.equal(centre.name, 'Lycée Victor Hugo')
  const membership = await server.db.selectFrom('membership').selectAll().executeTakeFirstOrThrow()
  t.equal(membership.role, 'admin')
  const cgu = await client.get('/cgu')
  t.ok(cgu.body.includes('Conditions générales d’utilisation'), 'logged in straight away')

  t.equal((await new Client(server).get(`/installation?jeton=${token}`)).statusCode, 404, 'used token')
  const replay = new Client(server)
  await replay.get('/connexion')
  t.equal((await replay.post('/installation', { ...form, jeton: token, email: 'other@example.org' })).statusCode, 404)
  t.equal((await server.db.selectFrom('user').selectAll().execute()).length, 1)
})

t.test('no setup token once an account exists', async (t) => {
  const server = await build(t)
  await createMember(server)
  t.equal(await createSetupTokenIfEmpty(server.db), null)
})

t.test('setup: wrong links count per IP; the right one opened again does not', async (t) => {
  const server = await build(t, { rateLimit: { max: 2, windowMs: 15 * 60_000 } })
  const token = (await createSetupTokenIfEmpty(server.db))!
  const client = new Client(server)
  for (let i = 0; i < 5; i++) t.equal((await client.get(`/installation?jeton=${token}`)).statusCode, 200)
  const statuses: number[] = []
  for (let i = 0; i < 3; i++) statuses.push((await client.get(`/installation?jeton=wrong${i}`)).statusCode)
  t.same(statuses, [404, 404, 429])
})
