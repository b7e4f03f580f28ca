import { type Locale, t as frenchText, translator } from '../../i18n/index.ts'
import { addMinutes, formatDateShort } from '../../lib/dates.ts'
import type { Db } from '../../db/database.ts'
import { approvalText } from '../candidates/accommodation.ts'
import { listCandidatesWithCourse } from '../candidates/candidates.repository.ts'
import type { CandidateRow } from '../candidates/candidates.table.ts'
import type { SessionRow } from '../sessions/sessions.table.ts'
import { attendanceColumns } from '../supervision/supervision.service.ts'
import { loadSessionClocks } from '../supervision/time-control.service.ts'

/** The seed's sheet shows 10:00 → 12:00. */
export const SESSION_LENGTH_MINUTES = 120

export type SheetCandidate = Pick<
  CandidateRow,
  'last_name' | 'first_name' | 'birthdate' | 'birth_city' | 'birth_department_code' | 'birth_country' | 'email' | 'external_id' | 'extra_time_percentage'
> &
  Partial<Pick<CandidateRow, 'accessibility_needed' | 'accessibility_note' | 'accommodation_approved_by' | 'accommodation_approved_on' | 'erased_at'>>

export function endTime(startTime: string): string {
  return addMinutes(startTime, SESSION_LENGTH_MINUTES)
}

/** One row of the participants table, as printed, in the document's language (French by default). */
export function sheetRow(c: SheetCandidate, locale: Locale = 'fr') {
  const t = translator(locale)
  const approval = approvalText(c, t)
  return {
    // An erased candidate's row stays, as "Candidat effacé".
    lastName: c.erased_at ? t('privacy.erased_candidate') : c.last_name,
    firstName: c.first_name,
    birthdate: formatDateShort(c.birthdate),
    birthCity: c.birth_city,
    department: c.birth_department_code,
    country: c.birth_country,
    email: c.email ?? '',
    externalId: c.external_id ?? '',
    /** "33 %", then who approved it and when ("33 % — Accordé par Mme Martin le 02/09/2026") when written. */
    extraTime: c.extra_time_percentage ? withApproval(t('printables.sheet.extra_time_value', { percent: c.extra_time_percentage }), approval) : '',
    /**
     * Printed under the name (small type): "Aménagement" or "Aménagement : <detail>" (in English on
     * the English sheet), followed by who approved it and when if there is no extra time to carry it; '' without a need.
     */
    accessibility: c.accessibility_needed
      ? withApproval(
          c.accessibility_note ? t('candidates.accessibility_mark_note', { note: c.accessibility_note }) : t('candidates.accessibility_mark'),
          c.extra_time_percentage ? '' : approval,
        )
      : '',
  }
}

/** A value followed by its approval ("33 % — Accordé par … le …"), or the value alone. */
function withApproval(value: string, approval: string): string {
  return approval ? `${value} — ${approval}` : value
}
export type SheetRow = ReturnType<typeof sheetRow>

/*
 * Blank rows fill the last printed page instead of spilling onto a new one (a page holding a
 * single blank row). Which rows fit on a page is worked out here, from the sheet's geometry
 * (public/css/print-page.css, A4 landscape, measured in Chromium) and an estimate of how many
 * lines each candidate's longest value wraps to. The estimate errs on the long side, so a page
 * may end with a little room to spare but the blank rows never overflow it.
 */
export const SHEET_GEOMETRY = {
  /** A4 landscape (210 mm) less the page margins (10 mm + 12 mm). */
  pageHeight: 188,
  /** Top of the first participant row on page 1 when every session value fits on one line. */
  firstRowTop: 78,
  /** The running line and the column titles, repeated at the top of every later page. */
  repeatedHeader: 19.5,
  /** A row's minimum height and padding (td: height, padding). */
  rowHeight: 9,
  rowPadding: 2,
  /**
   * Height of a wrapped line, rounded up: the CSS says 3.4 mm (3.2 mm for e-mails), Chromium
   * measured up to 3.45 mm per line once a long value wraps.
   */
  lineHeight: 3.6,
  /** Kept free at the bottom of each page against rounding. */
  slack: 2,
  /** Width of the participants table and the session block's cells. */
  tableWidth: 277,
}

/** Column of the participants table: share of the width (print-page.css), font size (pt), bold. */
const COLUMNS: Array<{ key: Exclude<keyof SheetRow, 'accessibility'>; share: number; pt: number; bold?: boolean }> = [
  { key: 'lastName', share: 0.105, pt: 8.5, bold: true },
  { key: 'firstName', share: 0.085, pt: 8.5, bold: true },
  { key: 'birthdate', share: 0.075, pt: 8.5 },
  { key: 'birthCity', share: 0.08, pt: 8.5 },
  { key: 'department', share: 0.08, pt: 8.5 },
  { key: 'country', share: 0.065, pt: 8.5 },
  { key: 'email', share: 0.15, pt: 7.5 },
  { key: 'externalId', share: 0.07, pt: 8.5 },
  { key: 'extraTime', share: 0.05, pt: 8.5 },
  // Then "Début – fin" (6.5 %, one line: white-space nowrap), signature and end screen, which never wrap.
]
const CELL_PADDING_X = 2.4
const MM_PER_PT = 25.4 / 72

