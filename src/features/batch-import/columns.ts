import { type MessageKey, t } from '../../i18n/index.ts'
import {
  type BirthCodeField,
  type CandidateField,
  BIRTHPLACE_REQUIRED,
  type HeaderRules,
  PIX_TITLES,
  BIRTH_CODE_TITLES,
  SHEET_COLUMNS,
  titleKey,
  titlesOf,
} from '../candidates/index.ts'

/** The session part of a template line. */
export const SESSION_COLUMNS = ['sessionNumber', 'siteName', 'room', 'date', 'startTime', 'invigilators', 'observations'] as const
export type SessionColumn = (typeof SESSION_COLUMNS)[number]
/** A column the import reads: the template's, and the birthplace codes of Pix's files (not in our template). */
export type BatchColumn = SessionColumn | CandidateField | BirthCodeField

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
  field: SessionColumn | CandidateField
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
  if (field === 'birthInseeCode' || field === 'birthPostalCode') return t(BIRTH_CODE_TITLES[field])
  // The detail of an accessibility need is written in the need's own cell ("oui : …").
  const shown = field === 'accessibilityNote' ? 'accessibilityNeeded' : field
  return templateColumns().find((c) => c.field === shown)!.title
}

/** The template's header line. */
export function templateTitles(): string[] {
  return templateColumns().map((c) => c.title)
}

/**
 * What the import reads (header-match.ts): the template's titles, the candidate sheet's (French and
 * English) and Pix Certif's, in any order; every column but the optional ones is required, and the
 * birthplace may be given by code (INSEE or postal) instead of the commune and its département.
 */
export function batchHeaderRules(): HeaderRules<BatchColumn> {
  const sheetTitles = new Map(SHEET_COLUMNS.map((c) => [c.field as string, titlesOf(c.title, c.field)]))
  const codes = Object.keys(BIRTH_CODE_TITLES) as BirthCodeField[]
  const columns = [
    ...templateColumns().map((c) => {
      const sheet = sheetTitles.get(c.field)
      return { field: c.field as BatchColumn, titles: [c.title, ...(sheet?.titles ?? PIX_TITLES[c.field] ?? [])], alsoAccepted: sheet?.alsoAccepted }
    }),
    ...codes.map((field) => ({ field, ...titlesOf(BIRTH_CODE_TITLES[field], field) })),
  ]
  const birthplace = new Set<string>(BIRTHPLACE_REQUIRED.flat())
  const required: BatchColumn[][] = [
    ...templateColumns()
      .filter((c) => !c.optional && !birthplace.has(c.field))
      .map((c) => [c.field]),
    ...BIRTHPLACE_REQUIRED.map((entry) => [...entry]),
  ]
  return { columns, required }
}
