import t from 'tap'
import { MAX_INVITATIONS_AT_ONCE, parseEmailList, validateInvite } from '../../../src/features/team/invite-form.ts'

t.test('addresses are split on commas, semicolons and line breaks, trimmed, lower-cased, each kept once', async (t) => {
  t.same(parseEmailList(' A@x.fr,b@x.fr ;\n c@x.fr\r\n\r\na@X.FR;; ,'), ['a@x.fr', 'b@x.fr', 'c@x.fr'])
  t.same(parseEmailList(''), [])
})

t.test('validation names every bad address; role defaults to member', async (t) => {
  const ok = validateInvite({ emails: 'a@x.fr', role: '' })
  t.same(ok.errors, {})
  t.equal(ok.role, 'member')
  const bad = validateInvite({ emails: 'a@x.fr, nope, b@, c@x.fr', role: 'admin' })
  t.equal(bad.errors.emails?.key, 'team.invite.emails_invalid')
  t.equal(bad.errors.emails?.params?.emails, 'nope, b@')
  t.equal(validateInvite({ emails: ' ; ', role: 'member' }).errors.emails?.key, 'team.invite.emails_required')
  t.equal(validateInvite({ emails: 'a@x.fr', role: 'root' }).errors.role?.key, 'team.role.invalid')
  const many = Array.from({ length: MAX_INVITATIONS_AT_ONCE + 1 }, (_, i) => `p${i}@x.fr`).join(',')
  t.equal(validateInvite({ emails: many, role: 'member' }).errors.emails?.key, 'team.invite.too_many')
})
