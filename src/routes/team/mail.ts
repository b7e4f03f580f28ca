import { toTimestamp } from '../../lib/timestamps.ts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { SentInvitation } from '../../features/team/team.service.ts'
import { translator } from '../../i18n/index.ts'
import { formatTimestamp } from '../../lib/dates.ts'
import { oneLine } from '../../lib/text.ts'
import { publicUrlOf } from '../../plugins/app/public-url.ts'
import { displayName } from '../../lib/display-name.ts'

export function invitationLink(request: FastifyRequest, token: string): string {
  return `${publicUrlOf(request)}/invitation?jeton=${token}`
}

/**
 * The one place invitations are mailed, at once (the admin is told which failed). Without SMTP the
 * mail, link included, goes to the server log. Returns the addresses whose sending failed.
 * Written in the inviting admin's language (the invitee's is not known yet).
 */
export async function sendInvitationMails(app: FastifyInstance, request: FastifyRequest, invitations: SentInvitation[]): Promise<string[]> {
  // On one line whatever was stored before the name rules.
  const centre = oneLine(request.centre!.name)
  const inviter = oneLine(displayName(request.user!))
  const failed: string[] = []
  const t = translator(request.locale)
  for (const invitation of invitations) {
    try {
      await app.mail.sendNow({
        to: invitation.email,
        subject: t('team.mail.subject', { centre }),
        text: t('team.mail.text', {
          centre,
          inviter,
          link: invitationLink(request, invitation.token),
          expires: formatTimestamp(toTimestamp(invitation.expiresAt), request.locale),
        }),
      })
    } catch (err) {
      request.log.error({ err, invitationId: invitation.id }, 'Invitation e-mail failed')
      failed.push(invitation.email)
    }
  }
  return failed
}
