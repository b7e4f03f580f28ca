import t from 'tap'
import { Client, createMember } from '../helper.ts'
import { seedRealisticCentre } from '../lib/realistic.ts'
import { buildWithRoutes, fillUrl } from '../lib/routes.ts'

/*
 * Issue 25, item 2: every control works without HTML5 form association. Text browsers (lynx, w3m)
 * and older browsers ignore `form="…"` and `formaction` / `formmethod` (and the other form*
 * overrides): a button so tied does something else than its label says. Every GET page of the
 * route table, logged in (with the realistic data: reports, documents, convocations to resend) and
 * logged out, must use none of them.
 */
const ASSOCIATION = /<[a-z][^>]*?\s(form|formaction|formmethod|formenctype|formnovalidate|formtarget)\s*=\s*("[^"]*"|'[^']*'|[^\s>]*)/gi

export function formAssociations(html: string): string[] {
  return [...html.matchAll(ASSOCIATION)].map((m) => `${m[1]}=${m[2]}`)
}

t.test('the finder finds what the pages must not have', async (t) => {
  t.same(formAssociations('<button type="submit" formaction="/x">Supprimer</button>'), ['formaction="/x"'])
  t.same(formAssociations('<input type="file" name="fichier" form="document-form">'), ['form="document-form"'])
  t.same(formAssociations('<p>Le form="x" d’un texte</p><form method="post" action="/y">'), [])
})

t.test('no page uses form=, formaction or formmethod', async (t) => {
  const smtp = { host: '127.0.0.1', port: 9, secure: false, user: '', password: '', from: 'certif@example.org' }
  const { server, routes } = await buildWithRoutes(t, { smtp })
  const member = await createMember(server, { centre: 'Centre A' })
  const centre = await seedRealisticCentre(server, 'Centre A', { candidates: 24 })
  const staff = new Client(server)
  await staff.login(member.email)
  const visitor = new Client(server)

  const pages = routes.filter((r) => r.method === 'GET' && !r.url.startsWith('/public/'))
  const found: string[] = []
  let checked = 0
  for (const route of pages) {
    for (const ids of [centre.ids, { ...centre.ids, candidateId: centre.joinedCandidateId }]) {
      for (const [who, client] of [
        ['staff', staff],
        ['visitor', visitor],
      ] as const) {
        const url = fillUrl(route.url, ids)
        const response = await client.get(url)
        if (!String(response.headers['content-type'] ?? '').startsWith('text/html')) continue
        checked++
        for (const attribute of formAssociations(response.body)) found.push(`GET ${url} (${who}): ${attribute}`)
      }
    }
  }
  t.ok(checked > 60, `${checked} pages checked`)
  t.same(found, [], 'no control tied to a form by an attribute')
})
