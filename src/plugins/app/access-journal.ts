import type { FastifyRequest } from 'fastify'
import { type PersonalDataDocument, recordPersonalDataAccess } from '../../features/privacy/access-journal.ts'
import { changeBy } from './actor.ts'

/**
 * The access journal: this request printed or downloaded `document`, with
 * candidates' personal data of its session. By the logged-in staff member, or the session's
 * invigilator access (the kit).
 */
export async function journalAccess(request: FastifyRequest, document: PersonalDataDocument, count?: number): Promise<void> {
  const session = request.certSession
  const byStaff = request.user && request.supervisor?.kind !== 'invigilator' ? changeBy(request) : null
  await recordPersonalDataAccess(request.server.db, session.centre_id, byStaff, document, { sessionId: session.id, count })
}
