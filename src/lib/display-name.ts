/**
 * A person as the app writes them: a candidate, a member, an account, an invigilator's colleague.
 * From a form's values or a user (`firstName`), or a stored row (`first_name`).
 */
export type Named = { firstName: string; lastName: string } | { first_name: string; last_name: string }

/**
 * The one display name: "Julie Dupont" (first name, then last name) in pages, flash messages, mails,
 * documents and the history; "Dupont Julie" with `lastFirst` where a list reads by surname (the
 * incidents export, the Espace surveillant's bulk list). Who is the same person is another rule
 * (`personNameKey`), and so is the order of a list (`sortPeople`).
 */
export function displayName(person: Named, options: { lastFirst?: boolean } = {}): string {
  const [first, last] = 'firstName' in person ? [person.firstName, person.lastName] : [person.first_name, person.last_name]
  return options.lastFirst ? `${last} ${first}` : `${first} ${last}`
}
