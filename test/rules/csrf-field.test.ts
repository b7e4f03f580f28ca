import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parseForms } from '../lib/html-form.ts'
import { build, createMember, loggedIn } from '../helper.ts'

// views/partials/csrf.eta is the one CSRF field: every form includes it, the header's (centre switch,
// log out) and the language switch as much as a page's own forms.

const templates = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.eta') ? [join(dir, e.name)] : [],
  )

t.test('no template writes the CSRF field by hand: only the partial names it', async (t) => {
  const writers = templates('views').filter((file) => /name=["']?_csrf/.test(readFileSync(file, 'utf8')))
  t.same(writers, [join('views', 'partials', 'csrf.eta')])
})

t.test('the header’s forms and a page’s own form carry the same field, and each is accepted', async (t) => {
  const server = await build(t)
  const { client, email } = await loggedIn(server, { centre: 'Centre A' })
  const other = await createMember(server, { centre: 'Centre B', email })
  const page = await client.get('/mon-compte')
  const forms = parseForms(page.body).filter((f) => f.method === 'POST')
  const tokenOf = (action: string) => {
    const form = forms.find((f) => f.action === action)
    t.ok(form, `a form posting to ${action}`)
    const fields = form?.fields.filter((f) => f.name === '_csrf') ?? []
    t.equal(fields.length, 1, `${action}: one CSRF field`)
    return fields[0]?.value
  }
  const own = tokenOf('/mon-compte/nom')
  t.ok(own, 'the page’s own form has a token')
  for (const action of ['/centre', '/deconnexion', '/langue']) t.equal(tokenOf(action), own, `${action}: the same field as the page’s form`)
  t.equal((await client.post('/langue', { _csrf: own!, langue: 'fr', retour: '/mon-compte' })).statusCode, 303, 'language switch accepted')
  t.equal((await client.post('/centre', { _csrf: own!, centreId: String(other.centreId) })).statusCode, 303, 'centre switch accepted')
  t.equal((await client.post('/deconnexion', { _csrf: own! })).statusCode, 303, 'log out accepted')
})
