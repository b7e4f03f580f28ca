import type { Db } from '../../db/database.ts'
import { asNumber, type Locale, type Msg, msg } from '../../i18n/index.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { type ChangeBy, recordHistory } from '../history/index.ts'
import { listCandidatesForSheet } from '../candidates/index.ts'
import { finalisedRefusal, isStillOpen, type SessionRow } from '../sessions/index.ts'
import { displayName } from '../../lib/display-name.ts'
import { type ConvocationContent, convocationContent, sessionKey } from './convocation.ts'
import {
  countConvocationMails,
  findInstructions,
  insertConvocationMails,
  isStale,
  latestRows,
  listCandidatesWithEmail,
  loadConvocationState,
  MAX_CONVOCATIONS_PER_SESSION,
  stillToSend,
  updateInstructions,
} from './convocations.repository.ts'

export type QueueResult = { kind: 'queued'; count: number } | { kind: 'limit' } | { kind: 'finalised' }

/**
 * Queues one convocation per chosen candidate who has an address, in one transaction with its
 * history entry. `candidateIds` null: every candidate who still needs one (never sent, failed, or
 * sent before the session changed); a list: exactly those (a resend), but never one already
 * waiting. The sender picks them up in the background. `publicUrl`: the address the staff member
 * was browsing, kept with each mail when PUBLIC_URL is not set (null: the configured one).
 */
export async function queueConvocations(
  db: Db,
  session: { id: number; date: string; start_time: string; site_name: string; room: string },
  candidateIds: number[] | null,
  by: ChangeBy,
  publicUrl: string | null = null,
): Promise<QueueResult> {
  return writeTransaction(db, async (trx) => {
    if (!(await isStillOpen(trx, session.id))) return { kind: 'finalised' }
    if (candidateIds && candidateIds.length === 0) return { kind: 'queued', count: 0 }
    const candidates = await listCandidatesWithEmail(trx, session.id, candidateIds)
    const key = sessionKey(session)
    const latest = await latestRows(trx, session.id)
    const chosen = candidates.filter((c) => {
      const last = latest.get(c.id)
      // A resend of chosen candidates: anyone not already waiting.
      if (candidateIds !== null) return !last || (last.status !== 'pending' && last.status !== 'sending')
      return stillToSend(last && { status: last.status, stale: isStale(last, key) })
    })
    if (chosen.length === 0) return { kind: 'queued', count: 0 }
    if ((await countConvocationMails(trx, session.id)) + chosen.length > MAX_CONVOCATIONS_PER_SESSION) return { kind: 'limit' }
    await insertConvocationMails(trx, { id: session.id, key }, chosen, publicUrl)
    const one = chosen.length === 1 && candidateIds?.length === 1
    await recordHistory(trx, {
      ...by,
      action: one ? 'convocation_resent' : 'convocations_queued',
      sessionId: session.id,
      ...(one ? { subject: displayName(chosen[0]!) } : { count: chosen.length }),
    })
    return { kind: 'queued', count: chosen.length }
  })
}

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

/** The centre's "Consignes aux candidats" (null: the default text). */
export function loadInstructions(db: Db, centreId: number): Promise<string | null> {
  return findInstructions(db, centreId)
}

/** Saves the centre's "Consignes aux candidats" (empty: back to the default text), with its history entry. */
export async function saveInstructions(db: Db, text: string, by: ChangeBy): Promise<void> {
  await writeTransaction(db, async (trx) => {
    await updateInstructions(trx, by.centreId, text)
    await recordHistory(trx, { ...by, action: 'candidate_instructions_edited' })
  })
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
