import t from 'tap'
import { build, Client, loggedIn, PASSWORD } from '../helper.ts'
import { operatorClient } from '../lib/operator.ts'
import { createSession } from '../factories.ts'
import { smtpListener } from '../lib/smtp.ts'

// Issue 30, item 4: the operator console.

function decode(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

t.test('the console lists centres with their members, sessions this year and last activity; the operator lands there', async (t) => {
  const server = await build(t)
  const { client: admin, centreId } = await loggedIn(server, { centre: 'Lycée Hugo', firstName: 'Anne', lastName: 'Admin', email: 'anne@ac-test.fr' })
  await createSession(server.db, centreId, { date: `${new Date().getUTCFullYear()}-06-15` })
  await createSession(server.db, centreId, { date: `${new Date().getUTCFullYear() - 1}-06-15` })
  await admin.get('/sessions')
  const { client } = await operatorClient(server)
  const home = await client.get('/sessions')
  t.equal(home.statusCode, 303)
  t.equal(home.headers.location, '/exploitation', 'an operator of no centre lands on the console')
  const page = await client.get('/exploitation')
  t.equal(page.statusCode, 200)
  const body = decode(page.body)
  t.ok(body.includes('Lycée Hugo'))
  t.ok(body.includes('Anne Admin (anne@ac-test.fr) — Administrateur'), 'the members')
  t.match(body, /<td>1<\/td>/, 'one session this year')
  t.ok(body.includes('href="/exploitation"'), 'the header links to the console')
})

t.test('create a centre and invite its first administrator: the link is shown once; the invitee becomes its admin', async (t) => {
  const server = await build(t)
  const { client, userId } = await operatorClient(server)
  await client.get('/exploitation/centres/nouveau')
  const bad = await client.post('/exploitation/centres/nouveau', { name: '', adminEmail: 'pas-une-adresse' })
  t.equal(bad.statusCode, 400)
  t.ok(decode(bad.body).includes('Veuillez indiquer le nom du centre.'))
  t.ok(bad.body.includes('value="pas-une-adresse"'), 'the typed values are kept')
  const created = await client.post('/exploitation/centres/nouveau', { name: 'Collège Sand', adminEmail: 'Chef@ac-test.fr' })
  t.equal(created.statusCode, 200)
  const token = /\/invitation\?jeton=([a-z2-7]+)/.exec(created.body)?.[1]
  t.ok(token, 'the link, shown once')
  const again = await client.post('/exploitation/centres/nouveau', { name: 'Collège Sand', adminEmail: 'x@ac-test.fr' })
  t.equal(again.statusCode, 400)
  t.ok(decode(again.body).includes('Un centre porte déjà ce nom.'))

  const invitee = new Client(server)
  await invitee.get(`/invitation?jeton=${token}`)
  const accepted = await invitee.post('/invitation/compte', {
    jeton: token!,
    firstName: 'Claire',
    lastName: 'Chef',
    password: PASSWORD,
    confirmation: PASSWORD,
    cgu: 'on',
  })
  t.equal(accepted.headers.location, '/sessions')
  t.ok(decode((await invitee.get('/equipe')).body).includes('Collège Sand'), 'she is in the new centre')
  const centre = await server.db.selectFrom('centre').select('id').where('name', '=', 'Collège Sand').executeTakeFirstOrThrow()
  const role = await server.db.selectFrom('membership').select('role').where('centre_id', '=', centre.id).executeTakeFirstOrThrow()
  t.equal(role.role, 'admin')
  t.same(await server.db.selectFrom('membership').select('centre_id').where('user_id', '=', userId).execute(), [], 'the operator did not become a member')

  const history = decode((await client.get('/exploitation/historique')).body)
  t.ok(history.includes('Centre créé : Collège Sand'), 'the operator’s own history')
})

t.test('rename, deactivate (members can no longer open it, data kept) and reactivate a centre; each in the history', async (t) => {
  const server = await build(t)
  const { client: member, centreId } = await loggedIn(server, { centre: 'Lycée Hugo' })
  const sessionId = (await createSession(server.db, centreId)).id
  t.equal((await member.get(`/sessions/${sessionId}`)).statusCode, 200)
  const { client, userId } = await operatorClient(server)

  await client.get(`/exploitation/centres/${centreId}/renommer`)
  const empty = await client.post(`/exploitation/centres/${centreId}/renommer`, { name: '' })
  t.equal(empty.statusCode, 400)
  t.equal((await client.post(`/exploitation/centres/${centreId}/renommer`, { name: 'Lycée Victor-Hugo' })).statusCode, 303)
  t.equal((await server.db.selectFrom('centre').select('name').where('id', '=', centreId).executeTakeFirstOrThrow()).name, 'Lycée Victor-Hugo')

  await client.get('/exploitation')
  t.equal((await client.post(`/exploitation/centres/${centreId}/desactiver`)).statusCode, 303)
  const refused = await member.get(`/sessions/${sessionId}`)
  t.not(refused.statusCode, 200, 'the member can no longer open it')
  t.equal(refused.headers.location, '/aucun-centre')
  t.ok(await server.db.selectFrom('certification_session').select('id').where('id', '=', sessionId).executeTakeFirst(), 'its data is kept')
  t.ok(decode((await client.get('/exploitation')).body).includes('désactivé le'))

  await client.get('/exploitation')
  t.equal((await client.post(`/exploitation/centres/${centreId}/reactiver`)).statusCode, 303)
  t.equal((await member.get(`/sessions/${sessionId}`)).statusCode, 200, 'open again')

  const actions = await server.db
    .selectFrom('history')
    .select(['action', 'actor_kind', 'actor_name'])
    .where('centre_id', '=', centreId)
    .where('actor_user_id', '=', userId)
    .orderBy('id')
    .execute()
  t.same(
    actions.map((a) => a.action),
    ['centre_renamed', 'centre_deactivated', 'centre_reactivated'],
  )
  t.ok(
    actions.every((a) => a.actor_name === 'Dora Dsi' && a.actor_kind === 'operator'),
    'by the operator, by name',
  )
  t.equal((await client.get('/exploitation/centres/999999/renommer')).statusCode, 404, 'an unknown centre')
})

t.test('OPERATOR_EMAILS makes an account an operator; others get the French 403', async (t) => {
  const server = await build(t, { operatorEmails: ['ops@ac-test.fr'] })
  const { client: ops } = await loggedIn(server, { centre: 'Lycée Hugo', email: 'ops@ac-test.fr' })
  t.equal((await ops.get('/exploitation')).statusCode, 200)
  const { client: admin } = await loggedIn(server, { centre: 'Lycée Hugo', role: 'admin' })
  const refused = await admin.get('/exploitation')
  t.equal(refused.statusCode, 403)
  t.ok(decode(refused.body).includes('Accès réservé à l’exploitation'))
})

t.test('with SMTP the first administrator’s invitation is queued; a refused mail shows in the console', async (t) => {
  const refusing = await smtpListener(t, { refuse: ['perdu@ac-test.fr'] })
  const server = await build(t, { smtp: refusing.smtp })
  const { client } = await operatorClient(server)
  await client.get('/exploitation/centres/nouveau')
  const created = await client.post('/exploitation/centres/nouveau', { name: 'Collège Sand', adminEmail: 'chef@ac-test.fr' })
  t.equal(created.statusCode, 303, 'the request only queues the mail')
  t.notMatch(created.body, /jeton=/)
  t.equal((await client.post('/exploitation/centres/nouveau', { name: 'Collège Hugo', adminEmail: 'perdu@ac-test.fr' })).statusCode, 303)
  await server.mail.drained()
  t.same(
    refusing.received.map((m) => m.to),
    [['chef@ac-test.fr']],
    'the accepted mail arrived',
  )
  const overview = decode((await client.get('/exploitation')).body)
  const rowOf = (name: string) => {
    const cell = overview.indexOf(`<td>${name}`)
    return cell < 0 ? '' : overview.slice(cell, overview.indexOf('</tr>', cell))
  }
  t.match(rowOf('Collège Hugo'), 'L’e-mail d’invitation à perdu@ac-test.fr n’est pas parti.', 'the refused mail is told')
  t.match(rowOf('Collège Hugo'), /Réponse du serveur de messagerie : [^<]*Utilisateur inconnu/)
  t.notMatch(rowOf('Collège Sand'), 'n’est pas parti', 'not for the mail that left')
})
