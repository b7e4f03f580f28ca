import { type Locale, translator } from '../../i18n/index.ts'
import type { MailQueue } from '../mail/index.ts'
import { createPasswordReset } from './accounts.service.ts'

/**
 * "Mot de passe oublié": when an account has this address, a single-use link is created and its
 * mail queued (never awaited: the answer waits neither for SMTP nor for its errors), in the
 * language of the page it was asked from. The caller answers the same whether or not it was sent.
 */
export async function sendPasswordReset(
  db: Parameters<typeof createPasswordReset>[0],
  mail: Pick<MailQueue, 'enqueue'>,
  email: string,
  options: { publicUrl: string; locale: Locale },
): Promise<void> {
  const reset = await createPasswordReset(db, email)
  if (!reset) return
  const link = `${options.publicUrl}/mot-de-passe/nouveau?jeton=${reset.token}`
  const t = translator(options.locale)
  mail.enqueue({
    to: reset.user.email,
    subject: t('accounts.reset.mail_subject'),
    text: t('accounts.reset.mail_text', { firstName: reset.user.first_name, link }),
  })
}
