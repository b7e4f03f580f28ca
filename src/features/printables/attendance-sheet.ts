import { type Locale, type MessageKey, t as frenchText, translator } from '../../i18n/index.ts'
import { addMinutes, formatDateShort } from '../../lib/dates.ts'
import type { Db } from '../../db/database.ts'
import { approvalText, listCandidatesWithCourse, type CandidateRow } from '../candidates/index.ts'
import type { SessionRow } from '../sessions/index.ts'
import { attendanceColumns, loadSessionClocks } from '../supervision/index.ts'

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
  /** Top of the first participant row on page 1 when every session value fits on one line and the column titles on four. */
  firstRowTop: 78,
  /** The running line and the column titles on four lines, repeated at the top of every later page (five lines measured 22.7 mm). */
  repeatedHeader: 19.5,
  /** Each line of the column titles beyond four (7.5 pt, line-height 1.2): the titles' lines depend on the computed widths. */
  headerLine: 3.2,
  /** A row's minimum height and padding (td: height, padding). */
  rowHeight: 8,
  rowPadding: 2,
  /**
   * Height of a wrapped line, rounded up: the CSS says 3.4 mm (3.2 mm for e-mails, emailLineHeight),
   * Chromium measured up to 3.45 mm per line once a long value wraps.
   */
  lineHeight: 3.45,
  emailLineHeight: 3.25,
  /** A row's border and Chromium's rounding: 200 rows of 8 mm measured 8.07 mm apart on average. */
  rowBorder: 0.1,
  /** Kept free at the bottom of each page against rounding. */
  slack: 1,
  /** Width of the participants table and the session block's cells. */
  tableWidth: 277,
}

/**
 * Text columns of the participants table, in order: font size (pt), bold, header key, and how a
 * value may break: `words` (after spaces and hyphens; inside a word only when it is longer than the
 * column can be), `email` (after "@" and before a dot only), `token` (never: an identifier).
 */
type BreakRule = 'words' | 'email' | 'token'
const COLUMNS: Array<{ key: Exclude<keyof SheetRow, 'accessibility'>; pt: number; bold?: boolean; breaks: BreakRule; header: MessageKey }> = [
  { key: 'lastName', pt: 8.5, bold: true, breaks: 'words', header: 'printables.sheet.col.last_name' },
  { key: 'firstName', pt: 8.5, bold: true, breaks: 'words', header: 'printables.sheet.col.first_name' },
  { key: 'birthdate', pt: 8.5, breaks: 'token', header: 'printables.sheet.col.birthdate' },
  { key: 'birthCity', pt: 8.5, breaks: 'words', header: 'printables.sheet.col.birth_city' },
  { key: 'department', pt: 8.5, breaks: 'token', header: 'printables.sheet.col.department' },
  { key: 'country', pt: 8.5, breaks: 'words', header: 'printables.sheet.col.country' },
  { key: 'email', pt: 7.5, breaks: 'email', header: 'printables.sheet.col.email' },
  { key: 'externalId', pt: 8.5, breaks: 'token', header: 'printables.sheet.col.external_id' },
  { key: 'extraTime', pt: 8.5, breaks: 'token', header: 'printables.sheet.col.extra_time' },
]
/** The other columns (mm): N°, "Début – fin" (one line, sized from its values), the end-screen box; Signature takes the rest. */
const NUMBER_WIDTH = 10
const END_SCREEN_WIDTH = 18
const TIMES_MIN_WIDTH = 13
/** Wide enough to sign in */
export const SIGNATURE_MIN_WIDTH = 35
/** A word of a name or commune longer than this is broken rather than widening its column further. */
const WORD_MAX_WIDTH = 40
/** Column titles: 7.5 pt bold, broken between words only. */
const HEADER_PT = 7.5

const CELL_PADDING_X = 2.4
const MM_PER_PT = 25.4 / 72

