import { type MessageKey, t } from '../../../i18n/index.ts'
import { foldText } from '../../../lib/text.ts'
import type { CandidateField } from '../candidate-rules.ts'

/**
 * The attendance sheet's layout, shared by the export and the import: the participants'
 * header titles (the importer finds the header row by them) and the columns they sit in.
 */
export const SHEET_COLUMNS: ReadonlyArray<{ field: CandidateField | 'signature' | 'endScreen'; title: MessageKey; width: number }> = [
  { field: 'lastName', title: 'candidates.sheet.col.last_name', width: 18 },
  { field: 'firstName', title: 'candidates.sheet.col.first_name', width: 15 },
  { field: 'birthdate', title: 'candidates.sheet.col.birthdate', width: 13 },
  { field: 'birthCity', title: 'candidates.sheet.col.birth_city', width: 16 },
  { field: 'birthDepartment', title: 'candidates.sheet.col.birth_department', width: 14 },
  { field: 'birthCountry', title: 'candidates.sheet.col.birth_country', width: 12 },
  { field: 'email', title: 'candidates.sheet.col.email', width: 21 },
  { field: 'externalId', title: 'candidates.sheet.col.external_id', width: 12 },
  { field: 'extraTime', title: 'candidates.sheet.col.extra_time', width: 9 },
  { field: 'signature', title: 'candidates.sheet.col.signature', width: 16 },
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

/** The columns an import needs, by the key of their title. */
export function importedColumns(): Array<{ field: CandidateField; key: string; title: MessageKey }> {
  return SHEET_COLUMNS.filter((c) => c.field !== 'signature' && c.field !== 'endScreen').map((c) => ({
    field: c.field as CandidateField,
    key: titleKey(t(c.title)),
    title: c.title,
  }))
}
