import t from 'tap'
import { blankRowCount, endTime, sheetRow } from '../../../src/features/printables/attendance-sheet.ts'
import { findIncidentCode, INCIDENT_CODES, incidentCodesOf } from '../../../src/features/finalisation/report-categories.ts'
import { hasMessage, t as translate } from '../../../src/i18n/index.ts'

t.test('rows, blank rows and the end time', async (t) => {
  t.equal(blankRowCount(0), 15)
  t.equal(blankRowCount(30), 5)
  t.equal(endTime('10:00'), '12:00')
  t.equal(endTime('23:30'), '01:30')
  const row = sheetRow({ last_name: 'Dupont', first_name: 'Julie', birthdate: '1996-03-13', birth_city: 'Le Havre', birth_department_code: '76', birth_country: 'France', email: null, external_id: null, extra_time_percentage: 33 })
  t.equal(row.birthdate, '13/03/1996')
  t.equal(row.extraTime, '33 %')
  t.equal(row.email, '')
})

t.test('the PV d’incident codes are the guide’s, each with its text', async (t) => {
  t.same(
    INCIDENT_CODES.map((c) => c.code),
    ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'A1', 'A2'],
  )
  t.same(incidentCodesOf('question').map((c) => c.code), ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7'])
  for (const c of INCIDENT_CODES) {
    t.ok(hasMessage(c.label), `${c.code} label`)
    if (c.expectedDetails) t.ok(hasMessage(c.expectedDetails), `${c.code} details`)
  }
  t.equal(translate(findIncidentCode('C6')!.expectedDetails!), 'PV de fraude')
  t.equal(findIncidentCode('C5')!.expectedDetails, null, 'C5 expects no details')
  t.equal(findIncidentCode('Z9'), undefined)
})
