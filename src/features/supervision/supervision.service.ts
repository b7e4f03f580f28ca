import type { Db } from '../../db/database.ts'
import { type Locale, type MessageKey, type Msg, msg, translator } from '../../i18n/index.ts'
import { generateToken, hashToken } from '../accounts/index.ts'
import type { ValidReport } from '../incidents/index.ts'
import { sortPeopleRows } from '../../lib/collation.ts'
import { personNameKey } from '../candidates/index.ts'
import { formatClock } from '../../lib/dates.ts'
import { timestampMs, toTimestamp } from '../../lib/timestamps.ts'
import { type SessionRow, finalisedRefusal } from '../sessions/index.ts'
import { generateInvigilatorPassword, passwordMatches } from './password.ts'
import * as repo from './supervision.repository.ts'
import * as writes from './supervision-changes.service.ts'
import type { Actor } from './supervision.repository.ts'
import { type AllowedActions, allowedActions, candidateStatus, type CandidateStatus, entryClosed } from './status.ts'
import type { ClockReason } from './supervision.table.ts'
import { loadSessionClocks } from './time-control.service.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import { isFinalised } from '../sessions/index.ts'
import { displayName } from '../../lib/display-name.ts'

export type { Actor } from './supervision.repository.ts'

/** An invigilator access lasts 24 hours at most (and ends sooner: "Quitter", new password, finalisation). */
export const ACCESS_DURATION_MS = 24 * 60 * 60 * 1000

export const loginFields = ['sessionNumber', 'password'] as const

/** A login refused; `miss` for a wrong number or password, the one answer that counts as a failed try. */
export type LoginRefusal = Refusal & { miss?: true }

/** The login: one message for a wrong number or a wrong password, never saying which. */
export async function openAccess(
  db: Db,
  values: { sessionNumber: string; password: string },
  now = new Date(),
): Promise<Ok<{ token: string; sessionId: number; expiresAt: number }> | LoginRefusal> {
  if (!values.sessionNumber || !values.password) return refused(msg('supervision.login.required'))
  // A wrong number or password: the one answer that counts as a failed try.
  const wrong: LoginRefusal = { ...refused(msg('supervision.login.wrong')), miss: true }
  const number = values.sessionNumber.replace(/\s+/g, '')
  if (!/^\d{1,15}$/.test(number)) return wrong
  const session = await repo.findSessionForSupervision(db, Number(number))
  if (!session || !passwordMatches(values.password, session.invigilator_password)) return wrong
  // Not `reason: 'finalised'`: there is no session page to refuse yet, the login page says it.
  if (isFinalised(session)) return refused(msg('supervision.login.finalised', { id: session.id }))
  const token = generateToken()
  const expiresAt = now.getTime() + ACCESS_DURATION_MS
  await repo.insertAccess(db, hashToken(token), session.id, expiresAt, now)
  return ok({ token, sessionId: session.id, expiresAt })
}

export interface InvigilatorAccess {
  id: string
  sessionId: number
}

/** The access of this cookie token, or 'ended' (known but over: left, new password, 24 h), or null. */
export async function validateAccessToken(db: Db, token: string, now = new Date()): Promise<InvigilatorAccess | 'ended' | null> {
  const row = await repo.findAccess(db, hashToken(token))
  if (!row) return null
  if (row.ended_at !== null || timestampMs(row.expires_at) <= now.getTime()) return 'ended'
  return { id: row.id, sessionId: row.session_id }
}

export function endAccess(db: Db, accessId: string, now = new Date()): Promise<void> {
  return repo.endAccess(db, accessId, now)
}

/** "Générer un nouveau mot de passe": every open invigilator access of the session ends. */
export async function regeneratePassword(db: Db, session: Pick<SessionRow, 'id' | 'centre_id'>, userId: number, now = new Date()): Promise<Ok<null> | Refusal> {
  const done = await writes.replacePassword(db, session.centre_id, session.id, generateInvigilatorPassword(), userId, now)
  return done ? ok(null) : finalisedRefusal()
}

// --- The page ---------------------------------------------------------------------------------

export interface SupervisedCandidate {
  id: number
  lastName: string
  firstName: string
  birthdate: string
  extraTimePercentage: number | null
  /** "Le candidat a besoin d'un aménagement", and its detail. */
  accessibility: { note: string | null } | null
  /** Who approved the extra time or the need, and when (YYYY-MM-DD); null when not written. */
  approvedBy: string | null
  approvedOn: string | null
  status: CandidateStatus
  startedAt: string | null
  theoreticalEnd: string | null
  endedAt: string | null
  hasSeenEndScreen: boolean
  certificationNumber: number | null
  /** Time control: minutes added, paused now (own or room pause), past the theoretical end. */
  addedMinutes: number
  paused: boolean
  pausedSince: string | null
  overdue: boolean
  need: Need
  reports: Array<{ id: number; code: string; questionNumber: number | null; details: string | null; recordedAt: string | null }>
  actions: AllowedActions & { addTime: boolean; pause: boolean; resume: boolean }
}

