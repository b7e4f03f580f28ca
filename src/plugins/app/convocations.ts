import fp from 'fastify-plugin'
import { type ConvocationSender, createConvocationSender } from '../../features/convocations/sender.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The background sender of convocation e-mails: `app.convocations.wake()` after queueing (see sender.ts). */
    convocations: ConvocationSender
  }
}

/**
 * The convocation sender, through the mail queue's transport (`app.mail.sendNow`: one way of
 * sending mail). Started once the app is ready (a restart resumes what was queued), stopped
 * before the database closes.
 */
export default fp(
  async (app) => {
    const sender = createConvocationSender({
      db: app.db,
      send: (mail) => app.mail.sendNow(mail),
      log: app.log,
      publicUrl: app.config.publicUrl,
      perMinute: app.config.convocationsPerMinute,
      poll: app.config.smtp !== null,
    })
    app.decorate('convocations', sender)
    app.addHook('onReady', async () => {
      if (app.config.smtp) sender.wake()
    })
    // Before the onClose hooks close the mail transport and the database.
    app.addHook('preClose', async () => sender.stop())
  },
  { name: 'convocations', dependencies: ['config', 'db', 'mail'] },
)
