import t from 'tap'
import { filterQuery, parseSessionFilters, readFilterValues } from '../../../src/features/sessions/session-filters.ts'

const values = (query: Record<string, unknown>) => readFilterValues(query)

t.test('empty or absent filters filter nothing', async (t) => {
  t.same(parseSessionFilters(values({})), { filters: {}, errors: {} })
  t.same(parseSessionFilters(values({ numero: '  ', statut: 'toutes', du: '', au: '' })), { filters: {}, errors: {} })
  t.same(parseSessionFilters(values({ statut: 'nimporte' })).filters, {}, 'an unknown status is ignored')
  t.same(readFilterValues({ numero: ['1', '2'], du: 'x'.repeat(101) }), { numero: '', statut: '', du: '', au: '' }, 'arrays and absurd lengths are empty')
})

t.test('number, status and dates', async (t) => {
  t.same(parseSessionFilters(values({ numero: ' 3 07 ', statut: 'finalisee', du: '2026-01-05', au: '31/01/2026' })), {
    filters: { sessionId: 307, status: 'finalisee', from: '2026-01-05', to: '2026-01-31' },
    errors: {},
  })
  const bad = parseSessionFilters(values({ numero: '0', du: '30/02/2026', au: '2026-13-01' }))
  t.same(Object.keys(bad.errors).sort(), ['au', 'du', 'numero'])
  t.same(bad.filters, {})
  const reversed = parseSessionFilters(values({ du: '2026-02-01', au: '2026-01-01' }))
  t.equal(reversed.errors.au?.key, 'sessions.filters.range_invalid')
  t.same(reversed.filters, { from: '2026-02-01' }, 'the reversed bound is not applied')
})

t.test('query strings keep what was typed, without the default status', async (t) => {
  t.equal(filterQuery(values({})), '')
  t.equal(filterQuery(values({ statut: 'toutes' }), 2), '?page=2')
  t.equal(filterQuery(values({ numero: '12', statut: 'creee', du: '2026-01-01', au: '' }), 3), '?numero=12&statut=creee&du=2026-01-01&page=3')
  t.equal(filterQuery(values({ numero: 'a&b=c' })), '?numero=a%26b%3Dc', 'encoded')
})
