import t from 'tap'
import { invitationLink, invitationMail } from '../../../src/features/team/invitation-mail.ts'

// The one invitation mail, built in the team feature for the admins' invitations and the operator's console alike.
t.test('the mail names the centre and the inviter, carries the link and the expiry, in the inviter’s language', async (t) => {
  const invitation = { email: 'nina@example.org', token: 'abc234', expiresAt: Date.UTC(2027, 0, 15, 9, 0) }
  const context = { centreName: 'Lycée Testix', inviterName: 'Anne Admin', publicUrl: 'http://certif.lycee.test', locale: 'fr' as const }
  const mail = invitationMail(invitation, context)
  t.equal(mail.to, 'nina@example.org')
  t.equal(mail.subject, 'Invitation à rejoindre Lycée Testix sur Certisalle')
  t.ok(mail.text.includes('Anne Admin vous invite à rejoindre le centre de certification Lycée Testix'))
  t.ok(mail.text.includes('http://certif.lycee.test/invitation?jeton=abc234'))
  t.match(mail.text, /valable jusqu’au 15 janvier 2027/)
  t.equal(invitationLink('http://x.test', 'tok'), 'http://x.test/invitation?jeton=tok')
  const english = invitationMail(invitation, { ...context, locale: 'en' })
  t.not(english.subject, mail.subject, 'in English for an English-speaking admin')
})

t.test('a name stored before the name rules stays on one line', async (t) => {
  const mail = invitationMail(
    { email: 'nina@example.org', token: 'abc', expiresAt: Date.UTC(2027, 0, 15) },
    { centreName: 'Lycée\nTestix', inviterName: 'Anne\n\nAdmin\u202e', publicUrl: 'http://x.test', locale: 'fr' },
  )
  t.notMatch(mail.subject, /\n/)
  t.ok(mail.text.includes('Anne Admin'), 'the inviter on one line')
  t.notOk(mail.text.includes('\u202e'))
})
