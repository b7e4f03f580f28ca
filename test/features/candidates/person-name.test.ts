import t from 'tap'
import { candidateKey } from '../../../src/features/candidates/candidate-rules.ts'
import { isDuplicate } from '../../../src/features/candidates/candidates.service.ts'
import { personNameKey, samePersonName } from '../../../src/features/candidates/person-name.ts'
import { matchCandidate } from '../../../src/features/joining/matching.ts'
import { normaliseName, sameName } from '../../../src/features/joining/names.ts'

t.test('the person-name key folds case, accents, hyphens, apostrophes, dots and spaces', async (t) => {
  t.equal(personNameKey('Lefèvre'), 'lefevre', 'accent')
  t.equal(personNameKey('LEFÈVRE'), personNameKey('lefevre'), 'case')
  t.equal(personNameKey('Jean-Marie'), personNameKey('Jean Marie'), 'hyphen = space')
  t.equal(personNameKey('Jean  Marie'), personNameKey('Jean Marie'), 'double space')
  t.equal(personNameKey('  Jean \u00a0 Marie '), 'jeanmarie', 'outer and no-break spaces')
  t.equal(personNameKey("D'Amico"), 'damico', 'straight apostrophe removed entirely')
  t.equal(personNameKey('D’Amico'), 'damico', 'curly apostrophe')
  t.equal(personNameKey('Damico'), personNameKey("D'Amico"))
  t.equal(personNameKey('J.-P.'), 'jp', 'dots')
  t.equal(personNameKey('Cœur'), 'coeur', 'ligature')
  t.equal(personNameKey('É'.normalize('NFD')), 'e', 'decomposed input')
  t.not(personNameKey('St Pierre'), personNameKey('Saint-Pierre'), 'abbreviations are not expanded for a person')
  t.not(personNameKey('Dupont'), personNameKey('Dupond'))
})

t.test('the candidate page uses the same key (names.ts is that key)', async (t) => {
  t.equal(normaliseName, personNameKey)
  t.equal(sameName, samePersonName)
  t.notOk(samePersonName('-', "'"), 'punctuation only is never a match')
})

// The pairs of issue 13 and the usual variants, each with the expected answer of the one rule.
const pairs: Array<[string, string, boolean]> = [
  ["D'Amico", 'Damico', true],
  ['D’Amico', "d'amico", true],
  ['St Pierre', 'Saint-Pierre', false],
  ['Élodie', 'ELODIE', true],
  ['Jean-Marie', 'jean  marie', true],
  ['Lefèvre', 'Lefevre', true],
  ['Dupont', 'Dupond', false],
]

t.test('duplicates and the candidate-page match give the same answer for every pair', async (t) => {
  for (const [a, b, same] of pairs) {
    const listed = { lastName: a, firstName: 'Julie', birthdate: '1996-03-13' }
    const other = { lastName: b, firstName: 'Julie', birthdate: '1996-03-13' }
    t.equal(candidateKey(listed) === candidateKey(other), same, `duplicate key: ${a} / ${b}`)
    const asRow = (p: typeof listed, id: number) => ({ id, last_name: p.lastName, first_name: p.firstName, birthdate: p.birthdate })
    const duplicate = isDuplicate(
      { ...listed, birthCity: 'Le Havre', birthDepartmentCode: '76', birthCountry: 'France', email: null, externalId: null, extraTimePercentage: null },
      [asRow(other, 2)],
    )
    t.equal(duplicate, same, `form duplicate: ${a} / ${b}`)
    // The candidate types `b` while the list holds `a`: matched exactly when the import would call them one person.
    const match = matchCandidate([asRow(listed, 1)], other)
    t.equal(match.kind, same ? 'one' : 'none', `candidate page: ${a} / ${b}`)
    // If the import let both in, the candidate typing either name finds exactly one.
    if (!same) {
      t.equal(matchCandidate([asRow(listed, 1), asRow(other, 2)], other).kind, 'one', `both listed, ${b} typed`)
      t.equal(matchCandidate([asRow(listed, 1), asRow(other, 2)], listed).kind, 'one', `both listed, ${a} typed`)
    }
  }
})
