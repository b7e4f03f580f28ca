import type { FastifyRequest } from 'fastify'
import type { Actor, ChangeBy } from '../../features/history/history.ts'
import { centreId } from './auth.ts'
import { displayName } from '../../lib/display-name.ts'

/** Who is making the change, for the history. Only on guarded routes. */
export function actorOf(request: FastifyRequest): Actor {
  const user = request.user
  if (!user) throw new Error('actorOf() called without a logged-in user')
  return { kind: 'user', userId: user.id, name: displayName(user), email: user.email }
}

/** The current centre and user: what a write path needs to record its change. */
export function changeBy(request: FastifyRequest): ChangeBy {
  return { centreId: centreId(request), actor: actorOf(request) }
}
