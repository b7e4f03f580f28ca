import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { enFeatures } from '../../src/i18n/en/index.ts'
import { frFeatures } from '../../src/i18n/fr/index.ts'
import { asNumber, asTimestamp, hasMessage, localeFromAcceptLanguage, msg, type Plural, translate } from '../../src/i18n/index.ts'

// TypeScript checks the keys given to t() and msg() in src/ (MessageKey); the templates are not
// type-checked, so their literal keys are checked here.
function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.eta') ? [join(dir, e.name)] : [],
  )
}

t.test('every literal key a template translates is in the catalog', async (t) => {
  let checked = 0
  for (const file of templates('views')) {
    const source = readFileSync(file, 'utf8')
    // t('key') or t('key', …), not t('prefix.' + value)
    for (const match of source.matchAll(/\bt\(\s*'([^']+)'\s*[,)]/g)) {
      checked++
      t.ok(hasMessage(match[1]!), `${file}: ${match[1]}`)
    }
  }
  t.ok(checked > 300, `${checked} keys checked`)
})

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort()
/** Everything a catalog entry promises its callers: a string or plural forms, and the {placeholders} of each form. */
function shape(entry: string | Plural): unknown {
  if (typeof entry === 'string') return { text: placeholders(entry) }
  return Object.fromEntries(Object.entries(entry).map(([form, text]) => [form, [...new Set(placeholders(text).filter((p) => p !== 'count'))]]))
}

t.test('the English catalog has every French feature', async (t) => {
  const en = enFeatures as Record<string, Record<string, string | Plural>>
  for (const feature of Object.keys(frFeatures)) t.ok(en[feature], `src/i18n/en/ has the feature ${feature}`)
  for (const feature of Object.keys(en)) t.ok(feature in frFeatures, `English feature ${feature} has a French one`)
})

t.test('English and French: the same keys, placeholders and plural forms', async (t) => {
  const en = enFeatures as Record<string, Record<string, string | Plural>>
  const fr = frFeatures as Record<string, Record<string, string | Plural>>
  for (const [feature, english] of Object.entries(en)) {
    const french = fr[feature] ?? {}
    for (const key of Object.keys(french)) t.ok(key in english, `${feature}: ${key} is in English`)
    for (const key of Object.keys(english)) t.ok(key in french, `${feature}: ${key} is in French too`)
    for (const [key, entry] of Object.entries(english)) {
      if (!(key in french)) continue
      t.same(shape(entry), shape(french[key]!), `${key}: same placeholders and plural forms`)
      t.ok(typeof entry === 'string' ? entry.trim() !== '' : entry.one.trim() !== '' && entry.other.trim() !== '', `${key} is not empty`)
    }
  }
})

t.test('the parity check itself: a missing placeholder or plural form is seen', async (t) => {
  t.notSame(shape('Session {id}'), shape('Session'))
  t.notSame(shape({ one: '1 candidate', other: '{count} candidates' }), shape('{count} candidates'))
  t.notSame(shape({ one: '{name}', other: '{count}' }), shape({ one: '', other: '{count}' }))
  t.notSame(shape({ zero: 'none', one: 'one', other: '{count}' }), shape({ one: 'one', other: '{count}' }))
  t.same(shape({ one: 'One candidate', other: '{count} candidates' }), shape({ one: '1 candidat', other: '{count} candidats' }))
})

t.test('plurals follow each language: French 0 and 1 are singular, English only 1', async (t) => {
  const key = 'form.error_summary'
  t.match(translate('fr', key, { count: 0 }), 'Corrigez l’erreur')
  t.match(translate('fr', key, { count: 1 }), 'Corrigez l’erreur')
  t.match(translate('fr', key, { count: 2 }), 'Corrigez les 2 erreurs')
  if (hasMessage(key, 'en')) {
    t.match(translate('en', key, { count: 1 }), /error/)
    t.notMatch(translate('en', key, { count: 1 }), /errors/)
    t.match(translate('en', key, { count: 0 }), /0 errors/)
  }
})

t.test('Accept-Language picks among French and English', async (t) => {
  t.equal(localeFromAcceptLanguage(undefined), 'fr')
  t.equal(localeFromAcceptLanguage(''), 'fr')
  t.equal(localeFromAcceptLanguage('en-GB,en;q=0.9,fr;q=0.8'), 'en')
  t.equal(localeFromAcceptLanguage('fr-FR,fr;q=0.9,en;q=0.8'), 'fr')
  t.equal(localeFromAcceptLanguage('de-DE,en;q=0.5'), 'en')
  t.equal(localeFromAcceptLanguage('de-DE'), 'fr')
  t.equal(localeFromAcceptLanguage('fr;q=0.3, en;q=0.7'), 'en')
  t.equal(localeFromAcceptLanguage('en;q=0, fr'), 'fr')
  t.equal(localeFromAcceptLanguage('*'), 'fr')
})

t.test('numbers and instants given as parameters are formatted in the language of the page', async (t) => {
  const tooMany = msg('candidates.import.too_many', { max: asNumber(5000) })
  t.equal(translate('fr', tooMany), 'La feuille contient plus de 5\u202f000 candidats. Répartissez-les dans plusieurs sessions.')
  t.equal(translate('en', tooMany), 'The sheet contains more than 5,000 candidates. Spread them over several sessions.')
  const finalised = msg('finalisation.finalised_on', { date: asTimestamp('2021-01-12T13:05:00.000Z') })
  t.match(translate('fr', finalised), 'le 12 janvier 2021 à 14:05.')
  t.match(translate('en', finalised), 'on 12 January 2021 at 14:05.')
  t.equal(translate('en', 'session.title', { id: 12345 }), 'Session 12345', 'a plain number is never grouped')
  t.equal(
    translate('en', 'finalisation.confirm.candidates', { count: asNumber(1) }),
    '1 candidate joined the session.',
    'a formatted count still picks the plural form',
  )
})
