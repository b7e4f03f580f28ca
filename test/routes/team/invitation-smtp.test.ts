import t from 'tap'
import { build, Client, loggedIn } from '../../helper.ts'
import { smtpListener } from '../../lib/smtp.ts'

t.test('with SMTP configured, the invitation is mailed and its link lets the newcomer in', async (t) => {
  const smtp = await smtpListener(t)
  const server = await build(t, {
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: '', password: '', from: 'Certisalle <certif@lycee.test>' },
    publicUrl: 'http://certif.lycee.test',
  })
  const { client: admin } = await loggedIn(server, { centre: 'Lycée Testix', firstName: 'Anne', lastName: 'Admin' })
  await admin.get('/equipe/invitations')
  const response = await admin.post('/equipe/invitations', { emails: 'nina@example.org', role: 'member' })
  t.equal(response.statusCode, 303, 'with SMTP, no link on screen: a flash and a redirect')
  const after = await admin.get(String(response.headers.location))
  t.ok(after.body.includes('Une invitation a bien été envoyée à l’adresse e-mail nina@example.org.'))
  t.notMatch(after.body, /jeton=/, 'the link is not shown to the admin')

  // The request only queued the mail: wait for the queue to be done with it.
  await server.mail.drained()
  t.equal(smtp.received.length, 1, 'one message received')
  const mail = smtp.received[0]!
  t.same(mail.to, ['nina@example.org'])
  t.equal(mail.from, 'certif@lycee.test')
  const { subject, text: utf8 } = mail
  t.equal(subject, 'Invitation à rejoindre Lycée Testix sur Certisalle', 'the subject names the centre')
  t.ok(utf8.includes('Anne Admin vous invite à rejoindre le centre de certification Lycée Testix'), 'who invited, and the centre')
  t.match(utf8, /valable jusqu’au \d{1,2} \S+ \d{4}/, 'the expiry date')
  const link = /http:\/\/certif\.lycee\.test(\/invitation\?jeton=[a-z2-7]+)/.exec(utf8)?.[1]
  t.ok(link, 'the link')

  const visitor = new Client(server)
  const page = await visitor.get(link!)
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('Vous êtes invité(e) à rejoindre le centre de certification Lycée Testix'))
  const joined = await visitor.post('/invitation/compte', {
    jeton: /jeton=([a-z2-7]+)/.exec(link!)![1]!,
    firstName: 'Nina',
    lastName: 'Nguyen',
    password: 'Secret-1234-abcd',
    confirmation: 'Secret-1234-abcd',
    cgu: 'on',
  })
  t.equal(joined.statusCode, 303)
  t.ok((await visitor.get('/sessions')).body.includes('Vous avez rejoint le centre Lycée Testix.'))
})

t.test('a name stored before the name rules cannot add a paragraph or a link to the invitation e-mail (issue 23, item 7)', async (t) => {
  const smtp = await smtpListener(t)
  const server = await build(t, {
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: '', password: '', from: 'Certisalle <certif@lycee.test>' },
    publicUrl: 'http://certif.lycee.test',
  })
  const { client: admin, userId } = await loggedIn(server, { centre: 'Lycée Testix', firstName: 'Anne', lastName: 'Admin' })
  // Written straight to the database, as the old forms accepted it.
  await server.db
    .updateTable('user')
    .set({ last_name: 'Admin\n\nVotre compte expire : reconnectez-vous sur https://faux.example\n\u202e' })
    .where('id', '=', userId)
    .execute()
  await admin.get('/equipe/invitations')
  t.equal((await admin.post('/equipe/invitations', { emails: 'nina@example.org', role: 'member' })).statusCode, 303)
  await server.mail.drained()
  const text = smtp.received[0]!.text
  t.ok(text.includes('Anne Admin Votre compte expire : reconnectez-vous sur https://faux.example'), 'the name stays inside its sentence')
  t.notMatch(text, /\n\s*Votre compte expire/, 'no paragraph of its own')
  t.notOk(text.includes('\u202e'), 'no bidi override')
})

