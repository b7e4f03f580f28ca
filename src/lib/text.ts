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
