import { type MessageKey, type Msg, msg } from '../../i18n/index.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { controlCharacterProblem, normaliseNewlines } from '../../lib/text.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'

/**
 * The one table of report codes: the PV d'incident's (seed guide, "PV d'incident" page), used by
 * the finalisation's reports, by the printed PV d'incident (src/features/printables reads it) and
 * by incidents recorded during the session. Labels and "Détails attendus" are message keys
 * (src/i18n/fr/printables.ts, the PV's wording): show them with t(code.label).
 *
 * What a report holds follows the PV's "Détails attendus" column, code by code:
 * - a text is asked ("Précisez…", "Décrivez l'incident") → `details: 'required'`;
 * - the cell is empty (C5, E1–E6) → `details: 'none'`: nothing is required (a note typed in a
 *   category's shared field, E7's, is kept);
 * - C6 asks for the "PV de fraude", a document (step 2 of the finalisation), not a text →
 *   `details: 'none'`, `document: 'fraud_report'`;
 * - C3 "Précisez et indiquez l'heure de sortie" → details required and must give the exit time;
 * - the question codes (E1–E7, "précisez le numéro de l'épreuve") need the question number.
 */
export type IncidentGroup = 'candidate' | 'question' | 'other'
export type DetailsRule = 'required' | 'none'

export interface IncidentCode {
  code: string
  /** The PV's table the code is printed in. */
  group: IncidentGroup
  /** Message key of the PV's "Incident" text. */
  label: MessageKey
  /** Message key of the PV's "Détails attendus" text; null where the cell is empty. */
  expectedDetails: MessageKey | null
  /** Whether a report of this code must have a "Détails" text. */
  details: DetailsRule
  /** The details must give the candidate's exit time (C3). */
  exitTime: boolean
  /** A document the PV asks for, sent at step 2 of the finalisation (C6: the fraud report). */
  document: 'fraud_report' | null
  /** The report is about one question, whose number is required (the "épreuve" codes). */
  needsQuestionNumber: boolean
}

const entry = (code: string, group: IncidentGroup, expects: 'text' | 'text_and_exit_time' | 'fraud_report' | null): IncidentCode => ({
  code,
  group,
  // Built from the code: the tests check that every one of these keys exists.
  label: `printables.incident.${code}` as MessageKey,
  expectedDetails: expects ? (`printables.incident.${code}.details` as MessageKey) : null,
  details: expects === 'text' || expects === 'text_and_exit_time' ? 'required' : 'none',
  exitTime: expects === 'text_and_exit_time',
  document: expects === 'fraud_report' ? 'fraud_report' : null,
  needsQuestionNumber: group === 'question',
})

export const INCIDENT_CODES: readonly IncidentCode[] = [
  entry('C1', 'candidate', 'text'),
  entry('C2', 'candidate', 'text'),
  entry('C3', 'candidate', 'text_and_exit_time'),
  entry('C4', 'candidate', 'text'),
  entry('C5', 'candidate', null),
  entry('C6', 'candidate', 'fraud_report'),
  entry('E1', 'question', null),
  entry('E2', 'question', null),
  entry('E3', 'question', null),
  entry('E4', 'question', null),
  entry('E5', 'question', null),
  entry('E6', 'question', null),
  entry('E7', 'question', 'text'),
  entry('A1', 'other', 'text'),
  entry('A2', 'other', 'text'),
]

export const INCIDENT_GROUPS: readonly IncidentGroup[] = ['candidate', 'question', 'other']

/** Title key of a group's table on the PV ("Signalements liés au candidat"…). */
export const incidentGroupTitle = (group: IncidentGroup): string => `printables.incident.group.${group}`

export function incidentCodesOf(group: IncidentGroup): IncidentCode[] {
  return INCIDENT_CODES.filter((c) => c.group === group)
}

export function findIncidentCode(code: string): IncidentCode | undefined {
  return INCIDENT_CODES.find((c) => c.code === code)
}

/**
 * The categories of a candidate report ("Signalement du candidat"), as the guide groups the
 * codes. Plain data: labels and help texts are catalog keys (src/i18n/fr/finalisation.ts).
 */
export interface ReportCategory {
  id: string
  /** Short code range shown beside the label, as in the guide: "C1-C2". */
  codeRange: string
  codes: readonly IncidentCode[]
  /** The report is about one question, whose number (1–500) is required. */
  needsQuestionNumber: boolean
}

const category = (id: string, codeRange: string, codes: string[]): ReportCategory => {
  const entries = codes.map((code) => findIncidentCode(code)!)
  return { id, codeRange, codes: entries, needsQuestionNumber: entries.some((c) => c.needsQuestionNumber) }
}

