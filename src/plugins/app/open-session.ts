import type { FastifyReply, FastifyRequest } from 'fastify'
import { refusalOf } from '../../features/finalisation/finalisation.service.ts'
import { endAccess } from '../../features/supervision/supervision.service.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import { type Refusal, unreachable } from '../../lib/result.ts'

/**
 * The one answer to a change of a finalised session (read-only everywhere): a 409 page that says
 * when and by whom it was finalised. Sent by scope.ts for every route declared
 * `config: { openSession: true }`, and by a handler whose write found the session finalised
 * meanwhile (the write checks `sessionStillOpen` in its own transaction). An invigilator's access
 * ends with it: there is nothing left to supervise. `refusal`: the session and message the caller
 * already read with `refusalOf` (not read again).
 */
export async function refuseFinalised(request: FastifyRequest, reply: FastifyReply, refusal?: Awaited<ReturnType<typeof refusalOf>>): Promise<FastifyReply> {
  const db = request.server.db
  const asInvigilator = request.supervisor?.kind === 'invigilator'
  if (request.supervisor?.kind === 'invigilator') {
    await endAccess(db, request.supervisor.accessId)
    reply.endInvigilatorAccess()
  }
  const { session, message } = refusal ?? (await refusalOf(db, request.certSession))
  return reply.page('sessions/finalised', { session, asInvigilator, message: asInvigilator ? msg('supervision.finalised', { id: session.id }) : message }, 409)
}

/**
 * The answer to a change refused as a whole (`Refusal`): the one page of a finalised session, or
 * `otherwise(message)` (the handler's page or flash with the refusal's message).
 */
export function answerRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  refusal: Refusal,
  otherwise: (message: Msg) => FastifyReply | Promise<FastifyReply>,
): FastifyReply | Promise<FastifyReply> {
  switch (refusal.reason) {
    case 'finalised':
      return refuseFinalised(request, reply)
    case 'refused':
      return otherwise(refusal.refused)
    default:
      return unreachable(refusal)
  }
}
