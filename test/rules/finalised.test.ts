import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { findExistingSessions } from '../../src/features/batch-import/batch-import.repository.ts'
import { candidateListState } from '../../src/features/candidates/candidates.service.ts'
import { finalisationState } from '../../src/features/finalisation/finalisation.rules.ts'
import { admitCandidate } from '../../src/features/joining/joining.service.ts'
import { erasureKeepsRow } from '../../src/features/privacy/retention.ts'
import { findSessionForCentre } from '../../src/features/sessions/sessions.repository.ts'
import { sessionStatus } from '../../src/features/sessions/sessions.service.ts'
import { isFinalised, isStillOpen } from '../../src/features/sessions/still-open.ts'
import { createCandidate, createSession, finaliseSession } from '../factories.ts'
import { build, createMember, loggedIn } from '../helper.ts'

// isFinalised (src/features/sessions/still-open.ts, beside its SQL twin sessionStillOpen) is the one
// test of "finalised" on a session already read: every state, page and refusal asks it.

t.test('isFinalised: a session with a finalisation time', async (t) => {
  t.equal(isFinalised({ finalised_at: null }), false)
  t.equal(isFinalised({ finalised_at: '2026-12-06T10:00:00.000Z' }), true)
})

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))

t.test('no module tests finalised_at itself', async (t) => {
  const byHand = /finalised_?[aA]t\s*[!=]==?\s*null|!\s*[\w.!]+\.finalised_at\b|if \([\w.!]+\.finalised_at\)|[\w.!]+\.finalised_at \?/
  const offenders = files('src')
    .filter((file) => file !== join('src', 'features', 'sessions', 'still-open.ts'))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (byHand.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    )
  t.same(offenders, [], 'every in-memory test goes through isFinalised')
})

const templates = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.eta') ? [join(dir, e.name)] : [],
  )

t.test('no template tests finalised_at itself: a badge asks it.isFinalised', async (t) => {
  const byHand = /!\s*[\w.!]+\.finalised_at\b|if \([\w.!]+\.finalised_at\)|[\w.!]+\.finalised_at \?|finalised_at\s*[!=]==?\s*null/
  const all = templates('views')
  t.ok(all.length > 50, `${all.length} templates read`)
  const offenders = all.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (byHand.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  )
  t.same(offenders, [], 'every template asks it.isFinalised')
})

t.test('an open and a finalised session, as each caller tells them', async (t) => {
  const server = await build(t)
  const { centreId } = await createMember(server)
  for (const finalised of [false, true]) {
    const created = await createSession(server.db, centreId)
    const candidate = await createCandidate(server.db, created.id)
    if (finalised) await finaliseSession(server.db, created.id)
    const session = (await findSessionForCentre(server.db, centreId, created.id))!
    const label = finalised ? 'finalised' : 'open'
    t.equal(isFinalised(session), finalised, `${label}: isFinalised`)
    t.equal(await isStillOpen(server.db, session.id), !finalised, `${label}: its SQL twin`)
    t.equal(sessionStatus(session), finalised ? 'session.status.finalised' : 'session.status.created', `${label}: the status shown`)
    t.equal(candidateListState(session, 0).finalised, finalised, `${label}: the Candidats tab`)
    t.equal(finalisationState(session, 1), finalised ? 'finalised' : 'open', `${label}: the finalisation`)
    t.equal((await findExistingSessions(server.db, centreId, [session.id])).get(session.id)?.finalised, finalised, `${label}: the batch import`)
    t.equal(await erasureKeepsRow(server.db, session, candidate.id), finalised, `${label}: an erasure keeps the row`)
    const admitted = await admitCandidate(server.db, { sessionId: session.id, candidateId: candidate.id })
    t.equal(!admitted.ok && admitted.refused.key === 'joining.problem.finalised', finalised, `${label}: the candidate page`)
  }
})

t.test('the badges of the session list and of the session header, as isFinalised tells them', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const open = await createSession(server.db, centreId)
  const finalised = await createSession(server.db, centreId)
  await finaliseSession(server.db, finalised.id)
  const list = (await client.get('/sessions')).body
  const rowOf = (id: number) => {
    const link = list.indexOf(`href="/sessions/${id}"`)
    return link < 0 ? '' : list.slice(list.lastIndexOf('<tr', link), list.indexOf('</tr>', link))
  }
  t.match(rowOf(finalised.id), '<span class="badge badge--success">Finalisée</span>', 'the list: finalised')
  t.match(rowOf(open.id), '<span class="badge">Créée</span>', 'the list: open')
  const badge = '<span class="badge badge--success">Finalisée</span>'
  t.ok((await client.get(`/sessions/${finalised.id}`)).body.includes(badge), 'the header: finalised')
  t.notOk((await client.get(`/sessions/${open.id}`)).body.includes(badge), 'the header: open')
})
