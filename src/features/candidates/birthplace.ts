import { createRequire } from 'node:module'
import { type Msg, msg } from '../../i18n/index.ts'
import type { CandidateInput } from './candidate-rules.ts'
import { INSEE_COUNTRIES } from './insee-countries.ts'
import { findCountry, placeKey } from './places.ts'

/**
 * The birthplace by code, as Pix Certif's files give it: born in France, the commune's INSEE code
 * or its postal code (with the commune's name when several communes share it); born abroad, the
 * INSEE code of the country (99xxx), or 99 with the country's name. The commune and its
 * département come from the data we ship (@etalab/decoupage-administratif: current communes,
 * municipal arrondissements, delegated and associated communes, and the former codes of merged
 * communes); the countries from INSEE's own table (insee-countries.ts).
 */

/** The import columns that carry a birthplace code (Pix's files); our own sheet has neither. */
export const BIRTH_CODE_FIELDS = ['birthInseeCode', 'birthPostalCode'] as const
export type BirthCodeField = (typeof BIRTH_CODE_FIELDS)[number]

/** What a row gives about the birthplace: the codes (absent when the file has no such column) and the names. */
export interface BirthplaceInput {
  inseeCode?: string
  postalCode?: string
  city: string
  department: string
  country: string
}

/** The birthplace as our rules read it (commune, département code, country), or the code's problem and its column. */
export type BirthplaceResolution = { ok: true; city: string; department: string; country: string } | { ok: false; field: BirthCodeField; message: Msg }

interface Place {
  name: string
  department: string
  /** The postal codes of the place (a delegated commune: those of the commune it belongs to). */
  postalCodes: readonly string[]
  /** Keys of the names a person may write for it: its own, and the current commune's (a merged commune, an arrondissement). */
  keys: ReadonlySet<string>
  /** A former code of a merged commune, whose old name the data does not keep: the name typed cannot be checked. */
  former?: true
}

interface RawCommune {
  code: string
  nom: string
  type: string
  departement?: string
  codesPostaux?: string[]
  anciensCodes?: string[]
  chefLieu?: string
  commune?: string
}

/** "Paris 15e Arrondissement", "Marseille 13" → "paris": the key and the key without the arrondissement. */
function nameKeys(name: string): string[] {
  const key = placeKey(name)
  return [key, key.replace(/\s+\d{1,2}\s*(e|er|eme)?(\s+arrondissement)?$/, '')]
}

let index: { byCode: Map<string, Place>; byPostalCode: Map<string, Place[]> } | null = null

function loadIndex(): NonNullable<typeof index> {
  if (index) return index
  // the same file places.ts reads (one copy in the require cache), loaded with the first import that needs it
  const all = createRequire(import.meta.url)('@etalab/decoupage-administratif/data/communes.json') as RawCommune[]
  const current = new Map(all.filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, c]))
  const byCode = new Map<string, Place>()
  const byPostalCode = new Map<string, Place[]>()
  const place = (c: RawCommune, owner: RawCommune | undefined): Place => ({
    name: c.nom,
    department: c.departement ?? owner?.departement ?? '',
    postalCodes: c.codesPostaux ?? owner?.codesPostaux ?? [],
    keys: new Set([...nameKeys(c.nom), ...(owner ? nameKeys(owner.nom) : [])]),
  })
  const delegated = new Map<string, RawCommune[]>()
  for (const c of all) {
    if (c.type !== 'commune-deleguee' && c.type !== 'commune-associee') continue
    if (c.chefLieu) delegated.set(c.chefLieu, [...(delegated.get(c.chefLieu) ?? []), c])
  }
  for (const c of current.values()) {
    // A commune's own place also answers to the names of its delegated and associated communes.
    const own = place(c, undefined)
    const keys = new Set([...own.keys, ...(delegated.get(c.code) ?? []).flatMap((d) => nameKeys(d.nom))])
    const entry = { ...own, keys }
    byCode.set(c.code, entry)
    for (const postalCode of c.codesPostaux ?? []) byPostalCode.set(postalCode, [...(byPostalCode.get(postalCode) ?? []), entry])
  }
  for (const c of all) {
    if (c.type !== 'arrondissement-municipal') continue
    const entry = place(c, c.commune ? current.get(c.commune) : undefined)
    byCode.set(c.code, entry)
    for (const postalCode of c.codesPostaux ?? []) byPostalCode.set(postalCode, [...(byPostalCode.get(postalCode) ?? []), entry])
  }
  // Delegated and associated communes keep their own code (Seynod is 74268, now part of Annecy).
  for (const c of all) {
    if ((c.type === 'commune-deleguee' || c.type === 'commune-associee') && !byCode.has(c.code)) byCode.set(c.code, place(c, current.get(c.chefLieu ?? '')))
  }
  // The former codes of merged communes lead to the commune they joined.
  for (const c of current.values()) for (const old of c.anciensCodes ?? []) if (!byCode.has(old)) byCode.set(old, { ...byCode.get(c.code)!, former: true })
  index = { byCode, byPostalCode }
  return index
}

/** Digits as people and spreadsheets write them: spaces dropped, a leading zero a number cell lost put back (1004 → 01004). */
function normaliseCode(value: string): string {
  const code = value.replace(/[\s.]+/g, '').toUpperCase()
  return /^\d{4}$/.test(code) ? `0${code}` : code
}

