import t from 'tap'
import { t as translate } from '../../../src/i18n/index.ts'
import {
  emptySessionForm,
  inputTypes,
  parseSessionDate,
  type SessionFormValues,
  validateSessionForm,
  valuesForRedisplay,
  valuesFromSession,
} from '../../../src/features/sessions/session-form.ts'
import { SESSION_INPUT } from '../../factories.ts'

const valid: SessionFormValues = {
  siteName: 'Centre Testix',
  room: '45',
  date: '2021-01-12',
  startTime: '10:00',
  invigilators: 'Eric Martin',
  observations: '',
  testDuration: '105',
}

function errorsOf(values: SessionFormValues) {
  const result = validateSessionForm(values)
  return result.ok ? {} : result.errors
}

function inputOf(values: SessionFormValues) {
  const result = validateSessionForm(values)
  return result.ok ? result.value : null
}

function messages(values: Partial<SessionFormValues>) {
  const errors = errorsOf({ ...valid, ...values })
  return Object.fromEntries(Object.entries(errors).map(([field, m]) => [field, translate(m)]))
}

t.test('a complete form gives the session to store', async (t) => {
  t.same(validateSessionForm(valid), { ok: true, value: SESSION_INPUT }, 'the session the services are tested with (test/factories.ts)')
  t.equal(inputOf({ ...valid, observations: 'Salle au 2e étage' })?.observations, 'Salle au 2e étage')
})

t.test('each required field has Pix’s message', async (t) => {
  t.same(messages(emptySessionForm), {
    siteName: 'Veuillez indiquer un nom de site.',
    room: 'Veuillez indiquer un nom de salle.',
    date: 'Veuillez indiquer une date de début (valide).',
    startTime: 'Veuillez indiquer une heure de début (valide).',
    invigilators: 'Veuillez indiquer un(e) surveillant(e).',
  })
  t.equal(inputOf(emptySessionForm), null)
})

t.test('dates: ISO from the native input or jj/mm/aaaa typed by hand, real dates only', async (t) => {
  for (const [typed, stored] of [
    ['2021-01-12', '2021-01-12'],
    ['12/01/2021', '2021-01-12'],
    ['1/2/2026', '2026-02-01'],
    ['29/02/2028', '2028-02-29'],
  ] as const) {
    t.equal(inputOf({ ...valid, date: typed })?.date, stored, typed)
  }
  for (const typed of ['31/02/2026', '29/02/2027', '2026-13-01', '00/01/2026', '12/01/26', 'demain', '12-01-2021x', '0202-01-12', '12/01/2150']) {
    t.same(messages({ date: typed }), { date: 'Veuillez indiquer une date de début (valide).' }, typed)
  }
  t.equal(parseSessionDate('31/12/2099'), '2099-12-31')
  t.equal(parseSessionDate('01/01/2000'), '2000-01-01')
  t.equal(parseSessionDate('31/12/1999'), null)
})

