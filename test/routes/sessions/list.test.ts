import t from 'tap'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../../factories.ts'
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
  const old = await createSession(server.db, centreId, {
    date: '2021-01-12',
    start_time: '10:00',
    site_name: 'Centre Testix',
    room: '45',
    invigilators: 'Eric Martin',
  })
  const newer = await createSession(server.db, centreId, { date: '2026-03-02', start_time: '08:30' })
  const sameDayLater = await createSession(server.db, centreId, { date: '2026-03-02', start_time: '14:00' })
  await finaliseSession(server.db, old.id)
  const response = await client.get('/sessions')
  t.equal(response.statusCode, 200)
  const body = response.body
  t.ok(body.includes('<h1>Sessions de certification</h1>'))
  const headers = [...body.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((m) => m[1])
  t.same(headers, ['ID session', 'Nom du site', 'Salle', 'Date', 'Heure', 'Surveillant(s)', 'Candidats inscrits', 'Certifications passées', 'Statut'])
  t.same(rowLinks(body), [sameDayLater.id, newer.id, old.id])
  t.ok(body.indexOf('Créer une session') < body.indexOf('<table'), 'button above the table')
  t.match(
    body,
    new RegExp(
      `aria-label="Session ${old.id}">${old.id}</a></td>\\s*<td[^>]*>Centre Testix</td>\\s*<td[^>]*>45</td>\\s*<td[^>]*>12/01/2021</td>\\s*<td[^>]*>10:00</td>\\s*<td[^>]*>Eric Martin</td>\\s*<td class="numeric"[^>]*>0</td>\\s*<td class="numeric"[^>]*>0</td>\\s*<td[^>]*><span class="badge badge--success">Finalisée</span>`,
    ),
  )
  t.match(body, new RegExp(`aria-label="Session ${newer.id}">[\\s\\S]*?<td[^>]*>02/03/2026</td>\\s*<td[^>]*>08:30</td>[\\s\\S]*?Créée`))
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

t.test('counts: candidates enrolled and certifications taken (joined), per session', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const busy = await createSession(server.db, centreId, { date: '2026-05-02' })
  const empty = await createSession(server.db, centreId, { date: '2026-05-01' })
  const a = await createCandidate(server.db, busy.id, { last_name: 'Alpha' })
  await createCandidate(server.db, busy.id, { last_name: 'Bravo' })
  await createCandidate(server.db, busy.id, { last_name: 'Charlie' })
  await joinCandidate(server.db, a)
  const body = (await client.get('/sessions')).body
  t.match(body, new RegExp(`aria-label="Session ${busy.id}">[\\s\\S]*?<td class="numeric"[^>]*>3</td>\\s*<td class="numeric"[^>]*>1</td>`))
  t.match(body, new RegExp(`aria-label="Session ${empty.id}">[\\s\\S]*?<td class="numeric"[^>]*>0</td>\\s*<td class="numeric"[^>]*>0</td>`))
})

t.test('delete from the list: a link while nobody joined, a disabled icon with the reason once someone did', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const open = await createSession(server.db, centreId, { date: '2026-05-03' })
  const started = await createSession(server.db, centreId, { date: '2026-05-02' })
  const finalised = await createSession(server.db, centreId, { date: '2026-05-01' })
  await joinCandidate(server.db, await createCandidate(server.db, started.id))
  await finaliseSession(server.db, finalised.id)
  const body = (await client.get('/sessions')).body
  t.match(body, new RegExp(`<a class="icon-button icon-button--danger" href="/sessions/${open.id}/supprimer" aria-label="Supprimer la session ${open.id}"`))
  t.notOk(body.includes(`href="/sessions/${started.id}/supprimer"`), 'no delete link once someone joined')
  t.notOk(body.includes(`href="/sessions/${finalised.id}/supprimer"`), 'no delete link on a finalised session')
  const row = (id: number) => body.slice(body.indexOf(`aria-label="Session ${id}"`), body.indexOf('</tr>', body.indexOf(`aria-label="Session ${id}"`)))
  t.match(row(started.id), /icon-button--disabled[^>]*aria-label="Au moins un candidat a rejoint la session, vous ne pouvez pas la supprimer\."/)
  t.match(row(finalised.id), /icon-button--disabled[^>]*aria-label="Cette session est finalisée : elle ne peut pas être supprimée\."/)
  // The icon leads to the existing confirmation page.
  const confirm = await client.get(`/sessions/${open.id}/supprimer`)
  t.equal(confirm.statusCode, 200)
  t.ok(confirm.body.includes(`Supprimer la session ${open.id} ?`))
})

