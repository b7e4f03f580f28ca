import t from 'tap'
import { resolveBirthplace, withBirthplace } from '../../../src/features/candidates/birthplace.ts'
import { INSEE_COUNTRIES } from '../../../src/features/candidates/insee-countries.ts'
import { findCountry } from '../../../src/features/candidates/places.ts'
import { t as tr } from '../../../src/i18n/index.ts'

const place = (over: { inseeCode?: string; postalCode?: string; city?: string; department?: string; country?: string }) =>
  resolveBirthplace({ city: '', department: '', country: '', ...over })
/** The resolution as "city|department|country", or "field: message" (French). */
const shown = (over: Parameters<typeof place>[0]) => {
  const r = place(over)
  if (!r) return null
  return r.ok ? `${r.city}|${r.department}|${r.country}` : `${r.field}: ${tr(r.message)}`
}

t.test('an INSEE commune code gives the commune, its département and France', async (t) => {
  t.equal(shown({ inseeCode: '76351' }), 'Le Havre|76|France')
  t.equal(shown({ inseeCode: '76351', city: 'le havre', country: 'France' }), 'le havre|76|France', 'the name as typed, when it is that commune')
  t.equal(shown({ inseeCode: '1053' }), 'Bourg-en-Bresse|01|France', 'a number cell that lost its leading zero')
  t.equal(shown({ inseeCode: '75115', city: 'Paris' }), 'Paris|75|France', 'an arrondissement, written as the city')
  t.equal(shown({ inseeCode: '75056' }), 'Paris|75|France', 'the generic code of Paris')
})