/** Advance widths in em, DejaVu Sans (the sheet's font), rounded up a little (bold is wider): the first class that matches. */
const CHAR_WIDTHS: ReadonlyArray<{ chars: RegExp; regular: number; bold: number }> = [
  { chars: /[iljtfrI.,:;'’!|()[\] /]/, regular: 0.4, bold: 0.45 },
  { chars: /[mwMW@%—–]/, regular: 1.02, bold: 1.1 },
  { chars: /[0-9]/, regular: 0.66, bold: 0.72 },
  { chars: /\p{Lu}/u, regular: 0.76, bold: 0.82 },
  { chars: /[\s\S]/, regular: 0.63, bold: 0.71 },
]
/** The widest character, in em: a text of n characters is never wider than n of these. */
const WIDEST_EM = Math.max(...CHAR_WIDTHS.map((w) => Math.max(w.regular, w.bold)))
const emCache = new Map<string, number>()

/** Advance width of a character in em, remembered: 200 rows ask the same few dozen characters again and again. */
function charEm(ch: string, bold: boolean): number {
  const key = bold ? `b${ch}` : ch
  let em = emCache.get(key)
  if (em === undefined) {
    const width = CHAR_WIDTHS.find((w) => w.chars.test(ch))!
    em = bold ? width.bold : width.regular
    // Bounded: a hostile sheet of every Unicode character costs a few thousand entries, then no more.
    if (emCache.size < 4096) emCache.set(key, em)
  }
  return em
}

/** How many lines the text takes in a column `width` mm wide: breaks after spaces and hyphens, inside a word too long for a line. */
export function wrappedLines(text: string, width: number, pt: number, bold = false): number {
  if (!text) return 1
  // Most values (a date, a department, a country) fit whatever their characters: no need to measure them.
  if (text.length * WIDEST_EM * pt * MM_PER_PT <= width) return 1
  const charWidth = (ch: string) => charEm(ch, bold) * pt * MM_PER_PT
  const words = text.match(/[^\s-]*[\s-]*/g)!.filter(Boolean)
  let lines = 1
  let used = 0
  let broken = false
  for (const word of words) {
    const w = [...word].reduce((sum, ch) => sum + charWidth(ch), 0)
    if (used + w <= width) {
      used += w
      continue
    }
    if (w <= width) {
      lines++
      used = w
      continue
    }
    // Longer than a line: broken anywhere, character by character.
    if (used > 0) lines++
    broken = true
    used = 0
    for (const ch of word) {
      const c = charWidth(ch)
      if (used + c > width) {
        lines++
        used = 0
      }
      used += c
    }
  }
  // A broken e-mail address was measured taller in Chromium than this count: one line more.
  return broken && text.includes('@') ? lines + 1 : lines
}

/** Estimated printed height (mm) of a candidate's row. */
export function rowHeight(row: SheetRow): number {
  const g = SHEET_GEOMETRY
  let height = g.rowHeight
  for (const column of COLUMNS) {
    const width = column.share * g.tableWidth - CELL_PADDING_X
    let lines = wrappedLines(row[column.key], width, column.pt, column.bold)
    // The accessibility mark sits under the name, in 7.5 pt (print-page.css: .sheet-accessibility).
    if (column.key === 'lastName' && row.accessibility) lines += Math.ceil((wrappedLines(row.accessibility, width, 7.5) * 7.5) / 8.5)
    height = Math.max(height, g.rowPadding + lines * g.lineHeight)
  }
  return height
}

/** Extra height (mm) of the session block when a value wraps (10.5 pt text, line-height 1.35). */
function sessionBlockExtra(session: Pick<SessionRow, 'site_name' | 'room' | 'invigilators'>): number {
  const line = 10.5 * 1.35 * MM_PER_PT
  const valueWidth = 0.33 * SHEET_GEOMETRY.tableWidth - 4
  const peopleWidth = 0.45 * SHEET_GEOMETRY.tableWidth - 4
  const extra = (text: string, width: number) => wrappedLines(text, width, 10.5) - 1
  const values = extra(session.site_name, valueWidth) + extra(session.room, valueWidth)
  // The French label (the longer of the two languages' in practice) for the estimate.
  const people = extra(`${frenchText('printables.sheet.invigilated_by')} ${session.invigilators}`, peopleWidth)
  return (values + people) * line
}

/**
 * How many blank rows follow the candidates (for late additions written by hand): as many as
 * the candidates' last page still holds, so the sheet ends at the bottom of that page. Blank
 * rows never start a page of their own (before, five of them could leave one alone on a new
 * page). With nobody listed, the first page is all blank rows.
 */
export function blankRowCount(rows: readonly SheetRow[], session: Pick<SessionRow, 'site_name' | 'room' | 'invigilators'>): number {
  const g = SHEET_GEOMETRY
  const firstPage = g.pageHeight - g.slack - g.firstRowTop - sessionBlockExtra(session)
  const laterPage = g.pageHeight - g.slack - g.repeatedHeader
  let room = firstPage
  for (const row of rows) {
    const height = rowHeight(row)
    if (height > room) room = laterPage
    room -= Math.min(height, room)
  }
  return Math.floor(room / g.rowHeight)
}

/**
 * The printed attendance sheet of a session, in the document's language: each candidate's row with
 * what the Espace surveillant recorded (start and end times, end screen seen), read at once, and
 * the blank rows that fill the last page.
 */
export async function loadAttendanceSheet(db: Db, session: SessionRow, locale: Locale) {
  const [candidates, clocks] = await Promise.all([listCandidatesWithCourse(db, session.id), loadSessionClocks(db, session.id, session.test_duration_minutes)])
  const rows = candidates.map((c) => ({
    ...sheetRow(c, locale),
    ...attendanceColumns(c, clocks.of({ id: c.id, startedAt: c.started_at, endedAt: c.ended_at, extraTimePercentage: c.extra_time_percentage }), locale),
  }))
  return { rows, blankRows: blankRowCount(rows, session), endTime: endTime(session.start_time) }
}
