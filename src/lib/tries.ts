import { createHash } from 'node:crypto'

/*
 * Counting failed tries at what can be guessed (passwords, tokens, access codes), framework-free.
 *
 * - An attempt is checked against every counter first, without charging any of them; the first
 *   counter over its limit refuses it (most specific first: account or candidate, then session,
 *   then IP). A refused attempt costs nothing, so somebody else's refused tries never use up a
 *   shared counter (a room's IP, a session number).
 * - Only once the handler has decided the attempt failed (wrong password, wrong code…) are the
 *   counters charged; a success charges nothing and may clear the specific counter.
 * - While an attempt is being decided it holds a place on each counter ("pending"), so a burst of
 *   parallel requests cannot slip past a limit before the first failures are recorded.
 * - A counter marked `afterMiss` never refuses an attempt before it is decided: over its limit the
 *   attempt still goes on, a success goes through, and only a failure is answered as refused
 *   (`attempt.over`). For what a right answer must always open whatever others tried (a listed
 *   candidate's code, a valid link) and a wrong one cannot be learned from (see docs/security.md).
 */

/** How many failures a counter accepts, and what happens past them. */
export interface Rule {
  /** Failures allowed within the window. */
  max: number
  /** Fixed window: failures are forgotten this long after the first one (backoff: after the last one). */
  windowMs: number
  /**
   * Growing delays instead of a hard lock: from the max-th failure on, the next try waits
   * baseMs × 2^(failures − max), at most capMs. Nobody can lock the counter's owner out for a
   * whole window; they are slowed down.
   */
  backoff?: { baseMs: number; capMs: number }
}

/** What the store keeps per key. */
export interface TryState {
  failures: number
  /** Window start (fixed window) or time of the last failure (backoff). */
  since: number
  /** Tries are refused until then (0: not refused). */
  blockedUntil: number
  /** Attempts being decided right now, and when those places lapse if never released. */
  pending: number
  pendingUntil: number
}

/**
 * Where the counters live. `update` must apply `change` atomically per key (the in-memory store
 * runs it synchronously; a shared one retries it until no other process changed the key
 * meanwhile, so `change` may run more than once). Returning undefined deletes the key. After
 * `keepMs` from `now` the state means nothing any more: a store may forget it then.
 */
export interface TryStore {
  update(key: string, change: (state: TryState | undefined) => TryState | undefined, now: number, keepMs: number): Promise<TryState | undefined>
}

/** A pending place lapses after this long (a request that never finished, whatever the reason). */
export const PENDING_TTL_MS = 60_000

/** How long a counter's state matters after a write: its window (blocks never outlast it) and pending places. */
export function keepFor(rule: Rule): number {
  return rule.windowMs + PENDING_TTL_MS
}

export function isBlocked(state: TryState | undefined, now: number): boolean {
  return state !== undefined && state.blockedUntil > now
}

/** The state with what has lapsed by `now` forgotten; undefined when nothing is left. */
export function current(state: TryState | undefined, rule: Rule, now: number): TryState | undefined {
  if (!state) return undefined
  const pending = state.pendingUntil > now ? state.pending : 0
  const expired = now >= state.since + rule.windowMs && state.blockedUntil <= now
  const failures = expired ? 0 : state.failures
  if (failures === 0 && pending === 0 && state.blockedUntil <= now) return undefined
  return { failures, since: expired ? now : state.since, blockedUntil: state.blockedUntil, pending, pendingUntil: pending ? state.pendingUntil : 0 }
}

/** Milliseconds before this counter lets a new try in (0: now). */
export function waitFor(state: TryState | undefined, rule: Rule, now: number): number {
  const s = current(state, rule, now)
  if (!s) return 0
  if (s.blockedUntil > now) return s.blockedUntil - now
  // Attempts being decided hold places: failures plus pending may not pass max (past max, with
  // backoff, one attempt at a time). The wait is short: they end within a second or so.
  if (s.pending > 0 && s.failures + s.pending >= rule.max) return 1000
  return 0
}

