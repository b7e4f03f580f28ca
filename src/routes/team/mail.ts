import type { FastifyInstance, FastifyRequest } from 'fastify'
import { invitationLink as linkFor } from '../../features/team/invitation-mail.ts'
import type { InvitationMailer } from '../../features/team/team.service.ts'
import { publicUrlOf } from '../../plugins/app/public-url.ts'
import { displayName } from '../../lib/display-name.ts'

export function invitationLink(request: FastifyRequest, token: string): string {
  return linkFor(publicUrlOf(request), token)
}

/**
 * How this request's invitations are mailed: through the mail queue (the request never waits for
 * SMTP; the invitation keeps how its mail went, shown on the Équipe page), in the inviting person's
 * language, from the current centre unless `centreName` says otherwise (the operator's new centre).
 * Without SMTP the mail, link included, goes to the server log.
 */
export function invitationMailer(app: FastifyInstance, request: FastifyRequest, centreName = request.centre!.name): InvitationMailer {
  return {
    queue: app.mail,
    context: { centreName, inviterName: displayName(request.user!), publicUrl: publicUrlOf(request), locale: request.locale },
  }
}
