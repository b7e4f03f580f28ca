import t from 'tap'
import {
  type CandidateInput,
  candidateKey,
  communeWarning,
  normaliseDepartment,
  parseExtraTime,
  validateCandidate,
} from '../../../src/features/candidates/candidate-rules.ts'
import { candidateListState, isDuplicate } from '../../../src/features/candidates/candidates.service.ts'
import { findCountry, isKnownCommune, placeKey } from '../../../src/features/candidates/places.ts'

const today = { y: 2026, m: 11, d: 26 }
const input: CandidateInput = {
  lastName: 'Dupont',
  firstName: 'Julie',
  birthdate: '13/03/1996',
  birthCity: 'Le Havre',
  birthDepartment: '76',
  birthCountry: 'France',
  email: '',
  externalId: '',
  extraTime: '',
}
const errorsOf = (values: Partial<CandidateInput>) => {
  const result = validateCandidate({ ...input, ...values }, today)
  return result.ok ? {} : result.errors
}

t.test('department codes are normalised', async (t) => {
  for (const [typed, code] of [
    ['1', '01'],
    ['01', '01'],
    ['2a', '2A'],
    ['2B', '2B'],
    ['76', '76'],
    ['95', '95'],
    ['971', '971'],
    ['976', '976'],
    ['99', '99'],
    [' 7 6 ', '76'],
  ]) {
    t.equal(normaliseDepartment(typed!), code, typed!)
  }
  for (const bad of ['0', '00', '20', '96', '98', '100', '970', '977', '975a', 'AB', '2C', '']) t.equal(normaliseDepartment(bad), null, bad)
})

t.test('extra time: 33, 33 %, 33%, 0,33 and number cells', async (t) => {
  for (const [typed, value] of [
    ['33', 33],
    ['33 %', 33],
    ['33%', 33],
    ['0,33', 33],
    ['0.33', 33],
    ['0,5', 50],
    ['', null],
    ['  ', null],
    [33, 33],
    [50, 50],
  ] as const) {
    t.equal(parseExtraTime(typed), value, String(typed))
  }
  t.ok(Number.isNaN(parseExtraTime('beaucoup')))
  t.ok(Number.isNaN(parseExtraTime(33.5)))
  t.ok(errorsOf({ extraTime: '0' }).extraTime)
  t.ok(errorsOf({ extraTime: '100' }).extraTime)
  t.ok(errorsOf({ extraTime: '33,5' }).extraTime)
  t.notOk(errorsOf({ extraTime: '1' }).extraTime)
  t.notOk(errorsOf({ extraTime: '99 %' }).extraTime)
})

t.test('birthdates: jj/mm/aaaa, j/m/aaaa, jj/mm/aa, date cells; impossible, future, before 1900 refused', async (t) => {
  const ok = (birthdate: CandidateInput['birthdate']) => {
    const result = validateCandidate({ ...input, birthdate }, today)
    return result.ok ? result.value.birthdate : null
  }
  t.equal(ok('13/03/1996'), '1996-03-13')
  t.equal(ok('6/5/2001'), '2001-05-06')
  t.equal(ok('13/3/96'), '1996-03-13', 'two-digit year in the past century')
  t.equal(ok('01/02/03'), '2003-02-01', 'two-digit year this century')
  t.equal(ok('26/11/26'), '2026-11-26', 'today')
  t.equal(ok('27/11/26'), null, 'tomorrow, typed with two digits, is in the future')
  t.equal(ok({ y: 2000, m: 2, d: 29 }), '2000-02-29')
  t.equal(ok('29/02/2001'), null)
  t.match(errorsOf({ birthdate: '31/02/2000' }).birthdate, { key: 'candidates.birthdate.invalid', params: { value: '31/02/2000' } })
  t.match(errorsOf({ birthdate: '27/11/2026' }).birthdate, { key: 'candidates.birthdate.future' })
  t.match(errorsOf({ birthdate: '31/12/1899' }).birthdate, { key: 'candidates.birthdate.too_old' })
  t.match(errorsOf({ birthdate: '' }).birthdate, { key: 'candidates.birthdate.required' })
  t.match(errorsOf({ birthdate: 'hier' }).birthdate, { key: 'candidates.birthdate.invalid' })
})

