import { asNumber, type Msg, msg } from '../../i18n/index.ts'
import { type CalendarDate, toIsoDate } from '../../lib/dates.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'
import {
  CANDIDATE_FIELDS,
  type CandidateData,
  type CandidateInput,
  candidateKey,
  cleanText,
  communeWarning,
  validateCandidate,
  BIRTH_CODE_FIELDS,
  withBirthplace,
  type LineProblem,
  matchHeader,
  missingTitlesText,
  quotedTitles,
  placeKey,
} from '../candidates/index.ts'
import { type SessionFormValues, type SessionInput, validateSessionForm, DEFAULT_TEST_DURATION_MINUTES } from '../sessions/index.ts'
import { batchHeaderRules, type BatchColumn, columnTitle, SESSION_COLUMNS } from './columns.ts'

/**
 * "Créer/éditer plusieurs sessions": the lines of the template become sessions to create and
 * candidate lists to replace, with every blocking error and every warning — without touching the
 * database (what it needs from it comes in `PlanContext`). The same checks run again at confirmation.
 */

export const MAX_SESSIONS = 200
export const MAX_CANDIDATES = 5000

/** A cell as read: text (CSV, or a text cell), or what an .ods date or number cell holds. */
export type CellValue = string | CalendarDate | number

/** One filled line of the file; `line` as the spreadsheet shows it. */
export interface BatchRow {
  line: number
  values: Partial<Record<BatchColumn, CellValue>>
  /** Columns whose .ods cell holds a formula (its value is never used). */
  formulas: BatchColumn[]
}

/** What the plan needs from the database, for this centre only. */
export interface ExistingSession {
  id: number
  finalised: boolean
  /** At least one candidate joined. */
  started: boolean
}

export interface PlanContext {
  today: CalendarDate
  /** HH:MM, Paris time. */
  now: string
  /** The centre's sessions named by the file (another centre's are simply absent). */
  existing: ReadonlyMap<number, ExistingSession>
  /** `slotKey` of the centre's sessions on the dates of the file. */
  takenSlots: ReadonlySet<string>
}

export interface PlannedCreate {
  kind: 'create'
  line: number
  input: SessionInput
  candidates: CandidateData[]
}
export interface PlannedReplace {
  kind: 'replace'
  line: number
  sessionId: number
  candidates: CandidateData[]
}
export type PlannedSession = PlannedCreate | PlannedReplace

export interface PlanCounts {
  sessions: number
  empty: number
  candidates: number
  created: number
  replaced: number
}

/** `column` is the header of the column as the template writes it (already French), or null. */
export interface BatchPlan {
  sessions: PlannedSession[]
  errors: LineProblem[]
  warnings: LineProblem[]
  counts: PlanCounts
}

export type PlanOutcome = Ok<BatchPlan> | Refusal

/** Two sessions are the same slot with the same site, room, date and time (case and accents aside). */
export function slotKey(s: { siteName: string; room: string; date: string; startTime: string }): string {
  return `${placeKey(s.siteName)}|${placeKey(s.room)}|${s.date}|${s.startTime}`
}

/** The header row's columns, and the titles of those the import does not read (named in a notice). */
export interface BatchHeader {
  columns: Map<BatchColumn, number>
  ignored: string[]
}

/**
 * The header row (header-match.ts): every needed column must be there, with our titles or Pix
 * Certif's, in any order; the others are ignored and named. A row with none of the titles is no
 * header; a Pix file missing a column is told so.
 */
export function mapHeader(cells: string[]): Ok<BatchHeader> | Refusal {
  const match = matchHeader(cells, batchHeaderRules())
  if (match.columns.size === 0) return refused(msg('batch.file.no_header'))
  if (match.missing.length) {
    const key = match.fromPix ? 'batch.file.pix_missing_columns' : 'batch.file.missing_columns'
    return refused(msg(key, { columns: missingTitlesText(match.missing) }))
  }
  return ok({ columns: match.columns, ignored: match.ignored })
}

/** The non-blocking notice of the columns a file has and the import does not read. */
export function ignoredColumnsWarning(line: number, ignored: readonly string[]): LineProblem[] {
  return ignored.length ? [{ line, column: null, message: msg('batch.file.ignored_columns', { columns: quotedTitles(ignored) }) }] : []
}

