import type { Db } from '../../db/database.ts'
import { asNumber, type Locale, type Msg, msg } from '../../i18n/index.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import type { ChangeBy } from '../history/history.ts'
import { listCandidatesForSheet } from '../candidates/candidates.repository.ts'
import type { SessionRow } from '../sessions/sessions.table.ts'
import { finalisedRefusal } from '../sessions/still-open.ts'
import { type ConvocationContent, convocationContent } from './convocation.ts'
import { findInstructions, MAX_CONVOCATIONS_PER_SESSION, queueConvocations } from './convocations.repository.ts'
import { displayName } from '../../lib/display-name.ts'

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
  publicUrl: string | null = null,
): Promise<Ok<number> | Refusal> {
  const result = await queueConvocations(db, session, candidateIds, by, publicUrl)
  if (result.kind === 'finalised') return finalisedRefusal()
  if (result.kind === 'limit') return refused(msg('convocations.limit', { max: asNumber(MAX_CONVOCATIONS_PER_SESSION) }))
  return ok(result.count)
}

/**
 * The print version: every candidate's convocation, or one candidate's (`only`; null when that
 * candidate is not in the session: 404). Each in its candidate's language, or all in English with
 * `locale` 'en' (the page's ?langue=en).
 */
export async function loadPrintedConvocations(
  db: Db,
  session: SessionRow,
  centre: { id: number; name: string },
  options: { only: number | null; locale: Locale; publicUrl: string },
): Promise<{ convocations: ConvocationContent[]; title: Msg } | null> {
  const [all, instructions] = await Promise.all([listCandidatesForSheet(db, session.id), findInstructions(db, centre.id)])
  // An erased candidate has nothing left to print.
  const candidates = all.filter((c) => c.erased_at === null && (options.only === null || c.id === options.only))
  if (options.only !== null && candidates.length === 0) return null
  const convocations = candidates.map((candidate) =>
    convocationContent({
      centreName: centre.name,
      instructions,
      session,
      candidate: options.locale === 'en' ? { ...candidate, convocation_language: 'en' } : candidate,
      publicUrl: options.publicUrl,
    }),
  )
  const title =
    options.only !== null
      ? msg('convocations.print.one_title', { name: displayName(candidates[0]!), id: session.id })
      : msg('convocations.print.title', { id: session.id })
  return { convocations, title }
}