t.test('a postal code shared by several communes is resolved by the commune’s name; without it, a line error', async (t) => {
  t.equal(shown({ postalCode: '01400', city: 'Romans' }), 'Romans|01|France')
  t.equal(shown({ postalCode: '01400', city: 'CHATILLON SUR CHALARONNE' }), 'CHATILLON SUR CHALARONNE|01|France', 'case, accents, hyphens aside')
  const ambiguous = shown({ postalCode: '01400' })
  t.match(ambiguous, /^birthPostalCode: Le code postal « 01400 » est partagé par plusieurs communes \(.*Romans|Châtillon.*\) : indiquez le nom exact/)
  t.match(
    shown({ postalCode: '01400', city: 'Lyon' }),
    /^birthPostalCode: Le code postal « 01400 » ne correspond pas à la commune « Lyon » \(communes de ce code : /,
  )
  t.equal(shown({ postalCode: '75015' }), 'Paris|75|France', 'Paris and its arrondissement are one commune')
  t.equal(shown({ postalCode: '76600' }), 'Le Havre|76|France', 'one commune: no name needed')
})

t.test('a merged commune: its own code and name still resolve, to its département', async (t) => {
  // Seynod (74268) joined Annecy in 2021: a delegated commune keeps its code.
  t.equal(shown({ inseeCode: '74268' }), 'Seynod|74|France')
  t.equal(shown({ inseeCode: '74268', city: 'Annecy' }), 'Annecy|74|France', 'the commune it joined is accepted for the name')
  t.equal(shown({ postalCode: '74600', city: 'Seynod' }), 'Seynod|74|France', 'by postal code and its old name')
  t.equal(shown({ inseeCode: '74011' }), 'Annecy-le-Vieux|74|France', 'another delegated commune of Annecy')
  // A former code the data keeps only in "anciensCodes" (no name): the commune it joined, the name typed kept as is.
  t.equal(shown({ inseeCode: '01126' }), 'Valserhône|01|France')
  t.equal(shown({ inseeCode: '01126', city: 'Ancienne commune' }), 'Ancienne commune|01|France')
})

t.test('Corsica gives 2A/2B, overseas 97x', async (t) => {
  t.equal(shown({ inseeCode: '2A004' }), 'Ajaccio|2A|France')
  t.equal(shown({ inseeCode: '2b033' }), 'Bastia|2B|France', 'lower case typed')
  t.equal(shown({ postalCode: '20000', city: 'Ajaccio' }), 'Ajaccio|2A|France')
  t.equal(shown({ inseeCode: '97411' }), 'Saint-Denis|974|France')
  t.equal(shown({ postalCode: '97200', city: 'Fort-de-France' }), 'Fort-de-France|972|France')
  t.equal(shown({ inseeCode: '97611' }), 'Mamoudzou|976|France')
})

t.test('an INSEE country code (99xxx) means born abroad: département 99 and the country’s name', async (t) => {
  t.equal(shown({ inseeCode: '99132', city: 'Londres' }), 'Londres|99|Royaume-Uni')
  t.equal(shown({ inseeCode: '99109', city: 'Berlin', country: 'allemagne' }), 'Berlin|99|Allemagne', 'a country that agrees')
  t.equal(shown({ inseeCode: '99350', city: 'Rabat' }), 'Rabat|99|Maroc')
  t.equal(shown({ inseeCode: '99', city: 'Rome', country: 'Italie' }), 'Rome|99|Italie', '99 with the country’s name')
  t.match(shown({ inseeCode: '99', city: 'Rome' }), /^birthInseeCode: Candidat né à l’étranger \(code INSEE 99\) : indiquez le pays/)
  t.match(shown({ inseeCode: '99132', postalCode: '75015', city: 'Londres' }), /^birthPostalCode: Candidat né à l’étranger : le code postal doit rester vide/)
  t.match(shown({ inseeCode: '99999', city: 'X' }), /^birthInseeCode: Le code INSEE « 99999 » ne correspond à aucune commune ni à aucun pays/)
})

t.test('a code and a name that disagree are a line error naming both', async (t) => {
  t.equal(
    shown({ inseeCode: '76351', city: 'Rouen' }),
    'birthInseeCode: Le code INSEE « 76351 » est celui de la commune Le Havre, pas de « Rouen ». Corrigez le code ou le nom de la commune de naissance.',
  )
  t.equal(
    shown({ inseeCode: '99132', city: 'Rome', country: 'Italie' }),
    'birthInseeCode: Le code INSEE « 99132 » est celui du pays Royaume-Uni, pas de « Italie ». Corrigez le code ou le pays de naissance.',
  )
  t.match(shown({ inseeCode: '76351', postalCode: '75015' }), /^birthPostalCode: Le code postal « 75015 » n’est pas celui de Le Havre \(code INSEE 76351\)/)
  t.match(shown({ inseeCode: '76351', department: '14' }), /^birthInseeCode: La commune Le Havre est dans le département 76, pas dans le département « 14 »/)
  t.equal(shown({ inseeCode: '1053', department: '1' }), 'Bourg-en-Bresse|01|France', 'a département typed without its zero agrees')
})

t.test('an unknown code, or no code at all in a file that has the columns, is a line error saying what to do', async (t) => {
  t.match(
    shown({ inseeCode: '12345', city: 'Rouen' }),
    /^birthInseeCode: Le code INSEE « 12345 » ne correspond à aucune commune ni à aucun pays connu\. Vérifiez-le/,
  )
  t.match(shown({ inseeCode: 'ABC' }), /^birthInseeCode: Le code INSEE « ABC »/)
  t.match(
    shown({ postalCode: '00000', city: 'Rouen' }),
    /^birthPostalCode: Le code postal « 00000 » ne correspond à aucune commune\. Vérifiez-le, ou indiquez le code INSEE/,
  )
  t.match(
    shown({ inseeCode: '', postalCode: '', city: 'Rouen' }),
    /^birthInseeCode: Renseignez soit le code INSEE de la commune de naissance, soit son code postal et son nom/,
  )
  t.equal(shown({ inseeCode: '', postalCode: '', city: 'Rouen', department: '76', country: 'France' }), null, 'our columns filled: read as typed')
  t.equal(shown({ city: 'Rouen' }), null, 'no code column (our sheet): nothing to resolve')
})

t.test('withBirthplace fills the row for the candidate rules', async (t) => {
  const values = {
    lastName: 'Dupont',
    firstName: 'Julie',
    birthdate: '13/03/1996',
    birthCity: '',
    birthDepartment: '',
    birthCountry: '',
    email: '',
    externalId: '',
    extraTime: '',
  }
  t.same(withBirthplace(values, { birthInseeCode: '2A004' }), {
    ok: true,
    values: { ...values, birthCity: 'Ajaccio', birthDepartment: '2A', birthCountry: 'France' },
    codeField: 'birthInseeCode',
  })
  t.same(withBirthplace(values, {}), { ok: true, values }, 'no code: the row as it is')
})

t.test('the INSEE country table: 99xxx codes, names our country lookup knows', async (t) => {
  const codes = Object.keys(INSEE_COUNTRIES)
  t.ok(codes.length > 150, `${codes.length} countries`)
  for (const [code, name] of Object.entries(INSEE_COUNTRIES)) {
    t.match(code, /^99[1-5]\d{2}$/, code)
    t.ok(findCountry(name), `${code} ${name} is a country findCountry knows`)
  }
  t.equal(new Set(Object.values(INSEE_COUNTRIES).map((n) => findCountry(n))).size, codes.length, 'one code per country')
})
