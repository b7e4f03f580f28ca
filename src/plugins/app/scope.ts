import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { CandidateRow } from '../../features/candidates/candidates.table.ts'
import { findCandidateInSession } from '../../features/candidates/candidates.repository.ts'
import { findDocumentInSession, findReportInSession } from '../../features/finalisation/finalisation.repository.ts'
import type { ReportRow, SessionDocumentRow } from '../../features/finalisation/finalisation.table.ts'
import { findSessionForCentre } from '../../features/sessions/sessions.repository.ts'
import type { SessionRow } from '../../features/sessions/sessions.table.ts'
import { isFinalised } from '../../features/sessions/still-open.ts'
import type { InvitationRow } from '../../features/team/team.table.ts'
import { findInvitation, findMember, type Member } from '../../features/team/team.repository.ts'
import { findSessionById } from '../../features/supervision/supervision.repository.ts'
import type { Actor } from '../../features/supervision/supervision.service.ts'
import { parseId } from '../../lib/ids.ts'
import { centreId } from './auth.ts'
import { refuseFinalised } from './open-session.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Loaded from :sessionId, always of the current centre. */
    certSession: SessionRow
    /** Loaded from :candidateId, always of that session. */
    candidate: CandidateRow
    report: ReportRow
    sessionDocument: SessionDocumentRow
    /** Loaded from :memberId (a user id), always a member of the current centre. */
    member: Member
    /** Loaded from :invitationId, always a pending invitation of the current centre. */
    invitation: InvitationRow
    /** On `invigilator: true` routes: who supervises (staff of the centre, or the invigilator access). */
    supervisor: Actor
  }
}

const childLoaders = {
  candidateId: findCandidateInSession,
  reportId: findReportInSession,
  documentId: findDocumentInSession,
} as const
const childProperty = { candidateId: 'candidate', reportId: 'report', documentId: 'sessionDocument' } as const

/** Owned by the centre itself rather than by one of its sessions. */
const centreLoaders = {
  memberId: findMember,
  invitationId: findInvitation,
} as const
const centreProperty = { memberId: 'member', invitationId: 'invitation' } as const

/**
 * Centre isolation, written once: any route with a :sessionId parameter gets the session of the
 * current centre in `request.certSession`, and its :candidateId / :reportId / :documentId children,
 * or a 404 — the same answer as an id that does not exist, so nothing leaks. :memberId and
 * :invitationId likewise load a member or a pending invitation of the current centre.
 */
export default fp(
  async (app) => {
    app.decorateRequest('certSession', null as unknown as SessionRow)
    app.decorateRequest('candidate', null as unknown as CandidateRow)
    app.decorateRequest('report', null as unknown as ReportRow)
    app.decorateRequest('sessionDocument', null as unknown as SessionDocumentRow)
    app.decorateRequest('member', null as unknown as Member)
    app.decorateRequest('invitation', null as unknown as InvitationRow)
    app.decorateRequest('supervisor', null as unknown as { getter: () => Actor })

    /**
     * Espace surveillant routes: staff of the session's centre, or an invigilator access opened for
     * this very session; anything else (another session, another centre) is the same 404.
     */
    async function loadSupervised(request: FastifyRequest, sessionId: number): Promise<SessionRow | undefined> {
      if (request.user?.cguAcceptedAt && request.centre) {
        const session = await findSessionForCentre(app.db, request.centre.id, sessionId)
        if (session) {
          request.supervisor = { kind: 'staff', userId: request.user.id }
          return session
        }
      }
      if (request.invigilatorAccess?.sessionId !== sessionId) return undefined
      request.supervisor = { kind: 'invigilator', accessId: request.invigilatorAccess.id }
      return findSessionById(app.db, sessionId)
    }

    app.addHook('preHandler', async (request: FastifyRequest, reply) => {
      const params = request.params as Record<string, string | undefined> | undefined
      // is404: callNotFound() runs the preHandlers again, for the not-found route.
      if (request.is404 || !params || request.routeOptions.config.public) return
      // An operator of no centre (auth.ts lets them this far): no centre's data is theirs.
      if (request.isOperator && !request.centre && !request.routeOptions.config.allowWithoutCentre && Object.keys(params).length) return reply.callNotFound()
      for (const [param, load] of Object.entries(centreLoaders)) {
        if (!(param in params)) continue
        const id = parseId(params[param])
        const row = id && (await load(app.db, centreId(request), id))
        if (!row) return reply.callNotFound()
        ;(request as unknown as Record<string, unknown>)[centreProperty[param as keyof typeof centreProperty]] = row
      }
      if (!('sessionId' in params)) return
      const sessionId = parseId(params.sessionId)
      const session =
        sessionId &&
        (request.routeOptions.config.invigilator ? await loadSupervised(request, sessionId) : await findSessionForCentre(app.db, centreId(request), sessionId))
      if (!session) return reply.callNotFound()
      request.certSession = session
      for (const [param, load] of Object.entries(childLoaders)) {
        if (!(param in params)) continue
        const id = parseId(params[param])
        const row = id && (await load(app.db, session.id, id))
        if (!row) return reply.callNotFound()
        ;(request as unknown as Record<string, unknown>)[childProperty[param as keyof typeof childProperty]] = row
      }
      // Declared once on the route (CONTRIBUTING.md, "Open sessions"); the write checks again (sessionStillOpen).
      if (request.routeOptions.config.openSession && isFinalised(session)) return refuseFinalised(request, reply)
    })
  },
  { name: 'scope', dependencies: ['db', 'auth'] },
)