t.test('required fields and their messages', async (t) => {
  const errors = errorsOf({ lastName: ' ', firstName: '', birthCity: '', birthDepartment: '', birthCountry: '', birthdate: '' })
  t.same(Object.keys(errors).sort(), ['birthCity', 'birthCountry', 'birthDepartment', 'birthdate', 'firstName', 'lastName'])
  t.same(errorsOf({}), {}, 'e-mail, local id and extra time are optional')
})

t.test('countries in French, accents and case ignored; e-mail checked; text trimmed', async (t) => {
  t.equal(findCountry('france'), 'France')
  t.equal(findCountry('ALGERIE'), 'Algérie')
  t.equal(findCountry('cote d’ivoire'), "Côte-d'Ivoire")
  t.equal(findCountry('Etats-Unis'), "États-Unis d'Amérique")
  t.equal(findCountry('Royaume Uni'), 'Royaume-Uni')
  t.equal(findCountry('Groland'), null)
  t.equal(findCountry('Germany'), null, 'French names only')
  t.match(errorsOf({ birthCountry: 'Groland' }).birthCountry, { key: 'candidates.birth_country.invalid', params: { value: 'Groland' } })
  t.ok(errorsOf({ email: 'julie@' }).email)
  t.ok(errorsOf({ email: 'julie dupont@example.org' }).email)
  const result = validateCandidate({ ...input, lastName: '  Dupont   de  la Tour ', email: ' julie@example.org ' }, today)
  t.match(result, {
    ok: true,
    value: { lastName: 'Dupont de la Tour', email: 'julie@example.org', birthCountry: 'France', externalId: null, extraTimePercentage: null },
  })
  t.ok(errorsOf({ lastName: 'x'.repeat(256) }).lastName, '255 characters at most')
})

t.test('department and country must agree: 99 abroad, a metropolitan department in France', async (t) => {
  t.same(errorsOf({ birthDepartment: '99', birthCountry: 'Sénégal', birthCity: 'Dakar' }), {})
  t.same(errorsOf({ birthDepartment: '99', birthCountry: 'france' }).birthDepartment, { key: 'candidates.birth_place.abroad_in_france', params: undefined })
  t.same(errorsOf({ birthDepartment: '76', birthCountry: 'Belgique' }).birthDepartment, {
    key: 'candidates.birth_place.france_abroad',
    params: { country: 'Belgique', department: '76' },
  })
  t.same(errorsOf({ birthDepartment: '971', birthCountry: 'France', birthCity: 'Pointe-à-Pitre' }), {}, 'overseas with France')
  t.same(errorsOf({ birthDepartment: '971', birthCountry: 'Guadeloupe', birthCity: 'Pointe-à-Pitre' }), {}, "overseas with the territory's name")
})

t.test('communes: a non-blocking check against the official list', async (t) => {
  t.equal(placeKey('  Saint-Étienne '), 'saint etienne')
  t.equal(placeKey('St Etienne'), 'saint etienne')
  t.equal(isKnownCommune('saint etienne', '42'), true)
  t.equal(isKnownCommune('Le Havre', '76'), true)
  t.equal(isKnownCommune('Ajaccio', '2A'), true)
  t.equal(isKnownCommune('Paris 15e', '75'), true)
  t.equal(isKnownCommune('Le Havre', '13'), false)
  t.equal(isKnownCommune('Montpelier', '34'), false)
  t.equal(communeWarning({ birthCity: 'Berlin', birthDepartmentCode: '99' }), null, 'born abroad: not checked')
  t.match(communeWarning({ birthCity: 'Montpelier', birthDepartmentCode: '34' }), {
    key: 'candidates.birth_city.unknown',
    params: { city: 'Montpelier', department: '34' },
  })
})

