/**
 * What the candidate page remembers between requests, in a cookie signed by the server (the
 * signature is added and checked by the HTTP layer): who was identified at step 1, or which
 * certification course was just joined. Plain dotted numbers, so the value needs no escaping.
 */
export const IDENTIFIED_TTL_MS = 15 * 60 * 1000
export const JOINED_TTL_MS = 30 * 60 * 1000

export interface Identified {
  candidateId: number
  sessionId: number
  expiresAt: number
}

export function encodeIdentified(candidateId: number, sessionId: number, now = Date.now()): string {
  return `${candidateId}.${sessionId}.${now + IDENTIFIED_TTL_MS}`
}

/** null when malformed or expired. */
export function decodeIdentified(value: string | null | undefined, now = Date.now()): Identified | null {
  const match = value ? /^(\d{1,15})\.(\d{1,15})\.(\d{1,15})$/.exec(value) : null
  if (!match) return null
  const expiresAt = Number(match[3])
  if (expiresAt <= now) return null
  return { candidateId: Number(match[1]), sessionId: Number(match[2]), expiresAt }
}

export interface Joined {
  courseId: number
  expiresAt: number
}

export function encodeJoined(courseId: number, now = Date.now()): string {
  return `${courseId}.${now + JOINED_TTL_MS}`
}

export function decodeJoined(value: string | null | undefined, now = Date.now()): Joined | null {
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

export function decodeWaiting(value: string | null | undefined, now = Date.now()): Identified | null {
  return decodeIdentified(value, now)
}
