import { foldText } from '../../lib/text.ts'
import { toTimestamp } from '../../lib/timestamps.ts'
import { paginate } from '../../lib/pagination.ts'
import type { Db } from '../../db/database.ts'
import { prepared, preparedFirst } from '../../db/prepared.ts'
import type { ActorKind, HistoryAction } from './history.table.ts'

/**
 * Who makes a change: a logged-in user, an invigilator access, or the operator's CLI. A user is
 * named by their name and e-mail address at the time: the name alone is
 * anyone's to choose.
 */
export interface Actor {
  kind: ActorKind
  userId: number | null
  name: string
  /** The account's address (a user; every write path of src/ gives it); null or left out for an invigilator access or the CLI. */
  email?: string | null
}

/** How the history names a change made with a session's invigilator password (no account behind it). */
export const INVIGILATOR_ACTOR_NAME = 'Surveillant (mot de passe de session)'
/** How the history names a change made by the operator's command line. */
export const OPERATOR_ACTOR_NAME = 'Service informatique (ligne de commande)'

const nameKey = (name: string) => foldText(name).replace(/[^\p{L}\p{N}]/gu, '')
const RESERVED_KEYS = [INVIGILATOR_ACTOR_NAME, OPERATOR_ACTOR_NAME].map(nameKey)

/**
 * A person's name that reads as one of the history's actors without an account:
 * "Surveillant (mot de passe de session)", however spaced, cased or accented.
 */
export function isReservedActorName(fullName: string): boolean {
  const key = nameKey(fullName)
  return RESERVED_KEYS.some((reserved) => key.includes(reserved))
}

/** Who changes which centre's data: what every write path of src/features/** takes to record its change. */
export interface ChangeBy {
  centreId: number
  actor: Actor
}

export interface HistoryEntry {
  centreId: number
  actor: Actor
  action: HistoryAction
  sessionId?: number | null
  subject?: string | null
  count?: number | null
}

/**
 * Records one change, with `trx` the transaction of the change itself (so both are kept or
 * neither). No personal data beyond the names already shown in the app; never a password or token.
 */
export async function recordHistory(trx: Db, entry: HistoryEntry | (ChangeBy & Omit<HistoryEntry, 'centreId' | 'actor'>), now = new Date()): Promise<void> {
  await trx
    .insertInto('history')
    .values({
      centre_id: entry.centreId,
      session_id: entry.sessionId ?? null,
      actor_kind: entry.actor.kind,
      actor_user_id: entry.actor.userId,
      actor_name: entry.actor.name,
      actor_email: entry.actor.email ?? null,
      action: entry.action,
      subject: entry.subject ?? null,
      count: entry.count ?? null,
      created_at: toTimestamp(now),
    })
    .execute()
}

export const HISTORY_PAGE_SIZE = 20

/** A centre's history, or one session's (shown on every session's details page: prepared once, src/db/prepared.ts). */
const ofCentre = (db: Db, centreId: number) => db.selectFrom('history').where('centre_id', '=', centreId)
const ofSession = (db: Db, centreId: number, sessionId: number) => ofCentre(db, centreId).where('session_id', '=', sessionId)
type Scope = ReturnType<typeof ofCentre>
const count = (query: Scope) => query.select((eb) => eb.fn.countAll<number>().as('n'))
// The page size as a number of the code: SQLite then has it in the SQL text (src/db/database.ts, LiteralLimitCompiler).
const newestFirst = (query: Scope, offset: number) => query.selectAll().orderBy('id', 'desc').limit(HISTORY_PAGE_SIZE).offset(offset)
const centreCount = preparedFirst((db: Db, centreId: number) => count(ofCentre(db, centreId)))
const sessionCount = preparedFirst((db: Db, centreId: number, sessionId: number) => count(ofSession(db, centreId, sessionId)))
const centrePage = prepared((db: Db, centreId: number, offset: number) => newestFirst(ofCentre(db, centreId), offset))
const sessionPage = prepared((db: Db, centreId: number, sessionId: number, offset: number) => newestFirst(ofSession(db, centreId, sessionId), offset))

/** One page of a centre's history, newest first, optionally of one session. */
export async function listHistory(db: Db, centreId: number, options: { sessionId?: number; page?: number } = {}) {
  const { sessionId } = options
  const counted = sessionId === undefined ? await centreCount(db, centreId) : await sessionCount(db, centreId, sessionId)
  const pagination = paginate(Number(counted?.n ?? 0), options.page ?? 1, HISTORY_PAGE_SIZE)
  const { offset } = pagination
  const entries = sessionId === undefined ? await centrePage(db, centreId, offset) : await sessionPage(db, centreId, sessionId, offset)
  return { entries, pagination }
}
