import type { Db } from '../../db/database.ts'

/** Every report of the centre's sessions dated between `from` and `to` (YYYY-MM-DD, both included), with its session and candidate. */
export function listCentreIncidents(db: Db, centreId: number, from: string, to: string) {
  return db
    .selectFrom('report')
    .innerJoin('certification_session', 'certification_session.id', 'report.session_id')
    .innerJoin('candidate', 'candidate.id', 'report.candidate_id')
    .leftJoin('user', 'user.id', 'report.recorded_by_user_id')
    .select([
      'report.id',
      'report.code',
      'report.category',
      'report.details',
      'report.source',
      'report.recorded_at',
      'report.created_at',
      'report.recorded_by_access_id',
      'certification_session.id as session_id',
      'certification_session.date',
      'certification_session.room',
      'certification_session.site_name',
      'candidate.first_name',
      'candidate.last_name',
      'user.first_name as user_first_name',
      'user.last_name as user_last_name',
    ])
    .where('certification_session.centre_id', '=', centreId)
    .where('certification_session.date', '>=', from)
    .where('certification_session.date', '<=', to)
    .orderBy('certification_session.date')
    .orderBy('certification_session.id')
    .orderBy('report.id')
    .execute()
}
