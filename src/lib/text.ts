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

/** The message for a value holding a control character, or null. */
export function controlCharacterProblem(value: string): Msg | null {
  const char = controlCharacter(value)
  return char ? msg('form.control_character', { char }) : null
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