const matchesName = (place: Place, city: string) => nameKeys(city).some((key) => place.keys.has(key))
const communeList = (places: readonly Place[]) => {
  const names = [...new Set(places.map((p) => p.name))]
  return names.length > 6 ? `${names.slice(0, 6).join(', ')}…` : names.join(', ')
}

/**
 * The birthplace from the codes of a row, or null when the row gives no code column at all (our
 * own sheet: the commune, département and country are read as typed). Checks that the code, the
 * commune's name, the postal code and the country tell the same story.
 */
export function resolveBirthplace(input: BirthplaceInput): BirthplaceResolution | null {
  if (input.inseeCode === undefined && input.postalCode === undefined) return null
  const inseeCode = normaliseCode(input.inseeCode ?? '')
  const postalCode = normaliseCode(input.postalCode ?? '')
  const city = input.city.trim()
  const department = input.department.trim()
  const country = input.country.trim()
  const fail = (field: BirthCodeField, message: Msg): BirthplaceResolution => ({ ok: false, field, message })

  if (!inseeCode && !postalCode) {
    // A file with the code columns, and a département typed in ours: nothing to resolve.
    if (department) return null
    return fail('birthInseeCode', msg('candidates.birth_code.required'))
  }

  // Born abroad: 99 with the country's name, or the country's own code 99xxx.
  if (/^99\d{3}$/.test(inseeCode) || inseeCode === '99') {
    if (postalCode) return fail('birthPostalCode', msg('candidates.birth_code.abroad_postal'))
    if (inseeCode === '99') {
      if (!country) return fail('birthInseeCode', msg('candidates.birth_code.abroad_country'))
      return { ok: true, city, department: '99', country }
    }
    const name = INSEE_COUNTRIES[inseeCode]
    if (!name) return fail('birthInseeCode', msg('candidates.birth_code.insee_unknown', { code: inseeCode }))
    const official = findCountry(name) ?? name
    if (country && findCountry(country) !== official)
      return fail('birthInseeCode', msg('candidates.birth_code.country_mismatch', { code: inseeCode, country: official, given: country }))
    return { ok: true, city, department: '99', country: official }
  }

  const { byCode, byPostalCode } = loadIndex()
  let found: Place
  if (inseeCode) {
    const place = /^(\d{5}|2[AB]\d{3})$/.test(inseeCode) ? byCode.get(inseeCode) : undefined
    if (!place) return fail('birthInseeCode', msg('candidates.birth_code.insee_unknown', { code: inseeCode }))
    if (city && !place.former && !matchesName(place, city))
      return fail('birthInseeCode', msg('candidates.birth_code.insee_city_mismatch', { code: inseeCode, commune: place.name, city }))
    if (postalCode && !place.postalCodes.includes(postalCode))
      return fail('birthPostalCode', msg('candidates.birth_code.insee_postal_mismatch', { code: inseeCode, postal: postalCode, commune: place.name }))
    found = place
  } else {
    const places = /^\d{5}$/.test(postalCode) ? (byPostalCode.get(postalCode) ?? []) : []
    if (!places.length) return fail('birthPostalCode', msg('candidates.birth_code.postal_unknown', { code: postalCode }))
    const named = city ? places.filter((p) => matchesName(p, city)) : places
    if (!named.length)
      return fail('birthPostalCode', msg('candidates.birth_code.postal_city_mismatch', { code: postalCode, city, communes: communeList(places) }))
    // Paris 75015 is both Paris and its 15th arrondissement: one commune, one département.
    const departments = new Set(named.map((p) => p.department))
    const communes = new Set(named.map((p) => nameKeys(p.name)[1]))
    if (departments.size > 1 || (!city && communes.size > 1))
      return fail('birthPostalCode', msg('candidates.birth_code.postal_ambiguous', { code: postalCode, communes: communeList(named) }))
    found = named[0]!
  }
  if (department && department.replace(/^0?(\d)$/, '0$1').toUpperCase() !== found.department)
    return fail(
      inseeCode ? 'birthInseeCode' : 'birthPostalCode',
      msg('candidates.birth_code.department_mismatch', { commune: found.name, department: found.department, given: department }),
    )
  return { ok: true, city: city || found.name, department: found.department, country: country || 'France' }
}

/** The row's values with the birthplace resolved from its codes, or the problem with its column. */
export function withBirthplace(
  values: CandidateInput,
  codes: Partial<Record<BirthCodeField, string>>,
): { ok: true; values: CandidateInput; codeField?: BirthCodeField } | { ok: false; field: BirthCodeField; message: Msg } {
  const resolved = resolveBirthplace({
    inseeCode: codes.birthInseeCode,
    postalCode: codes.birthPostalCode,
    city: values.birthCity,
    department: values.birthDepartment,
    country: values.birthCountry,
  })
  if (!resolved) return { ok: true, values }
  if (!resolved.ok) return resolved
  // The column the birthplace came from: the rules' messages about it (born abroad in France…) are reported there.
  const codeField: BirthCodeField = codes.birthInseeCode?.trim() ? 'birthInseeCode' : 'birthPostalCode'
  return { ok: true, values: { ...values, birthCity: resolved.city, birthDepartment: resolved.department, birthCountry: resolved.country }, codeField }
}