/** The state after one failure. */
export function afterFailure(state: TryState | undefined, rule: Rule, now: number): TryState {
  const s = current(state, rule, now) ?? { failures: 0, since: now, blockedUntil: 0, pending: 0, pendingUntil: 0 }
  const failures = s.failures + 1
  let blockedUntil = s.blockedUntil
  if (rule.backoff) {
    if (failures >= rule.max) blockedUntil = now + Math.min(rule.backoff.capMs, rule.backoff.baseMs * 2 ** Math.min(failures - rule.max, 30))
    return { ...s, failures, since: now, blockedUntil }
  }
  if (failures >= rule.max) blockedUntil = s.since + rule.windowMs
  return { ...s, failures, blockedUntil }
}

function withPending(state: TryState | undefined, delta: 1 | -1, now: number): TryState | undefined {
  const s = state ?? { failures: 0, since: now, blockedUntil: 0, pending: 0, pendingUntil: 0 }
  const pending = Math.max(0, s.pending + delta)
  return { ...s, pending, pendingUntil: pending ? Math.max(s.pendingUntil, now + PENDING_TTL_MS) : 0 }
}

/** One counter an attempt is checked against: its name (e.g. 'login:account'), what it counts, its rule. */
export interface Counter {
  name: string
  key: string
  rule: Rule
  /** Cleared when the attempt succeeds (the account's or the candidate's own counter). */
  resetOnSuccess?: boolean
  /** Never refuses before the attempt is decided: over its limit, only a failure is refused (`Attempt.over`). */
  afterMiss?: boolean
  /**
   * Acts as `afterMiss` while the counter of that name, checked before this one in the same
   * attempt, has neither failures nor attempts being decided: a source that never missed (an
   * IP on one session number) gets its try judged whatever others did; once it has missed, this
   * counter slows it like everyone else.
   */
  afterMissWhileClean?: string
}

/** The first `afterMiss` counter found over its limit when the attempt began. */
export interface Over {
  counter: string
  retryAfterMs: number
}

/** Keys stay short whatever was typed (an e-mail field may hold kilobytes). */
export function counterKey(name: string, value: string): string {
  const key = `${name}:${value}`
  return key.length <= 160 ? key : `${name}:#${createHash('sha256').update(value).digest('base64url')}`
}

export type Admission = { admitted: true; attempt: Attempt } | { admitted: false; counter: string; retryAfterMs: number }

/** An admitted attempt: say how it ended once (fail, succeed or release); later calls do nothing. */
export class Attempt {
  private done = false
  private readonly limiter: TryLimiter
  readonly counters: readonly Counter[]
  /**
   * An `afterMiss` counter over its limit (null: none): a failure is then answered as refused, and
   * charges only the counters held (that one was not: a refused try costs nothing).
   */
  readonly over: Over | null
  constructor(limiter: TryLimiter, counters: readonly Counter[], over: Over | null = null) {
    this.limiter = limiter
    this.counters = counters
    this.over = over
  }

  /** The attempt failed: every counter is charged. */
  async fail() {
    if (this.done) return
    this.done = true
    const now = this.limiter.now()
    for (const c of this.counters)
      await this.limiter.store.update(c.key, (s) => afterFailure(withPending(current(s, c.rule, now), -1, now), c.rule, now), now, keepFor(c.rule))
  }

  /** The attempt succeeded: nothing is charged; the specific counters start afresh. */
  async succeed() {
    if (this.done) return
    this.done = true
    const now = this.limiter.now()
    for (const c of this.counters) {
      await this.limiter.store.update(
        c.key,
        (s) => (c.resetOnSuccess ? resetKeepingPending(s, now) : current(withPending(current(s, c.rule, now), -1, now), c.rule, now)),
        now,
        keepFor(c.rule),
      )
    }
  }

  /** Neither (e.g. a form error that tells nothing): the places are given back, nothing charged. */
  async release() {
    if (this.done) return
    this.done = true
    const now = this.limiter.now()
    for (const c of this.counters)
      await this.limiter.store.update(c.key, (s) => current(withPending(current(s, c.rule, now), -1, now), c.rule, now), now, keepFor(c.rule))
  }
}