const text = (value: CellValue | undefined): string => {
  if (value === undefined) return ''
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number') return String(value)
  return toIsoDate(value)
}
const filled = (value: CellValue | undefined) => value !== undefined && (typeof value !== 'string' || value.trim() !== '')

/** Excel writes a time cell as 09:00:00 in a CSV. */
const timeText = (value: string) => value.replace(/^(\d{1,2}[:hH]\d{2}):00$/, '$1')
/**
 * A French LibreOffice saves a date cell as 15/06/30 in a CSV (its short date format): a session
 * takes place this century, so a two-digit year is 20yy.
 */
const dateText = (value: string) => value.replace(/^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*([/.-])\s*(\d{2})$/, '$1/$3/20$5')

interface Group {
  planned: PlannedSession
  /** candidateKey → line of the first occurrence */
  seen: Map<string, number>
  /** For new sessions: what the other lines of the same slot must repeat. */
  invigilators?: string
  observations?: string
}

export function buildPlan(rows: BatchRow[], ctx: PlanContext, notices: LineProblem[] = []): PlanOutcome {
  const candidateLines = rows.filter((r) => CANDIDATE_FIELDS.some((f) => filled(r.values[f]) || r.formulas.includes(f))).length
  if (candidateLines > MAX_CANDIDATES) return refused(msg('batch.file.too_many_candidates', { max: asNumber(MAX_CANDIDATES), count: asNumber(candidateLines) }))
  if (rows.length === 0) return refused(msg('batch.file.empty'))

  const errors: LineProblem[] = []
  const warnings: LineProblem[] = [...notices]
  const groups = new Map<string, Group>()
  const problem = (line: number, column: BatchColumn | null, message: Msg) => errors.push({ line, column: column ? columnTitle(column) : null, message })

  for (const row of rows) {
    const before = errors.length
    for (const column of row.formulas) problem(row.line, column, msg('candidates.import.formula'))
    const value = (column: BatchColumn) => (row.formulas.includes(column) ? undefined : row.values[column])

    // Session part: a number names an existing session; without one the line describes a new one.
    let group: Group | null = null
    const number = cleanText(text(value('sessionNumber')))
    const infoColumns = SESSION_COLUMNS.filter((c) => c !== 'sessionNumber')
    const hasInfo = infoColumns.some((c) => filled(value(c)))
    if (number) {
      const id = /^\d{1,9}$/.test(number) ? Number(number) : null
      const existing = id === null ? undefined : ctx.existing.get(id)
      if (id === null) problem(row.line, 'sessionNumber', msg('batch.session_number.invalid', { value: number }))
      else if (hasInfo) problem(row.line, 'sessionNumber', msg('batch.session_number.with_info'))
      else if (!existing) problem(row.line, 'sessionNumber', msg('batch.session_number.unknown'))
      else if (existing.finalised) problem(row.line, 'sessionNumber', msg('batch.session_number.finalised', { id }))
      else if (existing.started) problem(row.line, 'sessionNumber', msg('batch.session_number.started', { id }))
      else {
        const key = `#${id}`
        group = groups.get(key) ?? null
        if (!group) {
          group = { planned: { kind: 'replace', line: row.line, sessionId: id, candidates: [] }, seen: new Map() }
          groups.set(key, group)
        }
      }
    } else {
      const values = Object.fromEntries(infoColumns.map((c) => [c, text(value(c))])) as SessionFormValues
      values.startTime = timeText(values.startTime)
      values.date = dateText(values.date)
      // The template has no duration column: the session gets the default, editable on its form until someone starts.
      values.testDuration = String(DEFAULT_TEST_DURATION_MINUTES)
      const validation = validateSessionForm(values)
      const fieldErrors = validation.ok ? {} : validation.errors
      for (const c of infoColumns) if (fieldErrors[c] && !row.formulas.includes(c)) problem(row.line, c, fieldErrors[c]!)
      if (validation.ok) {
        const input = validation.value
        const today = toIsoDate(ctx.today)
        const key = slotKey(input)
        if (input.date < today || (input.date === today && input.startTime < ctx.now)) problem(row.line, 'date', msg('batch.session.past'))
        else if (ctx.takenSlots.has(key)) problem(row.line, 'siteName', msg('batch.session.exists'))
        else {
          group = groups.get(key) ?? null
          if (!group) {
            group = {
              planned: { kind: 'create', line: row.line, input, candidates: [] },
              seen: new Map(),
              invigilators: input.invigilators,
              observations: input.observations ?? '',
            }
            groups.set(key, group)
          } else if (group.invigilators !== input.invigilators || group.observations !== (input.observations ?? '')) {
            problem(
              row.line,
              group.invigilators !== input.invigilators ? 'invigilators' : 'observations',
              msg('batch.session.conflict', { first: group.planned.line }),
            )
            group = null
          }
        }
      }
    }

    // Candidate part: the candidate sheet's own rules.
    const hasCandidate = [...CANDIDATE_FIELDS, ...BIRTH_CODE_FIELDS].some((f) => filled(row.values[f]) || row.formulas.includes(f))
    if (!hasCandidate) continue
    const input = Object.fromEntries(
      CANDIDATE_FIELDS.map((f) => {
        const v = value(f)
        if (f === 'birthdate' || f === 'accommodationApprovedOn') return [f, v === undefined ? '' : typeof v === 'number' ? String(v) : v]
        if (f === 'extraTime') return [f, v === undefined ? '' : typeof v === 'object' ? toIsoDate(v) : v]
        return [f, text(v)]
      }),
    ) as CandidateInput
    // A Pix file gives the birthplace by code (columns absent from ours: nothing to resolve).
    const codes = Object.fromEntries(BIRTH_CODE_FIELDS.filter((f) => f in row.values).map((f) => [f, text(value(f))]))
    const birthplace = withBirthplace(input, codes)
    if (!birthplace.ok) {
      if (!row.formulas.includes(birthplace.field)) problem(row.line, birthplace.field, birthplace.message)
      continue
    }
    const result = validateCandidate(birthplace.values, ctx.today)
    if (!result.ok) {
      for (const f of CANDIDATE_FIELDS) {
        // A département that came from a code is reported in the code's column (a Pix file has no département column).
        const column = f === 'birthDepartment' && birthplace.codeField ? birthplace.codeField : f
        if (result.errors[f] && !row.formulas.includes(f)) problem(row.line, column, result.errors[f]!)
      }
      continue
    }
    if (!group || errors.length > before) continue
    const key = candidateKey(result.value)
    const first = group.seen.get(key)
    if (first !== undefined) {
      warnings.push({ line: row.line, column: null, message: msg('batch.candidate.duplicate', { first }) })
      continue
    }
    group.seen.set(key, row.line)
    group.planned.candidates.push(result.value)
    const commune = communeWarning(result.value)
    if (commune) warnings.push({ line: row.line, column: columnTitle('birthCity'), message: commune })
  }

  const sessions = [...groups.values()].map((g) => g.planned)
  if (sessions.length > MAX_SESSIONS) return refused(msg('batch.file.too_many_sessions', { max: MAX_SESSIONS, count: sessions.length }))
  for (const s of sessions) {
    if (s.candidates.length) continue
    warnings.push({ line: s.line, column: null, message: s.kind === 'create' ? msg('batch.session.empty') : msg('batch.session.emptied', { id: s.sessionId }) })
  }
  warnings.sort((a, b) => a.line - b.line)
  const counts: PlanCounts = {
    sessions: sessions.length,
    empty: sessions.filter((s) => s.candidates.length === 0).length,
    candidates: sessions.reduce((n, s) => n + s.candidates.length, 0),
    created: sessions.filter((s) => s.kind === 'create').length,
    replaced: sessions.filter((s) => s.kind === 'replace').length,
  }
  return ok({ sessions, errors, warnings, counts })
}

/** The session numbers a file names (to look them up before building the plan). */
export function namedSessionNumbers(rows: BatchRow[]): number[] {
  const ids = new Set<number>()
  for (const row of rows) {
    const number = text(row.values.sessionNumber)
    if (/^\d{1,9}$/.test(number)) ids.add(Number(number))
  }
  return [...ids]
}
