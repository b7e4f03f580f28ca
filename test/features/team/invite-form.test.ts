import t from 'tap'
import { type InviteValues, MAX_INVITATIONS_AT_ONCE, parseEmailList, validateInvite } from '../../../src/features/team/invite-form.ts'

function errorsOf(values: InviteValues) {
  const result = validateInvite(values)
  return result.ok ? {} : result.errors
}

t.test('addresses are split on commas, semicolons and line breaks, trimmed, lower-cased, each kept once', async (t) => {
  t.same(parseEmailList(' A@x.fr,b@x.fr ;\n c@x.fr\r\n\r\na@X.FR;; ,'), ['a@x.fr', 'b@x.fr', 'c@x.fr'])
  t.same(parseEmailList(''), [])
})

t.test('validation names every bad address; role defaults to member', async (t) => {
  t.same(validateInvite({ emails: 'a@x.fr', role: '' }), { ok: true, value: { emails: ['a@x.fr'], role: 'member' } })
  const bad = errorsOf({ emails: 'a@x.fr, nope, b@, c@x.fr', role: 'admin' })
  t.equal(bad.emails?.key, 'team.invite.emails_invalid')
  t.equal(bad.emails?.params?.emails, 'nope, b@')
  t.equal(errorsOf({ emails: ' ; ', role: 'member' }).emails?.key, 'team.invite.emails_required')
  t.equal(errorsOf({ emails: 'a@x.fr', role: 'root' }).role?.key, 'team.role.invalid')
  const many = Array.from({ length: MAX_INVITATIONS_AT_ONCE + 1 }, (_, i) => `p${i}@x.fr`).join(',')
  t.equal(errorsOf({ emails: many, role: 'member' }).emails?.key, 'team.invite.too_many')
})
