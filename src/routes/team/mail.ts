import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { SentInvitation } from '../../features/team/team.service.ts'
import { t } from '../../i18n/index.ts'
import { formatTimestamp } from '../../lib/dates.ts'
import { sendMail } from '../../lib/mailer.ts'

export function invitationLink(app: FastifyInstance, token: string): string {
  return `${app.config.publicUrl}/invitation?jeton=${token}`
}

/**
 * The one place invitations are mailed (the mailer may become a queue). Without SMTP the mailer
 * writes the mail, link included, to the server log. Returns the addresses whose sending failed.
 */
export async function sendInvitationMails(app: FastifyInstance, request: FastifyRequest, invitations: SentInvitation[]): Promise<string[]> {
  const centre = request.centre!.name
  const inviter = `${request.user!.firstName} ${request.user!.lastName}`
  const failed: string[] = []
  for (const invitation of invitations) {
    try {
      await sendMail(app.config, request.log, {
        to: invitation.email,
        subject: t('team.mail.subject', { centre }),
        text: t('team.mail.text', { centre, inviter, link: invitationLink(app, invitation.token), expires: formatTimestamp(new Date(invitation.expiresAt).toISOString()) }),
      })
    } catch (err) {
      request.log.error({ err, invitationId: invitation.id }, 'Invitation e-mail failed')
      failed.push(invitation.email)
    }
  }
  return failed
}
