import { type Cell, ods } from './ods.ts'

/**
 * Files made the way Pix Certif makes them (PIX-TODAY.md § 3 and § 4): its "Créer/éditer plusieurs
 * sessions" CSV template (UTF-8 BOM, quoted headers, `;` — or `,` once resaved), with two
 * habilitations, and its candidate sheet extract (the session block above the participants'
 * header row, its short birthplace titles, sex, billing and complementary-certification columns).
 */
export const PIX_CSV_HEADER = [
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

/** One line of Pix's CSV template, by its field names. */
export type PixLine = Partial<
  Record<
    | 'number'
    | 'site'
    | 'room'
    | 'date'
    | 'time'
    | 'invigilators'
    | 'observations'
    | 'last'
    | 'first'
    | 'birthdate'
    | 'sex'
    | 'insee'
    | 'postal'
    | 'city'
    | 'country'
    | 'resultsEmail'
    | 'email'
    | 'ext'
    | 'extra'
    | 'billing'
    | 'prepayment'
    | 'clea'
    | 'droit',
    string
  >
>
const PIX_CSV_ORDER = [
  'number',
  'site',
  'room',
  'date',
  'time',
  'invigilators',
  'observations',
  'last',
  'first',
  'birthdate',
  'sex',
  'insee',
  'postal',
  'city',
  'country',
  'resultsEmail',
  'email',
  'ext',
  'extra',
  'billing',
  'prepayment',
  'clea',
  'droit',
] as const

/** Pix's CSV: BOM, every field quoted (as its template writes its headers), CRLF. */
export function pixCsv(lines: PixLine[], separator: ';' | ',' = ';'): Buffer {
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`
  const rows = [PIX_CSV_HEADER, ...lines.map((l) => PIX_CSV_ORDER.map((k) => l[k] ?? ''))]
  return Buffer.from('\ufeff' + rows.map((r) => r.map(quote).join(separator)).join('\r\n') + '\r\n', 'utf8')
}

/** The participants' header row of Pix's candidate sheet. */
export const PIX_SHEET_HEADER = [
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

export type PixSheetLine = Partial<
  Record<
    | 'last'
    | 'first'
    | 'sex'
    | 'birthdate'
    | 'insee'
    | 'postal'
    | 'city'
    | 'country'
    | 'resultsEmail'
    | 'email'
    | 'ext'
    | 'extra'
    | 'clea'
    | 'billing'
    | 'prepayment',
    Cell
  >
>
const PIX_SHEET_ORDER = [
  'last',
  'first',
  'sex',
  'birthdate',
  'insee',
  'postal',
  'city',
  'country',
  'resultsEmail',
  'email',
  'ext',
  'extra',
  'clea',
  'billing',
  'prepayment',
] as const

/** Pix's candidate sheet as an .ods: the session block, a blank row, the header, the candidates. */
export function pixSheet(lines: PixSheetLine[]): Buffer {
  const block: Cell[][] = [
    ['Session de certification'],
    ['N° de session :', 1234],
    ['Nom du site :', 'Lycée Jean Moulin'],
    ['Nom de la salle :', 'Salle 12'],
    ['Date :', '15/06/2030', 'Heure locale (début/fin) :', '09:00'],
    ['Surveillant(s) :', 'Eric Martin'],
    [],
  ]
  const rows = lines.map((l) => PIX_SHEET_ORDER.map((k) => l[k] ?? ''))
  return ods([{ name: 'Liste des candidats', rows: [...block, PIX_SHEET_HEADER, ...rows] }])
}

/** The usual valid candidate of these tests, born in Le Havre (INSEE 76351). */
export const PIX_CANDIDATE = { last: 'Dupont', first: 'Julie', birthdate: '13/03/1996', sex: 'F', insee: '76351', country: 'FRANCE', billing: 'Gratuite' }
