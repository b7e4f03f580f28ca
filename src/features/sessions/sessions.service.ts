import type { Db } from '../../db/database.ts'
import { type Actor, recordHistory, listHistory } from '../history/index.ts'
import { type MessageKey, type Msg, msg } from '../../i18n/index.ts'
import { generateAccessCode } from './access-code.ts'
import { generateInvigilatorPassword } from './invigilator-password.ts'
import type { SessionFilters } from './session-filters.ts'
import type { SessionInput } from './session-form.ts'
import {
  countCandidatesAndStarted,
  countCandidatesBySession,
  countStartedCandidates,
  countSessionsForCentre,
  deleteSessionRow,
  findSessionForCentre,
  insertSessionWithAccessCode,
  listSessionsForCentre,
  type SessionListRow,
  updateOpenSession,
} from './sessions.repository.ts'
import type { SessionRow } from './sessions.table.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { finalisedRefusal, isFinalised } from './still-open.ts'
import { paginate, type Pagination } from '../../lib/pagination.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'

export const SESSIONS_PER_PAGE = 50

export interface SessionListEntry extends SessionListRow {
  enrolledCount: number
  startedCount: number
  /** Why the list's delete icon is disabled, or null when the session can be deleted. */
  deletionBlocker: Msg | null
}

export async function listSessionsPage(
  db: Db,
  centreId: number,
  filters: SessionFilters,
  requestedPage: number,
): Promise<{ sessions: SessionListEntry[]; pagination: Pagination }> {
  const pagination = paginate(await countSessionsForCentre(db, centreId, filters), requestedPage, SESSIONS_PER_PAGE)
  const rows = await listSessionsForCentre(db, centreId, filters, pagination)
  const counts = await countCandidatesBySession(
    db,
    rows.map((row) => row.id),
  )
  const sessions = rows.map((row) => {
    const { enrolled, started } = counts.get(row.id)!
    return { ...row, enrolledCount: enrolled, startedCount: started, deletionBlocker: deletionBlocker(row, started) }
  })
  return { sessions, pagination }
}

/** The status shown to staff, as a message key. */
export function sessionStatus(session: Pick<SessionRow, 'finalised_at'>): MessageKey {
  return isFinalised(session) ? 'session.status.finalised' : 'session.status.created'
}

/**
 * Creates the session with a fresh access code: the unique index among open sessions refuses a code
 * in use, and another is drawn (`insertSessionWithAccessCode`), so two sessions created at once, on
 * one instance or two, never share a code.
 */
export function createSession(db: Db, centreId: number, input: SessionInput, actor: Actor, generate: () => string = generateAccessCode): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const { id } = await insertSessionWithAccessCode(
      trx,
      { centre_id: centreId, ...sessionColumns(input), invigilator_password: generateInvigilatorPassword() },
      generate,
    )
    await recordHistory(trx, { centreId, actor, action: 'session_created', sessionId: id })
    return id
  })
}

/** What staff typed (the form, or a line of the batch import), as table columns. */
export function sessionColumns(input: SessionInput) {
  return {
    site_name: input.siteName,
    room: input.room,
    date: input.date,
    start_time: input.startTime,
    invigilators: input.invigilators,
    observations: input.observations,
    test_duration_minutes: input.testDuration,
  }
}

/**
 * Changes what staff typed; the id and the access code never change. Refused once finalised
 * (`reason: 'finalised'`, also when it was finalised after the request read it). The test duration
 * is kept once someone started (their theoretical end was computed from it).
 */
export async function updateSession(db: Db, session: Pick<SessionRow, 'id' | 'centre_id'>, input: SessionInput, actor: Actor): Promise<Ok<null> | Refusal> {
  return writeTransaction(db, async (trx) => {
    const { test_duration_minutes, ...columns } = sessionColumns(input)
    const started = (await countStartedCandidates(trx, session.id)) > 0
    const updated = await updateOpenSession(trx, session.centre_id, session.id, started ? columns : { ...columns, test_duration_minutes })
    if (!updated) return finalisedRefusal()
    await recordHistory(trx, { centreId: session.centre_id, actor, action: 'session_edited', sessionId: session.id })
    return ok(null)
  })
}

/** The duration is fixed once someone started (their theoretical end was computed from it). */
export async function isDurationLocked(db: Db, sessionId: number): Promise<boolean> {
  return (await countStartedCandidates(db, sessionId)) > 0
}

/** The delete page of a session: refused when it is finalised or someone started; the value is how many candidates go with it. */
export async function loadDeletion(db: Db, session: Pick<SessionRow, 'id' | 'finalised_at'>): Promise<Ok<{ candidateCount: number }> | Refusal> {
  const { enrolled, started } = await countCandidatesAndStarted(db, session.id)
  const blocker = deletionBlocker(session, started)
  return blocker ? refused(blocker) : ok({ candidateCount: enrolled })
}

/** Why this session cannot be deleted, or null if it can. */
export function deletionBlocker(session: Pick<SessionRow, 'finalised_at'>, startedCount: number): Msg | null {
  if (isFinalised(session)) return msg('sessions.finalised.no_delete')
  if (startedCount > 0) return msg('sessions.delete.started')
  return null
}

/**
 * Deletes the session if no candidate has started the test and it is not finalised. The checks and the delete
 * share one transaction, so a candidate joining (or a finalisation) in between cannot be deleted
 * with it; a session finalised after the request read it is refused with `reason: 'finalised'`.
 */
export function deleteSession(db: Db, session: Pick<SessionRow, 'id' | 'centre_id'>, actor: Actor): Promise<Ok<null> | Refusal> {
  return writeTransaction(db, async (trx) => {
    const current = await findSessionForCentre(trx, session.centre_id, session.id)
    if (!current) return ok(null)
    const blocker = deletionBlocker(current, await countStartedCandidates(trx, current.id))
    if (blocker) return isFinalised(current) ? refused(blocker, 'finalised') : refused(blocker)
    await deleteSessionRow(trx, current.centre_id, current.id)
    await recordHistory(trx, { centreId: current.centre_id, actor, action: 'session_deleted', sessionId: current.id })
    return ok(null)
  })
}

/** The session's details page: its candidates (enrolled, started), what can be done with it, one page of its history. */
export async function loadSessionDetails(db: Db, session: SessionRow, historyPage: number) {
  const [counts, history] = await Promise.all([
    countCandidatesAndStarted(db, session.id),
    listHistory(db, session.centre_id, { sessionId: session.id, page: historyPage }),
  ])
  const finalised = isFinalised(session)
  return {
    history,
    candidateCount: counts.enrolled,
    startedCount: counts.started,
    finalised,
    canEdit: !finalised,
    canDelete: deletionBlocker(session, counts.started) === null,
    canFinalise: !finalised && counts.started > 0,
  }
}