t.test('when the SMTP server refuses, the Équipe page tells the admin, who can resend; the invitation is kept', async (t) => {
  // A listener that rejects the recipient.
  const refusing = await smtpListener(t, { refuse: ['perdu@example.org'] })
  const server = await build(t, { smtp: { ...refusing.smtp, from: 'Certisalle <certif@lycee.test>' } })
  const { client: admin } = await loggedIn(server, { centre: 'Lycée Testix' })
  await admin.get('/equipe/invitations')
  const response = await admin.post('/equipe/invitations', { emails: 'perdu@example.org, nina@example.org', role: 'member' })
  t.equal(response.statusCode, 303, 'the request only queues the mails: it answers without waiting for SMTP')
  // The mails go after the answer; how each went is written on its invitation.
  await server.mail.drained()
  const page = await admin.get(String(response.headers.location))
  t.ok(page.body.includes('L’envoi de l’e-mail a échoué pour perdu@example.org.'), 'the failure is reported')
  const rowOf = (body: string, email: string) => {
    const cell = body.indexOf(`<td>${email}</td>`)
    return cell < 0 ? '' : body.slice(body.lastIndexOf('<tr>', cell), body.indexOf('</tr>', cell))
  }
  const lost = rowOf(page.body, 'perdu@example.org')
  t.match(lost, 'Échec de l’envoi', 'the row of the refused address says so')
  const answer = /Réponse du serveur de messagerie : ([^<]*)/.exec(lost)?.[1] ?? ''
  t.match(answer, 'Utilisateur inconnu', 'with the mail server’s answer')
  t.notMatch(answer, /@/, 'addresses blanked from it')
  t.match(lost, 'Renvoyer l’invitation', 'to be resent from its row')
  t.match(rowOf(page.body, 'nina@example.org'), /Envoyé le /, 'the other mail left')
  t.equal(refusing.received.length, 1, 'one message accepted')
  t.equal((await server.db.selectFrom('invitation').selectAll().execute()).length, 2, 'the invitation is kept, to be resent')
  t.same(
    (await server.db.selectFrom('invitation').select(['email', 'mail_status']).orderBy('email').execute()).map((i) => [i.email, i.mail_status]),
    [
      ['nina@example.org', 'sent'],
      ['perdu@example.org', 'failed'],
    ],
  )

  // Resent: waiting again, then failed again (the older mail's outcome never overwrites the new one).
  const id = (await server.db.selectFrom('invitation').select('id').where('email', '=', 'perdu@example.org').executeTakeFirstOrThrow()).id
  const resent = await admin.post(`/equipe/invitations/${id}/renvoyer`, {})
  t.equal(resent.statusCode, 303)
  const status = async () => (await server.db.selectFrom('invitation').select('mail_status').where('id', '=', id).executeTakeFirstOrThrow()).mail_status
  await server.mail.drained()
  t.equal(await status(), 'failed')
})

t.test('an invitation mail still waiting shows so; the outcome of an older mail does not overwrite a resent one', async (t) => {
  const smtp = await smtpListener(t)
  const server = await build(t, { smtp: { ...smtp.smtp, from: 'Certisalle <certif@lycee.test>' } })
  const { client: admin } = await loggedIn(server, { centre: 'Lycée Testix' })
  // Held: the queue takes the mails but does not send them until the test says so.
  const held: Array<() => Promise<void>> = []
  const enqueue = server.mail.enqueue.bind(server.mail)
  server.mail.enqueue = (mail, onOutcome) => void held.push(async () => enqueue(mail, onOutcome))
  await admin.get('/equipe/invitations')
  t.equal((await admin.post('/equipe/invitations', { emails: 'nina@example.org', role: 'member' })).statusCode, 303)
  t.match((await admin.get('/equipe/invitations')).body, 'En attente d’envoi', 'queued, not sent yet')
  const id = (await server.db.selectFrom('invitation').select('id').executeTakeFirstOrThrow()).id
  t.equal((await admin.post(`/equipe/invitations/${id}/renvoyer`, {})).statusCode, 303)
  t.equal(held.length, 2)
  // The first mail (its token is no longer the invitation's) goes; its outcome is not written.
  await held[0]!()
  await server.mail.drained()
  const row = () => server.db.selectFrom('invitation').select(['mail_status']).where('id', '=', id).executeTakeFirstOrThrow()
  t.equal((await row()).mail_status, 'queued', 'the resent mail still waits')
  await held[1]!()
  await server.mail.drained()
  t.equal((await row()).mail_status, 'sent')
  t.equal(smtp.received.length, 2)
})
