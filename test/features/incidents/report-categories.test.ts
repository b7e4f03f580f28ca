import t from 'tap'
import { hasMessage, t as translate } from '../../../src/i18n/index.ts'
import {
  ALL_CODES,
  categoryOfCode,
  codeLabel,
  findCategory,
  hasDetailsField,
  INCIDENT_CODES,
  REPORT_CATEGORIES,
  validateReport,
} from '../../../src/features/incidents/report-categories.ts'

t.test('every PV d’incident code belongs to exactly one category and has the PV’s label', async (t) => {
  t.equal(ALL_CODES.length, 15)
  t.same(
    ALL_CODES,
    INCIDENT_CODES.map((c) => c.code),
    'the same codes as the printed PV d’incident',
  )
  for (const code of ALL_CODES) {
    t.equal(REPORT_CATEGORIES.filter((c) => c.codes.some((rc) => rc.code === code)).length, 1, code)
    t.ok(hasMessage(codeLabel(code).key), `label of ${code}`)
  }
  t.equal(translate(codeLabel('C3')), 'Écran de fin de test non vu')
  t.equal(translate(codeLabel('Z9')), 'Code Z9')
  for (const c of REPORT_CATEGORIES) {
    t.ok(hasMessage(`finalisation.category.${c.id}`), `label of ${c.id}`)
    t.ok(hasMessage(`finalisation.category.${c.id}.help`), `help of ${c.id}`)
  }
  t.same(
    REPORT_CATEGORIES.map((c) => c.id),
    ['candidate_information', 'late_or_leaving', 'connection_or_end_screen', 'in_challenge', 'technical_problem', 'other', 'fraud'],
  )
  t.equal(categoryOfCode('E4')?.id, 'in_challenge')
  t.equal(categoryOfCode('Z9'), undefined)
})

t.test('a category must be chosen among the known ones', async (t) => {
  for (const categorie of ['', 'unknown', 'C1']) {
    const result = validateReport({ categorie })
    t.notOk(result.ok)
    if (!result.ok) t.same(Object.keys(result.errors), ['categorie'])
  }
})

t.test('Modification infos candidat: C1 or C2, details required, at most 500 characters', async (t) => {
  const missingCode = validateReport({ categorie: 'candidate_information', details_candidate_information: 'Nom : Kirkove' })
  t.notOk(missingCode.ok)
  if (!missingCode.ok) t.same(Object.keys(missingCode.errors), ['code_candidate_information'])

  const missingDetails = validateReport({ categorie: 'candidate_information', code_candidate_information: 'C1' })
  if (missingDetails.ok) t.fail('details required')
  else t.equal(missingDetails.errors.details_candidate_information?.key, 'finalisation.report.error.details')

  const tooLong = validateReport({ categorie: 'candidate_information', code_candidate_information: 'C2', details_candidate_information: 'x'.repeat(501) })
  if (tooLong.ok) t.fail('501 characters refused')
  else t.same(tooLong.errors.details_candidate_information, { key: 'form.too_long', params: { max: 500 } })

  const exact = validateReport({ categorie: 'candidate_information', code_candidate_information: 'C2', details_candidate_information: 'x'.repeat(500) })
  t.ok(exact.ok, '500 characters accepted')

  const crlf = validateReport({
    categorie: 'candidate_information',
    code_candidate_information: 'C1',
    details_candidate_information: `${'a\r\n'.repeat(250)}`.trim(),
  })
  t.ok(crlf.ok, 'a line break counts as one character, as the browser counts it')

  const ok = validateReport({ categorie: 'candidate_information', code_candidate_information: 'C1', details_candidate_information: 'Kirkove et non Kirokov' })
  t.same(ok, { ok: true, value: { category: 'candidate_information', code: 'C1', questionNumber: null, details: 'Kirkove et non Kirokov' } })
})

t.test('a code of another category is refused', async (t) => {
  const result = validateReport({ categorie: 'candidate_information', code_candidate_information: 'E1', details_candidate_information: 'x' })
  t.notOk(result.ok)
  const other = validateReport({ categorie: 'late_or_leaving', code_candidate_information: 'C1', details_late_or_leaving: 'x' })
  if (other.ok) t.fail('code must come from the chosen category')
  else t.ok(other.errors.code_late_or_leaving)
})

t.test('Problème sur une question: question number 1–500 required, then E1–E7; E7 needs details', async (t) => {
  for (const numero_question of ['', '0', '501', '-3', '1.5', 'abc', '1e2', '12345']) {
    const result = validateReport({ categorie: 'in_challenge', numero_question, code_in_challenge: 'E1' })
    if (result.ok) t.fail(`question ${numero_question} refused`)
    else t.same(result.errors.numero_question, { key: 'finalisation.report.error.question', params: { min: 1, max: 500 } }, `"${numero_question}"`)
  }
  for (const numero_question of ['1', '500', '042']) {
    const result = validateReport({ categorie: 'in_challenge', numero_question, code_in_challenge: 'E3' })
    t.ok(result.ok, `question ${numero_question} accepted`)
    if (result.ok) t.equal(result.value.questionNumber, Number(numero_question))
  }
  const noType = validateReport({ categorie: 'in_challenge', numero_question: '12' })
  if (noType.ok) t.fail('type required')
  else t.equal(noType.errors.code_in_challenge?.key, 'finalisation.report.error.problem_type')

  const e7 = validateReport({ categorie: 'in_challenge', numero_question: '12', code_in_challenge: 'E7' })
  if (e7.ok) t.fail('E7 needs details')
  else t.ok(e7.errors.details_in_challenge)

  const both = validateReport({ categorie: 'in_challenge', numero_question: '900' })
  if (both.ok) t.fail()
  else t.same(Object.keys(both.errors), ['code_in_challenge', 'numero_question'], 'all problems at once, in page order')
})

