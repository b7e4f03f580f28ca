import type { Db } from '../../db/database.ts'
import { type Trx, sessionWriteTransaction } from '../../db/transaction.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { invalid, ok, type Ok, type Refusal, refused, type Result } from '../../lib/result.ts'
import { controlCharacterProblem } from '../../lib/text.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import { recordHistory, type HistoryAction } from '../history/index.ts'
import { finalisedRefusal, isStillOpen } from '../sessions/index.ts'
import { addableMinutes, type Clock, clockOf, MAX_ADDED_MINUTES, MAX_TOTAL_ADDED_MINUTES, MIN_ADDED_MINUTES, type Pause } from './clock.ts'
import { type Actor, bumpDraft, event } from './supervision.repository.ts'
import { historyActor } from './supervision-changes.service.ts'
import { CLOCK_REASONS, type ClockChangeRow, type ClockReason, type SupervisionAction } from './supervision.table.ts'
import * as repo from './time-control.repository.ts'
import { clockReportDetails } from './clock-report.ts'
import { displayName } from '../../lib/display-name.ts'

export { clockReportDetails, reasonLabel } from './clock-report.ts'

/*
 * Time control of the Espace surveillant: "Ajouter du temps", "Suspendre" / "Reprendre"
 * for one or several candidates, and for the whole room (an evacuation). Each action is one write
 * transaction: the time change, each candidate's supervision event, a report for the
 * finalisation (recorded "pendant la session", so nothing is typed twice) and one history entry.
 */

export const timeFields = ['minutes', 'motif', 'precisions'] as const
export const MAX_TIME_DETAILS_LENGTH = 200

export interface ValidTimeChange {
  minutes: number | null
  reason: ClockReason
  details: string | null
}

/** Checks the form of "Ajouter du temps" (`withMinutes`) or "Suspendre": the reason from the list, the optional text. */
export function validateTimeChange(values: Record<(typeof timeFields)[number], string>, withMinutes: boolean): Result<ValidTimeChange> {
  const errors: FieldErrors = {}
  let minutes: number | null = null
  if (withMinutes) {
    const n = /^\d{1,3}$/.test(values.minutes) ? Number(values.minutes) : NaN
    if (!addableMinutes(n, 0)) errors.minutes = msg('supervision.time.error.minutes', { min: MIN_ADDED_MINUTES, max: MAX_ADDED_MINUTES })
    else minutes = n
  }
  const reason = (CLOCK_REASONS as readonly string[]).includes(values.motif) ? (values.motif as ClockReason) : null
  if (!reason) errors.motif = msg('supervision.time.error.reason')
  const text = values.precisions.replace(/\r\n?/g, '\n')
  const control = controlCharacterProblem(text)
  if (control) errors.precisions = control
  else if (text.length > MAX_TIME_DETAILS_LENGTH) errors.precisions = msg('form.too_long', { max: MAX_TIME_DETAILS_LENGTH })
  if (Object.keys(errors).length > 0 || !reason) return invalid(errors)
  return ok({ minutes, reason, details: text || null })
}

/**
 * The report each change writes for the finalisation: added time is a C2 ("Ajout/modification du
 * temps majoré"); a pause takes the category of its reason (a power or network cut is a technical
 * problem, A1; an alarm or another incident, A2; an accommodation discovered late, C2).
 */
const REPORT_OF_REASON: Record<ClockReason, { category: string; code: string }> = {
  incident: { category: 'other', code: 'A2' },
  alarme: { category: 'other', code: 'A2' },
  coupure: { category: 'technical_problem', code: 'A1' },
  amenagement: { category: 'candidate_information', code: 'C2' },
}
const ADDED_TIME_REPORT = { category: 'candidate_information', code: 'C2' }

// --- Reading the clocks -------------------------------------------------------------------------

export interface ClockState extends Clock {
  addedMinutes: number
  /** The candidate's own pause, open ("Reprendre" closes it). */
  ownPause: { id: number; since: string } | null
}

export interface SessionClocks {
  /** The room's open pause, if any. */
  roomPause: { id: number; since: string; reason: ClockReason } | null
  /** The clock of a started candidate. */
  of: (candidate: { id: number; startedAt: string | null; endedAt: string | null; extraTimePercentage: number | null }) => ClockState | null
}

