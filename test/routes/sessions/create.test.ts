import t from 'tap'
import { ACCESS_CODE_PATTERN } from '../../../src/features/sessions/access-code.ts'
import { build, loggedIn } from '../../helper.ts'

const form = { siteName: 'Centre Testix', room: '45', date: '2021-01-12', startTime: '10:00', invigilators: 'Eric Martin', observations: '' }

const errorOf = (body: string, field: string) => new RegExp(`<p class="field__error" id="field-${field}-error">([^<]+)</p>`).exec(body)?.[1]
const valueOf = (body: string, field: string) => new RegExp(`<input id="field-${field}" name="${field}" type="(\\w+)" value="([^"]*)"`).exec(body)?.slice(1)

t.test('the creation form has the guide’s labels and buttons', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  const response = await client.get('/sessions/nouvelle')
  t.equal(response.statusCode, 200)
  const body = response.body
  t.ok(body.includes('<h1>Création d’une session de certification</h1>'))
  const labels = [...body.matchAll(/<label for="field-\w+">([^<]+?)\s*(?:<span class="field__optional">\(([^)]+)\)<\/span>)?<\/label>/g)].map((m) =>
    m[2] ? `${m[1]} (${m[2]})` : m[1],
  )
  t.same(labels, [
    'Nom du site',
    'Nom de la salle',
    'Date de début',
    'Heure de début (heure locale)',
    'Surveillant(s)',
    'Durée de l’épreuve (minutes)',
    'Observations (optionnel)',
  ])
  t.same(valueOf(body, 'date'), ['date', ''], 'native date input')
  t.same(valueOf(body, 'startTime'), ['time', ''], 'native time input')
  t.match(body, /<a class="button button--secondary" href="\/sessions">Annuler<\/a>/)
  t.match(body, /<button type="submit" class="button">Créer la session<\/button>/)
  t.ok(body.includes('name="_csrf"'))
})

t.test('creating a session: 303 to its details with a message and an access code', async (t) => {
  const server = await build(t)
  const { client, centreId } = await loggedIn(server)
  await client.get('/sessions/nouvelle')
  const response = await client.post('/sessions/nouvelle', { ...form, observations: 'Salle au 2e étage' })
  t.equal(response.statusCode, 303)
  const row = await server.db.selectFrom('certification_session').selectAll().executeTakeFirstOrThrow()
  t.equal(response.headers.location, `/sessions/${row.id}`)
  t.match(row, {
    centre_id: centreId,
    site_name: 'Centre Testix',
    room: '45',
    date: '2021-01-12',
    start_time: '10:00',
    invigilators: 'Eric Martin',
    observations: 'Salle au 2e étage',
    finalised_at: null,
  })
  t.match(row.access_code, ACCESS_CODE_PATTERN)
  const details = await client.get(response.headers.location as string)
  t.ok(details.body.includes(`La session ${row.id} a été créée.`))
  t.match(details.body, new RegExp(`<span class="access-code" id="access-code"[^>]*>${row.access_code}</span>`))
  const again = await client.get(response.headers.location as string)
  t.notOk(again.body.includes('a été créée'), 'the message is shown once')
})

t.test('jj/mm/aaaa and HH:MM typed by hand are accepted; ids are sequential', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  await client.get('/sessions/nouvelle')
  const first = await client.post('/sessions/nouvelle', { ...form, date: '12/01/2021', startTime: '9:05' })
  await client.get('/sessions/nouvelle')
  const second = await client.post('/sessions/nouvelle', form)
  const rows = await server.db.selectFrom('certification_session').select(['id', 'date', 'start_time']).orderBy('id').execute()
  t.same(
    rows.map((r) => [r.date, r.start_time]),
    [
      ['2021-01-12', '09:05'],
      ['2021-01-12', '10:00'],
    ],
  )
  t.equal(first.headers.location, `/sessions/${rows[0]!.id}`)
  t.equal(second.headers.location, `/sessions/${rows[0]!.id + 1}`)
})

t.test('an empty form comes back with every message, the summary and accessible fields', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  await client.get('/sessions/nouvelle')
  const response = await client.post('/sessions/nouvelle', { siteName: ' ', room: '', date: '', startTime: '', invigilators: '', observations: '' })
  t.equal(response.statusCode, 400)
  const body = response.body
  t.ok(body.includes('Le formulaire contient des erreurs'))
  t.ok(body.includes('Corrigez les 5 erreurs ci-dessous.'))
  const expected = {
    siteName: 'Veuillez indiquer un nom de site.',
    room: 'Veuillez indiquer un nom de salle.',
    date: 'Veuillez indiquer une date de début (valide).',
    startTime: 'Veuillez indiquer une heure de début (valide).',
    invigilators: 'Veuillez indiquer un(e) surveillant(e).',
  }
  for (const [field, message] of Object.entries(expected)) {
    t.equal(errorOf(body, field), message, field)
    t.ok(body.includes(`<li><a href="#field-${field}">${message}</a></li>`), `${field} in the summary`)
    t.match(body, new RegExp(`<(input|textarea) id="field-${field}"[^>]*aria-describedby="[^"]*field-${field}-error"[^>]*aria-invalid="true"`), `${field} aria`)
  }
  t.equal(errorOf(body, 'observations'), undefined)
  t.equal(
    await server.db
      .selectFrom('certification_session')
      .selectAll()
      .execute()
      .then((r) => r.length),
    0,
    'nothing saved',
  )
})

