import { type Msg, msg } from '../../i18n/index.ts'
import { type CalendarDate, todayInParis } from '../../lib/dates.ts'
import { type Invalid, invalid, ok, type Ok, type Refusal } from '../../lib/result.ts'
import { BIRTH_CODE_FIELDS, withBirthplace } from './birthplace.ts'
import { CANDIDATE_FIELDS, type CandidateData, candidateKey, communeWarning, validateCandidate } from './candidate-rules.ts'
import { quotedTitles } from './header-match.ts'
import { type SheetReader, sheetReader } from '../../lib/spreadsheet/sheet-reader.ts'
import { ATTENDANCE_SHEET } from './ods/import.ts'
import { type ImportField, sheetColumnOf } from './ods/sheet-layout.ts'

/** One bad line: the spreadsheet row number, the column's title (message key) when it is about one, what to fix. */
export interface LineProblem {
  line: number
  column: string | null
  message: Msg
}

/**
 * The candidates to store and the warnings to show; every bad line (`errors`, with the notices about
 * the file that hold whatever the lines say: the columns not read); or the file refused as a whole.
 */
export type ImportOutcome = Ok<{ candidates: CandidateData[]; warnings: Msg[] }> | (Invalid<LineProblem[]> & { notices: Msg[] }) | Refusal

const columnTitle = (field: ImportField) => sheetColumnOf(field)
/** The columns in the order problems are reported: the birthplace codes beside the birthplace. */
const REPORTED_FIELDS: ImportField[] = CANDIDATE_FIELDS.flatMap((f) => (f === 'birthCity' ? [...BIRTH_CODE_FIELDS, f] : [f]))

/**
 * The whole import decision, without touching the database: the file is read, every row is
 * checked and every problem reported at once; candidates come back only when nothing blocks.
 * The file itself is opened and parsed on the reader's worker thread, never on the event loop.
 */
export async function prepareImport(buffer: Buffer, today: CalendarDate = todayInParis(), reader: SheetReader = sheetReader): Promise<ImportOutcome> {
  const reading = await reader.run(ATTENDANCE_SHEET, buffer)
  if (!reading.ok) return reading
  const problems: LineProblem[] = []
  const candidates: CandidateData[] = []
  // The columns the file has and we do not read are named, never dropped silently.
  const notices: Msg[] = reading.ignored?.length ? [msg('candidates.import.ignored_columns', { columns: quotedTitles(reading.ignored) })] : []
  const warnings: Msg[] = [...notices]
  const seen = new Map<string, number>()
  for (const row of reading.value) {
    // A Pix-made sheet gives the birthplace by code: resolved first, then the rules of every candidate.
    const birthplace = withBirthplace(row.values, row.birthCodes ?? {})
    const result = validateCandidate(birthplace.ok ? birthplace.values : row.values, today)
    if (!birthplace.ok || !result.ok || row.formulas.length) {
      // In the order of the columns; a formula cell is reported as such (its value was left empty).
      const errors: Partial<Record<ImportField, Msg>> = result.ok ? {} : { ...result.errors }
      if (birthplace.ok && birthplace.codeField && errors.birthDepartment) {
        // The département came from a code: the file has no département column, the code's column is the one to fix.
        errors[birthplace.codeField] = errors.birthDepartment
        delete errors.birthDepartment
      }
      if (!birthplace.ok) {
        errors[birthplace.field] = birthplace.message
        // the birthplace's own messages would repeat the code's
        delete errors.birthCity
        delete errors.birthDepartment
        delete errors.birthCountry
      }
      for (const field of REPORTED_FIELDS) {
        const message = row.formulas.includes(field) ? msg('candidates.import.formula') : errors[field]
        if (message) problems.push({ line: row.line, column: columnTitle(field), message })
      }
      continue
    }
    const key = candidateKey(result.value)
    const first = seen.get(key)
    if (first !== undefined) {
      problems.push({ line: row.line, column: null, message: msg('candidates.import.line_duplicate', { line: row.line, first }) })
      continue
    }
    seen.set(key, row.line)
    candidates.push(result.value)
    const warning = communeWarning(result.value)
    if (warning) warnings.push(msg('candidates.import.commune_warning', { line: row.line, ...warning.params }))
  }
  if (problems.length) return { ...invalid(problems), notices }
  return ok({ candidates, warnings })
}
