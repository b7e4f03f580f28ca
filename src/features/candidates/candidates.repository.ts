import type { Db } from '../../db/database.ts'
import { sortPeopleRows } from '../../lib/collation.ts'
import type { CandidateData } from './candidate-rules.ts'
import type { CandidateRow, NewCandidate } from './candidates.table.ts'
import type { Trx } from '../../db/transaction.ts'
import { candidateNotStarted, hasCandidateStarted, sessionStillOpen } from '../sessions/index.ts'

/** The columns the Candidats tab shows (not the whole row: 200 rows of them are read per page view). */
const LISTED_COLUMNS = [
  'candidate.id',
  'candidate.last_name',
  'candidate.first_name',
  'candidate.birthdate',
  'candidate.birth_city',
  'candidate.birth_department_code',
  'candidate.birth_country',
  'candidate.email',
  'candidate.external_id',
  'candidate.extra_time_percentage',
  'candidate.accessibility_needed',
  'candidate.accessibility_note',
  'candidate.accommodation_approved_by',
  'candidate.accommodation_approved_on',
  'candidate.convocation_language',
  'candidate.erased_at',
] as const

/** A candidate of the list, with the number of the certification course once they started. */
export type ListedCandidate = Pick<
  CandidateRow,
  | 'id'
  | 'last_name'
  | 'first_name'
  | 'birthdate'
  | 'birth_city'
  | 'birth_department_code'
  | 'birth_country'
  | 'email'
  | 'external_id'
  | 'extra_time_percentage'
  | 'accessibility_needed'
  | 'accessibility_note'
  | 'accommodation_approved_by'
  | 'accommodation_approved_on'
  | 'convocation_language'
  | 'erased_at'
> & { certification_course_id: number | null }

/** The Candidats tab's list, in French alphabetical order (`sortPeopleRows`). */
export async function listCandidates(db: Db, sessionId: number): Promise<ListedCandidate[]> {
  const rows = await db
    .selectFrom('candidate')
    .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .select(LISTED_COLUMNS)
    .select('certification_course.id as certification_course_id')
    .where('candidate.session_id', '=', sessionId)
    .execute()
  return sortPeopleRows(rows)
}

/** The candidates of the attendance sheet (printed and .ods), in the same order as the Candidats tab. */
export async function listCandidatesForSheet(db: Db, sessionId: number): Promise<CandidateRow[]> {
  return sortPeopleRows(await db.selectFrom('candidate').selectAll().where('session_id', '=', sessionId).execute())
}

/** A candidate with when their test started and ended (null before they started), for the printed attendance sheet. */
export type CandidateWithCourse = CandidateRow & { started_at: string | null; ended_at: string | null }

/** The printed attendance sheet's candidates and their times, in one read, in the Candidats tab's order. */
export async function listCandidatesWithCourse(db: Db, sessionId: number): Promise<CandidateWithCourse[]> {
  const rows = await db
    .selectFrom('candidate')
    .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .selectAll('candidate')
    .select(['certification_course.joined_at as started_at', 'certification_course.ended_at'])
    .where('candidate.session_id', '=', sessionId)
    .execute()
  return sortPeopleRows(rows)
}

function toRow(sessionId: number, c: CandidateData): NewCandidate {
  return {
    session_id: sessionId,
    last_name: c.lastName,
    first_name: c.firstName,
    birthdate: c.birthdate,
    birth_city: c.birthCity,
    birth_department_code: c.birthDepartmentCode,
    birth_country: c.birthCountry,
    email: c.email,
    external_id: c.externalId,
    extra_time_percentage: c.extraTimePercentage,
    // Older batch plans (stored as JSON before the need existed) have no accessibility fields.
    accessibility_needed: c.accessibilityNeeded ? 1 : 0,
    accessibility_note: c.accessibilityNeeded ? (c.accessibilityNote ?? null) : null,
    accommodation_approved_by: c.accommodationApprovedBy ?? null,
    accommodation_approved_on: c.accommodationApprovedOn ?? null,
    // Absent from an import: the column's default (French) on insert, unchanged on update.
    ...(c.convocationLanguage ? { convocation_language: c.convocationLanguage } : {}),
  }
}

/**
 * Every change of the list raises the session's `candidates_version` in the same transaction:
 * an import form shown before the change no longer replaces the list (see replaceCandidates in
 * candidates.service.ts).
 */
