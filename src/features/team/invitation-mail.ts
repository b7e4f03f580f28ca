import { type Locale, translator } from '../../i18n/index.ts'
import { formatTimestamp } from '../../lib/dates.ts'
import { oneLine } from '../../lib/text.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import type { Mail } from '../mail/index.ts'

/** The link an invitation mail carries: `publicUrl` is the address the inviting person browses (or PUBLIC_URL). */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/invitation?jeton=${token}`
}

/**
 * The one invitation mail (an admin's invitation, the operator's first administrator of a new
 * centre), written in the inviting person's language (the invitee's is not known yet). The
 * centre's and the inviter's names are kept on one line whatever was stored before the name rules.
 */
/** Who invites, to which centre, the address the link starts with, and the mail's language. */
export interface InvitationMailContext {
  centreName: string
  inviterName: string
  publicUrl: string
  locale: Locale
}

export function invitationMail(invitation: { email: string; token: string; expiresAt: number }, context: InvitationMailContext): Mail {
  const t = translator(context.locale)
  const centre = oneLine(context.centreName)
  return {
    to: invitation.email,
    subject: t('team.mail.subject', { centre }),
    text: t('team.mail.text', {
      centre,
      inviter: oneLine(context.inviterName),
      link: invitationLink(context.publicUrl, invitation.token),
      expires: formatTimestamp(toTimestamp(invitation.expiresAt), context.locale),
    }),
  }
}
