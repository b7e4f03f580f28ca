import t from 'tap'
import { draftProblems, finalisationState, readDraft, summarise } from '../../../src/features/finalisation/finalisation.rules.ts'
import type { FieldErrors } from '../../../src/lib/forms.ts'
import type { Result } from '../../../src/lib/result.ts'

/** The errors of a reading ({} when it is valid), and the draft of a valid one. */
const errorsOf = (read: Result<unknown>): FieldErrors => (read.ok ? {} : read.errors)
const draftOf = <T>(read: Result<T>): T => {
  if (!read.ok) throw new Error(`refused: ${JSON.stringify(read.errors)}`)
  return read.value
}

t.test('finalisation state: not started until someone joined, finalised once set', async (t) => {
  t.equal(finalisationState({ finalised_at: null }, 0), 'not_started')
  t.equal(finalisationState({ finalised_at: null }, 2), 'open')
  t.equal(finalisationState({ finalised_at: '2021-01-12T12:00:00.000Z' }, 2), 'finalised')
})

t.test('draft: ticks of joined candidates only, comment kept only with the incident choice', async (t) => {
  const read = readDraft({ endScreen: ['3', '1', '1', '99', 'x'], choice: 'incident', comment: '  Coupure réseau  ' }, [1, 2, 3])
  t.same(errorsOf(read), {})
  t.same(draftOf(read), { endScreenSeen: [1, 3], globalCommentChoice: 'incident', globalComment: 'Coupure réseau' })

  const none = readDraft({ endScreen: [], choice: 'none', comment: 'oublié' }, [1])
  t.same(draftOf(none), { endScreenSeen: [], globalCommentChoice: 'none', globalComment: null })

  const odd = readDraft({ endScreen: [], choice: 'autre', comment: 'x' }, [1])
  t.equal(draftOf(odd).globalCommentChoice, null)
})

t.test('global comment: at most 500 characters, line breaks counted once; required only to validate', async (t) => {
  t.same(errorsOf(readDraft({ endScreen: [], choice: 'incident', comment: 'x'.repeat(501) }, [])), {
    commentaire_global: { key: 'form.too_long', params: { max: 500 } },
  })
  t.same(errorsOf(readDraft({ endScreen: [], choice: 'incident', comment: 'x'.repeat(500) }, [])), {})
  t.same(errorsOf(readDraft({ endScreen: [], choice: 'incident', comment: 'ab\r\n'.repeat(166) + 'ab' }, [])), {}, '500 with CRLF')
  t.same(errorsOf(readDraft({ endScreen: [], choice: 'incident', comment: '' }, [])), {}, 'a draft may be incomplete')
  t.equal(
    errorsOf(readDraft({ endScreen: [], choice: 'incident', comment: ' ' }, [], { forValidation: true })).commentaire_global?.key,
    'finalisation.comment.error.empty',
  )
  t.same(errorsOf(readDraft({ endScreen: [], choice: 'none', comment: 'x'.repeat(900) }, [], { forValidation: true })), {}, 'ignored with the first choice')
})

t.test('a saved draft is ready to finalise unless an incident has no description', async (t) => {
  t.equal(draftProblems({ global_comment_choice: null, global_comment: null }), null)
  t.equal(draftProblems({ global_comment_choice: 'none', global_comment: null }), null)
  t.equal(draftProblems({ global_comment_choice: 'incident', global_comment: 'Panne' }), null)
  t.equal(draftProblems({ global_comment_choice: 'incident', global_comment: null })?.key, 'finalisation.comment.error.empty')
})

t.test('summary: reports counted by code in the PV order, end screens not ticked named', async (t) => {
  const candidates = [
    { id: 1, lastName: 'Dupont', firstName: 'Julie', certificationNumber: 487, hasSeenEndScreen: true },
    { id: 2, lastName: 'Durand', firstName: 'Michel', certificationNumber: 519, hasSeenEndScreen: false },
  ]
  const reports = [
    { candidateId: 1, code: 'A1' },
    { candidateId: 1, code: 'E2' },
    { candidateId: 2, code: 'C1' },
    { candidateId: 2, code: 'E2' },
  ]
  const summary = summarise(candidates, reports)
  t.equal(summary.candidateCount, 2)
  t.equal(summary.reportCount, 4)
  t.same(summary.reportsByCode, [
    { code: 'C1', count: 1 },
    { code: 'E2', count: 2 },
    { code: 'A1', count: 1 },
  ])
  t.same(
    summary.endScreenNotSeen.map((c) => c.lastName),
    ['Durand'],
  )
  t.same(summarise([], []).reportsByCode, [])
})

t.test('the global comment refuses control characters, like every text field', async (t) => {
  t.same(errorsOf(readDraft({ endScreen: [], choice: 'incident', comment: 'Coupure\u001b réseau' }, [1])), {
    commentaire_global: { key: 'form.control_character', params: { char: 'U+001B' } },
  })
})
