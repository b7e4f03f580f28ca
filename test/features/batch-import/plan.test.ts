import t from 'tap'
import { type BatchRow, buildPlan, type PlanContext, slotKey } from '../../../src/features/batch-import/plan.ts'
import { t as tr } from '../../../src/i18n/index.ts'

const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  today: { y: 2030, m: 1, d: 10 },
  now: '12:00',
  existing: new Map(),
  takenSlots: new Set(),
  ...over,
})
const S = { siteName: 'Lycée A', room: 'Salle 1', date: '15/06/2030', startTime: '09:00', invigilators: 'Eric Martin' }
const C = { lastName: 'Dupont', firstName: 'Julie', birthdate: '13/03/1996', birthCity: 'Le Havre', birthDepartment: '76', birthCountry: 'France' }
let n = 1
const row = (values: BatchRow['values'], formulas: BatchRow['formulas'] = []): BatchRow => ({ line: ++n, values, formulas })
const plan = (rows: BatchRow[], c = ctx()) => {
  const outcome = buildPlan(rows, c)
  if (!outcome.ok) throw new Error(tr(outcome.refused))
  return outcome.value
}
const messages = (items: Array<{ line: number; column: string | null; message: { key: string } }>) =>
  items.map((i) => `${i.line}:${i.column ?? '-'}:${i.message.key}`)

t.beforeEach(() => {
  n = 1
})

t.test('lines group into sessions by site, room, date and time; candidates kept in order', async (t) => {
  const p = plan([row({ ...S, ...C }), row({ ...S, siteName: 'LYCEE a', ...C, lastName: 'Martin' }), row({ ...S, room: 'Salle 2' })])
  t.equal(p.sessions.length, 2)
  t.same(
    p.sessions[0]!.candidates.map((c) => c.lastName),
    ['Dupont', 'Martin'],
    'case and accents aside, same session',
  )
  t.same(p.counts, { sessions: 2, empty: 1, candidates: 2, created: 2, replaced: 0 })
  t.same(messages(p.warnings), ['4:-:batch.session.empty'])
  t.same(p.errors, [])
})

t.test('dates and times as spreadsheets write them', async (t) => {
  const p = plan([row({ ...S, date: '15/06/30', startTime: '09:00:00' }), row({ ...S, siteName: 'B', date: '2030-06-16', startTime: '9h30' })])
  t.same(
    p.sessions.map((s) => s.kind === 'create' && [s.input.date, s.input.startTime]),
    [
      ['2030-06-15', '09:00'],
      ['2030-06-16', '09:30'],
    ],
  )
})

t.test('not in the past: today before now is refused, later today is fine', async (t) => {
  const p = plan([
    row({ ...S, date: '10/01/2030', startTime: '11:59' }),
    row({ ...S, date: '10/01/2030', startTime: '12:00' }),
    row({ ...S, date: '09/01/2030' }),
  ])
  t.same(messages(p.errors), ['2:* Date de début (format : jj/mm/aaaa):batch.session.past', '4:* Date de début (format : jj/mm/aaaa):batch.session.past'])
  t.equal(p.sessions.length, 1)
})

t.test('an existing slot is a blocking error', async (t) => {
  const taken = slotKey({ siteName: 'Lycée A', room: 'Salle 1', date: '2030-06-15', startTime: '09:00' })
  const p = plan([row(S)], ctx({ takenSlots: new Set([taken]) }))
  t.same(messages(p.errors), ['2:* Nom du site:batch.session.exists'])
})

t.test('session numbers: this centre’s, not started, not finalised, no session info; list replaced', async (t) => {
  const existing = new Map([
    [7, { id: 7, finalised: false, started: false }],
    [8, { id: 8, finalised: false, started: true }],
    [9, { id: 9, finalised: true, started: false }],
  ])
  const p = plan(
    [
      row({ sessionNumber: '7', ...C }),
      row({ sessionNumber: ' 7 ', ...C, lastName: 'Martin' }),
      row({ sessionNumber: '8', ...C }),
      row({ sessionNumber: '9' }),
      row({ sessionNumber: '10' }),
      row({ sessionNumber: '7', room: 'x' }),
      row({ sessionNumber: '7a' }),
    ],
    ctx({ existing }),
  )
  t.same(p.sessions, [{ kind: 'replace', line: 2, sessionId: 7, candidates: p.sessions[0]!.candidates }])
  t.equal(p.sessions[0]!.candidates.length, 2)
  t.same(
    messages(p.errors).map((m) => m.split(':').pop()),
    [
      'batch.session_number.started',
      'batch.session_number.finalised',
      'batch.session_number.unknown',
      'batch.session_number.with_info',
      'batch.session_number.invalid',
    ],
  )
})

