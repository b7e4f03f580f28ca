/**
 * Names typed by a candidate on the day rarely match the list letter for letter ("Lefèvre" /
 * "LEFEVRE", "Jean-Marie" / "Jean Marie", "D’Amico" / "d'amico" / "Damico"). The candidate page
 * compares them with the same key as the list's duplicate rule (see `personNameKey`).
 */
export { personNameKey as normaliseName, samePersonName as sameName } from '../candidates/index.ts'