t.test('duplicates: same names without accents or case, same birthdate', async (t) => {
  const a = { lastName: 'Lefèvre', firstName: 'Zoé', birthdate: '2000-02-29' }
  t.equal(candidateKey(a), candidateKey({ lastName: 'LEFEVRE', firstName: 'zoe', birthdate: '2000-02-29' }))
  t.not(candidateKey(a), candidateKey({ ...a, birthdate: '2000-03-01' }))
  const data = { ...a, birthCity: 'Lyon', birthDepartmentCode: '69', birthCountry: 'France', email: null, externalId: null, extraTimePercentage: null }
  t.ok(isDuplicate(data, [{ last_name: 'lefevre', first_name: 'ZOE', birthdate: '2000-02-29' }]))
  t.notOk(isDuplicate(data, [{ last_name: 'Lefèvre', first_name: 'Zoé', birthdate: '2001-02-28' }]))
})

t.test('what the tab allows: import until someone joins, adding until finalisation', async (t) => {
  t.same(candidateListState({ finalised_at: null }, 0), { finalised: false, started: false, canImport: true, canAdd: true })
  t.same(candidateListState({ finalised_at: null }, 2), { finalised: false, started: true, canImport: false, canAdd: true })
  t.same(candidateListState({ finalised_at: '2021-01-12T12:00:00Z' }, 2), { finalised: true, started: true, canImport: false, canAdd: false })
})

t.test('control characters are refused in every field, before spaces are cleaned (a vertical tab is \\s)', async (t) => {
  for (const [field, value, shown] of [
    ['lastName', 'Dup\u0000ont', 'U+0000'],
    ['lastName', 'Dup\u001b[31mont', 'U+001B'],
    ['birthCity', 'Le\u0007 Hav\u0008re', 'U+0007'],
    ['firstName', 'Ju\u000blie', 'U+000B'],
    ['firstName', 'Julie\u000c', 'U+000C'],
    ['email', 'julie@exemple.fr\u007f', 'U+007F'],
    ['externalId', 'E\u009b12', 'U+009B'],
    ['birthdate', '13/03/1996\u0000', 'U+0000'],
    ['extraTime', '33\u0085', 'U+0085'],
    ['birthDepartment', '7\u00016', 'U+0001'],
  ] as const) {
    t.same(errorsOf({ [field]: value }), { [field]: { key: 'form.control_character', params: { char: shown } } }, `${field}: ${JSON.stringify(value)}`)
  }
  t.same(
    errorsOf({ lastName: 'Le\tGuen', firstName: 'Jean\n', birthCity: 'Le\r\nHavre' }),
    {},
    'tab, line feed, carriage return: a line break in a cell, read as a space',
  )
  const result = validateCandidate({ ...input, lastName: 'Le\tGuen' }, today)
  t.equal(result.ok && result.value.lastName, 'Le Guen')
})

