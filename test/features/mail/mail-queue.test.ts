import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import t, { type Test } from 'tap'
import { createMailQueue, type MailLog, recipientRef } from '../../../src/features/mail/mail-queue.ts'

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
  queue.enqueue({ to: 'paul@example.org', subject: 'Lien', text: 'https://lycee.example/mot-de-passe/nouveau?jeton=abc' })
  await queue.drained()
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
  queue.enqueue({ to: 'refuse.me@example.org', subject: 'Lien', text: 'un' })
  queue.enqueue({ to: 'paul@example.org', subject: 'Lien', text: 'deux' })
  await queue.drained()
  t.same(delivered, ['paul@example.org'], 'the next mail still goes')
  const errors = lines.filter((l) => l.level === 'error')
  t.equal(errors.length, 1)
  const logged = JSON.stringify(errors)
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
  queue.enqueue({ to: 'paul@example.org', subject: 'Lien', text: 'un' })
  queue.enqueue({ to: 'julie@example.org', subject: 'Lien', text: 'deux' })
  await queue.close()
  queue.enqueue({ to: 'late@example.org', subject: 'Lien', text: 'trois' })
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
