import type { Db } from '../src/db/database.ts'
import type { NewCandidate } from '../src/features/candidates/candidates.table.ts'
import type { SessionInput } from '../src/features/sessions/session-form.ts'
import type { NewSession } from '../src/features/sessions/sessions.table.ts'

/** Test data written straight to the database, so each test sets up only what it is about. */
let codeCounter = 0
function nextAccessCode(): string {
  const letters = 'BCDFGHJKMPQRTVWXY'
  const n = codeCounter++
  const l = (i: number) => letters[Math.floor(n / 17 ** i) % 17]
  return `${l(3)}${l(2)}${l(1)}${l(0)}${'2346789'[n % 7]}${'2346789'[Math.floor(n / 7) % 7]}`
}

let passwordCounter = 0
/** A distinct valid invigilator password per session ('BBBBB2', 'BBBBB3', …). */
function nextInvigilatorPassword(): string {
  const alphabet = 'BCDFGHJKMPQRTVWXY2346789'
  let n = passwordCounter++ + 5
  let value = ''
  for (let i = 0; i < 6; i++) {
    value = alphabet[n % alphabet.length] + value
    n = Math.floor(n / alphabet.length)
  }
  return value
}

export async function createSession(db: Db, centreId: number, values: Partial<NewSession> = {}) {
  return db
    .insertInto('certification_session')
    .values({
      centre_id: centreId,
      site_name: 'Centre Testix',
      room: '45',
      date: '2021-01-12',
      start_time: '10:00',
      invigilators: 'Eric Martin',
      observations: null,
      access_code: nextAccessCode(),
      invigilator_password: nextInvigilatorPassword(),
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function createCandidate(db: Db, sessionId: number, values: Partial<NewCandidate> = {}) {
  return db
    .insertInto('candidate')
    .values({
      session_id: sessionId,
      last_name: 'Dupont',
      first_name: 'Julie',
      birthdate: '1996-03-13',
      birth_city: 'Le Havre',
      birth_department_code: '76',
      birth_country: 'France',
      email: 'julie.dupont@example.org',
      external_id: null,
      extra_time_percentage: null,
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Marks the candidate as joined (a certification course exists), as the candidate page does. */
export async function joinCandidate(db: Db, candidate: { id: number; session_id: number }) {
  return db
    .insertInto('certification_course')
    .values({ session_id: candidate.session_id, candidate_id: candidate.id, joined_at: new Date().toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function finaliseSession(db: Db, sessionId: number, userId: number | null = null) {
  await db
    .updateTable('certification_session')
    .set({ finalised_at: new Date().toISOString(), finalised_by_user_id: userId })
    .where('id', '=', sessionId)
    .execute()
}

/** The actor of changes made straight through feature functions in tests (the history needs one). */
export const TEST_ACTOR = { kind: 'user', userId: null, name: 'Test Testeur' } as const
export const changeByTest = (centreId: number) => ({ centreId, actor: TEST_ACTOR })

/** A valid session as the session form gives it (the same as createSession's row), for the services' tests. */
export const SESSION_INPUT: SessionInput = {
  siteName: 'Centre Testix',
  room: '45',
  date: '2021-01-12',
  startTime: '10:00',
  invigilators: 'Eric Martin',
  observations: null,
  testDuration: 105,
}
