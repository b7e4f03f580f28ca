import fp from 'fastify-plugin'
import { createMailQueue, type MailQueue } from '../../features/mail/mail-queue.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Outgoing mail: `app.mail.enqueue({ to, subject, text })` returns at once (see mail-queue.ts). */
    mail: MailQueue
  }
}

/**
 * The mail queue, closed (queued mails sent or given up) when the app closes. Registered after the
 * database, so it closes before it: a mail's outcome may still be written (an invitation's status).
 */
export default fp(
  async (app) => {
    const queue = createMailQueue(app.config.smtp, app.log)
    app.decorate('mail', queue)
    app.addHook('onClose', async () => queue.close())
  },
  { name: 'mail', dependencies: ['config', 'db'] },
)
