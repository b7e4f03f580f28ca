import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import t, { type Test } from 'tap'
import { createMailQueue, type MailLog, type MailOutcome, recipientRef } from '../../../src/features/mail/mail-queue.ts'

function recordingLog() {
  const lines: Array<{ level: string; obj: object; msg: string }> = []
  const log: MailLog = {
    info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj, msg }),
  }
  return { log, lines }
}

async function listen(t: Test, server: SMTPServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return (server.server.address() as AddressInfo).port
}

const smtp = (port: number) => ({ host: '127.0.0.1', port, secure: false, user: '', password: '', from: 'Certisalle <no-reply@lycee.example>' })

t.test('without SMTP the mail, link included, is written to the log', async (t) => {
  const { log, lines } = recordingLog()
  const queue = createMailQueue(null, log)
  t.equal(queue.sending, false)
  const outcomes: MailOutcome[] = []
  queue.enqueue({ to: 'paul@example.org', subject: 'Lien', text: 'https://lycee.example/mot-de-passe/nouveau?jeton=abc' }, (o) => void outcomes.push(o))
  await queue.drained()
  t.same(outcomes, [{ status: 'logged' }], 'the caller is told it was only logged')
  t.equal(lines.length, 1)
  t.match(lines[0]!.msg, /jeton=abc/)
  await queue.close()
})

t.test('a refused recipient is logged with the address hashed and blanked from the SMTP message; the queue goes on', async (t) => {
  const delivered: string[] = []
  const port = await listen(
    t,
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, session, callback) {
        if (address.address.startsWith('refuse')) return callback(Object.assign(new Error(`<${address.address}> unknown user`), { responseCode: 550 }))
        callback()
      },
      onData(stream, session, callback) {
        stream.resume()
        stream.on('end', () => {
          delivered.push(session.envelope.rcptTo[0]!.address)
          callback()
        })
      },
    }),
  )
  const { log, lines } = recordingLog()
  const queue = createMailQueue(smtp(port), log)
  t.equal(queue.sending, true)
  const outcomes: Record<string, MailOutcome> = {}
  queue.enqueue({ to: 'refuse.me@example.org', subject: 'Lien', text: 'un' }, async (o) => {
    outcomes.refused = o
    throw new Error('the caller’s own failure') // logged, and the queue goes on
  })
  queue.enqueue({ to: 'paul@example.org', subject: 'Lien', text: 'deux' }, (o) => void (outcomes.sent = o))
  await queue.drained()
  t.same(delivered, ['paul@example.org'], 'the next mail still goes')
  t.same(outcomes.sent, { status: 'sent' })
  t.equal(outcomes.refused?.status, 'failed')
  const error = outcomes.refused?.status === 'failed' ? outcomes.refused.error : ''
  t.match(error, /unknown user/, 'the caller gets the SMTP answer')
  t.notOk(error.includes('refuse.me'), `with the address blanked: ${error}`)
  t.ok(
    lines.some((l) => l.level === 'error' && /Issue d’un e-mail non enregistrée/.test(l.msg)),
    'a failing outcome callback is logged',
  )
  const errors = lines.filter((l) => l.level === 'error' && l.msg === 'E-mail non envoyé : erreur SMTP')
  t.equal(errors.length, 1)
  const logged = JSON.stringify(lines.filter((l) => l.level === 'error'))
  t.notOk(logged.includes('refuse.me'), `no address in the log: ${logged}`)
  t.match(errors[0]!.obj, { recipient: recipientRef('refuse.me@example.org'), responseCode: 550 })
  await queue.close()
})

t.test('close() takes no more mail and does not wait forever for a silent server', async (t) => {
  // A server that accepts the connection and never greets.
  const { createServer } = await import('node:net')
  const sockets: import('node:net').Socket[] = []
  const silent = createServer((socket) => void sockets.push(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    return new Promise<void>((resolve) => silent.close(() => resolve()))
  })
  const { log, lines } = recordingLog()
  const queue = createMailQueue(smtp((silent.address() as AddressInfo).port), log, { closeGraceMs: 50 })
  const outcomes: Record<string, MailOutcome> = {}
  queue.enqueue({ to: 'paul@example.org', subject: 'Lien', text: 'un' })
  queue.enqueue({ to: 'julie@example.org', subject: 'Lien', text: 'deux' }, (o) => void (outcomes.dropped = o))
  await queue.close()
  queue.enqueue({ to: 'late@example.org', subject: 'Lien', text: 'trois' }, (o) => void (outcomes.late = o))
  t.same(outcomes.dropped, { status: 'failed', error: 'E-mail non envoyé : arrêt du serveur' }, 'a mail given up at close is told failed')
  t.same(outcomes.late, { status: 'failed', error: 'E-mail non envoyé : arrêt en cours' }, 'and so is one refused after close')
  const errors = lines.filter((l) => l.level === 'error').map((l) => l.msg)
  t.ok(
    errors.some((m) => /arrêt du serveur/.test(m)),
    'the mails left are logged as dropped',
  )
  t.ok(
    errors.some((m) => /arrêt en cours/.test(m)),
    'a mail after close is refused, and logged',
  )
  t.notOk(JSON.stringify(lines).includes('@example.org'), 'no address in the log')
})
