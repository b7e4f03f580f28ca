import { type MessageKey, t as french } from '../../i18n/index.ts'
import { formatClock } from '../../lib/dates.ts'
import type { ClockChangeRow } from './supervision.table.ts'

/** The reason's label (the short list shown as radio buttons), as a message key. */
export const reasonLabel = (reason: string): MessageKey => `supervision.time.reason.${reason}` as MessageKey

/**
 * The report's text, in French like the PV d'incident it ends up on (CONTRIBUTING.md, "Official
 * documents"): what happened, when, why, and the invigilator's own words.
 */
export function clockReportDetails(
  change: Pick<ClockChangeRow, 'kind' | 'candidate_id' | 'minutes' | 'reason' | 'details' | 'started_at' | 'ended_at'>,
): string {
  const reason = french(reasonLabel(change.reason))
  const room = change.candidate_id === null
  let text: string
  if (change.kind === 'add') text = french('supervision.time.report.add', { time: formatClock(change.started_at), minutes: change.minutes ?? 0, reason })
  else if (change.ended_at === null)
    text = french(room ? 'supervision.time.report.room_pause_open' : 'supervision.time.report.pause_open', { time: formatClock(change.started_at), reason })
  else {
    const minutes = Math.round((new Date(change.ended_at).getTime() - new Date(change.started_at).getTime()) / 60_000)
    text = french(room ? 'supervision.time.report.room_pause' : 'supervision.time.report.pause', {
      from: formatClock(change.started_at),
      to: formatClock(change.ended_at),
      minutes,
      reason,
    })
  }
  return change.details ? `${text} ${change.details}` : text
}
