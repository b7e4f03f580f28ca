import type { Db } from '../../db/database.ts'
import { asNumber, msg } from '../../i18n/index.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import type { ChangeBy } from '../history/history.ts'
import { finalisedRefusal } from '../sessions/still-open.ts'
import { MAX_CONVOCATIONS_PER_SESSION, queueConvocations } from './convocations.repository.ts'

/**
 * "Envoyer les convocations par e-mail" (`candidateIds` null: everyone still waiting for one), the
 * ticked candidates, or one "Renvoyer": queued for the background sender. The value is how many
 * were queued (0 when nobody needed one); refused past the session's limit, or when it was finalised.
 */
export async function sendConvocations(
  db: Db,
  session: { id: number; date: string; start_time: string; site_name: string; room: string },
  candidateIds: number[] | null,
  by: ChangeBy,
): Promise<Ok<number> | Refusal> {
  const result = await queueConvocations(db, session, candidateIds, by)
  if (result.kind === 'finalised') return finalisedRefusal()
  if (result.kind === 'limit') return refused(msg('convocations.limit', { max: asNumber(MAX_CONVOCATIONS_PER_SESSION) }))
  return ok(result.count)
}
