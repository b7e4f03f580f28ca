import { toTimestamp } from '../../lib/timestamps.ts'
import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { type Actor, recordHistory } from '../history/index.ts'
import { generateInvigilatorPassword, generateAccessCode, insertSessionWithAccessCode, sessionColumns } from '../sessions/index.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import { type CalendarDate, formatClock, toIsoDate, todayInParis } from '../../lib/dates.ts'
import { deleteCandidatesOfSession, insertCandidates } from '../candidates/index.ts'
import type { BatchPlanRow } from './batch-import.table.ts'
import { deleteExpiredPlans, findExistingSessions, findPlan, insertPlan, listSlotsFrom, markPlanUsed } from './batch-import.repository.ts'
import { type BatchPlan, buildPlan, ignoredColumnsWarning, namedSessionNumbers, type PlanContext, slotKey } from './plan.ts'
import { MAX_BATCH_BYTES, readBatchFile } from './read.ts'
import { ok, type Ok, type Refusal, refused } from '../../lib/result.ts'

export const PLAN_LIFETIME_MS = 60 * 60 * 1000

async function contextFor(db: Db, centreId: number, ids: number[], now: Date): Promise<PlanContext> {
  const today: CalendarDate = todayInParis(now)
  const slots = await listSlotsFrom(db, centreId, toIsoDate(today))
  return {
    today,
    // HH:MM in Paris, compared with the sessions' start times (the one Paris clock, lib/dates.ts).
    now: formatClock(toTimestamp(now)),
    existing: await findExistingSessions(db, centreId, ids),
    takenSlots: new Set(slots.map((s) => slotKey({ siteName: s.site_name, room: s.room, date: s.date, startTime: s.start_time }))),
  }
}

/** Step 1 → step 2: the file read, every line checked against the centre's sessions. Nothing is written but the plan. */
export async function analyseFile(db: Db, centreId: number, buffer: Buffer, now = new Date()): Promise<Ok<BatchPlan> | Refusal> {
  const reading = await readBatchFile(buffer)
  if (!reading.ok) return reading
  const notices = reading.header ? ignoredColumnsWarning(reading.header.line, reading.header.ignored) : []
  return buildPlan(reading.value, await contextFor(db, centreId, namedSessionNumbers(reading.value), now), notices)
}

/** A file sent with step 1's form (what the multipart reader gives). */
export interface BatchUpload {
  buffer: Buffer
  truncated: boolean
}

/**
 * Step 1's "Importer le modèle complété": the file (≤ MAX_BATCH_BYTES) analysed, then its plan kept
 * for this user and centre even with errors (the report stays on its page until a new file replaces
 * it). The value is the plan's id; refused as a whole when the file cannot be read as a template.
 */
export async function importBatchFile(db: Db, userId: number, centreId: number, upload: BatchUpload | null, now = new Date()): Promise<Ok<string> | Refusal> {
  if (!upload) return refused(msg('batch.file.no_file'))
  if (upload.truncated || upload.buffer.length > MAX_BATCH_BYTES) return refused(msg('batch.file.too_large'))
  const analysed = await analyseFile(db, centreId, upload.buffer, now)
  if (!analysed.ok) return analysed
  return ok(await savePlan(db, userId, centreId, analysed.value, now))
}

/** Keeps the plan (errors included, so the report survives a reload) for an hour; returns its id. */
export async function savePlan(db: Db, userId: number, centreId: number, plan: BatchPlan, now = new Date()): Promise<string> {
  await deleteExpiredPlans(db, now)
  const id = randomBytes(16).toString('hex')
  await insertPlan(db, {
    id,
    user_id: userId,
    centre_id: centreId,
    plan: JSON.stringify(plan),
    created_at: toTimestamp(now),
    expires_at: toTimestamp(now.getTime() + PLAN_LIFETIME_MS),
  })
  return id
}

export interface StoredPlan {
  id: string
  plan: BatchPlan
  expired: boolean
  result: BatchResult | null
}

/** The plan of this user and centre, or undefined (another user's or centre's id finds nothing). */
export async function loadPlan(db: Db, id: string, userId: number, centreId: number, now = new Date()): Promise<StoredPlan | undefined> {
  if (!/^[0-9a-f]{32}$/.test(id)) return undefined
  const row = await findPlan(db, id, userId, centreId)
  return row ? toStored(row, now) : undefined
}

