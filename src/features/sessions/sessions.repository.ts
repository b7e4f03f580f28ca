import { type Db, isUniqueViolation } from '../../db/database.ts'
import { preparedFirst } from '../../db/prepared.ts'
import { type Trx, withSavepoint } from '../../db/transaction.ts'
import type { SessionFilters } from './session-filters.ts'
import { nowTimestamp } from '../../lib/timestamps.ts'
import type { NewSession, SessionRow, SessionUpdate } from './sessions.table.ts'
import { sessionStillOpen } from './still-open.ts'

/**
 * Every lookup of a session goes through its centre: another centre's id finds nothing. Read
 * before every page of a session: prepared once (src/db/prepared.ts).
 */
export const findSessionForCentre: (db: Db, centreId: number, sessionId: number) => Promise<SessionRow | undefined> = preparedFirst(
  (db: Db, centreId: number, sessionId: number) =>
    db.selectFrom('certification_session').selectAll().where('centre_id', '=', centreId).where('id', '=', sessionId),
)

export async function countCandidates(db: Db, sessionId: number): Promise<number> {
  const row = await db
    .selectFrom('candidate')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Candidates who started (have a certification course). A session has "started" once this is above 0. */
export async function countStartedCandidates(db: Db, sessionId: number): Promise<number> {
  const row = await db
    .selectFrom('certification_course')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const candidatesAndStarted = preparedFirst((db: Db, sessionId: number) =>
  db.selectNoFrom((eb) => [
    eb.selectFrom('candidate').select(eb.fn.countAll<number>().as('n')).where('session_id', '=', sessionId).as('enrolled'),
    eb.selectFrom('certification_course').select(eb.fn.countAll<number>().as('n')).where('session_id', '=', sessionId).as('started'),
  ]),
)

/** Enrolled and started candidates of one session, in one statement (the session's details page). */
export async function countCandidatesAndStarted(db: Db, sessionId: number): Promise<{ enrolled: number; started: number }> {
  const row = await candidatesAndStarted(db, sessionId)
  if (!row) throw new Error('countCandidatesAndStarted: a select without FROM gave no row')
  return { enrolled: Number(row.enrolled), started: Number(row.started) }
}

export type SessionListRow = Pick<SessionRow, 'id' | 'site_name' | 'room' | 'date' | 'start_time' | 'invigilators' | 'finalised_at'>

/** The centre's sessions narrowed by the list's filters (index: centre, date, time, id). */
function filteredSessions(db: Db, centreId: number, filters: SessionFilters) {
  let query = db.selectFrom('certification_session').where('centre_id', '=', centreId)
  if (filters.sessionId !== undefined) query = query.where('id', '=', filters.sessionId)
  if (filters.status === 'creee') query = query.where('finalised_at', 'is', null)
  if (filters.status === 'finalisee') query = query.where('finalised_at', 'is not', null)
  if (filters.from) query = query.where('date', '>=', filters.from)
  if (filters.to) query = query.where('date', '<=', filters.to)
  return query
}

/** One page of the centre's sessions, newest date then time first. */
export function listSessionsForCentre(db: Db, centreId: number, filters: SessionFilters, page: { limit: number; offset: number }): Promise<SessionListRow[]> {
  return filteredSessions(db, centreId, filters)
    .select(['id', 'site_name', 'room', 'date', 'start_time', 'invigilators', 'finalised_at'])
    .orderBy('date', 'desc')
    .orderBy('start_time', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

export async function countSessionsForCentre(db: Db, centreId: number, filters: SessionFilters = {}): Promise<number> {
  const row = await filteredSessions(db, centreId, filters)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Enrolled and started candidates of each listed session (one query each for a whole page). */
export async function countCandidatesBySession(db: Db, sessionIds: number[]): Promise<Map<number, { enrolled: number; started: number }>> {
  const counts = new Map(sessionIds.map((id) => [id, { enrolled: 0, started: 0 }]))
  if (sessionIds.length === 0) return counts
  const [enrolled, started] = await Promise.all([
    db
      .selectFrom('candidate')
      .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('session_id', 'in', sessionIds)
      .groupBy('session_id')
      .execute(),
    db
      .selectFrom('certification_course')
      .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('session_id', 'in', sessionIds)
      .groupBy('session_id')
      .execute(),
  ])
  for (const row of enrolled) counts.get(row.session_id)!.enrolled = Number(row.n)
  for (const row of started) counts.get(row.session_id)!.started = Number(row.n)
  return counts
}

/** Access codes are unique among sessions not yet finalised (a finalised session's code can be reused). */
const OPEN_ACCESS_CODE_INDEX = { name: 'certification_session_open_code_idx', table: 'certification_session', columns: ['access_code'] } as const

/** A run of refused codes this long means the generator is broken (4 million codes, few open). */
const ACCESS_CODE_ATTEMPTS = 50

/**
 * Inserts a new session with a code from `generate`. The unique index decides whether a code is
 * free, at the moment of the insert: a code an open session holds (also one another instance has just
 * given) is refused by the index, undone alone (savepoint) and drawn again.
 */
export async function insertSessionWithAccessCode(
  trx: Trx,
  values: Omit<NewSession, 'access_code'>,
  generate: () => string,
): Promise<{ id: number; accessCode: string }> {
  for (let attempt = 0; attempt < ACCESS_CODE_ATTEMPTS; attempt++) {
    const accessCode = generate()
    try {
      return { id: await withSavepoint(trx, 'access_code', () => insertSession(trx, { ...values, access_code: accessCode })), accessCode }
    } catch (error) {
      if (!isUniqueViolation(error, OPEN_ACCESS_CODE_INDEX)) throw error
    }
  }
  throw new Error(`No free access code after ${ACCESS_CODE_ATTEMPTS} attempts`)
}

async function insertSession(db: Db, values: NewSession): Promise<number> {
  const row = await db.insertInto('certification_session').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** Only a session of this centre that is not finalised is changed; returns whether one was. */
export async function updateOpenSession(db: Db, centreId: number, sessionId: number, values: SessionUpdate): Promise<boolean> {
  const result = await db
    .updateTable('certification_session')
    .set({ ...values, updated_at: nowTimestamp() })
    .where('id', '=', sessionId)
    .where('centre_id', '=', centreId)
    .where(sessionStillOpen(sessionId))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Candidates, courses, reports and documents go with it (ON DELETE CASCADE). */
export async function deleteSessionRow(db: Db, centreId: number, sessionId: number): Promise<boolean> {
  const result = await db.deleteFrom('certification_session').where('id', '=', sessionId).where('centre_id', '=', centreId).executeTakeFirst()
  return result.numDeletedRows > 0n
}
