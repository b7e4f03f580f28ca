import type { Db } from '../../db/database.ts'
import type { CandidateData } from './candidate-rules.ts'
import type { CandidateRow, NewCandidate } from './candidates.table.ts'

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
] as const

/** A candidate of the list, with the number of the certification course once they joined. */
export type ListedCandidate = Pick<
  CandidateRow,
  'id' | 'last_name' | 'first_name' | 'birthdate' | 'birth_city' | 'birth_department_code' | 'birth_country' | 'email' | 'external_id' | 'extra_time_percentage'
> & { certification_course_id: number | null }

export function listCandidates(db: Db, sessionId: number): Promise<ListedCandidate[]> {
  return db
    .selectFrom('candidate')
    .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .select(LISTED_COLUMNS)
    .select('certification_course.id as certification_course_id')
    .where('candidate.session_id', '=', sessionId)
    .orderBy('candidate.last_name')
    .orderBy('candidate.first_name')
    .orderBy('candidate.id')
    .execute()
}

/** The candidates in the order they were added (the order of the attendance sheet they came from). */
export function listCandidatesForSheet(db: Db, sessionId: number): Promise<CandidateRow[]> {
  return db.selectFrom('candidate').selectAll().where('session_id', '=', sessionId).orderBy('id').execute()
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
  }
}


/**
 * Adds a candidate while the session is open; 'finalised' when it was finalised since the page
 * was read (the check and the write share one transaction on SQLite's single connection).
 */
export async function insertCandidate(db: Db, sessionId: number, candidate: CandidateData): Promise<'added' | 'finalised'> {
  return db.transaction().execute(async (trx) => {
    const open = await trx.selectFrom('certification_session').select('id').where('id', '=', sessionId).where('finalised_at', 'is', null).executeTakeFirst()
    if (!open) return 'finalised'
    await trx.insertInto('candidate').values(toRow(sessionId, candidate)).execute()
    return 'added'
  })
}

/** Changes a candidate who has not joined, in a session still open; false when that is no longer so. */
export async function updateCandidateNotJoined(db: Db, sessionId: number, candidateId: number, candidate: CandidateData): Promise<boolean> {
  const { session_id: _, ...values } = toRow(sessionId, candidate)
  const result = await db
    .updateTable('candidate')
    .set(values)
    .where('session_id', '=', sessionId)
    .where('id', '=', candidateId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('certification_course').select('id').whereRef('certification_course.candidate_id', '=', 'candidate.id'))))
    .where(({ exists, selectFrom }) => exists(selectFrom('certification_session').select('id').where('id', '=', sessionId).where('finalised_at', 'is', null)))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Deletes a candidate who has not joined; false when they joined in the meantime. */
export async function deleteCandidateNotJoined(db: Db, sessionId: number, candidateId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('candidate')
    .where('session_id', '=', sessionId)
    .where('id', '=', candidateId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('certification_course').select('id').whereRef('certification_course.candidate_id', '=', 'candidate.id'))))
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export async function hasJoined(db: Db, candidateId: number): Promise<boolean> {
  const row = await db.selectFrom('certification_course').select('id').where('candidate_id', '=', candidateId).executeTakeFirst()
  return row !== undefined
}

/** Existing candidates of the session (but `exceptId`), to refuse the same person twice. */
export function listIdentities(db: Db, sessionId: number, exceptId?: number) {
  let query = db.selectFrom('candidate').select(['id', 'last_name', 'first_name', 'birthdate']).where('session_id', '=', sessionId)
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId)
  return query.execute()
}

/**
 * Replaces the whole list in one transaction — unless someone joined meanwhile (then nothing
 * changes and false comes back): an import never deletes a joined candidate.
 */
export async function replaceCandidates(db: Db, sessionId: number, candidates: CandidateData[]): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const joined = await trx.selectFrom('certification_course').select('id').where('session_id', '=', sessionId).executeTakeFirst()
    if (joined) return false
    await trx.deleteFrom('candidate').where('session_id', '=', sessionId).execute()
    await insertCandidates(trx, sessionId, candidates)
    return true
  })
}

/** Removes every candidate of a session, inside the caller's transaction (which checked nobody joined). */
export async function deleteCandidatesOfSession(trx: Db, sessionId: number): Promise<void> {
  await trx.deleteFrom('candidate').where('session_id', '=', sessionId).execute()
}

/** Adds candidates to a session, inside the caller's transaction (no check: the caller made them). */
export async function insertCandidates(trx: Db, sessionId: number, candidates: CandidateData[]): Promise<void> {
  // SQLite caps bound parameters per statement: insert in chunks.
  for (let i = 0; i < candidates.length; i += 500) {
    await trx.insertInto('candidate').values(candidates.slice(i, i + 500).map((c) => toRow(sessionId, c))).execute()
  }
}