function toStored(row: BatchPlanRow, now: Date): StoredPlan {
  return {
    id: row.id,
    plan: JSON.parse(row.plan) as BatchPlan,
    expired: row.used_at === null && row.expires_at < toTimestamp(now),
    result: row.result ? (JSON.parse(row.result) as BatchResult) : null,
  }
}

export interface CreatedSession {
  id: number
  /** Shown as C-XXXXXX, like on the session's details tab. */
  invigilatorPassword: string
  siteName: string
  room: string
  date: string
  startTime: string
  accessCode: string
  candidates: number
}

export interface BatchResult {
  created: CreatedSession[]
  modified: Array<{ id: number; candidates: number }>
  candidates: number
}

class PlanRefused extends Error {
  readonly reason: Msg
  constructor(reason: Msg) {
    super(reason.key)
    this.reason = reason
  }
}

/**
 * Applies the whole plan in one transaction: every session created and every list replaced, or
 * nothing. Each rule is checked again inside it (a session may have started, or a colleague created
 * the same session, since step 2); the first one broken refuses everything, with its reason.
 */
export async function confirmPlan(
  db: Db,
  stored: StoredPlan,
  userId: number,
  centreId: number,
  actor: Actor,
  now = new Date(),
  generate: () => string = generateAccessCode,
): Promise<Ok<BatchResult> | Refusal> {
  if (stored.result) return ok(stored.result)
  if (stored.expired) return refused(msg('batch.confirm.expired'))
  if (stored.plan.errors.length) return refused(msg('batch.confirm.has_errors'))
  try {
    const result = await writeTransaction(db, async (trx) => {
      const ctx = await contextFor(
        trx,
        centreId,
        stored.plan.sessions.flatMap((s) => (s.kind === 'replace' ? [s.sessionId] : [])),
        now,
      )
      const today = toIsoDate(ctx.today)
      const result: BatchResult = { created: [], modified: [], candidates: 0 }
      for (const planned of stored.plan.sessions) {
        if (planned.kind === 'replace') {
          const existing = ctx.existing.get(planned.sessionId)
          if (!existing) throw new PlanRefused(msg('batch.confirm.gone', { id: planned.sessionId }))
          if (existing.finalised) throw new PlanRefused(msg('batch.confirm.finalised', { id: planned.sessionId }))
          if (existing.started) throw new PlanRefused(msg('batch.confirm.started', { id: planned.sessionId }))
          await deleteCandidatesOfSession(trx, planned.sessionId)
          await insertCandidates(trx, planned.sessionId, planned.candidates)
          await recordHistory(trx, { centreId, actor, action: 'candidates_imported', sessionId: planned.sessionId, count: planned.candidates.length })
          result.modified.push({ id: planned.sessionId, candidates: planned.candidates.length })
        } else {
          const input = planned.input
          if (input.date < today || (input.date === today && input.startTime < ctx.now))
            throw new PlanRefused(msg('batch.confirm.past', { line: planned.line }))
          if (ctx.takenSlots.has(slotKey(input))) throw new PlanRefused(msg('batch.confirm.exists', { line: planned.line }))
          const invigilatorPassword = generateInvigilatorPassword()
          const { id, accessCode } = await insertSessionWithAccessCode(
            trx,
            { centre_id: centreId, ...sessionColumns(input), invigilator_password: invigilatorPassword },
            generate,
          )
          await insertCandidates(trx, id, planned.candidates)
          await recordHistory(trx, { centreId, actor, action: 'session_created', sessionId: id, count: planned.candidates.length })
          result.created.push({
            id,
            siteName: input.siteName,
            room: input.room,
            date: input.date,
            startTime: input.startTime,
            accessCode,
            invigilatorPassword,
            candidates: planned.candidates.length,
          })
        }
        result.candidates += planned.candidates.length
      }
      const stripped: BatchPlan = { ...stored.plan, sessions: [] }
      if (!(await markPlanUsed(trx, stored.id, toTimestamp(now), JSON.stringify(result), JSON.stringify(stripped))))
        throw new PlanRefused(msg('batch.confirm.already'))
      return result
    })
    return ok(result)
  } catch (error) {
    if (error instanceof PlanRefused) {
      // A second click while the first was applying: show what the first one did.
      if (error.reason.key === 'batch.confirm.already') {
        const again = await findPlan(db, stored.id, userId, centreId)
        if (again?.result) return ok(JSON.parse(again.result) as BatchResult)
      }
      return refused(error.reason)
    }
    throw error
  }
}
