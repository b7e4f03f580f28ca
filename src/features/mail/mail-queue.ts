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

/**
 * How a queued mail ended: SMTP accepted it, refused it (its answer, addresses blanked; also a mail
 * the queue dropped), or, without SMTP, it was written to the log.
 */
export type MailOutcome = { status: 'sent' } | { status: 'failed'; error: string } | { status: 'logged' }

/** Told how a queued mail ended (e.g. to record it on the row it is about); its errors are logged. */
export type OnMailOutcome = (outcome: MailOutcome) => Promise<void> | void

export interface MailQueue {
  /** Whether mails really leave (SMTP configured); without SMTP they are written to the log. */
  readonly sending: boolean
  /**
   * Queues the mail and returns at once: the caller never waits for SMTP, and never sees its errors.
   * `onOutcome`, if given, is called once the mail is sent or given up (before `drained()` resolves).
   */
  enqueue(mail: Mail, onOutcome?: OnMailOutcome): void
  /**
   * Sends at once and lets an SMTP error reach the caller: for a background sender that keeps its
   * own state (the convocations' queue table), never in a request (ESLint refuses it in routes).
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
  const pending: Array<{ mail: Mail; onOutcome?: OnMailOutcome }> = []
  let running: Promise<void> | null = null
  let closed = false

  async function deliver(mail: Mail): Promise<MailOutcome> {
    if (!smtp) {
      log.info({ to: mail.to, subject: mail.subject }, `E-mail non envoyé (SMTP non configuré) :\n${mail.text}`)
      return { status: 'logged' }
    }
    try {
      await (await smtpTransport(smtp)).sendMail({ from: smtp.from, ...mail })
      log.info({ recipient: recipientRef(mail.to) }, 'E-mail envoyé')
      return { status: 'sent' }
    } catch (err) {
      const described = describeError(err)
      log.error({ recipient: recipientRef(mail.to), ...described }, 'E-mail non envoyé : erreur SMTP')
      return { status: 'failed', error: String(described.error) }
    }
  }

  /** Tells the caller how its mail ended; a failure there (a database busy) is logged, never thrown. */
  async function report(mail: Mail, onOutcome: OnMailOutcome | undefined, outcome: MailOutcome): Promise<void> {
    try {
      await onOutcome?.(outcome)
    } catch (err) {
      log.error({ recipient: recipientRef(mail.to), err }, 'Issue d’un e-mail non enregistrée')
    }
  }

  async function run(): Promise<void> {
    try {
      for (let item = pending.shift(); item; item = pending.shift()) await report(item.mail, item.onOutcome, await deliver(item.mail))
    } finally {
      running = null
    }
  }

  return {
    sending: smtp !== null,
    enqueue(mail, onOutcome) {
      if (closed || pending.length >= MAX_QUEUED) {
        const error = closed ? 'E-mail non envoyé : arrêt en cours' : 'E-mail non envoyé : file d’attente pleine'
        log.error({ recipient: recipientRef(mail.to), queued: pending.length }, error)
        void report(mail, onOutcome, { status: 'failed', error })
        return
      }
      pending.push({ mail, onOutcome })
      running ??= run()
    },
    async sendNow(mail) {
      if (!smtp) return void (await deliver(mail))
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
      // The mails given up are told so (an invitation shows "failed", to be resent), not left "queued".
      const dropped = pending.splice(0)
      await Promise.all(dropped.map((item) => report(item.mail, item.onOutcome, { status: 'failed', error: 'E-mail non envoyé : arrêt du serveur' })))
      transport?.close()
    },
  }
}
