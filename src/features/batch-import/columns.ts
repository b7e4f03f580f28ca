import { type MessageKey, t } from '../../i18n/index.ts'
import type { CandidateField } from '../candidates/candidate-rules.ts'
import { SHEET_COLUMNS, titleKey } from '../candidates/ods/sheet-layout.ts'

/** The session part of a template line. */
export const SESSION_COLUMNS = ['sessionNumber', 'siteName', 'room', 'date', 'startTime', 'invigilators', 'observations'] as const
export type SessionColumn = (typeof SESSION_COLUMNS)[number]
export type BatchColumn = SessionColumn | CandidateField

/** Candidate columns that must be filled (shown with a "* " in front, as Pix's template does). */
const REQUIRED_CANDIDATE: ReadonlySet<CandidateField> = new Set(['lastName', 'firstName', 'birthdate', 'birthCity', 'birthDepartment', 'birthCountry'])

const SESSION_TITLES: Record<SessionColumn, MessageKey> = {
  sessionNumber: 'batch.col.session_number',
  siteName: 'batch.col.site_name',
  room: 'batch.col.room',
  date: 'batch.col.date',
  startTime: 'batch.col.start_time',
  invigilators: 'batch.col.invigilators',
  observations: 'batch.col.observations',
}

export interface TemplateColumn {
  field: BatchColumn
  /** The header as written in the template. */
  title: string
  /** Compared without accents, case, "*", punctuation or parenthesised hints. */
  key: string
  /** A column added later (the candidate sheet's optional ones): a file without it still imports. */
  optional?: boolean
}

/**
 * The template's columns in order: the session columns, then the candidate columns exactly as the
 * attendance sheet has them (one list: a column added to the sheet appears here too).
 */
let cached: TemplateColumn[] | null = null
export function templateColumns(): TemplateColumn[] {
  if (cached) return cached
  const session = SESSION_COLUMNS.map((field) => ({ field, title: t(SESSION_TITLES[field]) }))
  const candidate = SHEET_COLUMNS.filter((c) => c.field !== 'signature' && c.field !== 'endScreen').map((c) => {
    const field = c.field as CandidateField
    return { field, title: `${REQUIRED_CANDIDATE.has(field) ? '* ' : ''}${t(c.title)}`, optional: c.optional === true }
  })
  cached = [...session, ...candidate].map((c) => ({ ...c, key: titleKey(c.title) }))
  return cached
}

/** The header of one column, for messages ("colonne « * Nom du site »"). */
export function columnTitle(field: BatchColumn): string {
  // The detail of an accessibility need is written in the need's own cell ("oui : …").
  const shown = field === 'accessibilityNote' ? 'accessibilityNeeded' : field
  return templateColumns().find((c) => c.field === shown)!.title
}

/** The template's header line. */
export function templateTitles(): string[] {
  return templateColumns().map((c) => c.title)
}
