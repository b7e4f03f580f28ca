import t from 'tap'
import { samePersonName } from '../../../src/features/candidates/person-name.ts'
import { matchesSearch } from '../../../src/features/supervision/supervision.service.ts'

const damico = { lastName: "D'Amico", firstName: 'Julie' }
const saintPierre = { lastName: 'Saint-Pierre', firstName: 'Marc' }
const stPierre = { lastName: 'St Pierre', firstName: 'Léa' }

t.test('the search uses the person-name key: apostrophes, hyphens, spaces, accents and case do not count', async (t) => {
  for (const typed of ['Damico', "D'Amico", 'D’Amico', 'd amico', 'DAMICO JULIE', 'julie damico', 'Julie D’Amico'])
    t.ok(matchesSearch(damico, typed), `"${typed}" finds D'Amico Julie`)
  t.ok(matchesSearch({ lastName: 'Damico', firstName: 'Julie' }, "D'Amico"), `"D'Amico" finds Damico Julie`)
  for (const typed of ['Saint-Pierre', 'saint pierre', 'SAINTPIERRE', 'Saint  Pierre Marc', 'marc saint-pierre'])
    t.ok(matchesSearch(saintPierre, typed), `"${typed}" finds Saint-Pierre Marc`)
  t.ok(matchesSearch({ lastName: 'Dupont', firstName: 'Élodie' }, 'elodie'), 'accents folded')
  t.ok(matchesSearch(damico, '  '), 'an empty search shows everyone')
  t.notOk(matchesSearch(damico, 'Dupont'), 'another name is not found')
})

t.test('the search agrees with the duplicate rule: what the import keeps apart is not mixed up here', async (t) => {
  // personNameKey does not expand "St": the import accepts "St Pierre" and "Saint-Pierre" as two people.
  t.notOk(samePersonName('St Pierre', 'Saint-Pierre'))
  t.notOk(matchesSearch(saintPierre, 'St Pierre'), '"St Pierre" does not find Saint-Pierre')
  t.ok(matchesSearch(stPierre, 'St-Pierre'), '"St-Pierre" finds St Pierre')
  t.ok(matchesSearch(stPierre, 'stpierre lea'), '"stpierre lea" finds St Pierre Léa')
  t.ok(samePersonName("D'Amico", 'Damico'), 'and what it takes for one person…')
  t.ok(matchesSearch(damico, 'Damico'), '…the search finds under either spelling')
})
