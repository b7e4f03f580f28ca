import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { inviteFields, isRole, validateInvite } from '../../features/team/invite-form.ts'
import {
  changeMemberRole,
  inviteMembers,
  leaveCentre,
  loadTeamPage,
  removeInvitation,
  removeMember,
  resendInvitation,
  type SentInvitation,
  teamCounts,
} from '../../features/team/team.service.ts'
import { listHistory } from '../../features/history/history.ts'
import { msg } from '../../i18n/index.ts'
import { nowTimestamp, toTimestamp } from '../../lib/timestamps.ts'
import { type FieldErrors, formSchema, hasErrors, querySchema, readFields } from '../../lib/forms.ts'
import { parsePage } from '../../lib/pagination.ts'
import { centreId } from '../../plugins/app/auth.ts'
import { changeBy } from '../../plugins/app/actor.ts'
import { invitationLink, invitationMailer } from './mail.ts'

const admin = { role: 'admin' } as const

async function renderTeam(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  tab: 'members' | 'invitations',
  extra: Record<string, unknown> = {},
  status?: number,
) {
  const id = centreId(request)
  const isAdmin = request.centre!.role === 'admin'
  const page = await loadTeamPage(app.db, id, tab, isAdmin)
  return reply.page('team/index', { tab, isAdmin, ...page, now: nowTimestamp(), values: { emails: '', role: 'member' }, errors: {}, ...extra }, status)
}

/**
 * The answer once the invitations are written and their mails queued (how each mail went shows on
 * the invitations tab); without SMTP the admin sees the links once, on the answer to the form itself
 * (never in a cookie or a later page), to pass on by hand.
 */
function answerInvited(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, invitations: SentInvitation[], notes: ReturnType<typeof msg>[]) {
  if (!app.config.smtp && invitations.length) {
    const links = invitations.map((i) => ({ email: i.email, link: invitationLink(request, i.token) }))
    return reply.page('team/links', { links, expiresAt: toTimestamp(invitations[0]!.expiresAt), details: notes })
  }
  const sent = invitations.map((i) => i.email)
  const message = sent.length ? msg('team.invite.sent', { count: sent.length, emails: sent.join(', ') }) : msg('team.invite.nothing_sent')
  return reply.flash(sent.length ? 'success' : 'warning', message, notes.length ? notes : undefined).seeOther('/equipe/invitations')
}

/** Équipe: members, invitations, roles, removal, leaving. */
export default async function teamRoutes(app: FastifyInstance) {
  app.get('/equipe', async (request, reply) => renderTeam(app, request, reply, 'members'))

  app.get('/equipe/invitations', { config: admin }, async (request, reply) => renderTeam(app, request, reply, 'invitations'))

  app.post('/equipe/invitations', { config: admin, schema: { body: formSchema(inviteFields) } }, async (request, reply) => {
    const values = readFields(request.body, inviteFields)
    const validation = validateInvite(values)
    if (!validation.ok) return renderTeam(app, request, reply, 'invitations', { values, errors: validation.errors, inviteOpen: true }, 400)
    const { emails, role } = validation.value
    const { invited, alreadyMembers } = await inviteMembers(app.db, changeBy(request), emails, role, invitationMailer(app, request))
    const notes = alreadyMembers.length ? [msg('team.invite.already_members', { count: alreadyMembers.length, emails: alreadyMembers.join(', ') })] : []
    return answerInvited(app, request, reply, invited, notes)
  })

  app.post('/equipe/invitations/:invitationId/renvoyer', { config: admin, schema: { body: formSchema([]) } }, async (request, reply) => {
    const invitation = await resendInvitation(app.db, changeBy(request), request.invitation.id, invitationMailer(app, request))
    if (!invitation) return reply.callNotFound()
    return answerInvited(app, request, reply, [invitation], [])
  })

  app.post('/equipe/invitations/:invitationId/supprimer', { config: admin, schema: { body: formSchema([]) } }, async (request, reply) => {
    await removeInvitation(app.db, changeBy(request), request.invitation.id)
    return reply.flash('success', msg('team.invitation_deleted', { email: request.invitation.email })).seeOther('/equipe/invitations')
  })

  app.get('/equipe/membres/:memberId/role', { config: admin }, async (request, reply) =>
    reply.page('team/role', { member: request.member, values: { role: request.member.role }, errors: {} }),
  )

  app.post('/equipe/membres/:memberId/role', { config: admin, schema: { body: formSchema(['role']) } }, async (request, reply) => {
    const { role } = readFields(request.body, ['role'])
    if (!isRole(role)) {
      const errors: FieldErrors = { role: msg('team.role.invalid') }
      return reply.page('team/role', { member: request.member, values: { role }, errors }, 400)
    }
    const result = await changeMemberRole(app.db, changeBy(request), request.member.userId, role)
    if (!result.ok) return reply.flash('error', result.refused).seeOther('/equipe')
    return reply.flash('success', msg('team.role.changed')).seeOther('/equipe')
  })

  app.get('/equipe/membres/:memberId/retirer', { config: admin }, async (request, reply) => reply.page('team/remove', { member: request.member }))

  app.post('/equipe/membres/:memberId/retirer', { config: admin, schema: { body: formSchema([]) } }, async (request, reply) => {
    const { member } = request
    const result = await removeMember(app.db, changeBy(request), member.userId)
    if (!result.ok) return reply.flash('error', result.refused).seeOther('/equipe')
    return reply.flash('success', msg('team.remove.done', { firstName: member.firstName, lastName: member.lastName })).seeOther('/equipe')
  })

  const historyQuery = querySchema(['session', 'page'])
  app.withTypeProvider<TypeBoxTypeProvider>().get('/equipe/historique', { config: admin, schema: { querystring: historyQuery } }, async (request, reply) => {
    const id = centreId(request)
    const query = request.query
    const sessionFilter = query.session?.trim() ?? ''
    const errors: FieldErrors = {}
    let sessionId: number | undefined
    if (sessionFilter) {
      if (/^\d{1,15}$/.test(sessionFilter)) sessionId = Number(sessionFilter)
      else errors.session = msg('history.filter.invalid')
    }
    const [history, { memberCount, invitationCount }] = await Promise.all([
      listHistory(app.db, id, { sessionId, page: parsePage(query.page) }),
      teamCounts(app.db, id, true),
    ])
    const historyUrl = (page: number) =>
      `/equipe/historique?${new URLSearchParams({ ...(sessionId !== undefined ? { session: String(sessionId) } : {}), page: String(page) })}`
    return reply.page('history/centre', { history, sessionFilter, errors, historyUrl, memberCount, invitationCount }, hasErrors(errors) ? 400 : undefined)
  })

  app.get('/equipe/quitter', async (request, reply) => reply.page('team/leave', {}))

  app.post('/equipe/quitter', { schema: { body: formSchema([]) } }, async (request, reply) => {
    const centre = request.centre!
    const result = await leaveCentre(app.db, changeBy(request), request.webSession!.id)
    if (!result.ok) return reply.flash('error', result.refused).seeOther('/equipe')
    return reply.flash('success', msg('team.leave.done', { centre: centre.name })).seeOther('/sessions')
  })
}