t.test('names: letters of any script, spaces, hyphens, apostrophes, dots; at least one letter', async (t) => {
  for (const name of [
    "N'Diaye",
    'Le Guen',
    'Saint-Exupéry',
    'Müller',
    'Ngô',
    'Ngo\u0302',
    'O’Brien',
    'D’Amico',
    'Jean-Pierre',
    'J.-P.',
    'Éléonore-Anaïs',
    'Ødegård',
    'Пушкин',
    '王',
    'Nguyễn Văn',
    'Ο\u0301μηρος',
  ]) {
    t.same(errorsOf({ lastName: name, firstName: name }), {}, name)
  }
  t.same(errorsOf({ lastName: "=cmd|' /C calc'!A0" }), { lastName: { key: 'candidates.last_name.invalid_char', params: { char: '=' } } })
  t.same(errorsOf({ firstName: '=1+1' }), { firstName: { key: 'candidates.first_name.invalid_char', params: { char: '=' } } })
  t.same(errorsOf({ firstName: 'Julie2' }), { firstName: { key: 'candidates.first_name.invalid_char', params: { char: '2' } } })
  t.same(errorsOf({ lastName: '<b>Evil</b>' }), { lastName: { key: 'candidates.last_name.invalid_char', params: { char: '<' } } })
  t.same(
    errorsOf({ lastName: 'Dupont\u202e' }),
    { lastName: { key: 'candidates.last_name.invalid_char', params: { char: 'U+202E' } } },
    'an invisible character is shown by its code',
  )
  t.same(errorsOf({ lastName: "-'." }), { lastName: { key: 'candidates.last_name.no_letter' } })
  t.same(errorsOf({ firstName: '...' }), { firstName: { key: 'candidates.first_name.no_letter' } })
  t.same(errorsOf({ lastName: 'A'.repeat(2000) }), { lastName: { key: 'candidates.too_long', params: { max: 255 } } }, 'too long first')
})

t.test('communes: letters, digits, spaces, hyphens, apostrophes, dots, commas, parentheses; starting with a letter or digit', async (t) => {
  for (const city of [
    'Le Havre',
    'Saint-Étienne',
    'Pointe-à-Pitre',
    "L'Haÿ-les-Roses",
    'L’Isle-Adam',
    'Paris 15e Arrondissement',
    'Saint-Denis (La Réunion)',
    'St. Louis',
    'Washington, D.C.',
    '1er Arrondissement',
  ]) {
    t.notOk(errorsOf({ birthCity: city }).birthCity, city)
  }
  t.same(errorsOf({ birthCity: 'Lyon "x"' }), { birthCity: { key: 'candidates.birth_city.invalid_char', params: { char: '"' } } })
  t.same(errorsOf({ birthCity: '=1+1' }), { birthCity: { key: 'candidates.birth_city.invalid_char', params: { char: '=' } } })
  t.same(errorsOf({ birthCity: '-Lyon' }), { birthCity: { key: 'candidates.birth_city.invalid_start' } })
  t.same(errorsOf({ birthCity: '(Lyon)' }), { birthCity: { key: 'candidates.birth_city.invalid_start' } })
  t.same(errorsOf({ birthCity: 'Lyon@' }), { birthCity: { key: 'candidates.birth_city.invalid_char', params: { char: '@' } } })
})

t.test('accessibility: the box or the sheet’s cell (oui, oui : detail, x, empty); anything else refused', async (t) => {
  const { readAccessibility, accessibilityCell } = await import('../../../src/features/candidates/candidate-rules.ts')
  t.same(readAccessibility('', ''), { needed: false, note: '' })
  t.same(readAccessibility('Oui', ''), { needed: true, note: '' })
  t.same(readAccessibility(' OUI. ', ''), { needed: true, note: '' })
  t.same(readAccessibility('x', ''), { needed: true, note: '' })
  t.same(readAccessibility('non', ''), { needed: false, note: '' })
  t.same(readAccessibility('oui : fauteuil  roulant', ''), { needed: true, note: 'fauteuil roulant' })
  t.same(readAccessibility('Oui - loupe', ''), { needed: true, note: 'loupe' })
  t.same(readAccessibility('peut-être', ''), { needed: null, note: '' })
  t.same(readAccessibility('fauteuil', ''), { needed: null, note: '' })
  t.equal(accessibilityCell({ accessibility_needed: 1, accessibility_note: 'loupe' }), 'oui : loupe')
  t.equal(accessibilityCell({ accessibility_needed: 1, accessibility_note: null }), 'oui')
  t.equal(accessibilityCell({ accessibility_needed: 0, accessibility_note: null }), '')
  t.same(readAccessibility(accessibilityCell({ accessibility_needed: 1, accessibility_note: 'a : b' }), ''), { needed: true, note: 'a : b' }, 'round trip')
  t.match(errorsOf({ accessibilityNeeded: 'peut-être' }), { accessibilityNeeded: { key: 'candidates.accessibility.invalid', params: { value: 'peut-être' } } })
  t.match(errorsOf({ accessibilityNeeded: `oui : ${'a'.repeat(201)}` }), { accessibilityNote: { key: 'candidates.too_long' } })
  t.same(errorsOf({ accessibilityNeeded: 'oui', accessibilityNote: 'ok' }), {})
  const result = validateCandidate({ ...input, accessibilityNeeded: 'oui : loupe' }, today)
  t.match(result.ok && result.value, { accessibilityNeeded: true, accessibilityNote: 'loupe' })
  t.notOk(result.ok && 'convocationLanguage' in result.value, 'an import leaves the language to the default')
})

