import t from 'tap'
import { createSession, finaliseSession } from '../../factories.ts'
import { build, createMember, loggedIn } from '../../helper.ts'

const rowLinks = (body: string) => [...body.matchAll(/class="row-link" href="\/sessions\/(\d+)"/g)].map((m) => Number(m[1]))

t.test('no session yet: the guide’s empty state', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  const response = await client.get('/sessions')
  t.equal(response.statusCode, 200)
  t.ok(response.body.includes('Créez votre première session de certification'))
  t.match(response.body, /<a class="button" href="\/sessions\/nouvelle">Créer une session <span aria-hidden="true">\+<\/span><\/a>/)
  t.notOk(response.body.includes('<table'))
})

t.test('the list: guide columns, newest date first, statuses, one link per row, button above', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const old = await createSession(server.db, centreId, { date: '2021-01-12', start_time: '10:00', site_name: 'Centre Testix', room: '45', invigilators: 'Eric Martin' })
  const newer = await createSession(server.db, centreId, { date: '2026-03-02', start_time: '08:30' })
  const sameDayLater = await createSession(server.db, centreId, { date: '2026-03-02', start_time: '14:00' })
  await finaliseSession(server.db, old.id)
  const response = await client.get('/sessions')
  t.equal(response.statusCode, 200)
  const body = response.body
  t.ok(body.includes('<h1>Sessions de certification</h1>'))
  const headers = [...body.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((m) => m[1])
  t.same(headers, ['ID session', 'Nom du site', 'Salle', 'Date', 'Heure', 'Surveillant(s)', 'Statut'])
  t.same(rowLinks(body), [sameDayLater.id, newer.id, old.id])
  t.ok(body.indexOf('Créer une session') < body.indexOf('<table'), 'button above the table')
  t.match(body, new RegExp(`aria-label="Session ${old.id}">${old.id}</a></td>\\s*<td>Centre Testix</td>\\s*<td>45</td>\\s*<td>12/01/2021</td>\\s*<td>10:00</td>\\s*<td>Eric Martin</td>\\s*<td><span class="badge badge--success">Finalisée</span>`))
  t.match(body, new RegExp(`aria-label="Session ${newer.id}">[\\s\\S]*?<td>02/03/2026</td>\\s*<td>08:30</td>[\\s\\S]*?Créée`))
  t.notOk(body.includes('Pages de la liste'), 'no pagination for 3 rows')
})

t.test('only the current centre’s sessions are listed', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server, { centre: 'Lycée A' })
  const other = await createMember(server, { centre: 'Lycée B' })
  const mine = await createSession(server.db, centreId, { site_name: 'Site du lycée A' })
  await createSession(server.db, other.centreId, { site_name: 'Site secret du lycée B' })
  const response = await client.get('/sessions')
  t.same(rowLinks(response.body), [mine.id])
  t.notOk(response.body.includes('Site secret du lycée B'))
})

t.test('past 50 sessions the list is paginated', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const ids: number[] = []
  for (let day = 1; day <= 51; day++) {
    // One day each from 1 January: the oldest lands alone on page 2.
    const date = new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10)
    ids.push((await createSession(server.db, centreId, { date })).id)
  }
  const first = await client.get('/sessions')
  t.equal(rowLinks(first.body).length, 50)
  t.notOk(rowLinks(first.body).includes(ids[0]!), 'the oldest is not on page 1')
  t.ok(first.body.includes('Page 1 sur 2'))
  t.ok(first.body.includes('Sessions 1 à 50 sur 51'))
  t.match(first.body, /<a href="\/sessions\?page=2" rel="next">Page suivante →<\/a>/)
  t.notOk(first.body.includes('rel="prev"'))

  const second = await client.get('/sessions?page=2')
  t.same(rowLinks(second.body), [ids[0]])
  t.ok(second.body.includes('Page 2 sur 2'))
  t.ok(second.body.includes('Sessions 51 à 51 sur 51'))
  t.match(second.body, /<a href="\/sessions\?page=1" rel="prev">← Page précédente<\/a>/)
  t.notOk(second.body.includes('rel="next"'))

  const beyond = await client.get('/sessions?page=7')
  t.equal(beyond.statusCode, 200)
  t.same(rowLinks(beyond.body), [ids[0]], 'a page past the end shows the last one')
  const junk = await client.get('/sessions?page=abc')
  t.equal(rowLinks(junk.body).length, 50, 'junk means page 1')
})

t.test('the list needs a logged-in user', async (t) => {
  const server = await build(t)
  const response = await server.inject('/sessions')
  t.equal(response.statusCode, 303)
  t.match(response.headers.location, /^\/connexion/)
})
