import t from 'tap'
import { HISTORY_PAGE_SIZE, listHistory, recordHistory } from '../../src/features/history/history.ts'
import { listSessionsPage, SESSIONS_PER_PAGE } from '../../src/features/sessions/sessions.service.ts'
import { paginate, parsePage } from '../../src/lib/pagination.ts'
import { createSession, TEST_ACTOR } from '../factories.ts'
import { build, createMember } from '../helper.ts'

// src/lib/pagination.ts is the one pagination: the session list (?page=) and the history (the
// centre's ?page=, a session's ?historique=) both read the page and cut the list with it.

t.test('paginate: out-of-range pages brought back in range', async (t) => {
  t.same(paginate(0, 1, 50), { page: 1, pageCount: 1, total: 0, offset: 0, limit: 50, from: 0, to: 0 })
  t.same(paginate(50, 1, 50), { page: 1, pageCount: 1, total: 50, offset: 0, limit: 50, from: 1, to: 50 })
  t.same(paginate(51, 2, 50), { page: 2, pageCount: 2, total: 51, offset: 50, limit: 50, from: 51, to: 51 })
  t.equal(paginate(120, 9, 50).page, 3, 'past the end: the last page')
  t.equal(paginate(120, 0, 50).page, 1)
  t.same(paginate(7, 2, 3), { page: 2, pageCount: 3, total: 7, offset: 3, limit: 3, from: 4, to: 6 })
})

t.test('parsePage: a plain positive integer, else the first page', async (t) => {
  t.equal(parsePage('3'), 3)
  t.equal(parsePage('9999999'), 9999999)
  for (const value of [undefined, '', '0', '-1', '2.5', 'abc', '1e3', ['2'], '99999999']) t.equal(parsePage(value), 1, String(value))
})

t.test('the session list and the history cut their lists with the same pagination', async (t) => {
  const server = await build(t)
  const { centreId } = await createMember(server)
  const sessions = SESSIONS_PER_PAGE + 3
  for (let i = 0; i < sessions; i++) await createSession(server.db, centreId)
  // Creating the member already wrote its own entries.
  const entries = (await listHistory(server.db, centreId)).pagination.total + HISTORY_PAGE_SIZE + 3
  for (let i = (await listHistory(server.db, centreId)).pagination.total; i < entries; i++)
    await recordHistory(server.db, { centreId, actor: TEST_ACTOR, action: 'session_created' })
  for (const requested of [1, 2, 9, 0]) {
    const list = await listSessionsPage(server.db, centreId, {}, requested)
    t.same(list.pagination, paginate(sessions, requested, SESSIONS_PER_PAGE), `session list, page ${requested}`)
    t.equal(list.sessions.length, list.pagination.to - list.pagination.from + 1, `session list, page ${requested}: the rows of that page`)
    const history = await listHistory(server.db, centreId, { page: requested })
    t.same(history.pagination, paginate(entries, requested, HISTORY_PAGE_SIZE), `history, page ${requested}`)
    t.equal(history.entries.length, history.pagination.to - history.pagination.from + 1, `history, page ${requested}: the rows of that page`)
  }
})