t.test('accommodation approval: who (one line, 100 characters) and when (jj/mm/aaaa, not in the future), only with extra time or a need', async (t) => {
  const withExtra = { extraTime: '33' }
  const result = validateCandidate({ ...input, ...withExtra, accommodationApprovedBy: '  Mme   Martin ', accommodationApprovedOn: '2/9/2026' }, today)
  t.match(result.ok && result.value, { extraTimePercentage: 33, accommodationApprovedBy: 'Mme Martin', accommodationApprovedOn: '2026-09-02' })
  const cell = validateCandidate({ ...input, accessibilityNeeded: 'oui', accommodationApprovedOn: { y: 2026, m: 9, d: 2 } }, today)
  t.match(cell.ok && cell.value, { accommodationApprovedBy: null, accommodationApprovedOn: '2026-09-02' }, 'a date cell of the sheet')
  const none = validateCandidate(input, today)
  t.match(none.ok && none.value, { accommodationApprovedBy: null, accommodationApprovedOn: null }, 'both optional')
  t.same(errorsOf({ ...withExtra, accommodationApprovedBy: 'é'.repeat(100) }), {})
  t.match(errorsOf({ ...withExtra, accommodationApprovedBy: 'é'.repeat(101) }), {
    accommodationApprovedBy: { key: 'candidates.too_long', params: { max: 100 } },
  })
  t.match(errorsOf({ ...withExtra, accommodationApprovedBy: 'Mme\tMartin' }), { accommodationApprovedBy: { key: 'form.control_character' } })
  t.match(errorsOf({ ...withExtra, accommodationApprovedBy: 'Mme\u0007Martin' }), { accommodationApprovedBy: { key: 'form.control_character' } })
  t.match(errorsOf({ ...withExtra, accommodationApprovedOn: '31/02/2026' }), {
    accommodationApprovedOn: { key: 'candidates.accommodation_approved_on.invalid', params: { value: '31/02/2026' } },
  })
  t.match(errorsOf({ ...withExtra, accommodationApprovedOn: 'hier' }), { accommodationApprovedOn: { key: 'candidates.accommodation_approved_on.invalid' } })
  t.match(errorsOf({ ...withExtra, accommodationApprovedOn: '27/11/2026' }), {
    accommodationApprovedOn: { key: 'candidates.accommodation_approved_on.future' },
  })
  t.same(errorsOf({ ...withExtra, accommodationApprovedOn: '26/11/2026' }), {}, 'today is fine')
  t.same(errorsOf({ accommodationApprovedBy: 'Mme Martin', accommodationApprovedOn: '02/09/2026' }), {
    accommodationApprovedBy: { key: 'candidates.accommodation.without_accommodation' },
    accommodationApprovedOn: { key: 'candidates.accommodation.without_accommodation' },
  })
  t.same(
    Object.keys(errorsOf({ extraTime: 'beaucoup', accommodationApprovedBy: 'Mme Martin' })),
    ['extraTime'],
    'an invalid extra time has its own message only',
  )
  t.same(Object.keys(errorsOf({ accessibilityNeeded: 'peut-être', accommodationApprovedBy: 'Mme Martin' })), ['accessibilityNeeded'])
})
