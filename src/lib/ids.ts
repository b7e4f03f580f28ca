/**
 * The one rule for an id written in a URL, a query string or a form (a session, candidate, report…
 * number): a plain positive integer, no sign, no leading zero, no more digits than a safe integer
 * holds. Anything else is no id at all (null): the caller answers as for an unknown one.
 */
export function parseId(value: string | null | undefined): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) return null
  const id = Number(value)
  return Number.isSafeInteger(id) ? id : null
}