/** The one place that turns a session's time changes into each candidate's clock (list, sheet, finalisation, PV). */
export function sessionClocks(changes: readonly ClockChangeRow[], durationMinutes: number, now: Date): SessionClocks {
  const roomPauses: Pause[] = []
  let roomPause: SessionClocks['roomPause'] = null
  for (const c of changes) {
    if (c.kind !== 'pause' || c.candidate_id !== null) continue
    roomPauses.push({ from: c.started_at, to: c.ended_at })
    if (c.ended_at === null) roomPause = { id: c.id, since: c.started_at, reason: c.reason }
  }
  return {
    roomPause,
    of(candidate) {
      if (!candidate.startedAt) return null
      const own = changes.filter((c) => c.candidate_id === candidate.id)
      const addedMinutes = own.filter((c) => c.kind === 'add').reduce((sum, c) => sum + (c.minutes ?? 0), 0)
      const pauses = [...roomPauses, ...own.filter((c) => c.kind === 'pause').map((c) => ({ from: c.started_at, to: c.ended_at }))]
      const open = own.find((c) => c.kind === 'pause' && c.ended_at === null)
      const clock = clockOf(
        {
          startedAt: candidate.startedAt,
          endedAt: candidate.endedAt,
          durationMinutes,
          extraTimePercentage: candidate.extraTimePercentage,
          addedMinutes,
          pauses,
        },
        now,
      )
      return { ...clock, addedMinutes, ownPause: open && candidate.endedAt === null ? { id: open.id, since: open.started_at } : null }
    },
  }
}

export async function loadSessionClocks(db: Db, sessionId: number, durationMinutes: number, now: Date = new Date()): Promise<SessionClocks> {
  return sessionClocks(await repo.listClockChanges(db, sessionId), durationMinutes, now)
}

// --- Changes ---------------------------------------------------------------------------------------

type Named = { id: number; first_name: string; last_name: string }
const namesOf = (people: readonly Named[]) => people.map((p) => displayName(p)).join(', ')

async function record(trx: Trx, sessionId: number, action: HistoryAction, people: readonly Named[], actor: Actor, now: Date, count?: number) {
  const session = await trx.selectFrom('certification_session').select('centre_id').where('id', '=', sessionId).executeTakeFirstOrThrow()
  await recordHistory(
    trx,
    {
      centreId: session.centre_id,
      actor: await historyActor(trx, actor),
      action,
      sessionId,
      subject: people.length ? namesOf(people) : null,
      count: count ?? people.length,
    },
    now,
  )
  await bumpDraft(trx, sessionId)
}

async function events(trx: Trx, sessionId: number, candidateIds: readonly (number | null)[], action: SupervisionAction, actor: Actor, now: Date) {
  for (const id of candidateIds) {
    await trx
      .insertInto('supervision_event')
      .values(event(sessionId, id, action, actor, now))
      .execute()
  }
}

/**
 * The candidates of a per-candidate action, all started and not ended, or the refusal naming those
 * who are not (the whole action is refused: one transaction per action, all or nothing).
 */
async function runningOnes(trx: Trx, sessionId: number, ids: readonly number[]): Promise<Ok<Named[]> | Refusal> {
  if (ids.length === 0) return refused(msg('supervision.bulk.none'))
  const rows = await repo.findCandidatesWithCourse(trx, sessionId, ids)
  const notRunning = rows.filter((r) => !r.started_at || r.ended_at !== null)
  if (notRunning.length) return refused(msg('supervision.time.refused.not_running', { names: namesOf(notRunning) }))
  return ok(rows)
}

/** "Ajouter du temps" to one or several candidates. */
export async function addTime(
  db: Db,
  sessionId: number,
  ids: readonly number[],
  change: ValidTimeChange,
  actor: Actor,
  now = new Date(),
): Promise<Ok<Msg> | Refusal> {
  return sessionWriteTransaction(db, sessionId, async (trx) => {
    if (!(await isStillOpen(trx, sessionId))) return finalisedRefusal()
    const running = await runningOnes(trx, sessionId, ids)
    if (!running.ok) return running
    const changes = await repo.listClockChanges(trx, sessionId)
    const added = (id: number) => changes.filter((c) => c.kind === 'add' && c.candidate_id === id).reduce((sum, c) => sum + (c.minutes ?? 0), 0)
    const over = running.value.filter((c) => !addableMinutes(change.minutes ?? 0, added(c.id)))
    if (over.length) return refused(msg('supervision.time.refused.total', { max: MAX_TOTAL_ADDED_MINUTES, names: namesOf(over) }))
    for (const c of running.value) {
      const row = await repo.insertClockChange(trx, { sessionId, candidateId: c.id, kind: 'add', ...change }, actor, now)
      await repo.insertClockReport(
        trx,
        { sessionId, candidateId: c.id, ...ADDED_TIME_REPORT, details: clockReportDetails(row), clockChangeId: row.id },
        actor,
        now,
      )
    }
    await events(
      trx,
      sessionId,
      running.value.map((c) => c.id),
      'add_time',
      actor,
      now,
    )
    await record(trx, sessionId, 'time_added', running.value, actor, now)
    return ok(msg('supervision.time.done.add', { minutes: change.minutes ?? 0, names: namesOf(running.value) }))
  })
}

