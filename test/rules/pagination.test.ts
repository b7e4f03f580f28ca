import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { HISTORY_PAGE_SIZE, listHistory, recordHistory } from '../../src/features/history/history.ts'
import { listOperatorHistory, OPERATOR_HISTORY_PAGE_SIZE } from '../../src/features/operations/operations.repository.ts'
import { listSessionsPage, SESSIONS_PER_PAGE } from '../../src/features/sessions/sessions.service.ts'
import { paginate, parsePage } from '../../src/lib/pagination.ts'
import { createSession, TEST_ACTOR } from '../factories.ts'
import { build, createMember, loggedIn } from '../helper.ts'
import { operatorClient } from '../lib/operator.ts'

// src/lib/pagination.ts is the one pagination: the session list (?page=), the history (the
// centre's ?page=, a session's ?historique=) and the operator's history read the page and cut the
// list with it; views/partials/pagination.eta is the one pager they show.

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

t.test('the operator’s history cuts its list with the same pagination', async (t) => {
  const server = await build(t)
  const { userId } = await operatorClient(server)
  const { centreId } = await createMember(server)
  const actor = { kind: 'operator', userId, name: 'Dora Dsi', email: 'dsi@ac-test.fr' } as const
  const entries = OPERATOR_HISTORY_PAGE_SIZE + 3
  for (let i = 0; i < entries; i++) await recordHistory(server.db, { centreId, actor, action: 'centre_renamed', subject: `Centre ${i}` })
  for (const requested of [1, 2, 9, 0]) {
    const history = await listOperatorHistory(server.db, userId, requested)
    t.same(history.pagination, paginate(entries, requested, OPERATOR_HISTORY_PAGE_SIZE), `page ${requested}`)
    t.equal(history.entries.length, history.pagination.to - history.pagination.from + 1, `page ${requested}: the rows of that page`)
  }
})

const templates = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.eta') ? [join(dir, e.name)] : [],
  )

t.test('no list writes its own pager: only the partial does', async (t) => {
  const writers = templates('views').filter((file) => readFileSync(file, 'utf8').includes('class="pagination"'))
  t.same(writers, [join('views', 'partials', 'pagination.eta')])
})

/** The pager of a page, as a reader meets it: its label, the previous link, where it stands, the next link. */
function pager(body: string) {
  const nav = /<nav class="pagination" aria-label="([^"]*)">([\s\S]*?)<\/nav>/.exec(body)
  if (!nav) return null
  const link = (rel: string) => new RegExp(`<a href="([^"]*)" rel="${rel}">([^<]*)</a>`).exec(nav[2]!)
  const [prev, next] = [link('prev'), link('next')]
  return {
    label: nav[1],
    previous: prev && { href: prev[1]!.replace(/&amp;/g, '&'), text: prev[2]!.trim() },
    status: /<span aria-current="page">([^<]*)<\/span>/.exec(nav[2]!)?.[1],
    next: next && { href: next[1]!.replace(/&amp;/g, '&'), text: next[2]!.trim() },
  }
}

t.test('the session list, a centre’s and a session’s history and the operator’s history show the same pager', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const history = { label: 'Pages de l’historique', previous: 'Plus récentes', next: 'Plus anciennes' }
  // Three pages each; page 2 shows both links.
  for (let i = 0; i < 2 * SESSIONS_PER_PAGE + 1; i++) await createSession(server.db, centreId)
  const session = await createSession(server.db, centreId)
  for (let i = 0; i < 2 * HISTORY_PAGE_SIZE + 1; i++)
    await recordHistory(server.db, { centreId, actor: TEST_ACTOR, action: 'session_created', sessionId: session.id })
  const sessionList = pager((await client.get('/sessions?page=2')).body)
  t.same(sessionList, {
    label: 'Pages de la liste des sessions',
    previous: { href: '/sessions?page=1', text: '← Page précédente' },
    status: 'Page 2 sur 3',
    next: { href: '/sessions?page=3', text: 'Page suivante →' },
  })
  const sessionHistory = pager((await client.get(`/sessions/${session.id}?historique=2`)).body)
  const anchor = '#session-history-title'
  t.same(sessionHistory, {
    label: history.label,
    previous: { href: `/sessions/${session.id}?historique=1${anchor}`, text: `← ${history.previous}` },
    status: 'Page 2 sur 3',
    next: { href: `/sessions/${session.id}?historique=3${anchor}`, text: `${history.next} →` },
  })
  const centreHistory = pager((await client.get('/equipe/historique?page=2')).body)
  t.match(centreHistory, { label: history.label, status: `Page 2 sur ${(await listHistory(server.db, centreId)).pagination.pageCount}` })
  t.match(centreHistory?.previous, { href: /^\/equipe\/historique\?(.*&)?page=1(&|$)/, text: `← ${history.previous}` })
  t.match(centreHistory?.next, { href: /^\/equipe\/historique\?(.*&)?page=3(&|$)/, text: `${history.next} →` })

  const { client: operator, userId } = await operatorClient(server)
  const actor = { kind: 'operator', userId, name: 'Dora Dsi', email: 'dsi@ac-test.fr' } as const
  for (let i = 0; i < 2 * OPERATOR_HISTORY_PAGE_SIZE + 1; i++) await recordHistory(server.db, { centreId, actor, action: 'centre_renamed', subject: 'Centre' })
  t.same(pager((await operator.get('/exploitation/historique?page=2')).body), {
    label: history.label,
    previous: { href: '/exploitation/historique?page=1', text: `← ${history.previous}` },
    status: 'Page 2 sur 3',
    next: { href: '/exploitation/historique?page=3', text: `${history.next} →` },
  })
  t.equal(pager((await client.get('/sessions?page=1')).body)?.previous, null, 'the first page: no previous link')
  t.equal(pager((await operator.get('/exploitation/historique?page=3')).body)?.next, null, 'the last page: no next link')
})