t.test('times: a real HH:MM, 00–23 and 00–59', async (t) => {
  for (const [typed, stored] of [
    ['10:00', '10:00'],
    ['9:05', '09:05'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
    ['14h30', '14:30'],
  ] as const) {
    t.equal(inputOf({ ...valid, startTime: typed })?.startTime, stored, typed)
  }
  for (const typed of ['24:00', '23:60', '10', '10:5', '1000', '-1:00', 'midi']) {
    t.same(messages({ startTime: typed }), { startTime: 'Veuillez indiquer une heure de début (valide).' }, typed)
  }
})

t.test('lengths: 255 for site, room and invigilators, 350 for observations', async (t) => {
  t.same(messages({ siteName: 'a'.repeat(255), room: 'b'.repeat(255), invigilators: 'c'.repeat(255), observations: 'd'.repeat(350) }), {})
  t.same(messages({ siteName: 'a'.repeat(256), room: 'b'.repeat(256), invigilators: 'c'.repeat(256), observations: 'd'.repeat(351) }), {
    siteName: 'Le nom du site ne doit pas dépasser 255 caractères.',
    room: 'Le nom de la salle ne doit pas dépasser 255 caractères.',
    invigilators: 'Le nom du ou des surveillant(s) ne doit pas dépasser 255 caractères.',
    observations: 'Les observations ne doivent pas dépasser 350 caractères.',
  })
})

t.test('after an error, understood dates and times go back in the native inputs’ format', async (t) => {
  const shown = valuesForRedisplay({ ...emptySessionForm, date: '12/01/2021', startTime: '9h05' })
  t.equal(shown.date, '2021-01-12')
  t.equal(shown.startTime, '09:05')
  t.same(inputTypes(shown), { date: 'date', startTime: 'time' })
  const wrong = valuesForRedisplay({ ...emptySessionForm, date: '31/02/2026', startTime: '24:00' })
  t.equal(wrong.date, '31/02/2026', 'kept as typed')
  t.equal(wrong.startTime, '24:00')
  t.same(inputTypes(wrong), { date: 'text', startTime: 'text' }, 'shown in text inputs, where the person sees them')
  t.same(inputTypes(emptySessionForm), { date: 'date', startTime: 'time' })
})

t.test('the edit form is prefilled from the stored session', async (t) => {
  t.same(
    valuesFromSession({
      site_name: 'Centre Testix',
      room: '45',
      date: '2021-01-12',
      start_time: '10:00',
      invigilators: 'Eric Martin',
      observations: null,
      test_duration_minutes: 105,
    }),
    valid,
  )
})

t.test('test duration: whole minutes 1–600, 105 when left empty', async (t) => {
  t.equal(inputOf({ ...valid, testDuration: '' })?.testDuration, 105)
  t.equal(inputOf({ ...valid, testDuration: '60' })?.testDuration, 60)
  for (const wrong of ['0', '601', '1.5', 'abc', '-5']) {
    t.equal(errorsOf({ ...valid, testDuration: wrong }).testDuration?.key, 'sessions.test_duration.invalid', wrong)
  }
})

t.test('control characters are refused in every session field, with the message of every text field', async (t) => {
  for (const [field, value, shown] of [
    ['siteName', 'Centre\u0000Testix', 'U+0000'],
    ['room', '4\u001b5', 'U+001B'],
    ['invigilators', 'Eric\u0007 Martin', 'U+0007'],
    ['observations', 'Salle\u007f au 2e', 'U+007F'],
    ['observations', 'Salle \u009b', 'U+009B'],
    ['date', '2021-01-12\u0000', 'U+0000'],
    ['startTime', '10:00\u000b', 'U+000B'],
  ] as const) {
    t.same(
      validateSessionForm({ ...valid, [field]: value }),
      { ok: false, reason: 'invalid', errors: { [field]: { key: 'form.control_character', params: { char: shown } } } },
      `${field}: ${JSON.stringify(value)}`,
    )
  }
  t.same(errorsOf({ ...valid, observations: 'Ligne 1\r\nLigne 2\tfin' }), {}, 'line breaks and tabs are text in the observations (a text area)')
  t.equal(inputOf({ ...valid, observations: 'Ligne 1\r\nLigne 2\tfin' })?.observations, 'Ligne 1\r\nLigne 2\tfin')
})

t.test('one-line fields refuse tabs and line breaks, with the same message (issue 23, item 9)', async (t) => {
  for (const [field, value, shown] of [
    ['siteName', 'Lycée Testix\nhttps://faux.example', 'U+000A'],
    ['room', 'Salle\t45', 'U+0009'],
    ['invigilators', 'Eric Martin\r\nPaul Durand', 'U+000D'],
    ['room', 'Salle\u2028B', 'U+2028'],
    ['date', '2021-01-12\n', 'U+000A'],
    ['startTime', '10:00\t', 'U+0009'],
    ['testDuration', '105\n', 'U+000A'],
  ] as const) {
    t.same(
      validateSessionForm({ ...valid, [field]: value }),
      { ok: false, reason: 'invalid', errors: { [field]: { key: 'form.control_character', params: { char: shown } } } },
      `${field}: ${shown} refused`,
    )
  }
})
