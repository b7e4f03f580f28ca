import type { Db } from '../../db/database.ts'
import { asNumber, type Locale, type Msg, msg } from '../../i18n/index.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import type { ChangeBy } from '../history/index.ts'
import { listCandidatesForSheet, candidateName } from '../candidates/index.ts'
import { type SessionRow, finalisedRefusal } from '../sessions/index.ts'
import { type ConvocationContent, convocationContent } from './convocation.ts'
import { findInstructions, loadConvocationState, MAX_CONVOCATIONS_PER_SESSION, queueConvocations, stillToSend } from './convocations.repository.ts'

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
      ? msg('convocations.print.one_title', { name: candidateName(candidates[0]!), id: session.id })
      : msg('convocations.print.title', { id: session.id })
  return { convocations, title }
}

/**
 * The convocations of the Candidats tab's list: each candidate's last one, the progress, and how
 * many candidates with an address still need one (none yet, failed, or sent before the session changed).
 */
export async function loadListConvocations(
  db: Db,
  session: { id: number; date: string; start_time: string; site_name: string; room: string },
  candidates: ReadonlyArray<{ id: number; email: string | null }>,
) {
  const convocations = await loadConvocationState(db, session)
  const toSend = candidates.filter((c) => c.email && stillToSend(convocations.byCandidate.get(c.id))).length
  return { ...convocations, toSend }
}
