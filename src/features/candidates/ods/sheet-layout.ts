import { LOCALES, type MessageKey, translate } from '../../../i18n/index.ts'
import type { BirthCodeField } from '../birthplace.ts'
import type { CandidateField } from '../candidate-rules.ts'
import { BIRTHPLACE_REQUIRED, type HeaderRules, PIX_TITLES, titleKey } from '../header-match.ts'

export { titleKey } from '../header-match.ts'

/**
 * The attendance sheet's layout, shared by the export and the import: the participants'
 * header titles (the importer finds the header row by them) and the columns they sit in.
 */
export const SHEET_COLUMNS: ReadonlyArray<{
  field: Exclude<CandidateField, 'accessibilityNote'> | 'signature' | 'endScreen'
  title: MessageKey
  width: number
  /** A column added later: a sheet without it still imports (its value is then empty). */
  optional?: true
}> = [
  { field: 'lastName', title: 'candidates.sheet.col.last_name', width: 14 },
  { field: 'firstName', title: 'candidates.sheet.col.first_name', width: 11 },
  { field: 'birthdate', title: 'candidates.sheet.col.birthdate', width: 13 },
  { field: 'birthCity', title: 'candidates.sheet.col.birth_city', width: 12 },
  { field: 'birthDepartment', title: 'candidates.sheet.col.birth_department', width: 11 },
  { field: 'birthCountry', title: 'candidates.sheet.col.birth_country', width: 10 },
  { field: 'email', title: 'candidates.sheet.col.email', width: 14 },
  { field: 'externalId', title: 'candidates.sheet.col.external_id', width: 10 },
  { field: 'extraTime', title: 'candidates.sheet.col.extra_time', width: 9 },
  { field: 'accessibilityNeeded', title: 'candidates.sheet.col.accessibility', width: 11, optional: true },
  { field: 'accommodationApprovedBy', title: 'candidates.sheet.col.accommodation_approved_by', width: 9, optional: true },
  { field: 'accommodationApprovedOn', title: 'candidates.sheet.col.accommodation_approved_on', width: 13, optional: true },
  { field: 'signature', title: 'candidates.sheet.col.signature', width: 10 },
  { field: 'endScreen', title: 'candidates.sheet.col.end_screen', width: 10 },
]

/** Column 0 holds the row number; the titles start at column 1. */
export const FIRST_TITLE_COLUMN = 1
/** Zero-based index of the participants' header row in the sheet we write (row 10 in LibreOffice). */
export const HEADER_ROW = 9
export const MIN_BLANK_ROWS = 20
export const MIN_NUMBERED_ROWS = 30

/**
 * The columns an import reads, by the keys of their title; `optional` ones may be missing. The
 * sheet we write is French; the titles of the English sheet are read too (one key per language).
 */
export function importedColumns(): Array<{ field: CandidateField; keys: string[]; title: MessageKey; optional: boolean }> {
  return SHEET_COLUMNS.filter((c) => c.field !== 'signature' && c.field !== 'endScreen').map((c) => ({
    field: c.field as CandidateField,
    keys: [...new Set(LOCALES.map((locale) => titleKey(translate(locale, c.title))))],
    title: c.title,
    optional: c.optional === true,
  }))
}

/** A column the import reads: a candidate field, or a birthplace code of Pix's files. */
export type ImportField = CandidateField | BirthCodeField

/** The titles of the birthplace code columns (ours and Pix's are the same; English beside). */
export const BIRTH_CODE_TITLES: Record<BirthCodeField, MessageKey> = {
  birthInseeCode: 'candidates.sheet.col.birth_insee_code',
  birthPostalCode: 'candidates.sheet.col.birth_postal_code',
}

const inEveryLanguage = (key: MessageKey) => [...new Set(LOCALES.map((locale) => translate(locale, key)))]
/** A column's titles: the French one (ours) then Pix's are shown; the English sheet's is accepted too. */
export const titlesOf = (key: MessageKey, field: string) => ({
  titles: [translate('fr', key), ...(PIX_TITLES[field] ?? [])],
  alsoAccepted: inEveryLanguage(key),
})

/**
 * What the candidate sheet's import reads (header-match.ts): our titles in every language, then
 * Pix Certif's; every column of ours but the optional ones is required, and the birthplace may be
 * given by code (INSEE or postal) instead of the commune and its département.
 */
export function candidateHeaderRules(): HeaderRules<ImportField> {
  const columns = [
    ...importedColumns().map((c) => ({ field: c.field as ImportField, ...titlesOf(c.title, c.field) })),
    ...(Object.keys(BIRTH_CODE_TITLES) as BirthCodeField[]).map((field) => ({ field, ...titlesOf(BIRTH_CODE_TITLES[field], field) })),
  ]
  const birthplace = new Set<string>(BIRTHPLACE_REQUIRED.flat())
  const required: ImportField[][] = [
    ...importedColumns()
      .filter((c) => !c.optional && !birthplace.has(c.field))
      .map((c) => [c.field]),
    ...BIRTHPLACE_REQUIRED.map((entry) => [...entry]),
  ]
  const unused = (['candidates.sheet.col.number', 'candidates.sheet.col.signature', 'candidates.sheet.col.end_screen'] as const).flatMap(inEveryLanguage)
  return { columns, required, unused }
}

/** The sheet column a candidate field's problems are reported in (the detail of the need sits in the need's cell). */
export function sheetColumnOf(field: ImportField): MessageKey {
  if (field === 'birthInseeCode' || field === 'birthPostalCode') return BIRTH_CODE_TITLES[field]
  const sheetField = field === 'accessibilityNote' ? 'accessibilityNeeded' : field
  return SHEET_COLUMNS.find((c) => c.field === sheetField)!.title
}
