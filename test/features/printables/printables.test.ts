import t from 'tap'
import {
  blankRowCount,
  endTime,
  rowHeight,
  SHEET_GEOMETRY,
  SIGNATURE_MIN_WIDTH,
  sheetLayout,
  sheetRow,
  textWidth,
  wrappedLines,
} from '../../../src/features/printables/attendance-sheet.ts'
import { findIncidentCode, INCIDENT_CODES, incidentCodesOf } from '../../../src/features/incidents/report-categories.ts'
import { hasMessage, t as translate } from '../../../src/i18n/index.ts'

const SESSION = { site_name: 'Centre Testix', room: '45', invigilators: 'Eric Martin' }
const candidate = (i: number, values: Partial<Parameters<typeof sheetRow>[0]> = {}) =>
  sheetRow({
    last_name: `Nom${i}`,
    first_name: 'Julie',
    birthdate: '1996-03-13',
    birth_city: 'Le Havre',
    birth_department_code: '76',
    birth_country: 'France',
    email: `candidat${i}@example.org`,
    external_id: null,
    extra_time_percentage: null,
    ...values,
  })
const rows = (n: number) => Array.from({ length: n }, (_, i) => candidate(i))

/** Rows per page as the sheet's geometry lays them out (short rows: one line each). */
const FIRST_PAGE = Math.floor((SHEET_GEOMETRY.pageHeight - SHEET_GEOMETRY.slack - SHEET_GEOMETRY.firstRowTop) / SHEET_GEOMETRY.rowHeight)
const LATER_PAGE = Math.floor((SHEET_GEOMETRY.pageHeight - SHEET_GEOMETRY.slack - SHEET_GEOMETRY.repeatedHeader) / SHEET_GEOMETRY.rowHeight)
const fillsWholePages = (total: number) => total === FIRST_PAGE || (total > FIRST_PAGE && (total - FIRST_PAGE) % LATER_PAGE === 0)

const pagesOf = (rowCount: number) => (rowCount <= FIRST_PAGE ? 1 : 1 + Math.ceil((rowCount - FIRST_PAGE) / LATER_PAGE))

t.test('blank rows fill the candidates’ last page and never start a new one', async (t) => {
  t.equal(blankRowCount([], SESSION), FIRST_PAGE, 'nobody listed: a whole page to fill by hand')
  for (let n = 1; n <= FIRST_PAGE + 2 * LATER_PAGE + 3; n++) {
    const blanks = blankRowCount(rows(n), SESSION)
    t.ok(fillsWholePages(n + blanks), `${n} candidates + ${blanks} blank rows end at the bottom of a page`)
    t.equal(pagesOf(n + blanks), pagesOf(n), `${n} candidates: the blank rows add no page`)
  }
  // The case of the issue: five blank rows used to leave one of them alone on a new page.
  t.equal(blankRowCount(rows(FIRST_PAGE + LATER_PAGE - 4), SESSION), 4, 'four rows left on the page: four blank rows')
  t.equal(blankRowCount(rows(FIRST_PAGE + LATER_PAGE), SESSION), 0, 'a full page: no blank row on a new page')
})

t.test('row heights: short values take one row, long ones the lines they wrap to', async (t) => {
  t.equal(rowHeight(candidate(1)), SHEET_GEOMETRY.rowHeight)
  const long = candidate(2, {
    last_name: 'Wolfeschlegelsteinhausenbergerdorff-Delacroix-Montmorency',
    email: 'marie-bernadette.wolfeschlegelsteinhausenbergerdorff@academie-exemple.fr',
  })
  // Alone, a sheet gives the long row the width it needs; among others, its columns are shared.
  const layout = sheetLayout([long, ...rows(20)])
  t.ok(rowHeight(long, layout) > 1.5 * SHEET_GEOMETRY.rowHeight, `a long name and e-mail make a tall row (${rowHeight(long, layout)} mm)`)
  t.ok(layout.signature >= SIGNATURE_MIN_WIDTH, `Signature ${layout.signature} mm`)
  t.ok(sheetLayout(rows(20)).signature >= SIGNATURE_MIN_WIDTH)
  t.ok(layout.text.externalId >= textWidth(long.externalId, 8.5), 'an identifier never narrower than its column')
  t.equal(wrappedLines('Dupont', 30, 8.5, true), 1)
  t.ok(wrappedLines('Jean-Pierre Marie-Christine Dupont-Durand', 20, 8.5, true) >= 3)
  // Tall rows leave room for fewer blank rows, so the sheet still ends on a full page or less.
  const withLong = [long, ...rows(20)]
  t.ok(blankRowCount(withLong, SESSION) < blankRowCount(rows(21), SESSION))
  t.ok(
    blankRowCount(rows(1), { ...SESSION, site_name: 'Lycée '.repeat(40) }) < blankRowCount(rows(1), SESSION),
    'a session block that wraps leaves less room on page 1',
  )
})

/** Julie Dupont as the sheet lists her (33 % extra time). */
const JULIE = {
  last_name: 'Dupont',
  first_name: 'Julie',
  birthdate: '1996-03-13',
  birth_city: 'Le Havre',
  birth_department_code: '76',
  birth_country: 'France',
  email: null,
  external_id: null,
  extra_time_percentage: 33,
}

t.test('rows and the end time', async (t) => {
  t.equal(endTime('10:00'), '12:00')
  t.equal(endTime('23:30'), '01:30')
  const row = sheetRow(JULIE)
  t.equal(row.birthdate, '13/03/1996')
  t.equal(row.extraTime, '33 %')
  t.equal(row.email, '')
})

t.test('the English sheet (?langue=en) has its extra time and accessibility mark in English; French by default', async (t) => {
  const candidate = {
    ...JULIE,
    accessibility_needed: 1,
    accessibility_note: 'Salle au rez-de-chaussée',
  }
  const french = sheetRow(candidate)
  t.equal(french.accessibility, 'Aménagement : Salle au rez-de-chaussée')
  t.equal(french.extraTime, '33 %')
  const english = sheetRow(candidate, 'en')
  t.equal(english.accessibility, 'Arrangement: Salle au rez-de-chaussée')
  t.equal(english.extraTime, '33%')
  t.equal(sheetRow({ ...candidate, accessibility_note: null }, 'en').accessibility, 'Arrangement')
  t.equal(sheetRow({ ...candidate, accessibility_needed: 0 }).accessibility, '')
})

t.test('the PV d’incident codes are the guide’s, each with its text', async (t) => {
  t.same(
    INCIDENT_CODES.map((c) => c.code),
    ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'A1', 'A2'],
  )
  t.same(
    incidentCodesOf('question').map((c) => c.code),
    ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7'],
  )
  for (const c of INCIDENT_CODES) {
    t.ok(hasMessage(c.label), `${c.code} label`)
    if (c.expectedDetails) t.ok(hasMessage(c.expectedDetails), `${c.code} details`)
  }
  t.equal(translate(findIncidentCode('C6')!.expectedDetails!), 'PV de fraude')
  t.equal(findIncidentCode('C5')!.expectedDetails, null, 'C5 expects no details')
  t.equal(findIncidentCode('Z9'), undefined)
})
