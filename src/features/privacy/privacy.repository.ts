import type { Db } from '../../db/database.ts'
import type { HistoryAction } from '../history/index.ts'
import { displayName } from '../../lib/display-name.ts'

/**
 * History actions whose `subject` names a candidate, or a file a staff member uploaded for the
 * session (a finalisation document's name may name a candidate): erasing a session's personal data
 * blanks these subjects and nothing else (who did what, and when, stays).
 */
const CANDIDATE_SUBJECT_ACTIONS: readonly HistoryAction[] = [
  'candidate_added',
  'candidate_edited',
  'candidate_deleted',
  'report_added',
  'report_removed',
  'presence_confirmed',
  'presence_cancelled',
  'test_ended',
  'end_screen_ticked',
  'end_screen_unticked',
  'convocation_resent',
  'document_added',
  'document_removed',
]

/** The candidate's personal data replaced by nothing: the row stays ("Candidat effacé") so counts stay true. */
const ERASED_CANDIDATE = {
  last_name: '',
  first_name: '',
  birthdate: '',
  birth_city: '',
  birth_department_code: '',
  birth_country: '',
  email: null,
  external_id: null,
  extra_time_percentage: null,
  accessibility_needed: 0,
  accessibility_note: null,
  accommodation_approved_by: null,
  accommodation_approved_on: null,
} as const

/** Sessions whose personal data the purge erases: finalised before `cutoff`, not on hold, not yet erased. */
export function listSessionsToPurge(db: Db, cutoff: string) {
  return db
    .selectFrom('certification_session')
    .select(['id', 'centre_id', 'finalised_at'])
    .where('finalised_at', 'is not', null)
    .where('finalised_at', '<=', cutoff)
    .where('retention_hold_at', 'is', null)
    .where('personal_data_erased_at', 'is', null)
    .orderBy('id')
    .execute()
}

/** The same condition, read again inside the session's own transaction (a hold may have been set since). */
export async function isStillToPurge(trx: Db, sessionId: number, cutoff: string): Promise<boolean> {
  const row = await trx
    .selectFrom('certification_session')
    .select('id')
    .where('id', '=', sessionId)
    .where('finalised_at', 'is not', null)
    .where('finalised_at', '<=', cutoff)
    .where('retention_hold_at', 'is', null)
    .where('personal_data_erased_at', 'is', null)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Erases a session's personal data in `trx`: candidates (placeholder rows), incident details,
 * the session's free texts, its documents and convocation mails, its invigilator accesses, and the
 * candidates' names in its history. Returns the number of candidates erased.
 */
export async function eraseSessionPersonalData(trx: Db, sessionId: number, now: string): Promise<number> {
  const candidates = await trx
    .updateTable('candidate')
    .set({ ...ERASED_CANDIDATE, erased_at: now })
    .where('session_id', '=', sessionId)
    .where('erased_at', 'is', null)
    .executeTakeFirst()
  await trx.updateTable('report').set({ details: null }).where('session_id', '=', sessionId).execute()
  await trx.deleteFrom('session_document').where('session_id', '=', sessionId).execute()
  await trx.deleteFrom('convocation_mail').where('session_id', '=', sessionId).execute()
  await trx.deleteFrom('invigilator_access').where('session_id', '=', sessionId).execute()
  await trx
    .updateTable('history')
    .set({ subject: null })
    .where('session_id', '=', sessionId)
    .where('subject', 'is not', null)
    .where('action', 'in', CANDIDATE_SUBJECT_ACTIONS)
    .execute()
  await trx
    .updateTable('certification_session')
    .set({ observations: null, global_comment: null, personal_data_erased_at: now })
    .where('id', '=', sessionId)
    .execute()
  return Number(candidates.numUpdatedRows)
}

/** One candidate's personal data erased in `trx` (placeholder row), with their incident details, mails and name in the history. */
export async function eraseOneCandidate(trx: Db, sessionId: number, candidate: { id: number; first_name: string; last_name: string }, now: string) {
  await trx
    .updateTable('candidate')
    .set({ ...ERASED_CANDIDATE, erased_at: now })
    .where('id', '=', candidate.id)
    .where('session_id', '=', sessionId)
    .execute()
  await trx.updateTable('report').set({ details: null }).where('candidate_id', '=', candidate.id).execute()
  await trx.deleteFrom('convocation_mail').where('candidate_id', '=', candidate.id).execute()
  await blankNameInHistory(trx, sessionId, displayName(candidate))
}

/** The candidate's name taken out of the session's history (the rows stay: who did what, when). */
export async function blankNameInHistory(trx: Db, sessionId: number, name: string): Promise<void> {
  await trx
    .updateTable('history')
    .set({ subject: null })
    .where('session_id', '=', sessionId)
    .where('subject', '=', name)
    .where('action', 'in', CANDIDATE_SUBJECT_ACTIONS)
    .execute()
}

/** Sets or releases the hold; false when it already was so (nothing to record). */
export async function setHold(trx: Db, sessionId: number, at: string | null): Promise<boolean> {
  const result = await trx
    .updateTable('certification_session')
    .set({ retention_hold_at: at })
    .where('id', '=', sessionId)
    .where('retention_hold_at', at === null ? 'is not' : 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Expired links and accesses that can never be used again: invitations, invigilator accesses, spent batch plans. */
export async function deleteExpiredAccesses(trx: Db, now: string) {
  const invitations = await trx.deleteFrom('invitation').where('accepted_at', 'is', null).where('expires_at', '<=', now).executeTakeFirst()
  const accesses = await trx.deleteFrom('invigilator_access').where('expires_at', '<=', now).executeTakeFirst()
  const plans = await trx.deleteFrom('batch_plan').where('expires_at', '<=', now).executeTakeFirst()
  return { invitations: Number(invitations.numDeletedRows), invigilatorAccesses: Number(accesses.numDeletedRows), batchPlans: Number(plans.numDeletedRows) }
}
