import t from 'tap'
import { createSetupTokenIfEmpty } from '../../src/features/accounts/accounts.service.ts'
import { build, Client, loggedIn } from '../helper.ts'

// validateName (src/features/accounts/my-account.ts) is the one rule for an account's name: setup,
// the invitation page and Mon compte refuse the same names with the same message, keep what was
// typed, and store nothing. It once differed: Mon compte stored control characters setup refused.

const decode = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')

const refusedNames = [
  { firstName: 'Ju\u001blie', lastName: 'Martin', message: 'caractère de contrôle invisible (U+001B)' },
  { firstName: 'Julie', lastName: 'Mar\ttin', message: 'caractère de contrôle invisible (U+0009)' },
  { firstName: 'Julie\r\nCliquez ici', lastName: 'Martin', message: 'caractère de contrôle invisible (U+000D)' },
  { firstName: 'Julie', lastName: 'nitraM\u202e', message: 'caractère de contrôle invisible (U+202E)' },
  { firstName: 'Julie', lastName: 'x'.repeat(256), message: '255 caractères au maximum' },
  { firstName: 'Surveillant', lastName: '(mot de passe de session)', message: 'Ce nom est réservé' },
]
const password = 'un-mot-de-passe-solide'

t.test('setup, the invitation page and Mon compte refuse the same names alike', async (t) => {
  // Setup is only open on an empty database: its own app.
  const empty = await build(t)
  const token = (await createSetupTokenIfEmpty(empty.db))!
  const setup = new Client(empty)
  await setup.get(`/installation?jeton=${token}`)
  const server = await build(t)
  const { client: admin } = await loggedIn(server, { centre: 'Centre A' })
  await admin.get('/equipe/invitations')
  const invited = await admin.post('/equipe/invitations', { emails: 'nina@example.org', role: 'member' })
  const [invitation] = [...invited.body.matchAll(/\/invitation\?jeton=([a-z2-7]+)/g)].map((m) => m[1]!)
  t.ok(invitation, 'an invitation link')
  const visitor = new Client(server)
  await visitor.get(`/invitation?jeton=${invitation}`)
  await admin.get('/mon-compte')
  const users = async () => (await server.db.selectFrom('user').select(['first_name', 'last_name']).orderBy('id').execute()).length

  const before = await users()
  for (const { firstName, lastName, message } of refusedNames) {
    const posts = {
      '/installation': () =>
        setup.post('/installation', { jeton: token, centreName: 'Lycée Hugo', firstName, lastName, email: 'a@example.org', password, confirmation: password }),
      '/invitation/compte': () => visitor.post('/invitation/compte', { jeton: invitation!, firstName, lastName, password, confirmation: password, cgu: 'on' }),
      '/mon-compte/nom': () => admin.post('/mon-compte/nom', { firstName, lastName }),
    }
    for (const [url, post] of Object.entries(posts)) {
      const response = await post()
      const body = decode(response.body)
      t.equal(response.statusCode, 400, `${url}: ${JSON.stringify(firstName + ' ' + lastName)} refused`)
      t.ok(body.includes(message), `${url}: ${message}`)
      t.ok(body.includes(`value="${lastName}"`), `${url}: the typed last name kept`)
    }
  }
  t.equal(await users(), before, 'no account created')
  t.equal((await empty.db.selectFrom('user').select('id').execute()).length, 0, 'setup created nobody')
  t.same(
    await server.db.selectFrom('user').select(['first_name', 'last_name']).orderBy('id').executeTakeFirstOrThrow(),
    { first_name: 'Paul', last_name: 'Martin' },
    'nobody renamed',
  )
})