export const REPORT_CATEGORIES: readonly ReportCategory[] = [
  category('candidate_information', 'C1-C2', ['C1', 'C2']),
  category('late_or_leaving', 'C3-C4', ['C3', 'C4']),
  category('connection_or_end_screen', 'C5', ['C5']),
  category('in_challenge', 'E1-E7', ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7']),
  category('technical_problem', 'A1', ['A1']),
  category('other', 'A2', ['A2']),
  category('fraud', 'C6', ['C6']),
]

export const MAX_DETAILS_LENGTH = 500
export const MIN_QUESTION_NUMBER = 1
export const MAX_QUESTION_NUMBER = 500

/** Every code, in the order of the PV d'incident (C, E, A). */
export const ALL_CODES: readonly string[] = INCIDENT_CODES.map((c) => c.code)

export function findCategory(id: string): ReportCategory | undefined {
  return REPORT_CATEGORIES.find((c) => c.id === id)
}

export function categoryOfCode(code: string): ReportCategory | undefined {
  return REPORT_CATEGORIES.find((c) => c.codes.some((rc) => rc.code === code))
}

/** Whether a category asks for details at all (so its form shows a "Détails" field): one of its codes requires them. */
export function hasDetailsField(category: ReportCategory): boolean {
  return category.codes.some((c) => c.details === 'required')
}

/** An exit time written in the details: "11h20", "11 h", "11:20", "à 9h05". */
const EXIT_TIME = /(?:^|[^\d])(?:[01]?\d|2[0-3])\s*(?:h|:)\s*(?:[0-5]\d)?(?!\d)/i

/** A code's label as on the PV d'incident, e.g. "Écran de fin de test non vu". */
export function codeLabel(code: string): Msg {
  const known = findIncidentCode(code)
  return known ? msg(known.label) : msg('finalisation.code.unknown', { code })
}

/**
 * Form field names of the report page. Each category has its own code choice and details field,
 * so that, with JavaScript off, every category's fields can sit under its radio button.
 */
export const reportFieldNames = {
  category: 'categorie',
  code: (category: string) => `code_${category}`,
  question: 'numero_question',
  details: (category: string) => `details_${category}`,
}

/** Every field name the report form may send. */
export function allReportFields(): string[] {
  const names = [reportFieldNames.category, reportFieldNames.question]
  for (const c of REPORT_CATEGORIES) names.push(reportFieldNames.code(c.id), reportFieldNames.details(c.id))
  return names
}

export interface ValidReport {
  category: string
  code: string
  questionNumber: number | null
  details: string | null
}

/** The one result shape (src/lib/result.ts). */
export type ReportValidation = Result<ValidReport>

/** Whole number between bounds, written as plain digits ("12", not "1e1" or "12.0"). */
function parseQuestionNumber(text: string): number | null {
  if (!/^\d{1,4}$/.test(text)) return null
  const n = Number(text)
  return n >= MIN_QUESTION_NUMBER && n <= MAX_QUESTION_NUMBER ? n : null
}

/**
 * Checks one report as typed on the page (values trimmed, keyed by form field name).
 * Errors are keyed by the field to correct, so the page can put each message beside its input.
 */
export function validateReport(values: Record<string, string>): ReportValidation {
  const errors: FieldErrors = {}
  const category = findCategory(values[reportFieldNames.category] ?? '')
  if (!category) return invalid({ [reportFieldNames.category]: msg('finalisation.report.error.category') })

  const codeField = reportFieldNames.code(category.id)
  const detailsField = reportFieldNames.details(category.id)
  let chosen: IncidentCode | undefined
  if (category.codes.length === 1) chosen = category.codes[0]
  else {
    chosen = category.codes.find((c) => c.code === values[codeField])
    if (!chosen) errors[codeField] = msg(category.needsQuestionNumber ? 'finalisation.report.error.problem_type' : 'finalisation.report.error.code')
  }

  let questionNumber: number | null = null
  if (category.needsQuestionNumber) {
    questionNumber = parseQuestionNumber(values[reportFieldNames.question] ?? '')
    if (questionNumber === null) {
      errors[reportFieldNames.question] = msg('finalisation.report.error.question', { min: MIN_QUESTION_NUMBER, max: MAX_QUESTION_NUMBER })
    }
  }

  let details: string | null = null
  if (hasDetailsField(category)) {
    const text = normaliseNewlines(values[detailsField] ?? '')
    const control = controlCharacterProblem(text)
    if (control) errors[detailsField] = control
    else if (text.length > MAX_DETAILS_LENGTH) errors[detailsField] = msg('form.too_long', { max: MAX_DETAILS_LENGTH })
    else if (!text && chosen?.details === 'required') errors[detailsField] = msg('finalisation.report.error.details')
    else if (chosen?.exitTime && !EXIT_TIME.test(text)) errors[detailsField] = msg('finalisation.report.error.exit_time')
    else details = text || null
  }

  // Keep field order stable so the error summary follows the page (code, question, details).
  if (Object.keys(errors).length > 0 || !chosen) return invalid(orderErrors(errors, [codeField, reportFieldNames.question, detailsField]))
  return ok({ category: category.id, code: chosen.code, questionNumber, details })
}

function orderErrors(errors: FieldErrors, order: string[]): FieldErrors {
  const ordered: FieldErrors = {}
  for (const name of order) if (errors[name]) ordered[name] = errors[name]
  return ordered
}
