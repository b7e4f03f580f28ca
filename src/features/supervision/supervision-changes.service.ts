import type { Db } from '../../db/database.ts'
import { type Trx, sessionWriteTransaction, writeTransaction } from '../../db/transaction.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import type { ValidReport } from '../incidents/index.ts'
import { type Actor as HistoryActor, type HistoryAction, INVIGILATOR_ACTOR_NAME, recordHistory } from '../history/index.ts'
import { clockReportDetails } from './clock-report.ts'
import { findUserName } from '../accounts/index.ts'
import { displayName } from '../../lib/display-name.ts'
import {
  type Actor,
  bumpDraft,
  cancelPresenceIn,
  confirmPresenceIn,
  endCourseIn,
  endSessionAccesses,
  findCandidateName,
  findCentreOfSession,
  insertCourseIn,
  insertEvent,
  insertIncidentIn,
  setEndScreenSeenIn,
  updatePassword,
} from './supervision.repository.ts'
import type { SupervisionAction } from './supervision.table.ts'
import { closePause, listOpenPausesOf, updateClockReports } from './time-control.repository.ts'

/*
 * The writes of the Espace surveillant and of the candidate's start: each opens its transaction,
 * runs one conditional statement of supervision.repository.ts (it only matches a row in the state
 * the change starts from, in a session not finalised, so two devices acting at once end in one
 * consistent state and a refused change writes nothing), then records the supervision event and
 * the centre's history entry beside it.
 */

/** What the finalisation shows (reports, end screen, times): a confirmation page shown before must no longer finalise. */
const CHANGES_THE_DRAFT: readonly SupervisionAction[] = ['start', 'end', 'end_screen_on', 'end_screen_off', 'incident']

/** Each change of the Espace surveillant, as the centre's history names it (an incident is a report added). */
const HISTORY_OF: Partial<Record<SupervisionAction, HistoryAction>> = {
  confirm: 'presence_confirmed',
  cancel: 'presence_cancelled',
  end: 'test_ended',
  end_screen_on: 'end_screen_ticked',
  end_screen_off: 'end_screen_unticked',
  incident: 'report_added',
  password: 'invigilator_key_renewed',
}

/** The history's actor for a supervision actor: the staff member's name, or the session's invigilator access. */
export async function historyActor(trx: Trx, actor: Actor): Promise<HistoryActor> {
  if (actor.kind === 'invigilator') return { kind: 'invigilator', userId: null, name: INVIGILATOR_ACTOR_NAME, email: null }
  const user = await findUserName(trx, actor.userId)
  return { kind: 'user', userId: actor.userId, name: user?.name ?? '', email: user?.email ?? null }
}

/** Also in the centre's history, in the same transaction as the change and its supervision event. */
async function recordInHistory(trx: Trx, sessionId: number, candidateId: number | null, action: SupervisionAction, actor: Actor, now: Date): Promise<void> {
  const historyAction = HISTORY_OF[action]
  if (!historyAction) return
  const centreId = await findCentreOfSession(trx, sessionId)
  const candidate = candidateId === null ? undefined : await findCandidateName(trx, candidateId)
  await recordHistory(
    trx,
    {
      centreId,
      actor: await historyActor(trx, actor),
      action: historyAction,
      sessionId,
      subject: candidate ? displayName(candidate) : null,
    },
    now,
  )
}

/** Runs the conditional change in one write transaction and, if it matched a row, records who did it; true when it did. */
async function changeAndRecord(
  db: Db,
  sessionId: number,
  candidateId: number,
  action: SupervisionAction,
  actor: Actor,
  now: Date,
  change: (trx: Trx) => Promise<bigint>,
): Promise<boolean> {
  return sessionWriteTransaction(db, sessionId, async (trx) => {
    const changed = await change(trx)
    if (changed === 0n) return false
    await insertEvent(trx, sessionId, candidateId, action, actor, now)
    await recordInHistory(trx, sessionId, candidateId, action, actor, now)
    if (CHANGES_THE_DRAFT.includes(action)) await bumpDraft(trx, sessionId)
    return true
  })
}

/** A new password: the new value and the end of every open access of the session, together. */
export async function replacePassword(db: Db, centreId: number, sessionId: number, password: string, userId: number, now: Date): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    if (!(await updatePassword(trx, centreId, sessionId, password))) return false
    await endSessionAccesses(trx, sessionId, now)
    await insertEvent(trx, sessionId, null, 'password', { kind: 'staff', userId }, now)
    await recordInHistory(trx, sessionId, null, 'password', { kind: 'staff', userId }, now)
    return true
  })
}

/**
 * A test ended while the candidate's own pause lasted: the pause ends with it, and its reports say
 * until when (the clock already stops counting at the end; this keeps the reports true).
 */
export async function closeOpenPausesOf(trx: Trx, sessionId: number, candidateId: number, now: Date): Promise<void> {
  for (const pause of await listOpenPausesOf(trx, sessionId, candidateId)) {
    await closePause(trx, pause.id, now)
    await updateClockReports(trx, pause.id, clockReportDetails({ ...pause, ended_at: toTimestamp(now) }))
  }
}

/** "Terminer le test" inside the caller's transaction: rows changed (0 when the test is not running); the candidate's open pauses end with it. */
export async function endTestIn(trx: Trx, sessionId: number, candidateId: number, now: Date): Promise<bigint> {
  const changed = await endCourseIn(trx, sessionId, candidateId, now)
  if (changed > 0n) await closeOpenPausesOf(trx, sessionId, candidateId, now)
  return changed
}

export function confirmPresence(db: Db, sessionId: number, candidateId: number, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, 'confirm', actor, now, (trx) => confirmPresenceIn(trx, sessionId, candidateId, now))
}

export function cancelPresence(db: Db, sessionId: number, candidateId: number, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, 'cancel', actor, now, (trx) => cancelPresenceIn(trx, sessionId, candidateId, now))
}

export function endTest(db: Db, sessionId: number, candidateId: number, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, 'end', actor, now, (trx) => endTestIn(trx, sessionId, candidateId, now))
}

export function setEndScreenSeen(db: Db, sessionId: number, candidateId: number, seen: boolean, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, seen ? 'end_screen_on' : 'end_screen_off', actor, now, (trx) =>
    setEndScreenSeenIn(trx, sessionId, candidateId, seen),
  )
}

/** A report of the finalisation's kind, marked as recorded during the session (and when). */
export function recordIncident(db: Db, sessionId: number, candidateId: number, report: ValidReport, actor: Actor, now: Date): Promise<boolean> {
  return changeAndRecord(db, sessionId, candidateId, 'incident', actor, now, (trx) => insertIncidentIn(trx, sessionId, candidateId, report, actor, now))
}

/**
 * The candidate starts: the certification course is created only if the presence is confirmed,
 * the session open and entry not closed (one statement), with its supervision event; one more
 * joined candidate changes the finalisation summary. True when it started now.
 */
export async function startCourse(db: Db, sessionId: number, candidateId: number, now: Date): Promise<boolean> {
  return sessionWriteTransaction(db, sessionId, async (trx) => {
    const inserted = await insertCourseIn(trx, sessionId, candidateId, now)
    if (inserted) {
      await insertEvent(trx, sessionId, candidateId, 'start', null, now)
      await bumpDraft(trx, sessionId)
    }
    return inserted
  })
}