t.test('31/02/2026 and 24:00 are refused, and come back as typed', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  await client.get('/sessions/nouvelle')
  const response = await client.post('/sessions/nouvelle', { ...form, date: '31/02/2026', startTime: '24:00', siteName: 'Lycée Victor Hugo' })
  t.equal(response.statusCode, 400)
  t.equal(errorOf(response.body, 'date'), 'Veuillez indiquer une date de début (valide).')
  t.equal(errorOf(response.body, 'startTime'), 'Veuillez indiquer une heure de début (valide).')
  t.same(valueOf(response.body, 'date'), ['text', '31/02/2026'])
  t.same(valueOf(response.body, 'startTime'), ['text', '24:00'])
  t.same(valueOf(response.body, 'siteName'), ['text', 'Lycée Victor Hugo'])
  t.ok(response.body.includes('Corrigez les 2 erreurs ci-dessous.'))
  // A valid date typed by hand goes back into the native input when another field is wrong.
  const other = await client.post('/sessions/nouvelle', { ...form, date: '12/01/2021', invigilators: '' })
  t.same(valueOf(other.body, 'date'), ['date', '2021-01-12'])
  t.equal(
    await server.db
      .selectFrom('certification_session')
      .selectAll()
      .execute()
      .then((r) => r.length),
    0,
  )
})

t.test('over-long fields are refused with a message each', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  await client.get('/sessions/nouvelle')
  const response = await client.post('/sessions/nouvelle', {
    ...form,
    siteName: 's'.repeat(256),
    room: 'r'.repeat(256),
    invigilators: 'i'.repeat(256),
    observations: 'o'.repeat(351),
  })
  t.equal(response.statusCode, 400)
  t.equal(errorOf(response.body, 'siteName'), 'Le nom du site ne doit pas dépasser 255 caractères.')
  t.equal(errorOf(response.body, 'room'), 'Le nom de la salle ne doit pas dépasser 255 caractères.')
  t.equal(errorOf(response.body, 'invigilators'), 'Le nom du ou des surveillant(s) ne doit pas dépasser 255 caractères.')
  t.equal(errorOf(response.body, 'observations'), 'Les observations ne doivent pas dépasser 350 caractères.')
  t.ok(response.body.includes('o'.repeat(351)), 'the observations typed come back')
  const atLimit = await client.post('/sessions/nouvelle', { ...form, siteName: 's'.repeat(255), observations: 'o'.repeat(350) })
  t.equal(atLimit.statusCode, 303, 'the limits themselves are accepted')
})

t.test('an HTML payload is stored as text and shown escaped', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  const payload = '<script>alert("x")</script><b>Lycée</b>'
  await client.get('/sessions/nouvelle')
  const invalid = await client.post('/sessions/nouvelle', { ...form, siteName: payload, date: '' })
  t.notOk(invalid.body.includes(payload), 'not raw in the form')
  t.ok(invalid.body.includes('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Lycée&lt;/b&gt;"'))
  const created = await client.post('/sessions/nouvelle', { ...form, siteName: payload, observations: payload })
  t.equal(created.statusCode, 303)
  for (const url of [created.headers.location as string, '/sessions']) {
    const page = await client.get(url)
    t.notOk(page.body.includes('<script>alert'), `${url}: no raw script`)
    t.ok(page.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Lycée&lt;/b&gt;'), `${url}: escaped`)
  }
})

t.test('a NUL or another control character is refused in the session fields, nothing is stored', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  await client.get('/sessions/nouvelle')
  const response = await client.post('/sessions/nouvelle', { ...form, siteName: 'Centre\u0000Testix', observations: 'Salle\u001b[31m' })
  t.equal(response.statusCode, 400)
  t.equal(
    errorOf(response.body, 'siteName'),
    'Ce champ contient un caractère de contrôle invisible (U+0000), souvent venu d’un copier-coller : effacez la valeur et tapez-la de nouveau au clavier.',
  )
  t.match(response.body, /id="field-observations-error">Ce champ contient un caractère de contrôle invisible \(U\+001B\)/)
  t.equal((await server.db.selectFrom('certification_session').select('id').execute()).length, 0)
})

t.test('creating needs the form’s CSRF token', async (t) => {
  const server = await build(t)
  const { client } = await loggedIn(server)
  const response = await client.post('/sessions/nouvelle', { ...form, _csrf: 'forged' })
  t.equal(response.statusCode, 403)
  t.equal(
    await server.db
      .selectFrom('certification_session')
      .selectAll()
      .execute()
      .then((r) => r.length),
    0,
  )
})
