import type { AddressInfo, Socket } from 'node:net'
import { SMTPServer } from 'smtp-server'
import type { Teardown } from '../helper.ts'

export interface Received {
  /** The envelope sender (MAIL FROM). */
  from: string
  to: string[]
  subject: string
  text: string
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
export function parseMessage(raw: string): { subject: string; text: string } {
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

export interface ListenerOptions {
  /** Recipients answered "550 5.1.1 Utilisateur inconnu" at RCPT TO. */
  refuse?: string[]
  /** While the message's data is being received, the connection is cut: the nth message (1-based) of those, once. */
  dropDuringData?: number
}

/** A real SMTP listener on loopback, keeping every message it accepted. */
export async function smtpListener(t: Teardown, options: ListenerOptions = {}) {
  const received: Received[] = []
  let dataCount = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.includes(address.address)) {
        const error = new Error('5.1.1 Utilisateur inconnu') as Error & { responseCode: number }
        error.responseCode = 550
        return callback(error)
      }
      callback()
    },
    onData(stream, session, callback) {
      dataCount += 1
      const chunks: Buffer[] = []
      if (options.dropDuringData === dataCount) {
        // The connection drops mid-way through the message: nothing is accepted, no answer comes.
        stream.on('data', () => {})
        for (const socket of connections) socket.destroy()
        return
      }
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...parseMessage(Buffer.concat(chunks).toString('utf8')),
        })
        callback()
      })
    },
  })
  const connections = new Set<Socket>()
  server.server.on('connection', (socket: Socket) => {
    connections.add(socket)
    socket.on('close', () => connections.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    received,
    smtp: { host: '127.0.0.1', port, secure: false, user: '', password: '', from: 'Lycée Testix <certif@lycee.test>' },
  }
}