/** "Suspendre" one or several candidates: each clock stops until "Reprendre". */
export async function pause(
  db: Db,
  sessionId: number,
  ids: readonly number[],
  change: ValidTimeChange,
  actor: Actor,
  now = new Date(),
): Promise<Ok<Msg> | Refusal> {
  return sessionWriteTransaction(db, sessionId, async (trx) => {
    if (!(await isStillOpen(trx, sessionId))) return finalisedRefusal()
    const running = await runningOnes(trx, sessionId, ids)
    if (!running.ok) return running
    const changes = await repo.listClockChanges(trx, sessionId)
    const paused = running.value.filter((c) => changes.some((p) => p.kind === 'pause' && p.candidate_id === c.id && p.ended_at === null))
    if (paused.length) return refused(msg('supervision.time.refused.already_paused', { names: namesOf(paused) }))
    const report = REPORT_OF_REASON[change.reason]
    for (const c of running.value) {
      const row = await repo.insertClockChange(
        trx,
        { sessionId, candidateId: c.id, kind: 'pause', reason: change.reason, details: change.details, minutes: null },
        actor,
        now,
      )
      await repo.insertClockReport(trx, { sessionId, candidateId: c.id, ...report, details: clockReportDetails(row), clockChangeId: row.id }, actor, now)
    }
    await events(
      trx,
      sessionId,
      running.value.map((c) => c.id),
      'pause',
      actor,
      now,
    )
    await record(trx, sessionId, 'test_paused', running.value, actor, now)
    return ok(msg('supervision.time.done.pause', { names: namesOf(running.value) }))
  })
}

/** "Reprendre" one or several candidates paused on their own (a room pause is resumed for the room). */
export async function resume(db: Db, sessionId: number, ids: readonly number[], actor: Actor, now = new Date()): Promise<Ok<Msg> | Refusal> {
  return sessionWriteTransaction(db, sessionId, async (trx) => {
    if (!(await isStillOpen(trx, sessionId))) return finalisedRefusal()
    const running = await runningOnes(trx, sessionId, ids)
    if (!running.ok) return running
    const changes = await repo.listClockChanges(trx, sessionId)
    const openPause = (id: number) => changes.find((p) => p.kind === 'pause' && p.candidate_id === id && p.ended_at === null)
    const notPaused = running.value.filter((c) => !openPause(c.id))
    if (notPaused.length) return refused(msg('supervision.time.refused.not_paused', { names: namesOf(notPaused) }))
    for (const c of running.value) {
      const row = openPause(c.id)!
      await repo.closePause(trx, row.id, now)
      await repo.updateClockReports(trx, row.id, clockReportDetails({ ...row, ended_at: toTimestamp(now) }))
    }
    await events(
      trx,
      sessionId,
      running.value.map((c) => c.id),
      'resume',
      actor,
      now,
    )
    await record(trx, sessionId, 'test_resumed', running.value, actor, now)
    return ok(msg('supervision.time.done.resume', { names: namesOf(running.value) }))
  })
}

/** The whole room pauses (an evacuation): every running clock stops; each running candidate gets the report. */
export async function pauseRoom(db: Db, sessionId: number, change: ValidTimeChange, actor: Actor, now = new Date()): Promise<Ok<Msg> | Refusal> {
  return sessionWriteTransaction(db, sessionId, async (trx) => {
    if (!(await isStillOpen(trx, sessionId))) return finalisedRefusal()
    const changes = await repo.listClockChanges(trx, sessionId)
    if (changes.some((c) => c.kind === 'pause' && c.candidate_id === null && c.ended_at === null)) return refused(msg('supervision.time.refused.room_paused'))
    const running = await repo.listRunningCandidates(trx, sessionId)
    if (running.length === 0) return refused(msg('supervision.time.refused.none_running'))
    const row = await repo.insertClockChange(
      trx,
      { sessionId, candidateId: null, kind: 'pause', reason: change.reason, details: change.details, minutes: null },
      actor,
      now,
    )
    const report = REPORT_OF_REASON[change.reason]
    for (const c of running) {
      await repo.insertClockReport(trx, { sessionId, candidateId: c.id, ...report, details: clockReportDetails(row), clockChangeId: row.id }, actor, now)
    }
    await events(trx, sessionId, [null], 'room_pause', actor, now)
    await record(trx, sessionId, 'room_paused', [], actor, now, running.length)
    return ok(msg('supervision.time.done.room_pause', { count: running.length }))
  })
}

/** The whole room resumes. */
export async function resumeRoom(db: Db, sessionId: number, actor: Actor, now = new Date()): Promise<Ok<Msg> | Refusal> {
  return sessionWriteTransaction(db, sessionId, async (trx) => {
    if (!(await isStillOpen(trx, sessionId))) return finalisedRefusal()
    const changes = await repo.listClockChanges(trx, sessionId)
    const open = changes.find((c) => c.kind === 'pause' && c.candidate_id === null && c.ended_at === null)
    if (!open) return refused(msg('supervision.time.refused.room_not_paused'))
    await repo.closePause(trx, open.id, now)
    await repo.updateClockReports(trx, open.id, clockReportDetails({ ...open, ended_at: toTimestamp(now) }))
    const running = await repo.listRunningCandidates(trx, sessionId)
    await events(trx, sessionId, [null], 'room_resume', actor, now)
    await record(trx, sessionId, 'room_resumed', [], actor, now, running.length)
    return ok(msg('supervision.time.done.room_resume'))
  })
}
