import { foldText } from '../../lib/text.ts'

/**
 * The one header matcher of both importers (the candidate sheet, and "Créer/éditer plusieurs
 * sessions" in .csv and .ods): a header row's cells are compared with the titles accepted for each
 * column — ours (every language) and those of Pix Certif's templates — in any order, without "*",
 * case, accents, punctuation or parenthesised hints. What is not read is named, never dropped
 * silently.
 */

/** Titles compared without accents, case, punctuation, spaces or hints ("* Temps majoré ? (exemple format: 33%)" = "temps majore"). */
export function titleKey(title: string): string {
  return foldText(title)
    .replace(/\(.*?\)/g, '')
    .replace(/[^a-z0-9]+/g, '')
}

export interface HeaderColumn<F extends string> {
  field: F
  /** The titles accepted, as shown in messages: ours first (the one our template writes), then Pix Certif's. */
  titles: readonly string[]
  /** Titles accepted too, not listed in messages (those of our English sheet). */
  alsoAccepted?: readonly string[]
}

export interface HeaderRules<F extends string> {
  columns: ReadonlyArray<HeaderColumn<F>>
  /** What must be found; one field of an entry is enough (the birthplace: a département code, an INSEE code or a postal code). */
  required: ReadonlyArray<readonly F[]>
  /** Titles of our own sheet that are not data (row number, signature…): never named as ignored. */
  unused?: readonly string[]
}

export interface HeaderMatch<F extends string> {
  /** Field → index of its column (the first column with an accepted title). */
  columns: Map<F, number>
  /** The titles of the filled header cells that are not read, as the file writes them. */
  ignored: string[]
  /** The required entries not found, each with every title accepted for it. */
  missing: string[][]
  /** The row has titles only Pix Certif's files have (sex, billing, INSEE code, complementary certifications…). */
  fromPix: boolean
}

/**
 * Pix Certif's titles, per field (its "Créer/éditer plusieurs sessions" CSV template and its
 * candidate sheet, 2024–2026, as PIX-TODAY.md lists them), accepted beside ours.
 */
export const PIX_TITLES: Readonly<Record<string, readonly string[]>> = {
  sessionNumber: ['Numéro de session préexistante'],
  siteName: ['* Nom du site'],
  room: ['* Nom de la salle'],
  date: ['* Date de début (format: JJ/MM/AAAA)'],
  startTime: ['* Heure de début (heure locale format: HH:MM)'],
  invigilators: ['* Surveillant(s)'],
  observations: ['Observations (optionnel)'],
  lastName: ['* Nom de naissance'],
  firstName: ['* Prénom'],
  birthdate: ['* Date de naissance (format: JJ/MM/AAAA)'],
  birthInseeCode: ['Code INSEE de la commune de naissance', 'Code Insee'],
  birthPostalCode: ['Code postal de la commune de naissance', 'Code postal'],
  birthCity: ['Nom de la commune de naissance', 'Nom de la commune'],
  birthCountry: ['* Pays de naissance', '* Pays'],
  email: ['E-mail de convocation'],
  externalId: ['Identifiant externe', 'Identifiant local'],
  extraTime: ['Temps majoré ? (exemple format: 33%)'],
}

/** The required birthplace entries: a commune (or a code that gives it) and a département (or a code that gives it). */
export const BIRTHPLACE_REQUIRED = [
  ['birthCity', 'birthInseeCode', 'birthPostalCode'],
  ['birthDepartment', 'birthInseeCode', 'birthPostalCode'],
] as const

/** Titles only Pix Certif's templates have (keys): a header with one of them comes from a Pix file. */
const PIX_ONLY = new Set(
  [
    '* Sexe (M ou F)',
    '* Tarification part Pix',
    'Code de prépaiement',
    'E-mail du destinataire des résultats',
    'Adresse e-mail du destinataire des résultats',
    'Code INSEE de la commune de naissance',
    'Code postal de la commune de naissance',
    'Nom de la commune de naissance',
    'Code Insee',
    'Code postal',
    'Nom de la commune',
    'Identifiant externe',
    'E-mail de convocation',
  ].map(titleKey),
)

/** A complementary certification column of Pix's templates: "CléA Numérique ('oui' ou laisser vide)". */
export function isComplementaryTitle(title: string): boolean {
  return /\(\s*["'“”‘’«»]*\s*oui\s*["'“”‘’«»]*\s*ou laisser vide\s*\)/.test(foldText(title))
}

/** The header row matched against the rules. */
/** The keys of a set of rules, computed once per rules object (the importer matches every row of a sheet against the same rules). */
const compiled = new WeakMap<HeaderRules<string>, { byKey: Map<string, string>; unused: Set<string> }>()
function keysOf<F extends string>(rules: HeaderRules<F>): { byKey: Map<string, F>; unused: Set<string> } {
  let keys = compiled.get(rules)
  if (!keys) {
    const byKey = new Map<string, string>()
    for (const column of rules.columns)
      for (const title of [...column.titles, ...(column.alsoAccepted ?? [])]) if (!byKey.has(titleKey(title))) byKey.set(titleKey(title), column.field)
    keys = { byKey, unused: new Set((rules.unused ?? []).map(titleKey)) }
    compiled.set(rules, keys)
  }
  return keys as { byKey: Map<string, F>; unused: Set<string> }
}

export function matchHeader<F extends string>(cells: readonly string[], rules: HeaderRules<F>): HeaderMatch<F> {
  const { byKey, unused } = keysOf(rules)
  const columns = new Map<F, number>()
  const ignored: string[] = []
  let fromPix = false
  cells.forEach((cell, index) => {
    const title = cell.replace(/\s+/g, ' ').trim()
    const key = titleKey(title)
    if (PIX_ONLY.has(key) || (isComplementaryTitle(title) && !byKey.has(key))) fromPix = true
    const field = byKey.get(key)
    if (field !== undefined && !columns.has(field)) columns.set(field, index)
    else if (title && !(key && unused.has(key))) ignored.push(title)
  })
  const titlesOf = (field: F) => rules.columns.filter((c) => c.field === field).flatMap((c) => c.titles)
  // Each accepted title once ("* Nom de naissance" and "Nom de naissance" are the same title).
  const distinct = (titles: string[]) => titles.filter((title, i) => titles.findIndex((other) => titleKey(other) === titleKey(title)) === i)
  const missing = rules.required.filter((entry) => !entry.some((field) => columns.has(field))).map((entry) => distinct(entry.flatMap(titlesOf)))
  return { columns, ignored, missing, fromPix }
}

/** Each missing entry as its accepted titles, "« A » / « B »", entries apart with ", " (for the header messages). */
export function missingTitlesText(missing: string[][]): string {
  return missing.map((titles) => titles.map((title) => `« ${title} »`).join(' / ')).join(', ')
}

/** "« Sexe (M ou F) », « Tarification part Pix »" for the ignored-columns notice. */
export function quotedTitles(titles: readonly string[]): string {
  return titles.map((title) => `« ${title} »`).join(', ')
}
