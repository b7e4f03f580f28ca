import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { displayName } from '../../src/lib/display-name.ts'
import { createCandidate, createSession } from '../factories.ts'
import { build, loggedIn } from '../helper.ts'

// displayName (src/lib/display-name.ts) is the one way to write a person: "Julie Dupont" in pages,
// flash messages, mails, documents and the history, from a form's values, a user or a stored row.

t.test('displayName: first name then last name, from either shape; last name first when asked', async (t) => {
  t.equal(displayName({ firstName: 'Zoë', lastName: 'N’Diaye' }), 'Zoë N’Diaye')
  t.equal(displayName({ first_name: 'Zoë', last_name: 'N’Diaye' }), 'Zoë N’Diaye')
  t.equal(displayName({ first_name: 'Zoë', last_name: 'N’Diaye' }, { lastFirst: true }), 'N’Diaye Zoë')
  t.equal(displayName({ firstName: 'Zoë', lastName: 'N’Diaye' }, { lastFirst: true }), 'N’Diaye Zoë')
})

const files = (dir: string, ext: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []))

t.test('no module or template writes a name by hand', async (t) => {
  const first = String.raw`[\w.!\[\]]*(?:first_name|firstName)`
  const last = String.raw`[\w.!\[\]]*(?:last_name|lastName)`
  const byHand = [
    new RegExp(String.raw`\$\{${first}\} \$\{${last}\}|\$\{${last}\} \$\{${first}\}`), // `${p.first_name} ${p.last_name}`
    new RegExp(String.raw`${first} \+ ' ' \+ ${last}|${last} \+ ' ' \+ ${first}`), // p.firstName + ' ' + p.lastName
    new RegExp(String.raw`<%= ${first} %> <%= ${last} %>|<%= ${last} %> <%= ${first} %>`), // <%= p.firstName %> <%= p.lastName %>
  ]
  const offenders = [...files('src', '.ts'), ...files('views', '.eta')].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (byHand.some((re) => re.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  )
  t.same(offenders, [], 'every name goes through displayName')
})

t.test('one person, one name: the header, the history, the delete page, the flash and the history subject', async (t) => {
  const server = await build(t)
  const { client, centreId, userId } = await loggedIn(server, { firstName: 'Zoë', lastName: 'N’Diaye' })
  const member = displayName({ firstName: 'Zoë', lastName: 'N’Diaye' })
  const session = await createSession(server.db, centreId)
  const candidate = await createCandidate(server.db, session.id, { first_name: 'Marie-Ève', last_name: 'Le Gall' })
  const name = displayName(candidate)
  t.equal(name, 'Marie-Ève Le Gall')

  const header = await client.get('/sessions')
  t.match(header.body, new RegExp(`class="user-block__name"[^>]*>${member}</a>`), 'the header names the member')
  const url = `/sessions/${session.id}/candidats/${candidate.id}/supprimer`
  t.ok((await client.get(url)).body.includes(`supprimer le candidat ${name}`), 'the delete page names the candidate')
  t.equal((await client.post(url)).statusCode, 303)
  t.ok((await client.get(`/sessions/${session.id}/candidats`)).body.includes(name), 'the flash names the candidate')
  const entry = await server.db
    .selectFrom('history')
    .select(['actor_name', 'subject'])
    .where('action', '=', 'candidate_deleted')
    .where('actor_user_id', '=', userId)
    .executeTakeFirstOrThrow()
  t.same(entry, { actor_name: member, subject: name }, 'the history names both the same way')
})
