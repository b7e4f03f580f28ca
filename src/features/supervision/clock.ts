import { extraMinutes } from './status.ts'

/**
 * A candidate's clock: the theoretical end is the start, plus the session's duration,
 * plus the extra-time percentage (rounded up), plus the minutes added live, plus the time the
 * clock was paused. Pure functions, no I/O: the repository reads the pauses and additions, the
 * invigilator list, the attendance sheet, the finalisation and the PV all ask this module.
 *
 * A pause is the candidate's own ("Suspendre") or the whole room's (an evacuation): overlapping
 * pauses count once (their union), and only while the clock ran, between the start and the end
 * of the test (or now while it is not ended).
 */
export interface Pause {
  /** ISO-8601 UTC, as every stored instant. */
  from: string
  /** null while it lasts. */
  to: string | null
}

export interface ClockInput {
  startedAt: string
  endedAt: string | null
  durationMinutes: number
  extraTimePercentage: number | null
  /** Minutes added live ("Ajouter du temps"), all actions together. */
  addedMinutes: number
  /** The candidate's own pauses and the room's, in any order. */
  pauses: readonly Pause[]
}

export interface Clock {
  theoreticalEnd: Date
  /** Time the clock stood still so far, in milliseconds. */
  pausedMs: number
  /** A pause lasts now (and the test is not ended). */
  paused: boolean
  /** Running, not paused, and past its theoretical end. */
  overdue: boolean
}

/** Added time per action, and for one candidate over the whole session: bounded, so a typo (600 for 60) is refused. */
export const MIN_ADDED_MINUTES = 1
export const MAX_ADDED_MINUTES = 60
export const MAX_TOTAL_ADDED_MINUTES = 120

const ms = (iso: string) => new Date(iso).getTime()

/** Milliseconds covered by the union of the pauses, clipped to [start, end]. */
export function pausedMs(pauses: readonly Pause[], startMs: number, endMs: number): number {
  const clipped = pauses
    .map((p) => [Math.max(ms(p.from), startMs), Math.min(p.to === null ? endMs : ms(p.to), endMs)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
  let total = 0
  let current: [number, number] | null = null
  for (const [a, b] of clipped) {
    if (current && a <= current[1]) current[1] = Math.max(current[1], b)
    else {
      if (current) total += current[1] - current[0]
      current = [a, b]
    }
  }
  if (current) total += current[1] - current[0]
  return total
}

/** Whether one of the pauses lasts at this instant. */
export function isPaused(pauses: readonly Pause[], now: Date): boolean {
  const at = now.getTime()
  return pauses.some((p) => ms(p.from) <= at && (p.to === null || ms(p.to) > at))
}

export function clockOf(input: ClockInput, now: Date = new Date()): Clock {
  const start = ms(input.startedAt)
  const end = input.endedAt === null ? now.getTime() : Math.min(ms(input.endedAt), now.getTime())
  const paused = pausedMs(input.pauses, start, Math.max(start, end))
  const minutes = input.durationMinutes + extraMinutes(input.durationMinutes, input.extraTimePercentage) + input.addedMinutes
  const theoreticalEnd = new Date(start + minutes * 60_000 + paused)
  const pausedNow = input.endedAt === null && isPaused(input.pauses, now)
  return {
    theoreticalEnd,
    pausedMs: paused,
    paused: pausedNow,
    overdue: input.endedAt === null && !pausedNow && now.getTime() > theoreticalEnd.getTime(),
  }
}

/** Whether `minutes` more may be added to a candidate who already has `alreadyAdded`. */
export function addableMinutes(minutes: number, alreadyAdded: number): boolean {
  return Number.isInteger(minutes) && minutes >= MIN_ADDED_MINUTES && minutes <= MAX_ADDED_MINUTES && alreadyAdded + minutes <= MAX_TOTAL_ADDED_MINUTES
}
