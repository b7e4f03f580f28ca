import t from 'tap'
import { accessCodeMatches, matchCandidate } from '../../../src/features/joining/matching.ts'

const julie = { id: 1, first_name: 'Julie', last_name: 'Dupont', birthdate: '1996-03-13' }
const michel = { id: 2, first_name: 'Michel', last_name: 'Durand', birthdate: '2001-05-06' }
const lea = { id: 3, first_name: 'Léa-Marie', last_name: 'D’Amico', birthdate: '2000-01-31' }

t.test('one match: normalised names and the exact birthdate', async (t) => {
  const result = matchCandidate([julie, michel, lea], { firstName: 'LEA MARIE', lastName: 'damico', birthdate: '2000-01-31' })
  t.same(result, { kind: 'one', candidate: lea })
  t.same(matchCandidate([julie, michel], { firstName: 'julie', lastName: ' dupont ', birthdate: '1996-03-13' }), { kind: 'one', candidate: julie })
})

t.test('no match: another birthdate, a swapped first and last name, a near name', async (t) => {
  const list = [julie, michel]
  t.same(matchCandidate(list, { firstName: 'Julie', lastName: 'Dupont', birthdate: '1996-03-14' }), { kind: 'none' })
  t.same(matchCandidate(list, { firstName: 'Dupont', lastName: 'Julie', birthdate: '1996-03-13' }), { kind: 'none' })
  t.same(matchCandidate(list, { firstName: 'Julie', lastName: 'Dupond', birthdate: '1996-03-13' }), { kind: 'none' })
  t.same(matchCandidate([], { firstName: 'Julie', lastName: 'Dupont', birthdate: '1996-03-13' }), { kind: 'none' })
})

t.test('two matches are their own answer, without naming anyone', async (t) => {
  const twin = { ...julie, id: 9, last_name: 'DUPONT' }
  t.same(matchCandidate([julie, michel, twin], { firstName: 'Julie', lastName: 'Dupont', birthdate: '1996-03-13' }), { kind: 'several' })
})

t.test('access code: any case, stray spaces, never empty', async (t) => {
  t.ok(accessCodeMatches('GMPB26', 'GMPB26'))
  t.ok(accessCodeMatches('gmpb26', 'GMPB26'))
  t.ok(accessCodeMatches(' gmp b26 ', 'GMPB26'))
  t.notOk(accessCodeMatches('GMPB27', 'GMPB26'))
  t.notOk(accessCodeMatches('GMPB2', 'GMPB26'))
  t.notOk(accessCodeMatches('', ''))
})