async function bumpListVersion(trx: Trx, sessionId: number): Promise<void> {
  await trx
    .updateTable('certification_session')
    .set((eb) => ({ candidates_version: eb('candidates_version', '+', 1) }))
    .where('id', '=', sessionId)
    .execute()
}

/** The version of the list, for the import form. */
export async function findListVersion(db: Db, sessionId: number): Promise<number> {
  const row = await db.selectFrom('certification_session').select('candidates_version').where('id', '=', sessionId).executeTakeFirst()
  return row?.candidates_version ?? 0
}

/** Adds a candidate and raises the list's version, in the caller's transaction (which checked the session is open). */
export async function insertCandidate(trx: Trx, sessionId: number, candidate: CandidateData): Promise<void> {
  await trx.insertInto('candidate').values(toRow(sessionId, candidate)).execute()
  await bumpListVersion(trx, sessionId)
}

/** Changes a candidate who has not started, in a session still open (one conditional statement); false when that is no longer so. */
export async function updateCandidateNotStarted(trx: Trx, sessionId: number, candidateId: number, candidate: CandidateData): Promise<boolean> {
  const { session_id: _, ...values } = toRow(sessionId, candidate)
  const result = await trx
    .updateTable('candidate')
    .set(values)
    .where('session_id', '=', sessionId)
    .where('id', '=', candidateId)
    .where(candidateNotStarted('candidate.id'))
    .where(sessionStillOpen(sessionId))
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) return false
  await bumpListVersion(trx, sessionId)
  return true
}

/** Deletes a candidate who has not started, in a session still open; the name deleted, or undefined when that is no longer so. */
export async function deleteCandidateNotStarted(
  trx: Trx,
  sessionId: number,
  candidateId: number,
): Promise<{ first_name: string; last_name: string } | undefined> {
  const result = await trx
    .deleteFrom('candidate')
    .where('session_id', '=', sessionId)
    .where('id', '=', candidateId)
    .where(candidateNotStarted('candidate.id'))
    .where(sessionStillOpen(sessionId))
    .returning(['first_name', 'last_name'])
    .executeTakeFirst()
  if (result) await bumpListVersion(trx, sessionId)
  return result
}

/** A candidate of this session (another session's id finds nothing): scope.ts loads :candidateId so. */
export function findCandidateInSession(db: Db, sessionId: number, id: number): Promise<CandidateRow | undefined> {
  return db.selectFrom('candidate').selectAll().where('session_id', '=', sessionId).where('id', '=', id).executeTakeFirst()
}

export function hasStarted(db: Db, candidateId: number): Promise<boolean> {
  return hasCandidateStarted(db, candidateId)
}

/** Existing candidates of the session (but `exceptId`), to refuse the same person twice. */
export function listIdentities(db: Db, sessionId: number, exceptId?: number) {
  let query = db.selectFrom('candidate').select(['id', 'last_name', 'first_name', 'birthdate']).where('session_id', '=', sessionId)
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId)
  return query.execute()
}

/** Raises the list's version only if it is still `shownVersion`; false when another change came first. */
export async function bumpListVersionFrom(trx: Trx, sessionId: number, shownVersion: number): Promise<boolean> {
  const bumped = await trx
    .updateTable('certification_session')
    .set((eb) => ({ candidates_version: eb('candidates_version', '+', 1) }))
    .where('id', '=', sessionId)
    .where('candidates_version', '=', shownVersion)
    .executeTakeFirst()
  return Number(bumped.numUpdatedRows) === 1
}

/** Removes every candidate of a session, inside the caller's transaction (which checked nobody started). */
export async function deleteCandidatesOfSession(trx: Db, sessionId: number): Promise<void> {
  await trx.deleteFrom('candidate').where('session_id', '=', sessionId).execute()
}

/** Adds candidates to a session, inside the caller's transaction (no check: the caller made them). */
export async function insertCandidates(trx: Db, sessionId: number, candidates: CandidateData[]): Promise<void> {
  // SQLite caps bound parameters per statement: insert in chunks.
  for (let i = 0; i < candidates.length; i += 500) {
    await trx
      .insertInto('candidate')
      .values(candidates.slice(i, i + 500).map((c) => toRow(sessionId, c)))
      .execute()
  }
}
