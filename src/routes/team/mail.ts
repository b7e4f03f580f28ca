import type { FastifyInstance, FastifyRequest } from 'fastify'
import { invitationLink as linkFor, invitationMail } from '../../features/team/invitation-mail.ts'
import type { SentInvitation } from '../../features/team/team.service.ts'
import { publicUrlOf } from '../../plugins/app/public-url.ts'
import { displayName } from '../../lib/display-name.ts'

export function invitationLink(request: FastifyRequest, token: string): string {
  return linkFor(publicUrlOf(request), token)
}

/**
 * The one place invitations are mailed, at once (the admin is told which failed). Without SMTP the
 * mail, link included, goes to the server log. Returns the addresses whose sending failed. The
 * mail itself is the team feature's (`invitationMail`), in the inviting admin's language.
 */
export async function sendInvitationMails(app: FastifyInstance, request: FastifyRequest, invitations: SentInvitation[]): Promise<string[]> {
  const context = {
    centreName: request.centre!.name,
    inviterName: displayName(request.user!),
    publicUrl: publicUrlOf(request),
    locale: request.locale,
  }
  const failed: string[] = []
  for (const invitation of invitations) {
    try {
      await app.mail.sendNow(invitationMail(invitation, context))
    } catch (err) {
      request.log.error({ err, invitationId: invitation.id }, 'Invitation e-mail failed')
      failed.push(invitation.email)
    }
  }
  return failed
}