t.test('filters: number, status, date range; values kept in the form and in pagination links', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const january = await createSession(server.db, centreId, { date: '2026-01-15' })
  const february = await createSession(server.db, centreId, { date: '2026-02-10' })
  const march = await createSession(server.db, centreId, { date: '2026-03-05' })
  await finaliseSession(server.db, february.id)

  t.same(rowLinks((await client.get(`/sessions?numero=${march.id}`)).body), [march.id])
  t.same(rowLinks((await client.get('/sessions?statut=finalisee')).body), [february.id])
  t.same(rowLinks((await client.get('/sessions?statut=creee')).body), [march.id, january.id])
  t.same(rowLinks((await client.get('/sessions?statut=toutes')).body), [march.id, february.id, january.id])
  const range = await client.get('/sessions?du=2026-02-01&au=2026-03-05')
  t.same(rowLinks(range.body), [march.id, february.id], 'both bounds included')
  t.match(range.body, /name="du" type="date" value="2026-02-01"/)
  t.match(range.body, /name="au" type="date" value="2026-03-05"/)
  t.ok(range.body.includes('<a class="button button--secondary" href="/sessions">Effacer les filtres</a>'))
  // French dates typed by hand (a browser without a date picker) are read too.
  t.same(rowLinks((await client.get('/sessions?du=01/02/2026&au=28/02/2026')).body), [february.id])
  const both = await client.get(`/sessions?statut=creee&du=2026-03-01`)
  t.same(rowLinks(both.body), [march.id])
  t.match(both.body, /<option value="creee" selected>Créée<\/option>/)
  t.notOk((await client.get('/sessions')).body.includes('Effacer les filtres'), 'no clear link without filters')
})

t.test('filters: nothing found, and bad values reported at their field without hiding the rest', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  const one = await createSession(server.db, centreId, { date: '2026-01-15' })
  const none = await client.get('/sessions?numero=999999')
  t.equal(none.statusCode, 200)
  t.ok(none.body.includes('Aucune session trouvée'))
  t.notOk(none.body.includes('Créez votre première session'), 'not the empty state of a new centre')
  t.ok(none.body.includes('name="numero"'), 'the filters stay on screen')
  const bad = await client.get('/sessions?numero=abc&du=31/02/2026&au=2026-01-20')
  t.equal(bad.statusCode, 200)
  t.ok(bad.body.includes('Le numéro de session est un nombre, par exemple 307.'))
  t.ok(bad.body.includes('Indiquez une date valide, par exemple 12/01/2026.'))
  t.match(bad.body, /id="field-numero" name="numero" type="text" value="abc"[^>]*aria-invalid="true"/)
  t.same(rowLinks(bad.body), [one.id], 'the valid filter (au) still applies')
  const reversed = await client.get('/sessions?du=2026-02-01&au=2026-01-01')
  t.ok(reversed.body.includes('La date « Au » doit être après la date « Du ».'))
  // Another centre's session number is simply not found.
  const other = await createMember(server, { centre: 'Lycée B' })
  const theirs = await createSession(server.db, other.centreId)
  const probe = await client.get(`/sessions?numero=${theirs.id}`)
  t.same(rowLinks(probe.body), [])
  t.ok(probe.body.includes('Aucune session trouvée'))
})

t.test('pagination keeps the filters', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  for (let day = 1; day <= 52; day++) {
    const date = new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10)
    await createSession(server.db, centreId, { date })
  }
  await createSession(server.db, centreId, { date: '2025-06-01' })
  const first = await client.get('/sessions?du=2026-01-01&statut=creee')
  t.ok(first.body.includes('Page 1 sur 2'))
  t.match(first.body, /href="\/sessions\?statut=creee&amp;du=2026-01-01&amp;page=2" rel="next"/)
  const second = await client.get('/sessions?statut=creee&du=2026-01-01&page=2')
  t.equal(rowLinks(second.body).length, 2, '52 sessions of 2026: 2 on page 2, the 2025 one filtered out')
})

t.test('the query string is declared: a parameter given twice or absurdly long gets the 400 page; a bad page number is page 1', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  await createSession(server.db, centreId)
  const twice = await client.get('/sessions?page=1&page=2')
  t.equal(twice.statusCode, 400)
  t.ok(twice.body.includes('<h1'), 'the French error page, not a JSON error')
  t.notOk(twice.body.includes('querystring'), 'no validator wording shown')
  t.equal((await client.get(`/sessions?numero=${'9'.repeat(2001)}`)).statusCode, 400)
  const lenient = await client.get('/sessions?page=abc&autre=1')
  t.equal(lenient.statusCode, 200, 'an unknown parameter is ignored, a bad page number is page 1')
  t.ok(lenient.body.includes('Centre Testix'))
})
