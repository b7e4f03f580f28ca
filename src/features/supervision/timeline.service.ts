import type { Db } from '../../db/database.ts'
import { type MessageKey, type Msg, msg } from '../../i18n/index.ts'
import { codeLabel } from '../incidents/index.ts'
import { findAttendance } from './supervision.repository.ts'
import { reasonLabel } from './time-control.service.ts'
import { listCandidateReports, listClockChanges, listTimelineEvents } from './time-control.repository.ts'
import { displayName } from '../../lib/display-name.ts'

/**
 * One candidate's timeline: joined, presence confirmed (by whom), started,
 * paused and resumed (the candidate's own and the room's while the test ran), time added (why),
 * incidents, end screen, ended; each with its time. Read-only, printable.
 */
export interface TimelineEntry {
  at: string
  what: Msg
  /** Who acted: a staff member's name, the invigilator access, or nobody (the candidate, the app). */
  by: Msg | null
  details: string | null
  /** A time change's reason, a report's code label. */
  reason?: Msg
  label?: Msg
}

const ACTION_KEY: Record<string, MessageKey | undefined> = {
  confirm: 'supervision.timeline.confirm',
  cancel: 'supervision.timeline.cancel',
  start: 'supervision.timeline.start',
  end: 'supervision.timeline.end',
  end_screen_on: 'supervision.timeline.end_screen_on',
  end_screen_off: 'supervision.timeline.end_screen_off',
  resume: 'supervision.timeline.resume',
  room_resume: 'supervision.timeline.room_resume',
}

export async function loadTimeline(db: Db, sessionId: number, candidateId: number) {
  const [attendance, events, reports, changes] = await Promise.all([
    findAttendance(db, sessionId, candidateId),
    listTimelineEvents(db, sessionId, candidateId),
    listCandidateReports(db, sessionId, candidateId),
    listClockChanges(db, sessionId),
  ])
  const entries: TimelineEntry[] = []
  if (attendance?.arrived_at) entries.push({ at: attendance.arrived_at, what: msg('supervision.timeline.arrived'), by: null, details: null })
  const startedAt = attendance?.started_at ?? null
  const endedAt = attendance?.ended_at ?? null
  // The start is the course's own time (a course started before its event was recorded still has it).
  if (startedAt) entries.push({ at: startedAt, what: msg('supervision.timeline.start'), by: null, details: null })
  const during = (at: string) => startedAt !== null && at >= startedAt && (endedAt === null || at <= endedAt)
  for (const e of events) {
    if (e.candidate_id === null && !during(e.at)) continue
    const by =
      e.user_first_name !== null
        ? msg('supervision.timeline.by', { name: displayName({ first_name: e.user_first_name, last_name: e.user_last_name ?? '' }) })
        : e.access_id !== null
          ? msg('supervision.timeline.by_invigilator')
          : null
    const key = e.action === 'start' ? undefined : ACTION_KEY[e.action]
    if (key) entries.push({ at: e.at, what: msg(key), by, details: null })
  }
  for (const c of changes) {
    if (c.candidate_id !== candidateId && !(c.candidate_id === null && c.kind === 'pause' && during(c.started_at))) continue
    const reason = msg(reasonLabel(c.reason))
    const what =
      c.kind === 'add'
        ? msg('supervision.timeline.add', { minutes: c.minutes ?? 0 })
        : msg(c.candidate_id === null ? 'supervision.timeline.room_pause' : 'supervision.timeline.pause')
    const by = c.access_id !== null ? msg('supervision.timeline.by_invigilator') : c.user_id !== null ? msg('supervision.timeline.by_staff') : null
    entries.push({ at: c.started_at, what, by, details: c.details, reason })
  }
  for (const r of reports) {
    if (r.clock_change_id !== null) continue // told by the time change itself
    entries.push({
      at: r.recorded_at ?? r.created_at,
      what: msg('supervision.timeline.report', { code: r.code }),
      by: null,
      details: r.details,
      label: codeLabel(r.code),
    })
  }
  // ISO-8601 UTC text sorts as time; the sort is stable, so simultaneous entries keep their order.
  entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  return { attendance, entries }
}
