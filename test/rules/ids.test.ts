import t from 'tap'
import { parseSessionFilters, readFilterValues } from '../../src/features/sessions/session-filters.ts'
import { parseId } from '../../src/lib/ids.ts'
import { createCandidate, createSession } from '../factories.ts'
import { build, loggedIn } from '../helper.ts'

// src/lib/ids.ts is the one rule for an id in a URL, a query string or a form. Its callers: scope.ts
// (every :sessionId, :candidateId… parameter), the Espace surveillant's ?terminer= and
// ?signalement=, the convocations' ?candidat= and ticked candidats, and the session list's number
// filter (typed by a person: leading zeros forgiven).

const NOT_IDS = ['0', '00', '-1', '+1', '1.0', '1e3', ' 1', '0x1F', '', 'abc', '9007199254740992', '12345678901234567']

t.test('parseId: a plain positive integer, nothing else', async (t) => {
  t.equal(parseId('1'), 1)
  t.equal(parseId('42'), 42)
  t.equal(parseId('9007199254740991'), Number.MAX_SAFE_INTEGER)
  for (const value of [...NOT_IDS, '007']) t.equal(parseId(value), null, JSON.stringify(value))
  t.equal(parseId(undefined), null)
  t.equal(parseId(null), null)
})

t.test('the session list filter reads a number as parseId does, leading zeros forgiven', async (t) => {
  const filter = (numero: string) => parseSessionFilters(readFilterValues({ numero }))
  t.same(filter('42').filters, { sessionId: 42 })
  t.same(filter('007').filters, { sessionId: 7 })
  // Spaces are taken out of what is typed ("3 07" is 307): only the values without any.
  for (const value of NOT_IDS.filter((v) => v !== '' && !/\s/.test(v))) t.ok(filter(value).errors.numero, `${JSON.stringify(value)} refused`)
})

t.test('URLs: what parseId refuses is no id for scope.ts, nor for ?candidat= of the printed convocations', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const session = await createSession(server.db, centreId)
  const candidate = await createCandidate(server.db, session.id)
  t.equal((await client.get(`/sessions/${session.id}`)).statusCode, 200)
  t.equal((await client.get(`/sessions/${session.id}/candidats/${candidate.id}/modifier`)).statusCode, 200)
  for (const value of ['0', `0${session.id}`, '-1', '1e3']) {
    t.equal((await client.get(`/sessions/${encodeURIComponent(value)}`)).statusCode, 404, `/sessions/${value}: 404`)
    t.equal((await client.get(`/sessions/${session.id}/candidats/${encodeURIComponent(value)}/modifier`)).statusCode, 404, `candidate ${value}: 404`)
  }
  const print = (candidat: string) => client.get(`/sessions/${session.id}/impression/convocations?candidat=${encodeURIComponent(candidat)}`)
  const all = await print('abc')
  t.equal(all.statusCode, 200, 'a ?candidat= that is no id prints every convocation')
  for (const value of ['0', `0${candidate.id}`, '-1']) {
    const response = await print(value)
    t.equal(response.statusCode, 200, `?candidat=${value}: no id, like abc`)
    t.equal(response.body.match(/class="convocation"/g)?.length, all.body.match(/class="convocation"/g)?.length, `?candidat=${value}: every convocation`)
  }
  t.equal((await print(String(candidate.id))).statusCode, 200, 'a real candidate: their convocation')
  t.equal((await print(String(candidate.id + 1000))).statusCode, 404, 'an id of no candidate of the session: 404')
})
