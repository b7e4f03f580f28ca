/**
 * Names typed by a candidate on the day rarely match the list letter for letter ("Lefèvre" /
 * "LEFEVRE", "Jean-Marie" / "Jean Marie", "D’Amico" / "d'amico" / "Damico"). Both sides are
 * reduced to lower-case letters and digits: case, accents, spaces, hyphens and apostrophes
 * (straight or curly) do not count.
 */
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ð: 'd', þ: 'th', ł: 'l', đ: 'd' }

export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[œæßøðþłđ]/g, (c) => LIGATURES[c] ?? c)
    .replace(/\p{M}/gu, '') // accents, once decomposed
    .replace(/[^\p{L}\p{N}]/gu, '') // spaces, hyphens, apostrophes, dots…
}

/** Two names are the same person's when they normalise alike (and are not empty). */
export function sameName(a: string, b: string): boolean {
  const left = normaliseName(a)
  return left !== '' && left === normaliseName(b)
}
