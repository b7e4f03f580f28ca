import t from 'tap'
import { normaliseName, sameName } from '../../../src/features/joining/names.ts'

t.test('case, accents, spaces, hyphens and apostrophes do not count', async (t) => {
  t.equal(normaliseName('Lefèvre'), 'lefevre')
  t.equal(normaliseName('  LÉA-MARIE  '), 'leamarie')
  t.equal(normaliseName('Jean Marie'), normaliseName('jean-marie'))
  t.equal(normaliseName('D’Amico'), 'damico', 'curly apostrophe')
  t.equal(normaliseName("d'amico"), 'damico', 'straight apostrophe')
  t.equal(normaliseName('Ça ñ ü ï ô'), 'canuio')
  t.equal(normaliseName('Cœur Æther'), 'coeuraether', 'ligatures spelled out')
  t.equal(normaliseName('Jean\u00a0Pierre\u2013Paul'), 'jeanpierrepaul', 'no-break space and en dash')
  t.equal(normaliseName('É'.normalize('NFD')), 'e', 'decomposed input')
})

t.test('sameName compares normalised names, never empty ones', async (t) => {
  t.ok(sameName('Dupont', 'DUPONT'))
  t.ok(sameName('Jean-Pierre', 'jean pierre'))
  t.ok(sameName('Hélène', 'Helene'))
  t.notOk(sameName('Dupont', 'Dupond'))
  t.notOk(sameName('Jean', 'Jeanne'))
  t.notOk(sameName('-', "'"), 'two names made of punctuation only are not a match')
})