/** Advance widths in em, DejaVu Sans (the sheet's font), rounded up a little (bold is wider): the first class that matches. */
const CHAR_WIDTHS: ReadonlyArray<{ chars: RegExp; regular: number; bold: number }> = [
  { chars: /[il|]/, regular: 0.29, bold: 0.36 },
  { chars: /[jtf]/, regular: 0.4, bold: 0.49 },
  { chars: /[r]/, regular: 0.42, bold: 0.5 },
  { chars: /[.,:;'’! ]/, regular: 0.33, bold: 0.39 },
  { chars: /[I()[\]/-]/, regular: 0.4, bold: 0.47 },
  { chars: /[mwMW@%—–]/, regular: 1.02, bold: 1.1 },
  { chars: /[0-9]/, regular: 0.65, bold: 0.71 },
  { chars: /\p{Lu}/u, regular: 0.78, bold: 0.85 },
  { chars: /[\s\S]/, regular: 0.65, bold: 0.73 },
]
/** The widest character, in em: a text of n characters is never wider than n of these. */
const WIDEST_EM = Math.max(...CHAR_WIDTHS.map((w) => Math.max(w.regular, w.bold)))
const emCache = new Map<string, number>()
/**
 * The same, by UTF-16 code for the characters below U+2100 (Latin, punctuation, typographic quotes
 * and dashes, the euro sign), 0 until asked; made at the first sheet. A sheet of 200 rows measures
 * tens of thousands of characters: reading an array costs far less than a cache key to build and hash.
 */
const TABLE_CODES = 0x2100
let emTables: { regular: Float64Array; bold: Float64Array } | null = null

/** Advance width of a character in em, remembered: 200 rows ask the same few dozen characters again and again. */
function charEm(ch: string, bold: boolean): number {
  const code = ch.charCodeAt(0)
  if (ch.length === 1 && code < TABLE_CODES) {
    emTables ??= { regular: new Float64Array(TABLE_CODES), bold: new Float64Array(TABLE_CODES) }
    const table = bold ? emTables.bold : emTables.regular
    let em = table[code]!
    if (em === 0) {
      em = classEm(ch, bold)
      table[code] = em
    }
    return em
  }
  const key = bold ? `b${ch}` : ch
  let em = emCache.get(key)
  if (em === undefined) {
    em = classEm(ch, bold)
    // Bounded: a hostile sheet of every Unicode character costs a few thousand entries, then no more.
    if (emCache.size < 4096) emCache.set(key, em)
  }
  return em
}

/** The width of the first class of CHAR_WIDTHS the character belongs to. */
function classEm(ch: string, bold: boolean): number {
  const width = CHAR_WIDTHS.find((w) => w.chars.test(ch))!
  return bold ? width.bold : width.regular
}

/** Width (mm) of a text on one line. */
export function textWidth(text: string, pt: number, bold = false): number {
  let em = 0
  for (const ch of text) em += charEm(ch, bold)
  return em * pt * MM_PER_PT
}

/** The pieces a value may break between: words (after spaces and hyphens), an e-mail's parts (after "@", before a dot), or the whole. */
export function breakPieces(text: string, breaks: BreakRule = 'words'): string[] {
  if (breaks === 'token') return [text]
  if (breaks === 'email') return text.split(/(?<=@)|(?=\.)/)
  return text.match(/[^\s-]*[\s-]*/g)!.filter(Boolean)
}

/** How many lines the text takes in a column `width` mm wide: breaks between its pieces (breakPieces), inside one too long for a line. */
export function wrappedLines(text: string, width: number, pt: number, bold = false, breaks: BreakRule = 'words'): number {
  if (!text) return 1
  // Most values (a date, a department, a country) fit whatever their characters: no need to measure them.
  if (text.length * WIDEST_EM * pt * MM_PER_PT <= width) return 1
  const charWidth = (ch: string) => charEm(ch, bold) * pt * MM_PER_PT
  const words = breakPieces(text, breaks)
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
  // A broken e-mail address was measured taller in Chromium than this count: one line more (unless it breaks only between its parts).
  return broken && text.includes('@') && breaks !== 'email' ? lines + 1 : lines
}

/** Widths (mm) of the participants table's columns, in the template's order; `shares` are the same as fractions of the table. */
export interface SheetLayout {
  /** One per text column (COLUMNS), keyed like SheetRow. */
  text: Record<(typeof COLUMNS)[number]['key'], number>
  number: number
  times: number
  signature: number
  endScreen: number
  /** Lines the tallest column title takes at these widths (they sit above the rows on every page). */
  headerLines: number
  /** A part of an e-mail is wider than any column can be: the addresses may break inside a part. */
  emailsBreakInside: boolean
}

/**
 * The columns sized from the data: each text column as wide as its longest value on
 * one line when everything fits, else the widest columns are capped (their values wrap), never
 * narrower than their longest unbreakable piece (an identifier, a part of an e-mail, a word of the
 * title); Signature gets what is left, at least SIGNATURE_MIN_WIDTH. When even the narrowest widths
 * do not fit, the text columns shrink in proportion (long words then break).
 */
export function sheetLayout(rows: readonly SheetRow[], locale: Locale = 'fr'): SheetLayout {
  const t = translator(locale)
  const g = SHEET_GEOMETRY
  const pad = CELL_PADDING_X
  const times = Math.max(TIMES_MIN_WIDTH, ...rows.map((r) => textWidth((r as { times?: string }).times ?? '', 8.5 * 0.85) + pad + 1))
  // A millimetre to spare: borders and rounding.
  const budget = g.tableWidth - NUMBER_WIDTH - END_SCREEN_WIDTH - times - SIGNATURE_MIN_WIDTH - 1
  const natural: number[] = []
  const narrowest: number[] = []
  const headerFloor: number[] = []
  for (const column of COLUMNS) {
    const headerWords = t(column.header)
      .split(/\s+/)
      .map((word) => textWidth(word, HEADER_PT, true))
    let full = Math.max(...headerWords)
    let piece = Math.max(...headerWords)
    headerFloor.push(piece + pad + 0.5)
    for (const row of rows) {
      const value = row[column.key]
      if (!value) continue
      full = Math.max(full, textWidth(value, column.pt, column.bold))
      const pieces = breakPieces(value, column.breaks).map((p) => textWidth(p.trimEnd(), column.pt, column.bold))
      const longest = Math.max(...pieces)
      piece = Math.max(piece, column.breaks === 'words' ? Math.min(longest, WORD_MAX_WIDTH) : longest)
    }
    natural.push(full + pad + 0.5)
    narrowest.push(piece + pad + 0.5)
  }
  const sum = (widths: number[]) => widths.reduce((a, b) => a + b, 0)
  let widths = natural
  const floor = sum(narrowest)
  // The largest cap (found by halving) under which `capped(cap)` fits the budget.
  const fit = (capped: (cap: number) => number[], high: number) => {
    let low = 0
    for (let step = 0; step < 30; step++) {
      const cap = (low + high) / 2
      if (sum(capped(cap)) > budget) high = cap
      else low = cap
    }
    return capped(low)
  }
  if (sum(natural) > budget && floor > budget) {
    // Even unbroken pieces do not fit: only the columns of words (names, communes, countries) and the e-mails
    // (a part of an address too long for any column) break inside a piece, never narrower than their title's
    // longest word; identifiers and dates keep their width.
    const words = (cap: number) => narrowest.map((w, i) => (COLUMNS[i]!.breaks !== 'token' ? Math.min(w, Math.max(headerFloor[i]!, cap)) : w))
    widths = sum(words(0)) <= budget ? fit(words, Math.max(...narrowest)) : narrowest.map((w) => (w * budget) / floor)
  } else if (sum(natural) > budget) {
    // Only the widest columns wrap: one cap for all, each column min(natural, max(narrowest, cap)); the e-mails'
    // cap is a quarter wider (an address on a third line costs a row, a commune's second line rarely does).
    const weight = COLUMNS.map((c) => (c.breaks === 'email' ? 1.25 : 1))
    widths = fit((cap) => natural.map((w, i) => Math.min(w, Math.max(narrowest[i]!, cap * weight[i]!))), Math.max(...natural))
  }
  const text = Object.fromEntries(COLUMNS.map((c, i) => [c.key, widths[i]!])) as SheetLayout['text']
  const signature = g.tableWidth - NUMBER_WIDTH - END_SCREEN_WIDTH - times - sum(widths)
  const titles: Array<[MessageKey, number]> = [
    ...COLUMNS.map((c, i): [MessageKey, number] => [c.header, widths[i]!]),
    ['printables.sheet.col.number', NUMBER_WIDTH],
    ['printables.sheet.col.times', times],
    ['printables.sheet.col.signature', signature],
    ['printables.sheet.col.end_screen', END_SCREEN_WIDTH],
  ]
  // The estimate's character widths are rounded up; titles, a few words each, are measured without it (1 mm back).
  const headerLines = Math.max(...titles.map(([key, width]) => wrappedLines(t(key), width - pad + 1, HEADER_PT, true)))
  const emailIndex = COLUMNS.findIndex((c) => c.key === 'email')
  const emailsBreakInside = widths[emailIndex]! < narrowest[emailIndex]! - 0.01
  return { text, number: NUMBER_WIDTH, times, endScreen: END_SCREEN_WIDTH, signature, headerLines, emailsBreakInside }
}

/** The layout's widths as percentages of the table, in the template's column order (for its <col width>). */
export function columnShares(layout: SheetLayout): string[] {
  const mm = [layout.number, ...COLUMNS.map((c) => layout.text[c.key]), layout.times, layout.signature, layout.endScreen]
  return mm.map((w) => `${((w / SHEET_GEOMETRY.tableWidth) * 100).toFixed(2)}%`)
}

/** Estimated printed height (mm) of a candidate's row, in the layout of its sheet (by default, a sheet of this row alone). */
export function rowHeight(row: SheetRow, layout: SheetLayout = sheetLayout([row])): number {
  const g = SHEET_GEOMETRY
  let height = g.rowHeight
  for (const column of COLUMNS) {
    const width = layout.text[column.key] - CELL_PADDING_X
    let lines = wrappedLines(row[column.key], width, column.pt, column.bold, column.breaks)
    // The accessibility mark sits under the name, in 7.5 pt (print-page.css: .sheet-accessibility).
    if (column.key === 'lastName' && row.accessibility) lines += Math.ceil((wrappedLines(row.accessibility, width, 7.5) * 7.5) / 8.5)
    height = Math.max(height, g.rowPadding + lines * (column.breaks === 'email' ? g.emailLineHeight : g.lineHeight))
  }
  return height
}

/** Extra height (mm) of the session block when a value wraps (10.5 pt text, line-height 1.35). */
function sessionBlockExtra(session: Pick<SessionRow, 'site_name' | 'room' | 'invigilators'>): number {
  const line = 10.5 * 1.35 * MM_PER_PT
  const valueWidth = 0.33 * SHEET_GEOMETRY.tableWidth - 4
  const peopleWidth = 0.45 * SHEET_GEOMETRY.tableWidth - 4
  // The character widths are rounded up, about 4 % over DejaVu Sans on a line of ordinary words: given back on these long lines.
  const extra = (text: string, width: number) => wrappedLines(text, width * 1.04, 10.5) - 1
  const values = extra(session.site_name, valueWidth) + extra(session.room, valueWidth)
  // The French label (the longer of the two languages' in practice) for the estimate.
  // The people cell spans the four rows of values: a second line of names fits beside them (measured), a third grows the block.
  const people = Math.max(0, extra(`${frenchText('printables.sheet.invigilated_by')} ${session.invigilators}`, peopleWidth) - 1)
  return (values + people) * line
}

/**
 * How many blank rows follow the candidates (for late additions written by hand): as many as
 * the candidates' last page still holds, so the sheet ends at the bottom of that page. Blank
 * rows never start a page of their own (before, five of them could leave one alone on a new
 * page). With nobody listed, the first page is all blank rows.
 */
export function blankRowCount(
  rows: readonly SheetRow[],
  session: Pick<SessionRow, 'site_name' | 'room' | 'invigilators'>,
  layout: SheetLayout = sheetLayout(rows),
): number {
  const g = SHEET_GEOMETRY
  // The column titles take four lines in SHEET_GEOMETRY's measures; more (or fewer) move every page's first row.
  const titles = (layout.headerLines - 4) * g.headerLine
  const firstPage = g.pageHeight - g.slack - g.firstRowTop - titles - sessionBlockExtra(session)
  const laterPage = g.pageHeight - g.slack - g.repeatedHeader - titles
  let room = firstPage
  for (const row of rows) {
    const height = rowHeight(row, layout) + g.rowBorder
    if (height > room) room = laterPage
    room -= Math.min(height, room)
  }
  return Math.floor(room / (g.rowHeight + g.rowBorder))
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
  const layout = sheetLayout(rows, locale)
  return {
    rows,
    blankRows: blankRowCount(rows, session, layout),
    endTime: endTime(session.start_time),
    columnWidths: columnShares(layout),
    emailsBreakInside: layout.emailsBreakInside,
  }
}