function resetKeepingPending(state: TryState | undefined, now: number): TryState | undefined {
  const pending = state && state.pendingUntil > now ? state.pending - 1 : 0
  return pending > 0 ? { failures: 0, since: now, blockedUntil: 0, pending, pendingUntil: state!.pendingUntil } : undefined
}

export class TryLimiter {
  /** The clock (tests replace it to move time on without waiting). */
  now: () => number = Date.now

  readonly store: TryStore
  constructor(store: TryStore) {
    this.store = store
  }

  /**
   * Checks the counters in the order given (most specific first). Refused: which counter and how
   * long to wait; nothing is charged. Admitted: each counter holds a place until the attempt ends.
   * An `afterMiss` counter over its limit does not refuse: it holds no place and is named in
   * `attempt.over`.
   */
  async begin(counters: readonly Counter[]): Promise<Admission> {
    const now = this.now()
    const held: Counter[] = []
    const clean = new Set<string>()
    let over: Over | null = null
    for (const c of counters) {
      let wait = 0
      let wasClean = false
      await this.store.update(
        c.key,
        (s) => {
          const state = current(s, c.rule, now)
          wasClean = state === undefined || (state.failures === 0 && state.pending === 0)
          wait = waitFor(state, c.rule, now)
          return wait > 0 ? state : withPending(state, 1, now)
        },
        now,
        keepFor(c.rule),
      )
      if (wasClean) clean.add(c.name)
      const afterMiss = c.afterMiss || (c.afterMissWhileClean !== undefined && clean.has(c.afterMissWhileClean))
      if (wait > 0 && afterMiss) {
        over ??= { counter: c.name, retryAfterMs: wait }
        continue
      }
      if (wait > 0) {
        await new Attempt(this, held).release()
        return { admitted: false, counter: c.name, retryAfterMs: wait }
      }
      held.push(c)
    }
    return { admitted: true, attempt: new Attempt(this, held, over) }
  }
}

/**
 * Counters in memory, bounded. Keys that currently refuse tries (blocked) live apart from the
 * others: flooding the store with junk keys evicts only other unblocked keys, never a lock. When
 * the blocked keys themselves reach their bound, those whose block has ended go first, then the
 * one closest to its end.
 */
export class MemoryTryStore implements TryStore {
  private readonly counting = new Map<string, TryState>()
  private readonly blocked = new Map<string, TryState>()

  readonly limits: { maxKeys: number; maxBlocked: number }
  constructor(limits: { maxKeys: number; maxBlocked: number } = { maxKeys: 100_000, maxBlocked: 20_000 }) {
    this.limits = limits
  }

  get size() {
    return { counting: this.counting.size, blocked: this.blocked.size }
  }

  async update(key: string, change: (state: TryState | undefined) => TryState | undefined, now: number) {
    const before = this.blocked.get(key) ?? this.counting.get(key)
    const after = change(before)
    this.blocked.delete(key)
    this.counting.delete(key)
    if (!after) return undefined
    if (isBlocked(after, now)) {
      if (this.blocked.size >= this.limits.maxBlocked) this.evictBlocked(now)
      this.blocked.set(key, after)
    } else {
      // Map order is insertion order: re-inserting keeps the least recently used first.
      if (this.counting.size >= this.limits.maxKeys) this.counting.delete(this.counting.keys().next().value!)
      this.counting.set(key, after)
    }
    return after
  }

  private evictBlocked(now: number) {
    for (const [key, state] of this.blocked) {
      if (!isBlocked(state, now)) {
        this.blocked.delete(key)
        // Its failures still count for a while: it goes back among the others, if there is room.
        if (this.counting.size < this.limits.maxKeys) this.counting.set(key, state)
      }
    }
    if (this.blocked.size < this.limits.maxBlocked) return
    let soonest: string | undefined
    let soonestEnd = Infinity
    for (const [key, state] of this.blocked) {
      if (state.blockedUntil < soonestEnd) {
        soonest = key
        soonestEnd = state.blockedUntil
      }
    }
    if (soonest !== undefined) this.blocked.delete(soonest)
  }
}