t.test('candidates: the sheet’s rules, duplicates kept once with a warning, formulas refused', async (t) => {
  const p = plan([
    row({ ...S, ...C }),
    row({ ...S, ...C, lastName: 'DUPONT', firstName: 'julie' }),
    row({ ...S, ...C, birthDepartment: '20' }),
    row({ ...S, ...C, lastName: '' }, ['lastName']),
    row({ ...S, ...C, lastName: 'Martin', birthCity: 'Montpelier', birthDepartment: '34' }),
  ])
  t.same(
    p.sessions[0]!.candidates.map((c) => c.birthCity),
    ['Le Havre', 'Montpelier'],
  )
  t.same(messages(p.errors), ['4:* Code du département de naissance:candidates.birth_department.invalid', '5:* Nom de naissance:candidates.import.formula'])
  t.same(messages(p.warnings), ['3:-:batch.candidate.duplicate', '6:* Commune de naissance:candidates.birth_city.unknown'])
})

t.test('the same slot with other invigilators is a blocking error; session info with control characters too', async (t) => {
  const p = plan([row(S), row({ ...S, invigilators: 'Autre' }), row({ ...S, siteName: 'B\u001b' })])
  t.same(messages(p.errors), ['3:* Surveillant(s):batch.session.conflict', '4:* Nom du site:form.control_character'])
})

t.test('session info on one line: a tab or a line break inside a cell is refused, named by its column (issue 23, item 9)', async (t) => {
  const p = plan([row({ ...S, siteName: 'Lycée A\nSalle B' }), row({ ...S, room: 'Salle\t2' }), row({ ...S, room: 'Salle 3', invigilators: 'Eric\r\nMartin' })])
  t.same(messages(p.errors), [
    '2:* Nom du site:form.control_character',
    '3:* Nom de la salle:form.control_character',
    '4:* Surveillant(s):form.control_character',
  ])
  t.equal(p.sessions.length, 0, 'no session planned from those lines')
})

t.test('bounds: 200 sessions, 5,000 candidates', async (t) => {
  t.ok(
    buildPlan(
      Array.from({ length: 200 }, (_, i) => row({ ...S, siteName: `L${i}` })),
      ctx(),
    ).ok,
  )
  const sessions = buildPlan(
    Array.from({ length: 201 }, (_, i) => row({ ...S, siteName: `L${i}` })),
    ctx(),
  )
  t.same('refused' in sessions && sessions.refused.key, 'batch.file.too_many_sessions')
  const candidates = buildPlan(
    Array.from({ length: 5001 }, (_, i) => row({ ...S, ...C, externalId: String(i) })),
    ctx(),
  )
  t.same('refused' in candidates && candidates.refused.key, 'batch.file.too_many_candidates')
  t.same(buildPlan([], ctx()), { ok: false, reason: 'refused', refused: { key: 'batch.file.empty', params: undefined } })
})

t.test('the optional accessibility column: read like the candidate sheet’s, its problems named by that column', async (t) => {
  const p = plan([
    row({ ...S, ...C, accessibilityNeeded: 'oui : fauteuil roulant' }),
    row({ ...S, ...C, lastName: 'Martin', accessibilityNeeded: '' }),
    row({ ...S, ...C, lastName: 'Neige', accessibilityNeeded: 'peut-être' }),
  ])
  t.match(p.sessions[0]!.candidates, [
    { lastName: 'Dupont', accessibilityNeeded: true, accessibilityNote: 'fauteuil roulant' },
    { lastName: 'Martin', accessibilityNeeded: false },
  ])
  t.same(messages(p.errors), ['4:Aménagement (oui ou laisser vide):candidates.accessibility.invalid'])
})

t.test('the header: the accessibility column may be missing (older templates), the others may not', async (t) => {
  const { mapHeader } = await import('../../../src/features/batch-import/plan.ts')
  const { templateTitles } = await import('../../../src/features/batch-import/columns.ts')
  const titles = templateTitles()
  // The optional columns close the template: the accessibility need, then who approved an accommodation and when.
  const accessibility = titles.indexOf('Aménagement (oui ou laisser vide)')
  t.ok(accessibility > 0, 'the accessibility column is in the template')
  t.same(titles.slice(accessibility + 1), ['Aménagement accordé par', 'Aménagement accordé le'])
  const older = mapHeader(titles.slice(0, accessibility))
  t.ok(older.ok && !older.value.columns.has('accessibilityNeeded'), 'an older template (none of the optional columns) still maps')
  const current = mapHeader(titles)
  t.ok(current.ok && current.value.columns.get('accessibilityNeeded') === accessibility)
  const missing = mapHeader(titles.filter((h) => h !== '* Prénom'))
  t.match(missing, { refused: { key: 'batch.file.missing_columns' } })
})