t.test('single-code categories: C5 and C6 need nothing more; A1 and A2 need details', async (t) => {
  t.same(validateReport({ categorie: 'connection_or_end_screen', details_connection_or_end_screen: 'ignored' }), {
    ok: true,
    value: { category: 'connection_or_end_screen', code: 'C5', questionNumber: null, details: null },
  })
  t.same(validateReport({ categorie: 'fraud' }), { ok: true, value: { category: 'fraud', code: 'C6', questionNumber: null, details: null } })
  for (const categorie of ['technical_problem', 'other']) {
    t.notOk(validateReport({ categorie }).ok, `${categorie} without details`)
    const ok = validateReport({ categorie, [`details_${categorie}`]: 'L’ordinateur s’est éteint' })
    t.ok(ok.ok)
    if (ok.ok) t.equal(ok.value.code, findCategory(categorie)!.codes[0]!.code)
  }
})

t.test('late or leaving: C3 or C4, with details; C3 gives the exit time', async (t) => {
  t.notOk(validateReport({ categorie: 'late_or_leaving', code_late_or_leaving: 'C3' }).ok)
  t.ok(validateReport({ categorie: 'late_or_leaving', code_late_or_leaving: 'C4', details_late_or_leaving: 'A signé ligne 3' }).ok)
  const noTime = validateReport({ categorie: 'late_or_leaving', code_late_or_leaving: 'C3', details_late_or_leaving: 'Parti sans prévenir' })
  if (noTime.ok) t.fail('C3 without an exit time')
  else t.equal(noTime.errors.details_late_or_leaving?.key, 'finalisation.report.error.exit_time')
  for (const details of ['Sorti à 11h20', 'sortie 9 h', 'Sorti à 10:45 sans valider', '11h']) {
    t.ok(validateReport({ categorie: 'late_or_leaving', code_late_or_leaving: 'C3', details_late_or_leaving: details }).ok, details)
  }
  t.notOk(validateReport({ categorie: 'late_or_leaving', code_late_or_leaving: 'C3', details_late_or_leaving: 'Question 42' }).ok, 'a number alone is no time')
})

// The seed's PV d'incident, "Détails attendus" column, code by code ('' where the cell is empty).
const SEED_PV: Record<string, string> = {
  C1: 'Précisez l’information à modifier',
  C2: 'Précisez le temps majoré',
  C3: 'Précisez et indiquez l’heure de sortie',
  C4: 'Précisez',
  C5: '',
  C6: 'PV de fraude',
  E1: '',
  E2: '',
  E3: '',
  E4: '',
  E5: '',
  E6: '',
  E7: 'Précisez',
  A1: 'Décrivez l’incident',
  A2: 'Décrivez l’incident',
}

t.test('one table: what the PV prints and what a report must hold agree with the seed, code by code', async (t) => {
  t.same(
    INCIDENT_CODES.map((c) => c.code),
    Object.keys(SEED_PV),
  )
  for (const c of INCIDENT_CODES) {
    const printed = c.expectedDetails ? translate(c.expectedDetails) : ''
    t.equal(printed, SEED_PV[c.code], `${c.code}: the PV's "Détails attendus"`)
    // A text is required exactly where the PV asks for one (C6 asks for a document, the PV de fraude).
    const asksText = printed !== '' && c.document === null
    t.equal(c.details, asksText ? 'required' : 'none', `${c.code}: details ${asksText ? 'required' : 'not asked'}`)
    t.equal(c.needsQuestionNumber, c.code.startsWith('E'), `${c.code}: question number`)
    t.equal(c.exitTime, c.code === 'C3', `${c.code}: exit time`)
    // The same answer from the report form.
    const cat = categoryOfCode(c.code)!
    const values: Record<string, string> = { categorie: cat.id, [`code_${cat.id}`]: c.code, numero_question: '12' }
    t.equal(validateReport(values).ok, c.details === 'none', `${c.code}: a report without details is ${c.details === 'none' ? 'accepted' : 'refused'}`)
  }
  t.equal(INCIDENT_CODES.find((c) => c.code === 'C6')!.document, 'fraud_report')
  t.notOk(hasDetailsField(findCategory('fraud')!), 'the fraud report asks for no text: its document goes with step 2')
  t.ok(hasDetailsField(findCategory('in_challenge')!), 'E7 requires details')
  const e1 = validateReport({ categorie: 'in_challenge', numero_question: '3', code_in_challenge: 'E1', details_in_challenge: 'Image 2' })
  t.same(
    e1,
    { ok: true, value: { category: 'in_challenge', code: 'E1', questionNumber: 3, details: 'Image 2' } },
    'a note typed for E1 in the shared field is kept',
  )
})

t.test('report details refuse control characters, like every text field', async (t) => {
  const result = validateReport({ categorie: 'candidate_information', code_candidate_information: 'C1', details_candidate_information: 'Kirkove\u0000' })
  t.same(result, { ok: false, reason: 'invalid', errors: { details_candidate_information: { key: 'form.control_character', params: { char: 'U+0000' } } } })
  const ok = validateReport({
    categorie: 'candidate_information',
    code_candidate_information: 'C1',
    details_candidate_information: 'Nom :\r\nKirkove\tKirokov',
  })
  t.equal(ok.ok, true, 'line breaks and tabs are text')
})
