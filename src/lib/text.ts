import { type Msg, msg } from '../i18n/index.ts'
import type { FieldErrors } from './forms.ts'

/**
 * The one rule for every text field of the app (sessions, candidates, finalisation, accounts):
 * no control character. C0 but tab, line feed and carriage return (a line break in a text area, or
 * inside a spreadsheet cell), DEL and C1. Nobody types them; they come from a copy-paste or a
 * crafted request and would end up invisible in the lists, or as `_x0000_` in the .ods sheets.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/

/** 'U+001B' for a character that cannot be shown as it is (control, format, space). */
export function shownChar(ch: string): string {
  return /^[\p{C}\p{Z}]$/u.test(ch) ? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : ch
}

/** The first control character of a value, as 'U+001B', or null. */
export function controlCharacter(value: string): string | null {
  const found = CONTROL.exec(value)
  return found ? shownChar(found[0]) : null
}

/**
 * One-line fields (a site, a room, the invigilators' names, a person's name): besides the rule
 * above, no tab and no line break either (line feed, carriage return, the Unicode line and
 * paragraph separators): pasted into a one-line value they would break the lists, the printed
 * documents and the e-mails that quote it.
 */
const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/

/** The first control character, tab or line break of a one-line value, as 'U+000A', or null. */
export function singleLineCharacter(value: string): string | null {
  const found = CONTROL.exec(value) ?? LINE_BREAK_OR_TAB.exec(value)
  return found ? shownChar(found[0]) : null
}

/**
 * Invisible format characters: the bidirectional overrides, embeddings and isolates (U+202A–U+202E,
 * U+2066–U+2069), the marks (U+200E, U+200F, U+061C), and every other format character (zero-width
 * space, soft hyphen, BOM, tags) but the zero-width joiner and non-joiner, which some scripts need
 * inside a name. They make a name or an address read differently from what it is.
 */
const FORMAT = /(?![\u200c\u200d])\p{Cf}/u

/** The first control, line-break or format character of a person's name, as 'U+202E', or null. */
export function nameCharacter(value: string): string | null {
  const single = singleLineCharacter(value)
  if (single) return single
  const found = FORMAT.exec(value)
  return found ? shownChar(found[0]) : null
}

/**
 * A name quoted in a mail's text, on one line whatever was stored (names kept from before the
 * rules above): every control, line-break and invisible format character becomes a space, so no
 * stored value can add a paragraph or a link to a real e-mail, or make itself read backwards.
 */
export function oneLine(value: string): string {
  return value.replace(new RegExp(`(?:${CONTROL.source}|${LINE_BREAK_OR_TAB.source}|${FORMAT.source})+`, 'gu'), ' ')
}

/** The message for a value holding a control character, or null. */
export function controlCharacterProblem(value: string): Msg | null {
  const char = controlCharacter(value)
  return char ? msg('form.control_character', { char }) : null
}

/** One message per listed one-line field that holds a control character, a tab or a line break (the same message). */
export function singleLineErrors(values: Readonly<Record<string, unknown>>, fields: readonly string[]): FieldErrors {
  const errors: FieldErrors = {}
  for (const field of fields) {
    const value = values[field]
    const char = typeof value === 'string' ? singleLineCharacter(value) : null
    if (char) errors[field] = msg('form.control_character', { char })
  }
  return errors
}

/**
 * One message per listed field that holds a control character. Checked on the values as received
 * (before any clean-up that would silently turn some into spaces); the form's other rules keep
 * the first message found (`errors[field] ??= …`).
 */
export function controlCharacterErrors(values: Readonly<Record<string, unknown>>, fields: readonly string[]): FieldErrors {
  const errors: FieldErrors = {}
  for (const field of fields) {
    const value = values[field]
    const problem = typeof value === 'string' ? controlCharacterProblem(value) : null
    if (problem) errors[field] = problem
  }
  return errors
}

/**
 * The one folding of text for comparisons: compatibility-decomposed (NFKD: "ﬁ" → "fi", no-break
 * space → space), lower case, accents and other combining marks dropped, the usual ligatures and
 * special letters spelled out (œ → oe, ß → ss, ø → o…). What each comparison then does with spaces
 * and punctuation is its own rule: person names (`personNameKey`), communes and countries
 * (`placeKey`), sheet column titles (`titleKey`) all start from this.
 */
const LETTERS: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ð: 'd', þ: 'th', ł: 'l', đ: 'd', ı: 'i' }

export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[œæßøðþłđı]/g, (c) => LETTERS[c] ?? c)
    .replace(/\p{M}/gu, '')
}

/**
 * Line breaks as one character: browsers send a textarea's breaks as CRLF but count each as one
 * against `maxlength`, so every multi-line field is normalised before its length is checked and
 * before it is stored (the finalisation comments, a report's details, the centre's instructions).
 */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}
