import type { IdentityInput } from './join-form.ts'

/**
 * What the candidate page remembers between requests, in a cookie signed by the server (the
 * signature is added and checked by the HTTP layer): the identity typed at step 1 (nothing is
 * checked yet: it is checked with the access code, at step 2), or which certification course has
 * just started. The identity travels as base64url JSON, so the value needs no escaping.
 */
export const IDENTIFIED_TTL_MS = 15 * 60 * 1000
export const STARTED_TTL_MS = 30 * 60 * 1000

export interface Identified extends IdentityInput {
  expiresAt: number
}

export function encodeIdentified(identity: IdentityInput, now = Date.now()): string {
  const { sessionId, firstName, lastName, birthdate } = identity
  return Buffer.from(JSON.stringify([sessionId, firstName, lastName, birthdate, now + IDENTIFIED_TTL_MS])).toString('base64url')
}

/** null when malformed or expired. */
export function decodeIdentified(value: string | null | undefined, now = Date.now()): Identified | null {
  if (!value || !/^[\w-]{1,4000}$/.test(value)) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
  } catch {
    return null
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) return null
  const [sessionId, firstName, lastName, birthdate, expiresAt] = parsed as unknown[]
  if (!Number.isSafeInteger(sessionId) || typeof firstName !== 'string' || typeof lastName !== 'string') return null
  if (typeof birthdate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthdate) || typeof expiresAt !== 'number' || expiresAt <= now) return null
  return { sessionId: sessionId as number, firstName, lastName, birthdate, expiresAt }
}

export interface Started {
  courseId: number
  expiresAt: number
}

export function encodeStarted(courseId: number, now = Date.now()): string {
  return `${courseId}.${now + STARTED_TTL_MS}`
}

export function decodeStarted(value: string | null | undefined, now = Date.now()): Started | null {
  const match = value ? /^(\d{1,15})\.(\d{1,15})$/.exec(value) : null
  if (!match) return null
  const expiresAt = Number(match[2])
  if (expiresAt <= now) return null
  return { courseId: Number(match[1]), expiresAt }
}

/**
 * Passed the access code, waiting for the invigilator to confirm the presence: the retry button
 * uses this, so the candidate types nothing again. Long enough for a slow start of the room.
 */
export const WAITING_TTL_MS = 4 * 60 * 60 * 1000

export function encodeWaiting(candidateId: number, sessionId: number, now = Date.now()): string {
  return `${candidateId}.${sessionId}.${now + WAITING_TTL_MS}`
}

export interface Waiting {
  candidateId: number
  sessionId: number
  expiresAt: number
}

/** null when malformed or expired. */
export function decodeWaiting(value: string | null | undefined, now = Date.now()): Waiting | null {
  const match = value ? /^(\d{1,15})\.(\d{1,15})\.(\d{1,15})$/.exec(value) : null
  if (!match) return null
  const expiresAt = Number(match[3])
  if (expiresAt <= now) return null
  return { candidateId: Number(match[1]), sessionId: Number(match[2]), expiresAt }
}