/**
 * What needs the invigilator first: waiting for their presence to be confirmed,
 * past their theoretical end, paused, then in progress; then those confirmed, those not arrived,
 * and the ended last. Each has its own mark (a word and a symbol, never colour alone).
 */
export const NEEDS = ['waiting', 'overdue', 'paused', 'started', 'present', 'registered', 'ended'] as const
export type Need = (typeof NEEDS)[number]
/** The counters at the top, each a link that filters the list (?filtre=…). */
export const COUNTED_NEEDS = ['waiting', 'overdue', 'paused', 'started', 'ended'] as const satisfies readonly Need[]
export type ListOrder = 'need' | 'name'
/** The filter's value in the URL (?filtre=en-attente). */
export const NEED_SLUG: Record<Need, string> = {
  waiting: 'en-attente',
  overdue: 'depassement',
  paused: 'suspendus',
  started: 'en-cours',
  present: 'presents',
  registered: 'inscrits',
  ended: 'termines',
}

export function needOf(c: Pick<SupervisedCandidate, 'status' | 'paused' | 'overdue'>): Need {
  if (c.status === 'started') return c.paused ? 'paused' : c.overdue ? 'overdue' : 'started'
  return c.status
}

export interface SupervisionView {
  session: SessionRow
  candidates: SupervisedCandidate[]
  /** How many candidates of each need (whole list, before the search and the filter). */
  counts: Record<Need, number>
  order: ListOrder
  filter: Need | null
  total: number
  presentCount: number
  search: string
  entryClosed: boolean
  finalised: boolean
  updatedAt: string
  /** The room's open pause, and whether a test runs (what a room pause would stop). */
  roomPause: { since: string; reason: ClockReason } | null
  anyRunning: boolean
}

/**
 * The invigilator's search: the typed text, as a person-name key (`personNameKey`, the one rule of
 * "same person?"), found in "last first" or "first last": "damico" finds "D'Amico", "saint pierre"
 * finds "Saint-Pierre", "élodie dupont" finds "DUPONT Élodie". An empty search matches everyone.
 */
export function matchesSearch(candidate: { lastName: string; firstName: string }, search: string): boolean {
  return nameSearch(search)(candidate)
}

/** `matchesSearch` for a whole list: the typed text's key is worked out once, not once per row. */
function nameSearch(search: string): (candidate: { lastName: string; firstName: string }) => boolean {
  const key = personNameKey(search)
  if (!key) return () => true
  return (candidate) => personNameKey(displayName(candidate, { lastFirst: true })).includes(key) || personNameKey(displayName(candidate)).includes(key)
}

export async function loadSupervision(
  db: Db,
  session: SessionRow,
  options: { search?: string; now?: Date; order?: ListOrder; filter?: string } = {},
): Promise<SupervisionView> {
  const now = options.now ?? new Date()
  const [rows, reports, firstStart, clocks] = await Promise.all([
    repo.listSupervisedCandidates(db, session.id),
    repo.listLiveReports(db, session.id),
    repo.firstStartOf(db, session.id),
    loadSessionClocks(db, session.id, session.test_duration_minutes, now),
  ])
  const closed = entryClosed(firstStart, now)
  const finalised = isFinalised(session)
  const all = sortPeopleRows(rows).map((r): SupervisedCandidate => {
    const status = candidateStatus({ arrivedAt: r.arrived_at, confirmedAt: r.presence_confirmed_at, startedAt: r.started_at, endedAt: r.ended_at })
    const clock = clocks.of({ id: r.id, startedAt: r.started_at, endedAt: r.ended_at, extraTimePercentage: r.extra_time_percentage })
    const actions = allowedActions(status, { finalised, entryClosed: closed })
    const running = !finalised && status === 'started'
    return {
      id: r.id,
      lastName: r.last_name,
      firstName: r.first_name,
      birthdate: r.birthdate,
      extraTimePercentage: r.extra_time_percentage,
      accessibility: r.accessibility_needed ? { note: r.accessibility_note } : null,
      approvedBy: r.accommodation_approved_by,
      approvedOn: r.accommodation_approved_on,
      status,
      startedAt: r.started_at,
      theoreticalEnd: clock ? toTimestamp(clock.theoreticalEnd) : null,
      endedAt: r.ended_at,
      hasSeenEndScreen: r.has_seen_end_screen === 1,
      certificationNumber: r.course_id,
      addedMinutes: clock?.addedMinutes ?? 0,
      paused: clock?.paused ?? false,
      pausedSince: clock?.ownPause?.since ?? (clock?.paused ? (clocks.roomPause?.since ?? null) : null),
      overdue: clock?.overdue ?? false,
      need: needOf({ status, paused: clock?.paused ?? false, overdue: clock?.overdue ?? false }),
      reports: reports
        .filter((p) => p.candidate_id === r.id)
        .map((p) => ({
          id: p.id,
          code: p.code,
          questionNumber: p.question_number,
          details: p.details,
          recordedAt: p.source === 'invigilator' ? p.recorded_at : null,
        })),
      actions: { ...actions, addTime: running, pause: running && !clock?.ownPause, resume: running && Boolean(clock?.ownPause) },
    }
  })
  const search = (options.search ?? '').trim().slice(0, 100)
  const filter = NEEDS.find((n) => NEED_SLUG[n] === options.filter) ?? null
  const order = options.order ?? 'need'
  const found = nameSearch(search)
  const shown = all.filter((c) => found(c) && (!filter || c.need === filter))
  // Array.prototype.sort is stable: within a need, the French order of names stays.
  if (order === 'need') shown.sort((a, b) => NEEDS.indexOf(a.need) - NEEDS.indexOf(b.need))
  const counts = Object.fromEntries(NEEDS.map((n) => [n, all.filter((c) => c.need === n).length])) as Record<Need, number>
  return {
    session,
    candidates: shown,
    counts,
    order,
    filter,
    total: all.length,
    presentCount: all.filter((c) => c.status !== 'registered' && c.status !== 'waiting').length,
    search,
    entryClosed: closed,
    finalised,
    updatedAt: toTimestamp(now),
    roomPause: clocks.roomPause ? { since: clocks.roomPause.since, reason: clocks.roomPause.reason } : null,
    anyRunning: all.some((c) => c.status === 'started'),
  }
}

