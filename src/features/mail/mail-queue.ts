import { createHash } from 'node:crypto'
import type { Transporter } from 'nodemailer'
import type { Config } from '../../config.ts'

export interface Mail {
  to: string
  subject: string
  text: string
}

/** The part of a logger the queue uses (pino, Fastify's logger, or a test double). */
export interface MailLog {
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface MailQueue {
  /** Queues the mail and returns at once: the caller never waits for SMTP, and never sees its errors. */
  enqueue(mail: Mail): void
  /**
   * Sends at once and lets an SMTP error reach the caller: for a member of staff who must know that
   * a mail did not leave (an invitation to resend), never for a public form.
   */
  sendNow(mail: Mail): Promise<void>
  /** Resolves once every queued mail has been sent or given up. */
  drained(): Promise<void>
  /** Takes no more mail, waits for the queued ones (at most `closeGraceMs`), closes the transport. */
  close(): Promise<void>
}

/** Beyond this many waiting mails, new ones are dropped (and logged): memory stays bounded. */
const MAX_QUEUED = 500

/** How a recipient appears in the log: a short hash, never the address itself. */
export function recipientRef(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('hex').slice(0, 12)
}

/** An SMTP error message with every e-mail address blanked (servers often echo the recipient). */
function redact(text: string): string {
  return text.replace(/[^\s<>()[\]",;:@]+@[^\s<>()[\]",;:@]+/g, '[adresse]')
}

function describeError(err: unknown): Record<string, unknown> {
  const e = (err ?? {}) as { code?: unknown; command?: unknown; responseCode?: unknown; message?: unknown }
  return { code: e.code, command: e.command, responseCode: e.responseCode, error: redact(String(e.message ?? err)) }
}

/**
 * An in-process mail queue: the web request enqueues and answers straight away, whether the
 * address is known or not and whether SMTP answers in 5 ms, 300 ms or never; mails are sent one
 * after another in the background. SMTP failures go to the log, with the recipient hashed, and
 * never reach a page or crash the process. Without SMTP the mail (and its link) is written to the
 * log instead, so a link is never lost.
 */
export function createMailQueue(smtp: Config['smtp'], log: MailLog, options: { closeGraceMs?: number } = {}): MailQueue {
  const closeGraceMs = options.closeGraceMs ?? 5_000
  // nodemailer is loaded with the first mail (an idle server does not hold it).
  let transport: Transporter | null = null
  async function smtpTransport(config: NonNullable<Config['smtp']>): Promise<Transporter> {
    const { default: nodemailer } = await import('nodemailer')
    return (transport ??= nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: config.password } : undefined,
      // nodemailer waits minutes by default; a mail that cannot go in a few seconds is logged.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    }))
  }
  const pending: Mail[] = []
  let running: Promise<void> | null = null
  let closed = false

  async function deliver(mail: Mail): Promise<void> {
    if (!smtp) {
      log.info({ to: mail.to, subject: mail.subject }, `E-mail non envoyé (SMTP non configuré) :\n${mail.text}`)
      return
    }
    try {
      await (await smtpTransport(smtp)).sendMail({ from: smtp.from, ...mail })
      log.info({ recipient: recipientRef(mail.to) }, 'E-mail envoyé')
    } catch (err) {
      log.error({ recipient: recipientRef(mail.to), ...describeError(err) }, 'E-mail non envoyé : erreur SMTP')
    }
  }

  async function run(): Promise<void> {
    try {
      for (let mail = pending.shift(); mail; mail = pending.shift()) await deliver(mail)
    } finally {
      running = null
    }
  }

  return {
    enqueue(mail) {
      if (closed || pending.length >= MAX_QUEUED) {
        log.error(
          { recipient: recipientRef(mail.to), queued: pending.length },
          closed ? 'E-mail non envoyé : arrêt en cours' : 'E-mail non envoyé : file d’attente pleine',
        )
        return
      }
      pending.push(mail)
      running ??= run()
    },
    async sendNow(mail) {
      if (!smtp) return deliver(mail)
      await (await smtpTransport(smtp)).sendMail({ from: smtp.from, ...mail })
      log.info({ recipient: recipientRef(mail.to) }, 'E-mail envoyé')
    },
    drained() {
      return running ?? Promise.resolve()
    },
    async close() {
      closed = true
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), closeGraceMs)
        timer.unref()
      })
      const outcome = await Promise.race([this.drained(), late])
      clearTimeout(timer)
      if (outcome === 'late' && pending.length > 0) log.error({ dropped: pending.length }, 'E-mails non envoyés : arrêt du serveur')
      pending.length = 0
      transport?.close()
    },
  }
}
