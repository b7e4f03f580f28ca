import t from 'tap'
import { HISTORY_PAGE_SIZE } from '../../../src/features/history/history.ts'
import { createCandidate, createSession } from '../../factories.ts'
import { build, Client, loggedIn } from '../../helper.ts'

function decode(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}
const session = { siteName: 'Lycée Testix', room: 'B12', date: '2030-03-15', startTime: '14:30', invigilators: 'Eric Martin', observations: '' }
const candidate = (firstName: string) => ({
  lastName: 'Martin',
  firstName,
  birthdate: '13/03/1996',
  birthCity: 'Le Havre',
  birthDepartment: '76',
  birthCountry: 'France',
  email: '',
  externalId: '',
  extraTime: '',
})

t.test('a session’s details tab shows its history, newest first, paginated, with who and what', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server, { centre: 'Centre A', firstName: 'Anne', lastName: 'Admin' })
  const other = await loggedIn(server, { centre: 'Centre B', firstName: 'Bob', lastName: 'Ailleurs' })
  await client.get('/sessions/nouvelle')
  const created = await client.post('/sessions/nouvelle', session)
  const url = String(created.headers.location)
  const id = Number(url.split('/').pop())
  await client.get(`${url}/candidats/nouveau`)
  await client.post(`${url}/candidats/nouveau`, candidate('Léa'))
  await client.post(`${url}/modifier`, { ...session, room: 'C3' })
  await other.client.get('/sessions/nouvelle')
  await other.client.post('/sessions/nouvelle', session)

  const page = decode((await client.get(url)).body)
  t.ok(page.includes('<h2 id="session-history-title">Historique</h2>'))
  const order = ['Session modifiée', 'Candidat ajouté : Léa Martin', 'Session créée'].map((text) => page.indexOf(text))
  t.ok(
    order.every((i) => i > 0),
    'each change is listed',
  )
  t.same(
    [...order].sort((a, b) => a - b),
    order,
    'newest first',
  )
  t.ok(page.includes('Anne Admin'), 'who')
  t.notOk(page.includes('Bob Ailleurs'), 'nothing of another centre')

  for (let i = 0; i < HISTORY_PAGE_SIZE; i++) await client.post(`${url}/modifier`, { ...session, room: `Salle ${i}` })
  const first = decode((await client.get(url)).body)
  t.ok(first.includes('Page 1 sur 2'), 'paginated')
  t.notOk(first.includes('Session créée'), 'the oldest entry is on the next page')
  const second = decode((await client.get(`/sessions/${id}?historique=2`)).body)
  t.ok(second.includes('Session créée'), 'found on page 2')
  t.ok(second.includes('Page 2 sur 2'))
})

t.test('/equipe/historique: the whole centre’s history for admins, filtered by session number', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server, { centre: 'Centre A', firstName: 'Anne', lastName: 'Admin' })
  await client.get('/sessions/nouvelle')
  const one = Number(
    String((await client.post('/sessions/nouvelle', session)).headers.location)
      .split('/')
      .pop(),
  )
  const two = Number(
    String((await client.post('/sessions/nouvelle', session)).headers.location)
      .split('/')
      .pop(),
  )
  await client.get('/equipe/invitations')
  await client.post('/equipe/invitations', { emails: 'nina@example.org', role: 'member' })

  const all = decode((await client.get('/equipe/historique')).body)
  t.ok(all.includes(`Session ${one}`) && all.includes(`Session ${two}`))
  t.ok(all.includes('Invitation envoyée : nina@example.org'))
  t.notMatch(all, /jeton=/, 'never a token')
  const filtered = decode((await client.get(`/equipe/historique?session=${two}`)).body)
  t.ok(filtered.includes(`Session ${two}`))
  t.notOk(filtered.includes(`Session ${one}</td>`), 'only that session')
  t.notOk(filtered.includes('Invitation envoyée'))
  const bad = await client.get('/equipe/historique?session=abc')
  t.equal(bad.statusCode, 400)
  t.ok(decode(bad.body).includes('Veuillez indiquer un numéro de session'))

  const { client: member } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
  t.equal((await member.get('/equipe/historique')).statusCode, 403, 'admins only')
})

