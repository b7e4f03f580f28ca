import type { FastifyBaseLogger } from 'fastify'
import nodemailer from 'nodemailer'
import type { Config } from '../config.ts'

export interface Mail {
  to: string
  subject: string
  text: string
}

/** Sends by SMTP when configured; otherwise writes the mail to the log, so a link is never lost. */
export async function sendMail(config: Config, log: FastifyBaseLogger, mail: Mail): Promise<void> {
  if (!config.smtp) {
    log.info({ to: mail.to, subject: mail.subject }, `E-mail non envoyé (SMTP non configuré) :\n${mail.text}`)
    return
  }
  const transport = nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    auth: config.smtp.user ? { user: config.smtp.user, pass: config.smtp.password } : undefined,
  })
  await transport.sendMail({ from: config.smtp.from, ...mail })
}
