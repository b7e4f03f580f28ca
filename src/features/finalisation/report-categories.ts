import { type Msg, msg } from '../../i18n/index.ts'
import type { FieldErrors } from '../../lib/forms.ts'
import { findIncidentCode, INCIDENT_CODES } from '../printables/incident-codes.ts'
import { controlCharacterProblem } from '../../lib/text.ts'

/**
 * The categories of a candidate report ("Signalement du candidat"), as the guide groups the
 * PV d'incident codes. Plain data: labels and help texts are catalog keys (src/i18n/fr/finalisation.ts).
 *
 * The codes themselves and their labels are the PV d'incident's (src/features/printables/incident-codes.ts);
 * this module adds how the finalisation groups them and what each report must hold.
 */
export type DetailsRule = 'required' | 'optional' | 'none'

export interface ReportCode {
  code: string
  /** Whether the report needs a "Détails" text (the PV's "Détails attendus"). */
  details: DetailsRule
}

export interface ReportCategory {
  id: string
  /** Short code range shown beside the label, as in the guide: "C1-C2". */
  codeRange: string
  codes: readonly ReportCode[]
  /** The report is about one question, whose number (1–500) is required. */
  needsQuestionNumber: boolean
}

export const REPORT_CATEGORIES: readonly ReportCategory[] = [
  {
    id: 'candidate_information',
    codeRange: 'C1-C2',
    codes: [
      { code: 'C1', details: 'required' },
      { code: 'C2', details: 'required' },
    ],
    needsQuestionNumber: false,
  },
  {
    id: 'late_or_leaving',
    codeRange: 'C3-C4',
    codes: [
      { code: 'C3', details: 'required' },
      { code: 'C4', details: 'required' },
    ],
    needsQuestionNumber: false,
  },
  { id: 'connection_or_end_screen', codeRange: 'C5', codes: [{ code: 'C5', details: 'none' }], needsQuestionNumber: false },
  {
    id: 'in_challenge',
    codeRange: 'E1-E7',
    codes: [
      { code: 'E1', details: 'optional' },
      { code: 'E2', details: 'optional' },
      { code: 'E3', details: 'optional' },
      { code: 'E4', details: 'optional' },
      { code: 'E5', details: 'optional' },
      { code: 'E6', details: 'optional' },
      { code: 'E7', details: 'required' },
    ],
    needsQuestionNumber: true,
  },
  { id: 'technical_problem', codeRange: 'A1', codes: [{ code: 'A1', details: 'required' }], needsQuestionNumber: false },
  { id: 'other', codeRange: 'A2', codes: [{ code: 'A2', details: 'required' }], needsQuestionNumber: false },
  { id: 'fraud', codeRange: 'C6', codes: [{ code: 'C6', details: 'optional' }], needsQuestionNumber: false },
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

/** Whether a category asks for details at all (so its form shows a "Détails" field). */
export function hasDetailsField(category: ReportCategory): boolean {
  return category.codes.some((c) => c.details !== 'none')
}

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

export type ReportValidation = { ok: true; report: ValidReport } | { ok: false; errors: FieldErrors }

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
  if (!category) return { ok: false, errors: { [reportFieldNames.category]: msg('finalisation.report.error.category') } }

  const codeField = reportFieldNames.code(category.id)
  const detailsField = reportFieldNames.details(category.id)
  let chosen: ReportCode | undefined
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
    const text = (values[detailsField] ?? '').replace(/\r\n?/g, '\n')
    const control = controlCharacterProblem(text)
    if (control) errors[detailsField] = control
    else if (text.length > MAX_DETAILS_LENGTH) errors[detailsField] = msg('form.too_long', { max: MAX_DETAILS_LENGTH })
    else if (!text && chosen?.details === 'required') errors[detailsField] = msg('finalisation.report.error.details')
    else if (chosen?.details !== 'none') details = text || null
  }

  // Keep field order stable so the error summary follows the page (code, question, details).
  if (Object.keys(errors).length > 0 || !chosen) return { ok: false, errors: orderErrors(errors, [codeField, reportFieldNames.question, detailsField]) }
  return { ok: true, report: { category: category.id, code: chosen.code, questionNumber, details } }
}

function orderErrors(errors: FieldErrors, order: string[]): FieldErrors {
  const ordered: FieldErrors = {}
  for (const name of order) if (errors[name]) ordered[name] = errors[name]
  return ordered
}