t.test('a deleted session keeps its history; a member who leaves is recorded', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  const { client: member } = await loggedIn(server, { centre: 'Centre A', role: 'member', firstName: 'Marc', lastName: 'Parti' })
  await client.get('/sessions/nouvelle')
  const id = Number(
    String((await client.post('/sessions/nouvelle', session)).headers.location)
      .split('/')
      .pop(),
  )
  await client.post(`/sessions/${id}/supprimer`)
  await member.get('/equipe/quitter')
  await member.post('/equipe/quitter')
  const page = decode((await client.get(`/equipe/historique?session=${id}`)).body)
  t.ok(page.includes('Session supprimée'))
  t.ok(page.includes('Session créée'))
  t.ok(decode((await client.get('/equipe/historique')).body).includes('A quitté le centre : Marc Parti'))
})

t.test(
  'each actor is shown unambiguously: the name at the time and the account’s address; renames recorded; the invigilator label is the app’s (issue 23, item 6)',
  async (t) => {
    const server = await build(t)
    const admin = await loggedIn(server, { centre: 'Centre A', firstName: 'Alice', lastName: 'Admin', email: 'alice@example.org' })
    const member = await loggedIn(server, { centre: 'Centre A', role: 'member', firstName: 'Mallory', lastName: 'Martin', email: 'mallory@example.org' })
    await admin.client.get('/sessions/nouvelle')
    await admin.client.post('/sessions/nouvelle', session)
    // The member takes the admin's name, then acts.
    await member.client.get('/mon-compte')
    t.equal((await member.client.post('/mon-compte/nom', { firstName: 'Alice', lastName: 'Admin' })).statusCode, 303)
    const reserved = await member.client.post('/mon-compte/nom', { firstName: 'Surveillant', lastName: '(mot de passe de session)' })
    t.equal(reserved.statusCode, 400, 'the invigilator label is not a name anyone can take')
    await member.client.get('/sessions/nouvelle')
    await member.client.post('/sessions/nouvelle', { ...session, room: 'C7' })
    // An invigilator acts with the session's password.
    const supervised = await createSession(server.db, admin.centreId, { invigilator_password: 'K7QB2M' })
    const julie = await createCandidate(server.db, supervised.id, { first_name: 'Julie', last_name: 'Dupont' })
    const invigilator = new Client(server)
    await invigilator.get('/surveillance')
    t.equal((await invigilator.post('/surveillance', { sessionNumber: String(supervised.id), password: 'K7QB2M' })).statusCode, 303)
    await invigilator.get(`/sessions/${supervised.id}/surveillance`)
    t.equal((await invigilator.post(`/sessions/${supervised.id}/surveillance/candidats/${julie.id}/presence`)).statusCode, 303)

    const page = decode((await admin.client.get('/equipe/historique')).body)
    const rows = [...page.matchAll(/<tr>\s*<td>[^<]*<\/td>\s*<td class="history-actor">([\s\S]*?)<\/td>[\s\S]*?<td>([^<]*)<\/td>\s*<\/tr>/g)].map((m) => ({
      who: m[1]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
      what: m[2]!.trim(),
    }))
    t.same(rows, [
      { who: 'Surveillant mot de passe de la session, sans compte', what: 'Présence confirmée : Julie Dupont' },
      { who: 'Alice Admin mallory@example.org', what: 'Session créée' },
      { who: 'Mallory Martin mallory@example.org', what: 'Nom du compte modifié : Mallory Martin → Alice Admin' },
      { who: 'Alice Admin alice@example.org', what: 'Session créée' },
      { who: 'Service informatique ligne de commande du serveur, sans compte', what: 'A rejoint le centre : Mallory Martin' },
      { who: 'Service informatique ligne de commande du serveur, sans compte', what: 'A rejoint le centre : Alice Admin' },
    ])
    const stored = await server.db.selectFrom('history').select(['actor_kind', 'actor_email']).where('centre_id', '=', admin.centreId).orderBy('id').execute()
    t.same(
      stored.map((r) => r.actor_email),
      [null, null, 'alice@example.org', 'mallory@example.org', 'mallory@example.org', null],
      'the address at the time is stored',
    )
  },
)
