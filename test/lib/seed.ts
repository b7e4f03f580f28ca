import { randomBytes } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { toTimestamp } from '../../src/lib/timestamps.ts'

/** Every text field of the escaping sweep holds this. */
export const EVIL = `<script>alert(1)</script>"'&`

export interface SeededCentre {
  centreId: number
  sessionId: number
  /** A candidate who has not joined (deletable, editable). */
  candidateId: number
  /** A candidate who joined (has a certification course), with a report. */
  joinedCandidateId: number
  reportId: number
  documentId: number
  /** A member of the centre (role member) and a pending invitation (issue 12). */
  memberId: number
  invitationId: number
  /** Ids for every parameter of the route table. */
  ids: Record<string, number | string>
}

async function centreIdByName(server: FastifyInstance, name: string): Promise<number> {
  const row = await server.db.selectFrom('centre').select('id').where('name', '=', name).executeTakeFirst()
  if (row) return row.id
  const inserted = await server.db.insertInto('centre').values({ name }).returning('id').executeTakeFirstOrThrow()
  return inserted.id
}

let seedCounter = 0

/** A centre with one session holding a candidate, a joined candidate with a report, and a document (file on disk). */
export async function seedCentre(server: FastifyInstance, centreName: string, options: { evil?: boolean } = {}): Promise<SeededCentre> {
  const db = server.db
  const text = (value: string) => (options.evil ? EVIL : value)
  const centreId = await centreIdByName(server, centreName)
  const session = await createSession(db, centreId, {
    site_name: text('Lycée Testix'),
    room: text('Salle 45'),
    invigilators: text('Eric Martin'),
    observations: text('Aucune'),
    global_comment: options.evil ? EVIL : null,
  })
  const candidateFields = (lastName: string) => ({
    last_name: text(lastName),
    first_name: text('Julie'),
    birth_city: text('Le Havre'),
    birth_country: text('France'),
    email: options.evil ? EVIL : 'julie@example.org',
    external_id: text('EXT-1'),
  })
  const candidate = await createCandidate(db, session.id, candidateFields('Dupont'))
  const joined = await createCandidate(db, session.id, { ...candidateFields('Durand'), birthdate: '1990-01-01' })
  await joinCandidate(db, joined)
  const report = await db
    .insertInto('report')
    .values({
      session_id: session.id,
      candidate_id: joined.id,
      category: 'candidate_info',
      code: 'C1',
      question_number: null,
      details: text('Nom mal orthographié'),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const storedName = randomBytes(16).toString('hex')
  const content = Buffer.from('%PDF-1.4\n%test document\n')
  const document = await db
    .insertInto('session_document')
    .values({
      session_id: session.id,
      original_name: options.evil ? `${EVIL}.pdf` : 'rapport.pdf',
      stored_name: storedName,
      mime_type: 'application/pdf',
      size: content.length,
      comment: text('Rapport de fraude'),
      content,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  seedCounter++
  const member = await db
    .insertInto('user')
    .values({
      email: `seeded${seedCounter}@example.org`,
      first_name: text('Sophie'),
      last_name: text('Seed'),
      password_hash: 'not-a-usable-hash',
      cgu_accepted_at: '2021-01-01T00:00:00.000Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('membership').values({ user_id: member.id, centre_id: centreId, role: 'member' }).execute()
  const invitation = await db
    .insertInto('invitation')
    .values({
      centre_id: centreId,
      email: options.evil ? EVIL : `invited${seedCounter}@example.org`,
      role: 'member',
      token_hash: randomBytes(32).toString('hex'),
      invited_by: null,
      sent_at: toTimestamp(Date.now()),
      expires_at: toTimestamp(Date.now() + 86_400_000),
      accepted_at: null,
      created_at: toTimestamp(Date.now()),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('history')
    .values({
      centre_id: centreId,
      session_id: session.id,
      actor_kind: 'user',
      actor_user_id: null,
      actor_name: text('Paul Martin'),
      action: 'candidate_added',
      subject: text('Julie Dupont'),
      count: null,
      created_at: new Date().toISOString(),
    })
    .execute()
  // planId: a batch-import plan is bound to its user as well as its centre (routes/batch-import/batch-import.ts); a well-formed id of no plan.
  const ids = {
    sessionId: session.id,
    candidateId: candidate.id,
    reportId: report.id,
    documentId: document.id,
    memberId: member.id,
    invitationId: invitation.id,
    planId: '0'.repeat(32),
    // The operator console's centre (issue 30): this centre, looked up by the console itself.
    centreId,
  }
  return {
    centreId,
    sessionId: session.id,
    candidateId: candidate.id,
    joinedCandidateId: joined.id,
    reportId: report.id,
    documentId: document.id,
    memberId: member.id,
    invitationId: invitation.id,
    ids,
  }
}

/** Every row of every table, plus the uploaded files: compared before/after to prove a request changed nothing. */
export async function dumpDatabase(server: FastifyInstance, { without = {} }: { without?: Record<string, string[]> } = {}): Promise<string> {
  // Dialect-neutral (SQLite and PostgreSQL): Kysely's introspection, rows sorted here.
  const tables = (await server.db.introspection.getTables()).map((table) => table.name).filter((name) => !name.startsWith('kysely_'))
  const dump: Record<string, unknown> = {}
  for (const name of tables.sort()) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(server.db)).rows
    const left = without[name] ?? []
    dump[name] = rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([column]) => !left.includes(column))))).sort()
  }
  dump.__uploads = listFiles(server.config.uploadsDir)
  return JSON.stringify(dump)
}

function listFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listFiles(full).map((f) => `${entry.name}/${f}`))
    else out.push(`${entry.name}:${statSync(full).size}`)
  }
  return out.sort()
}

/** Which lines of two dumps differ, for a readable failure. */
export function dumpDiff(before: string, after: string): string {
  const a = JSON.parse(before) as Record<string, unknown[]>
  const b = JSON.parse(after) as Record<string, unknown[]>
  const lines: string[] = []
  for (const table of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = JSON.stringify(a[table])
    const y = JSON.stringify(b[table])
    if (x !== y) lines.push(`${table}: ${x.slice(0, 300)} → ${y.slice(0, 300)}`)
  }
  return lines.join('\n')
}