// --- Actions ----------------------------------------------------------------------------------

export type SupervisionAction = 'confirm' | 'cancel' | 'end' | 'end_screen_on' | 'end_screen_off'

const successKeys: Record<SupervisionAction, MessageKey> = {
  confirm: 'supervision.done.confirm',
  cancel: 'supervision.done.cancel',
  end: 'supervision.done.end',
  end_screen_on: 'supervision.done.end_screen_on',
  end_screen_off: 'supervision.done.end_screen_off',
}

/** Why a change did not happen, read after the conditional update matched nothing. */
async function refusal(db: Db, sessionId: number, now: Date): Promise<Refusal> {
  const session = await repo.findSessionForSupervision(db, sessionId)
  if (!session || isFinalised(session)) return refused(msg('supervision.refused.finalised', { id: sessionId }), 'finalised')
  if (entryClosed(await repo.firstStartOf(db, sessionId), now)) return refused(msg('supervision.refused.entry_closed'))
  return refused(msg('supervision.refused.state'))
}

/**
 * One action on one candidate. The allowed transitions are the status machine's; the repository's
 * conditional statements make sure the state did not change meanwhile on another device.
 */
export async function act(
  db: Db,
  sessionId: number,
  candidate: { id: number; first_name: string; last_name: string },
  action: SupervisionAction,
  actor: Actor,
  now = new Date(),
): Promise<Ok<Msg> | Refusal> {
  const changes: Record<SupervisionAction, () => Promise<boolean>> = {
    confirm: () => writes.confirmPresence(db, sessionId, candidate.id, actor, now),
    cancel: () => writes.cancelPresence(db, sessionId, candidate.id, actor, now),
    end: () => writes.endTest(db, sessionId, candidate.id, actor, now),
    end_screen_on: () => writes.setEndScreenSeen(db, sessionId, candidate.id, true, actor, now),
    end_screen_off: () => writes.setEndScreenSeen(db, sessionId, candidate.id, false, actor, now),
  }
  if (await changes[action]()) return ok(msg(successKeys[action], { firstName: candidate.first_name, lastName: candidate.last_name }))
  return refusal(db, sessionId, now)
}

export async function recordIncident(
  db: Db,
  sessionId: number,
  candidate: { id: number; first_name: string; last_name: string },
  report: ValidReport,
  actor: Actor,
  now = new Date(),
): Promise<Ok<Msg> | Refusal> {
  if (await writes.recordIncident(db, sessionId, candidate.id, report, actor, now)) {
    return ok(msg('supervision.done.incident', { code: report.code, firstName: candidate.first_name, lastName: candidate.last_name }))
  }
  return refusal(db, sessionId, now)
}

// --- Printables -------------------------------------------------------------------------------

/**
 * What the Espace surveillant recorded of one candidate, for the attendance sheet: "10:02 – 11:40",
 * end screen seen; when time was added or the clock paused, the theoretical end too, in
 * the same column ("10:02 – 11:40 (fin théorique 11:55)"), in the document's language.
 */
export function attendanceColumns(
  r: { started_at: string | null; ended_at: string | null; has_seen_end_screen: number },
  clock: { theoreticalEnd: Date; addedMinutes: number; pausedMs: number } | null = null,
  locale: Locale = 'fr',
): {
  times: string
  endScreenSeen: boolean
} {
  const times = !r.started_at ? '' : r.ended_at ? `${formatClock(r.started_at)} – ${formatClock(r.ended_at)}` : formatClock(r.started_at)
  const changed = clock && (clock.addedMinutes > 0 || clock.pausedMs > 0)
  return {
    times: changed ? `${times} (${translator(locale)('supervision.theoretical_end_short', { time: formatClock(toTimestamp(clock.theoreticalEnd)) })})` : times,
    endScreenSeen: r.has_seen_end_screen === 1,
  }
}
