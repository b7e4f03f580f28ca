import { createRequire } from 'node:module'
import type Countries from 'i18n-iso-countries'
import { foldText } from '../../lib/text.ts'

/**
 * Place names as people type them: compared without accents, case, hyphens, apostrophes or
 * extra spaces ("saint etienne" = "Saint-Étienne"), "St"/"Ste" read as "Saint"/"Sainte".
 * A rule of its own, not the person-name key: it looks names up in reference data (communes,
 * countries) where "St-Étienne" is the usual way to write "Saint-Étienne", and it keeps words
 * apart, which the lookups need ("Paris 15e" → "paris", the aliases such as "cote d ivoire").
 */
export function placeKey(name: string): string {
  return foldText(name)
    .replace(/[-'’‘`´_.,()]/g, ' ')
    .replace(/\bste\b/g, 'sainte')
    .replace(/\bst\b/g, 'saint')
    .replace(/\s+/g, ' ')
    .trim()
}

const require = createRequire(import.meta.url)

// Names people use that are not the ISO French name.
const COUNTRY_ALIASES: Record<string, string> = {
  'etats unis': 'US',
  usa: 'US',
  'grande bretagne': 'GB',
  angleterre: 'GB',
  ecosse: 'GB',
  'pays de galles': 'GB',
  coree: 'KR',
  'republique tcheque': 'CZ',
  hollande: 'NL',
  birmanie: 'MM',
  'cote d ivoire': 'CI',
  congo: 'CG',
  'rd congo': 'CD',
  rdc: 'CD',
}

let countryIndex: Map<string, string> | null = null

/** French name (all the names i18n-iso-countries knows) → the usual French name. */
function loadCountries(): Map<string, string> {
  if (countryIndex) return countryIndex
  // loaded with its first use (see src/lib/lazy-modules.ts): an idle server does not hold it
  const countries = require('i18n-iso-countries') as typeof Countries
  countries.registerLocale(require('i18n-iso-countries/langs/fr.json'))
  const index = new Map<string, string>()
  const all = countries.getNames('fr', { select: 'all' }) as Record<string, string[]>
  for (const [code, names] of Object.entries(all)) {
    for (const name of names) index.set(placeKey(name), names[0]!)
    index.set(`#${code}`, names[0]!)
  }
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) if (!index.has(alias)) index.set(alias, index.get(`#${code}`)!)
  countryIndex = index
  return index
}

/** The country's usual French name, or null when the name is not recognised. */
export function findCountry(name: string): string | null {
  const key = placeKey(name)
  if (!key) return null
  return loadCountries().get(key) ?? null
}

let communeIndex: Map<string, Set<string>> | null = null

interface Commune {
  nom: string
  departement?: string
}

/** Department code → keys of its communes (current, delegated and former associated ones). */
function loadCommunes(): Map<string, Set<string>> {
  if (communeIndex) return communeIndex
  const index = new Map<string, Set<string>>()
  const all = require('@etalab/decoupage-administratif/data/communes.json') as Commune[]
  for (const commune of all) {
    if (!commune.departement) continue
    let names = index.get(commune.departement)
    if (!names) index.set(commune.departement, (names = new Set()))
    names.add(placeKey(commune.nom))
  }
  communeIndex = index
  return index
}

/**
 * Whether the commune is known in that department; null when we cannot tell (born abroad,
 * or a department the reference data does not list).
 */
export function isKnownCommune(name: string, departmentCode: string): boolean | null {
  const names = loadCommunes().get(departmentCode)
  if (!names) return null
  const key = placeKey(name)
  if (names.has(key)) return true
  // "Paris 15e", "Lyon 3e arrondissement", "Marseille 13" → the commune itself.
  const withoutArrondissement = key.replace(/\s+\d{1,2}\s*(e|er|eme|ème)?(\s+arrondissement)?$/, '')
  return names.has(withoutArrondissement)
}
