import type { Db } from '../../db/database.ts'
import { preparedFirst } from '../../db/prepared.ts'

/*
 * The candidate page is public: a session is found by its number alone, whatever its centre
 * (session numbers are unique on the server). Nothing here is ever shown to staff.
 */

/** Prepared (src/db/prepared.ts): the waiting page's retry reads it every 10 s. */
export const findSessionByNumber = preparedFirst((db: Db, sessionId: number) =>
  db.selectFrom('certification_session').select(['id', 'access_code', 'finalised_at']).where('id', '=', sessionId),
)

/**
 * The session and one candidate's attendance in it, in one statement: what the waiting page's
 * retry reads every 10 s (one statement instead of two, each of which took a connection of the
 * pool on PostgreSQL). The row is there as long as the session is; the candidate's columns are
 * null when the candidate is not (or no longer) in it, the course's while the candidate has not
 * started.
 */
export const findSessionAndAttendance = preparedFirst((db: Db, sessionId: number, candidateId: number) =>
  db
    .selectFrom('certification_session')
    .leftJoin('candidate', (join) => join.onRef('candidate.session_id', '=', 'certification_session.id').on('candidate.id', '=', candidateId))
    .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .select([
      'certification_session.finalised_at',
      'candidate.id as candidate_id',
      'candidate.arrived_at',
      'candidate.presence_confirmed_at',
      'certification_course.id as course_id',
      'certification_course.ended_at',
    ])
    .where('certification_session.id', '=', sessionId),
)

export function listCandidateIdentities(db: Db, sessionId: number) {
  return db.selectFrom('candidate').select(['id', 'first_name', 'last_name', 'birthdate']).where('session_id', '=', sessionId).execute()
}

/** A started candidate's result: the course (its id is the N° de certification), names, session. */
export function findStartedCourse(db: Db, courseId: number) {
  return db
    .selectFrom('certification_course')
    .innerJoin('candidate', 'candidate.id', 'certification_course.candidate_id')
    .select([
      'certification_course.id as courseId',
      'certification_course.session_id as sessionId',
      'candidate.first_name as firstName',
      'candidate.last_name as lastName',
      'certification_course.ended_at as endedAt',
    ])
    .where('certification_course.id', '=', courseId)
    .executeTakeFirst()
}
