import { LOCALES, type MessageKey, translate } from '../../../i18n/index.ts'
import { foldText } from '../../../lib/text.ts'
import type { CandidateField } from '../candidate-rules.ts'

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
  { field: 'lastName', title: 'candidates.sheet.col.last_name', width: 17 },
  { field: 'firstName', title: 'candidates.sheet.col.first_name', width: 14 },
  { field: 'birthdate', title: 'candidates.sheet.col.birthdate', width: 13 },
  { field: 'birthCity', title: 'candidates.sheet.col.birth_city', width: 14 },
  { field: 'birthDepartment', title: 'candidates.sheet.col.birth_department', width: 14 },
  { field: 'birthCountry', title: 'candidates.sheet.col.birth_country', width: 12 },
  { field: 'email', title: 'candidates.sheet.col.email', width: 19 },
  { field: 'externalId', title: 'candidates.sheet.col.external_id', width: 12 },
  { field: 'extraTime', title: 'candidates.sheet.col.extra_time', width: 9 },
  { field: 'accessibilityNeeded', title: 'candidates.sheet.col.accessibility', width: 11, optional: true },
  { field: 'signature', title: 'candidates.sheet.col.signature', width: 13 },
  { field: 'endScreen', title: 'candidates.sheet.col.end_screen', width: 10 },
]

/** Column 0 holds the row number; the titles start at column 1. */
export const FIRST_TITLE_COLUMN = 1
/** Zero-based index of the participants' header row in the sheet we write (row 10 in LibreOffice). */
export const HEADER_ROW = 9
export const MIN_BLANK_ROWS = 20
export const MIN_NUMBERED_ROWS = 30

/** Titles compared without accents, case, punctuation or spaces ("Temps majoré ?" = "temps majore"). */
export function titleKey(title: string): string {
  return foldText(title)
    .replace(/\(.*?\)/g, '')
    .replace(/[^a-z0-9]+/g, '')
}

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

/** The sheet column a candidate field's problems are reported in (the detail of the need sits in the need's cell). */
export function sheetColumnOf(field: CandidateField): MessageKey {
  const sheetField = field === 'accessibilityNote' ? 'accessibilityNeeded' : field
  return SHEET_COLUMNS.find((c) => c.field === sheetField)!.title
}
