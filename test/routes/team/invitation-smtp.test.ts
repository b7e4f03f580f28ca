import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import t from 'tap'
import { build, Client, loggedIn, type Teardown } from '../../helper.ts'

interface Received {
  from: string
  to: string[]
  raw: string
}

/** A real SMTP listener on loopback, keeping every message it receives. */
async function smtpListener(t: Teardown): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { port: (server.server.address() as AddressInfo).port, received }
}

/** Quoted-printable to text (UTF-8). */
function fromQuotedPrintable(text: string): string {
  const bytes: number[] = []
  const unfolded = text.replace(/=\r?\n/g, '')
  for (let i = 0; i < unfolded.length; i++) {
    const hex = unfolded[i] === '=' ? /^[0-9A-F]{2}/i.exec(unfolded.slice(i + 1, i + 3)) : null
    if (hex) {
      bytes.push(parseInt(hex[0], 16))
      i += 2
    } else bytes.push(...Buffer.from(unfolded[i]!, 'utf8'))
  }
  return Buffer.from(bytes).toString('utf8')
}

/** Subject and text body of a raw message (RFC 2047 encoded words, quoted-printable or base64 body). */
function parseMessage(raw: string): { subject: string; text: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/)
  const headers = head.replace(/\r?\n[ \t]+/g, ' ')
  const subjectRaw = /^Subject: (.*)$/im.exec(headers)?.[1] ?? ''
  const subject = subjectRaw
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?(.*?)\?=/gi, (_, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : fromQuotedPrintable(data.replace(/_/g, ' ')),
    )
  const body = rest.join('\n\n')
  const encoding = /^Content-Transfer-Encoding: (.*)$/im.exec(headers)?.[1]?.trim().toLowerCase()
  const text = encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : encoding === 'quoted-printable' ? fromQuotedPrintable(body) : body
  return { subject, text }
}

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

  t.equal(smtp.received.length, 1, 'one message received')
  const mail = smtp.received[0]!
  t.same(mail.to, ['nina@example.org'])
  t.equal(mail.from, 'certif@lycee.test')
  const { subject, text: utf8 } = parseMessage(mail.raw)
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

t.test('when the SMTP server refuses, the admin is told and can resend; the invitation is kept', async (t) => {
  // A listener that rejects every recipient.
  const refusing = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo: (_address, _session, callback) => callback(new Error('Boîte inconnue')),
  })
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => refusing.close(() => resolve())))
  const port = (refusing.server.address() as AddressInfo).port
  const server = await build(t, { smtp: { host: '127.0.0.1', port, secure: false, user: '', password: '', from: 'Certisalle <certif@lycee.test>' } })
  const { client: admin } = await loggedIn(server, { centre: 'Lycée Testix' })
  await admin.get('/equipe/invitations')
  const response = await admin.post('/equipe/invitations', { emails: 'perdu@example.org', role: 'member' })
  t.equal(response.statusCode, 303)
  const page = await admin.get(String(response.headers.location))
  t.ok(page.body.includes('L’envoi de l’e-mail a échoué pour perdu@example.org.'), 'the failure is reported')
  t.ok(page.body.includes('Aucune invitation envoyée.'))
  t.equal((await server.db.selectFrom('invitation').selectAll().execute()).length, 1, 'the invitation is kept, to be resent')
})
