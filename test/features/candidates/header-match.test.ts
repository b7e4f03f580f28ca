import t from 'tap'
import { batchHeaderRules } from '../../../src/features/batch-import/columns.ts'
import { mapHeader } from '../../../src/features/batch-import/plan.ts'
import { isComplementaryTitle, matchHeader, missingTitlesText, titleKey } from '../../../src/features/candidates/header-match.ts'
import { candidateHeaderRules } from '../../../src/features/candidates/ods/sheet-layout.ts'
import { t as tr } from '../../../src/i18n/index.ts'

/** Pix Certif's "Créer/éditer plusieurs sessions" CSV template (PIX-TODAY.md § 3), with two habilitations. */
const PIX_CSV_HEADER = [
  'Numéro de session préexistante',
  '* Nom du site',
  '* Nom de la salle',
  '* Date de début (format: JJ/MM/AAAA)',
  '* Heure de début (heure locale format: HH:MM)',
  '* Surveillant(s)',
  'Observations (optionnel)',
  '* Nom de naissance',
  '* Prénom',
  '* Date de naissance (format: JJ/MM/AAAA)',
  '* Sexe (M ou F)',
  'Code INSEE de la commune de naissance',
  'Code postal de la commune de naissance',
  'Nom de la commune de naissance',
  '* Pays de naissance',
  'E-mail du destinataire des résultats (formateur, enseignant…)',
  'E-mail de convocation',
  'Identifiant externe',
  'Temps majoré ? (exemple format: 33%)',
  '* Tarification part Pix (Gratuite, Prépayée ou Payante)',
  'Code de prépaiement (si Tarification part Pix Prépayée)',
  "CléA Numérique ('oui' ou laisser vide)",
  "Pix+ Droit ('oui' ou laisser vide)",
]

/** Pix Certif's candidate sheet (PIX-TODAY.md § 4): short birthplace titles, "(oui ou laisser vide)" habilitations. */
const PIX_SHEET_HEADER = [
  '* Nom de naissance',
  '* Prénom',
  '* Sexe (M ou F)',
  '* Date de naissance (format : jj/mm/aaaa)',
  'Code Insee',
  'Code postal',
  'Nom de la commune',
  '* Pays',
  'E-mail du destinataire des résultats (formateur, enseignant…)',
  'E-mail de convocation',
  'Identifiant local',
  'Temps majoré ?',
  'CléA Numérique("oui" ou laisser vide)',
  'Tarification part Pix',
  'Code de prépaiement',
]

t.test('titles compare without "*", case, accents, punctuation or parenthesised hints', async (t) => {
  t.equal(titleKey('* Temps majoré ? (exemple format: 33%)'), titleKey('TEMPS MAJORE'))
  t.equal(titleKey('* Date de début (format: JJ/MM/AAAA)'), titleKey('Date de début (format : jj/mm/aaaa)'))
  t.equal(titleKey('  E-mail  de convocation '), titleKey('e mail de convocation'))
  t.ok(isComplementaryTitle("CléA Numérique ('oui' ou laisser vide)"))
  t.ok(isComplementaryTitle('Pix+ Édu 1er degré("oui" ou laisser vide)'))
  t.notOk(isComplementaryTitle('Temps majoré ?'))
})

t.test('the batch import reads Pix’s CSV titles, names what it does not use, and knows a Pix file', async (t) => {
  const match = matchHeader(PIX_CSV_HEADER, batchHeaderRules())
  t.same(match.missing, [], 'nothing missing')
  t.equal(match.columns.get('birthInseeCode'), 11)
  t.equal(match.columns.get('birthPostalCode'), 12)
  t.equal(match.columns.get('birthCity'), 13)
  t.equal(match.columns.get('birthCountry'), 14)
  t.equal(match.columns.get('email'), 16)
  t.equal(match.columns.get('externalId'), 17)
  t.equal(match.columns.get('extraTime'), 18)
  t.equal(match.columns.get('date'), 3)
  t.notOk(match.columns.has('birthDepartment'))
  t.same(match.ignored, [
    '* Sexe (M ou F)',
    'E-mail du destinataire des résultats (formateur, enseignant…)',
    '* Tarification part Pix (Gratuite, Prépayée ou Payante)',
    'Code de prépaiement (si Tarification part Pix Prépayée)',
    "CléA Numérique ('oui' ou laisser vide)",
    "Pix+ Droit ('oui' ou laisser vide)",
  ])
  t.ok(match.fromPix)
})

