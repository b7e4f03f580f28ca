import { foldText } from '../../lib/text.ts'

/**
 * The one key of a person's name (birth name or first name), used by every rule that asks
 * "is this the same person?": duplicates in a list or an import, the candidate page's match,
 * the invigilators' search. Anything the import accepts as two people can therefore be told
 * apart on the candidate page, and anything the candidate page takes for one person the import
 * refuses as a duplicate.
 *
 * Decision: a name is its letters and digits, folded (`foldText`: case, accents, ligatures).
 * Spaces, hyphens, apostrophes (straight or curly), dots and every other separator are removed
 * entirely, not turned into a space, so "D'Amico" = "D’Amico" = "Damico" = "D Amico", and
 * "Jean-Marie" = "Jean Marie" = "Jeanmarie": people type the same name with or without them.
 * Abbreviations are not expanded: "St Pierre" ≠ "Saint-Pierre" for a person. A civil-status name
 * is written in full on the identity document the invigilator checks, and the list is copied
 * from it; "St"/"Ste" for "Saint"/"Sainte" is a convention of place names, which `placeKey`
 * (communes, countries) follows.
 */
export function personNameKey(name: string): string {
  return foldText(name).replace(/[^\p{L}\p{N}]/gu, '')
}

/** Two names are the same person's when their keys are equal (and not empty). */
export function samePersonName(a: string, b: string): boolean {
  const left = personNameKey(a)
  return left !== '' && left === personNameKey(b)
}

/** The key of a person: both names and the birthdate (YYYY-MM-DD), as duplicates are found. */
export function personKey(p: { lastName: string; firstName: string; birthdate: string }): string {
  return `${personNameKey(p.lastName)}|${personNameKey(p.firstName)}|${p.birthdate}`
}
