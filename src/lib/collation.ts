/**
 * The one French order of every list of people (Candidats tab, finalisation, attendance sheet
 * printed or .ods, invigilators' lists) and of names shown in lists (centres): "de Gaulle",
 * "Élodie", "émile" sort among the D and E, not after "Zoé" as SQLite's byte order (and
 * PostgreSQL's "C" collation) would put them.
 *
 * The sort is done here, in JavaScript, after the query, never by the database: the lists of
 * people are bounded (one session, at most 2,000 candidates), so the same comparator gives the
 * same order on SQLite and PostgreSQL without a collation registered in either (better-sqlite3
 * cannot register one). Lists paginated in SQL are ordered by ISO dates and times, whose byte
 * order is already the right one.
 */
let collators: { base: Intl.Collator; exact: Intl.Collator } | undefined
/** Made at the first sort, not at start (ICU's French data then stays out of an idle server's memory). */
function frenchCollators(): { base: Intl.Collator; exact: Intl.Collator } {
  return (collators ??= {
    base: new Intl.Collator('fr', { sensitivity: 'base', ignorePunctuation: true, numeric: true }),
    /** Breaks ties between names equal but for accents or case, so the order never depends on the database's. */
    exact: new Intl.Collator('fr', { sensitivity: 'variant', numeric: true }),
  })
}

/** French alphabetical comparison of two texts: accents, case, spaces and punctuation count only to break a tie. */
export function compareFrench(a: string, b: string): number {
  const { base, exact } = frenchCollators()
  return base.compare(a, b) || exact.compare(a, b)
}

/** What people are sorted by: birth name, first name, then birthdate (YYYY-MM-DD) and id, for a stable order. */
export interface PersonOrder {
  lastName: string
  firstName: string
  birthdate?: string
  id?: number
}

export function comparePeople(a: PersonOrder, b: PersonOrder): number {
  const { base, exact } = frenchCollators()
  return (
    base.compare(a.lastName, b.lastName) ||
    base.compare(a.firstName, b.firstName) ||
    exact.compare(a.lastName, b.lastName) ||
    exact.compare(a.firstName, b.firstName) ||
    (a.birthdate ?? '').localeCompare(b.birthdate ?? '') ||
    (a.id ?? 0) - (b.id ?? 0)
  )
}

/** A copy of `rows` in the order of people, `person` telling each row's names. */
export function sortPeople<T>(rows: readonly T[], person: (row: T) => PersonOrder): T[] {
  return rows
    .map((row) => ({ row, key: person(row) }))
    .sort((a, b) => comparePeople(a.key, b.key))
    .map((x) => x.row)
}

/** The same for rows as stored (`last_name`, `first_name`, …). */
export function sortPeopleRows<T extends { last_name: string; first_name: string; birthdate?: string; id?: number }>(rows: readonly T[]): T[] {
  return sortPeople(rows, (r) => ({ lastName: r.last_name, firstName: r.first_name, birthdate: r.birthdate, id: r.id }))
}