t.test('any order: the columns are found where they are', async (t) => {
  const reversed = [...PIX_CSV_HEADER].reverse()
  const match = matchHeader(reversed, batchHeaderRules())
  t.same(match.missing, [])
  t.equal(match.columns.get('lastName'), reversed.indexOf('* Nom de naissance'))
  t.equal(match.columns.get('sessionNumber'), reversed.length - 1)
})

t.test('our own titles still match, and nothing of ours is called ignored', async (t) => {
  const { templateTitles } = await import('../../../src/features/batch-import/columns.ts')
  const ours = matchHeader(templateTitles(), batchHeaderRules())
  t.same(ours.missing, [])
  t.same(ours.ignored, [])
  t.notOk(ours.fromPix)
  const sheet = matchHeader(
    [
      'N°',
      'Nom de naissance',
      'Prénom',
      'Date de naissance (format : jj/mm/aaaa)',
      'Commune de naissance',
      'Code du département de naissance',
      'Pays de naissance',
      'Adresse e-mail de convocation',
      'Identifiant local',
      'Temps majoré ?',
      'Signature',
      'Ecran de fin de test vu (cocher)',
      'Mes notes',
    ],
    candidateHeaderRules(),
  )
  t.same(sheet.missing, [])
  t.same(sheet.ignored, ['Mes notes'], 'row number, signature and end screen are ours; a column of the user’s own is named')
})

t.test('the candidate sheet reads Pix’s short titles (Code Insee, Code postal, Nom de la commune, Pays)', async (t) => {
  const match = matchHeader(PIX_SHEET_HEADER, candidateHeaderRules())
  t.same(match.missing, [])
  t.equal(match.columns.get('birthInseeCode'), 4)
  t.equal(match.columns.get('birthPostalCode'), 5)
  t.equal(match.columns.get('birthCity'), 6)
  t.equal(match.columns.get('birthCountry'), 7)
  t.equal(match.columns.get('externalId'), 10)
  t.same(match.ignored, [
    '* Sexe (M ou F)',
    'E-mail du destinataire des résultats (formateur, enseignant…)',
    'CléA Numérique("oui" ou laisser vide)',
    'Tarification part Pix',
    'Code de prépaiement',
  ])
})

t.test('a missing title is named with every title accepted for it; a Pix file is told so', async (t) => {
  const withoutCountry = matchHeader(
    PIX_CSV_HEADER.filter((h) => h !== '* Pays de naissance'),
    batchHeaderRules(),
  )
  t.equal(withoutCountry.missing.length, 1)
  t.equal(missingTitlesText(withoutCountry.missing), '« * Pays de naissance » / « * Pays »')
  const refusal = mapHeader(PIX_CSV_HEADER.filter((h) => !h.startsWith('Code INSEE') && !h.startsWith('Code postal')))
  t.match(refusal, { refused: { key: 'batch.file.pix_missing_columns' } })
  if (!refusal.ok) {
    const text = tr(refusal.refused)
    t.ok(text.startsWith('Ce fichier semble venir de Pix Certif'), text)
    t.ok(text.includes('« * Code du département de naissance » / « Code INSEE de la commune de naissance » / « Code Insee »'), 'ours, then Pix’s')
    t.ok(text.includes('« Code INSEE de la commune de naissance »') && text.includes('« Code postal »'), 'Pix’s')
    t.notOk(text.includes('altéré'))
  }
  const ours = mapHeader(['Numéro de session préexistante', '* Nom du site', '* Prénom'])
  t.match(ours, { refused: { key: 'batch.file.missing_columns' } }, 'not a Pix file: our own message')
})
