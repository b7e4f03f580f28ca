import type { Db } from '../../db/database.ts'

/** The session's candidates as the attendance sheet prints them (sorted by the caller). */
export function listSheetCandidates(db: Db, sessionId: number) {
  return db
    .selectFrom('candidate')
    .select(['last_name', 'first_name', 'birthdate', 'birth_city', 'birth_department_code', 'birth_country', 'email', 'external_id', 'extra_time_percentage'])
    .where('session_id', '=', sessionId)
    .execute()
}
