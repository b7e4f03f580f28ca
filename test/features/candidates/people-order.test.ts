import t from 'tap'
import { compareFrench, comparePeople, sortPeople, sortPeopleRows } from '../../../src/lib/collation.ts'

const names = (rows: Array<{ last_name: string; first_name: string }>) => rows.map((r) => `${r.last_name} ${r.first_name}`)

t.test('people sort in French order: accents, case and particles do not send names after Z', async (t) => {
  const rows = [
    { id: 1, last_name: 'Zoé', first_name: 'Anne', birthdate: '2000-01-01' },
    { id: 2, last_name: 'Élodie', first_name: 'Anne', birthdate: '2000-01-01' },
    { id: 3, last_name: 'de Gaulle', first_name: 'Anne', birthdate: '2000-01-01' },
    { id: 4, last_name: 'émile', first_name: 'Anne', birthdate: '2000-01-01' },
    { id: 5, last_name: 'Ébert', first_name: 'Anne', birthdate: '2000-01-01' },
    { id: 6, last_name: 'Dupont', first_name: 'Julie', birthdate: '2000-01-01' },
    { id: 7, last_name: 'Dupont', first_name: 'Albert', birthdate: '2000-01-01' },
    { id: 8, last_name: 'Eco', first_name: 'Umberto', birthdate: '2000-01-01' },
  ]
  t.same(names(sortPeopleRows(rows)), ['de Gaulle Anne', 'Dupont Albert', 'Dupont Julie', 'Ébert Anne', 'Eco Umberto', 'Élodie Anne', 'émile Anne', 'Zoé Anne'])
  t.same(names(sortPeopleRows([...rows].reverse())), names(sortPeopleRows(rows)), 'the order does not depend on the order the database returned')
})

t.test('ties: first name, then birthdate, then id; same names differing only by accents or case have one fixed order', async (t) => {
  t.ok(comparePeople({ lastName: 'Martin', firstName: 'Éric' }, { lastName: 'Martin', firstName: 'Zoé' }) < 0)
  t.ok(
    comparePeople({ lastName: 'Martin', firstName: 'Léa', birthdate: '1999-01-01' }, { lastName: 'martin', firstName: 'Léa', birthdate: '1999-01-01' }) !== 0,
  )
  t.ok(
    comparePeople(
      { lastName: 'Martin', firstName: 'Léa', birthdate: '1999-01-01', id: 2 },
      { lastName: 'Martin', firstName: 'Léa', birthdate: '2001-01-01', id: 1 },
    ) < 0,
  )
  t.ok(
    comparePeople(
      { lastName: 'Martin', firstName: 'Léa', birthdate: '1999-01-01', id: 1 },
      { lastName: 'Martin', firstName: 'Léa', birthdate: '1999-01-01', id: 2 },
    ) < 0,
  )
  t.same(
    sortPeople([{ n: 'Zoé' }, { n: 'élodie' }], (r) => ({ lastName: r.n, firstName: '' })).map((r) => r.n),
    ['élodie', 'Zoé'],
  )
})

t.test('compareFrench, for other names (centres)', async (t) => {
  t.same(['Zola', 'Émile Zola', 'école'].sort(compareFrench), ['école', 'Émile Zola', 'Zola'])
  t.ok(compareFrench('Lycée 2', 'Lycée 10') < 0, 'numbers in their numeric order')
})
