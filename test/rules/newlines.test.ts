import t from 'tap'
import { MAX_INSTRUCTIONS_LENGTH } from '../../src/features/convocations/convocation.ts'
import { findInstructions } from '../../src/features/convocations/convocations.repository.ts'
import { MAX_GLOBAL_COMMENT_LENGTH, readDraft } from '../../src/features/finalisation/finalisation.rules.ts'
import { MAX_DETAILS_LENGTH, validateReport } from '../../src/features/incidents/report-categories.ts'
import { normaliseNewlines } from '../../src/lib/text.ts'
import { build, loggedIn } from '../helper.ts'

// normaliseNewlines (src/lib/text.ts) is the one rule for a textarea's line breaks: a browser sends
// CRLF but counts one character per break against maxlength. Each multi-line field counts a break
// as one and stores LF: the finalisation's comment, a report's details, the centre's instructions.

/** `length` characters ending with a letter, a line break every 10, typed in a browser (CRLF). */
const typed = (length: number) =>
  Array.from({ length }, (_, i) => (i % 10 === 9 ? '\n' : 'a'))
    .join('')
    .replace(/\n/g, '\r\n')

t.test('normaliseNewlines: CRLF and CR become LF', async (t) => {
  t.equal(normaliseNewlines('a\r\nb\rc\nd'), 'a\nb\nc\nd')
  t.equal(normaliseNewlines('\r\n\r\n'), '\n\n')
  t.equal(normaliseNewlines('plain'), 'plain')
})

t.test('the finalisation comment: a break counts as one, stored as LF', async (t) => {
  const draft = readDraft({ endScreen: [], choice: 'incident', comment: `x${typed(MAX_GLOBAL_COMMENT_LENGTH - 1)}` }, [])
  t.ok(draft.ok, 'exactly the maximum, with CRLF breaks: accepted')
  if (draft.ok) t.notMatch(draft.value.globalComment ?? '', /\r/, 'no CR stored')
  t.notOk(readDraft({ endScreen: [], choice: 'incident', comment: `x${typed(MAX_GLOBAL_COMMENT_LENGTH - 1)}x` }, []).ok, 'one more: refused')
})

t.test('a report’s details: a break counts as one, stored as LF', async (t) => {
  const report = (details: string) => validateReport({ categorie: 'technical_problem', code_technical_problem: 'A1', details_technical_problem: details })
  const accepted = report(`x${typed(MAX_DETAILS_LENGTH - 1)}`)
  t.ok(accepted.ok, 'exactly the maximum, with CRLF breaks: accepted')
  if (accepted.ok) t.notMatch(accepted.value.details ?? '', /\r/, 'no CR stored')
  t.notOk(report(`x${typed(MAX_DETAILS_LENGTH - 1)}x`).ok, 'one more: refused')
})

t.test('the centre’s instructions: a break counts as one, stored as LF', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  await client.get('/equipe/consignes')
  t.equal((await client.post('/equipe/consignes', { consignes: `x${typed(MAX_INSTRUCTIONS_LENGTH - 1)}` })).statusCode, 303, 'exactly the maximum: saved')
  const stored = await findInstructions(server.db, centreId)
  t.equal(stored?.length, MAX_INSTRUCTIONS_LENGTH)
  t.notMatch(stored ?? '', /\r/, 'no CR stored')
  t.equal((await client.post('/equipe/consignes', { consignes: `x${typed(MAX_INSTRUCTIONS_LENGTH - 1)}x` })).statusCode, 400, 'one more: refused')
})
