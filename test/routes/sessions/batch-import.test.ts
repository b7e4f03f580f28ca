import t from 'tap'
import { templateTitles } from '../../../src/features/batch-import/columns.ts'
import { csvOf, type Line } from '../../lib/batch-csv.ts'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../../factories.ts'
import { build, createMember, loggedIn, type Teardown } from '../../helper.ts'

const BASE = '/sessions/import-multiple'
const FUTURE = '15/06/2030'

const session = (site: string, extra: Line = {}): Line => ({ site, room: 'Salle 1', date: FUTURE, time: '09:00', invigilators: 'Eric Martin', ...extra })
const candidate = (last: string, extra: Line = {}): Line => ({
  last,
  first: 'Julie',
  birthdate: '13/03/1996',
  city: 'Le Havre',
  dept: '76',
  country: 'France',
  ...extra,
})

async function setup(t: Teardown, role: 'admin' | 'member' = 'admin') {
  const server = await build(t)
  const member = await loggedIn(server, { role })
  await member.client.get(BASE)
  const upload = async (bytes: Buffer, filename = 'sessions.csv') => {
    const data = new FormData()
    data.append('fichier', new Blob([new Uint8Array(bytes)]), filename)
    return member.client.postMultipart(`${BASE}/import`, data)
  }
  /** Uploads, follows to the recap page. */
  const recap = async (bytes: Buffer) => {
    const response = await upload(bytes)
    if (response.statusCode !== 303) return { response, page: response, url: '' }
    const url = response.headers.location as string
    return { response, page: await member.client.get(url), url }
  }
  const sessions = () => server.db.selectFrom('certification_session').selectAll().where('centre_id', '=', member.centreId).orderBy('id').execute()
  const candidatesOf = async (sessionId: number) =>
    (await server.db.selectFrom('candidate').select('last_name').where('session_id', '=', sessionId).orderBy('id').execute()).map((r) => r.last_name)
  return { server, ...member, upload, recap, sessions, candidatesOf }
}

t.test('templates: .csv with BOM and ; in the issue’s column order; .ods with the same header', async (t) => {
  const { client } = await setup(t)
  const page = await client.get(BASE)
  t.equal(page.statusCode, 200)
  for (const text of ['Import du modèle', 'Télécharger le modèle (.csv)', 'Télécharger le modèle (.ods)', 'Importer le modèle complété'])
    t.ok(page.body.includes(text), text)
  const csv = await client.get(`${BASE}/modele.csv`)
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /text\/csv/)
  t.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 BOM')
  t.equal(
    csv.body.replace('\ufeff', '').trim(),
    [
      'Numéro de session préexistante',
      '* Nom du site',
      '* Nom de la salle',
      '* Date de début (format : jj/mm/aaaa)',
      '* Heure de début (heure locale, format : hh:mm)',
      '* Surveillant(s)',
      'Observations (optionnel)',
      '* Nom de naissance',
      '* Prénom',
      '* Date de naissance (format : jj/mm/aaaa)',
      '* Commune de naissance',
      '* Code du département de naissance',
      '* Pays de naissance',
      'Adresse e-mail de convocation',
      'Identifiant local',
      'Temps majoré ?',
      'Aménagement (oui ou laisser vide)',
      'Aménagement accordé par',
      'Aménagement accordé le',
    ]
      .map((h) => `"${h}"`)
      .join(';'),
  )
  const ods = await client.get(`${BASE}/modele.ods`)
  t.equal(ods.statusCode, 200)
  t.equal(ods.headers['content-type'], 'application/vnd.oasis.opendocument.spreadsheet')
  t.equal(ods.rawPayload.subarray(30, 38).toString(), 'mimetype', 'mimetype entry first, as LibreOffice writes it')
})

t.test('the session list links to the feature', async (t) => {
  const { client, server, centreId } = await setup(t)
  t.ok((await client.get('/sessions')).body.includes(`href="${BASE}"`), 'empty list')
  await createSession(server.db, centreId)
  t.ok((await client.get('/sessions')).body.includes('Créer/éditer plusieurs sessions'))
})

t.test('a valid file: recap counts, confirmation in one go, access codes listed, sessions in the list', async (t) => {
  const { client, server, centreId, recap, sessions, candidatesOf } = await setup(t, 'member')
  const existing = await createSession(server.db, centreId, { date: '2030-07-01' })
  await createCandidate(server.db, existing.id, { last_name: 'Ancien' })
  const file = csvOf([
    { ...session('Lycée A'), ...candidate('Alpha') },
    { ...session('Lycée A'), ...candidate('Bravo') },
    session('Lycée B'),
    { number: String(existing.id), ...candidate('Charlie') },
  ])
  const { page, url } = await recap(file)
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('3 sessions dont 1 sans candidat, 3 candidats'), 'counts')
  t.ok(page.body.includes('Points d’attention non bloquants'))
  t.ok(page.body.includes('Ligne 4 : La session ne contient pas de candidat'))
  t.ok(page.body.includes('Créer/éditer les sessions'))
  t.notOk(page.body.includes('Erreurs bloquantes'))
  t.equal((await sessions()).length, 1, 'nothing written before the confirmation')

  const confirmed = await client.post(`${url}/confirmation`)
  t.equal(confirmed.statusCode, 303)
  const result = await client.get(confirmed.headers.location as string)
  t.ok(result.body.includes('2 sessions créées, 1 modifiée, 3 candidats importés'))
  const all = await sessions()
  t.equal(all.length, 3)
  for (const s of all.slice(1)) t.ok(result.body.includes(s.access_code), `access code of ${s.id} shown`)
  t.same(await candidatesOf(all[1]!.id), ['Alpha', 'Bravo'])
  t.same(await candidatesOf(all[2]!.id), [])
  t.same(await candidatesOf(existing.id), ['Charlie'], 'the list is replaced')
  t.equal(all[1]!.date, '2030-06-15')
  t.equal(all[1]!.start_time, '09:00')

  const again = await client.post(`${url}/confirmation`)
  t.equal(again.statusCode, 303, 'a second click shows the same result')
  t.equal((await sessions()).length, 3, 'and creates nothing more')
  t.ok((await client.get('/sessions')).body.includes('Lycée B'))
})

t.test('every blocking error is listed at once, with line and column; nothing is offered but a new import', async (t) => {
  const { server, centreId, client, recap, sessions } = await setup(t)
  const other = await createMember(server, { centre: 'Autre centre' })
  const foreign = await createSession(server.db, other.centreId, { date: '2030-07-01' })
  const started = await createSession(server.db, centreId, { date: '2030-07-02' })
  await joinCandidate(server.db, await createCandidate(server.db, started.id))
  const finalised = await createSession(server.db, centreId, { date: '2030-07-03' })
  await finaliseSession(server.db, finalised.id)
  await createSession(server.db, centreId, { site_name: 'Lycée Pris', room: 'Salle 1', date: '2030-06-15', start_time: '09:00' })
  const before = (await sessions()).length
  const file = csvOf([
    session('Lycée Passé', { date: '12/01/2021' }), // 2
    session('Lycée pris'), // 3: same site (case aside), room, date and time as an existing session
    { number: String(started.id), site: 'Lycée A' }, // 4
    { number: String(foreign.id), ...candidate('Alpha') }, // 5
    { number: '999999', ...candidate('Alpha') }, // 6
    { number: 'trois cents', ...candidate('Alpha') }, // 7
    { number: String(started.id), ...candidate('Alpha') }, // 8
    { number: String(finalised.id), ...candidate('Alpha') }, // 9
    { ...session(''), ...candidate('Alpha') }, // 10
    session('Lycée B', { time: '25:00' }), // 11
    { ...session('Lycée C'), ...candidate('', { dept: '20' }) }, // 12
    session('Lycée D'), // 13
    session('Lycée D', { invigilators: 'Quelqu’un d’autre' }), // 14
    { ...session('Lycée E'), ...candidate('=1+1') }, // 15
  ])
  const { page, url } = await recap(file)
  t.equal(page.statusCode, 200)
  const expected = [
    'Ligne 2 : colonne « * Date de début (format : jj/mm/aaaa) » — Date et/ou heure indiquées antérieures à la date du jour',
    'Ligne 3 : colonne « * Nom du site » — Une session a déjà été créée avec ces informations',
    'Ligne 4 : colonne « Numéro de session préexistante » — Numéro de session fourni, veuillez supprimer les informations de session associées',
    'Ligne 5 : colonne « Numéro de session préexistante » — Numéro de session inexistant.',
    'Ligne 6 : colonne « Numéro de session préexistante » — Numéro de session inexistant.',
    'Ligne 7 : colonne « Numéro de session préexistante » — le numéro de session « trois cents » n’est pas un nombre',
    `Ligne 8 : colonne « Numéro de session préexistante » — Édition des candidats impossible, la session ${started.id} a déjà débuté`,
    `Ligne 9 : colonne « Numéro de session préexistante » — Édition des candidats impossible, la session ${finalised.id} est finalisée`,
    'Ligne 10 : colonne « * Nom du site » — Veuillez indiquer un nom de site.',
    'Ligne 11 : colonne « * Heure de début (heure locale, format : hh:mm) » — Veuillez indiquer une heure de début (valide).',
    'Ligne 12 : colonne « * Nom de naissance » — Veuillez indiquer le nom de naissance du candidat.',
    'Ligne 12 : colonne « * Code du département de naissance » — ',
    'Ligne 14 : colonne « * Surveillant(s) » — cette ligne a les mêmes site, salle, date et heure que la ligne 13',
    'Ligne 15 : colonne « * Nom de naissance » — ',
  ]
  const body = page.body.replace(/&#39;|&#x27;/g, "'")
  for (const line of expected) t.ok(body.includes(line.replace(/'/g, '’')) || body.includes(line), line)
  t.ok(page.body.includes('Erreurs bloquantes'))
  t.ok(page.body.includes('14 erreurs'), 'the count of errors')
  t.notOk(page.body.includes('Créer/éditer les sessions'), 'no confirmation with blocking errors')
  t.ok(page.body.includes('Importer un nouveau fichier'))
  t.notOk(page.body.includes(`${foreign.id} `) && page.body.includes('Autre centre'), 'nothing about the other centre')
  t.equal((await sessions()).length, before, 'nothing written')

  // The report stays on its page: a reload shows it again.
  const report = (html: string) => [...html.matchAll(/<ul class="batch-report__list">[\s\S]*?<\/ul>/g)].map((m) => m[0])
  t.same(report((await client.get(url)).body), report(page.body), 'same report on reload')
  t.equal(report(page.body).length, 2, 'errors and warnings both open')
  // Posting the confirmation anyway is refused.
  const forced = await client.post(`${url}/confirmation`)
  t.equal(forced.statusCode, 409)
  t.ok(forced.body.includes('Le fichier contient des erreurs bloquantes : rien n’a été créé ni modifié.'))
  t.equal((await sessions()).length, before)
})

t.test('session fields hold one line: a line break or a tab in a CSV cell is a blocking error named by its column (issue 23, item 9)', async (t) => {
  const { recap, sessions } = await setup(t)
  const before = (await sessions()).length
  const file = csvOf([
    { ...session('Lycée A\nhttps://faux.example'), ...candidate('Alpha') }, // lines 2-3: a quoted cell over two lines
    { ...session('Lycée B', { room: 'Salle\t2' }), ...candidate('Beta') }, // 4
    { ...session('Lycée C', { observations: 'Ligne 1\nLigne 2' }), ...candidate('Gamma') }, // 5-6: the observations are a text area
  ])
  const { page } = await recap(file)
  t.equal(page.statusCode, 200)
  const body = page.body.replace(/&#39;|&#x27;/g, "'")
  t.ok(body.includes('Ligne 2 : colonne « * Nom du site » — Ce champ contient un caractère de contrôle invisible (U+000A)'), 'the line break')
  t.ok(body.includes('Ligne 4 : colonne « * Nom de la salle » — Ce champ contient un caractère de contrôle invisible (U+0009)'), 'the tab')
  t.notOk(body.includes('Ligne 5 :'), 'a line break in the observations is text')
  t.ok(page.body.includes('2 erreurs'))
  t.equal((await sessions()).length, before, 'nothing written')
})

t.test('a candidate twice in a session is kept once (warning); a cell starting with = stays text', async (t) => {
  const { client, recap, sessions, candidatesOf } = await setup(t)
  const { page, url } = await recap(
    csvOf([
      { ...session('Lycée A', { observations: '=HYPERLINK("http://x")' }), ...candidate('Alpha') },
      { ...session('Lycée A', { observations: '=HYPERLINK("http://x")' }), ...candidate('ALPHA', { first: 'julie' }) },
      { ...session('Lycée A', { observations: '=HYPERLINK("http://x")' }), ...candidate('Bravo') },
    ]),
  )
  t.ok(page.body.includes('1 session dont 0 sans candidat, 2 candidats'))
  t.ok(page.body.includes('Ligne 3 : Le candidat est inscrit plusieurs fois à la même session (déjà ligne 2), une seule inscription sera prise en compte.'))
  t.ok(page.body.includes('En confirmant, vous acceptez le point d’attention ci-dessus.'), 'warnings recalled by the button')
  await client.post(`${url}/confirmation`)
  const [created] = await sessions()
  t.equal(created!.observations, '=HYPERLINK("http://x")', 'stored as typed, never evaluated')
  t.same(await candidatesOf(created!.id), ['Alpha', 'Bravo'])
})

t.test('file-level refusals keep step 1 with a clear message (status 400)', async (t) => {
  const { client, upload, sessions } = await setup(t)
  const cases: Array<[string, Buffer, string]> = [
    [
      'altered header',
      csvOf(
        [session('A')],
        templateTitles().filter((h) => h !== '* Nom de la salle'),
      ),
      'La ligne des titres du fichier est incomplète : il manque « * Nom de la salle »',
    ],
    ['no header', Buffer.from('a;b;c\n1;2;3\n'), 'Ce fichier n’est pas un modèle « Créer/éditer plusieurs sessions »'],
    ['header only', csvOf([]), 'Le modèle importé n’a pas été rempli'],
    ['empty file', Buffer.alloc(0), 'Le fichier est vide.'],
    ['binary', Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2]), 'ni un fichier .csv ni un fichier .ods'],
    ['unclosed quote', Buffer.concat([csvOf([]), Buffer.from(';"Lycée\n')]), 'Ligne 2 : un guillemet ouvert n’est jamais fermé'],
    [
      'too many candidates',
      csvOf(Array.from({ length: 5001 }, (_, i) => ({ ...session(`Lycée ${i % 10}`), ...candidate('Alpha', { ext: String(i) }) }))),
      'Le fichier contient 5 001 candidats, au-delà de la limite de 5 000 par fichier.',
    ],
    [
      'too many sessions',
      csvOf(Array.from({ length: 201 }, (_, i) => session(`Lycée ${i}`))),
      'Le fichier décrit 201 sessions, au-delà de la limite de 200 par fichier.',
    ],
    ['over 5 MB', Buffer.concat([csvOf([]), Buffer.alloc(5 * 1024 * 1024, 0x41)]), 'Le fichier dépasse 5 Mo.'],
  ]
  for (const [name, bytes, message] of cases) {
    const response = await upload(bytes)
    t.equal(response.statusCode, 400, name)
    t.ok(response.body.replace(/[\u202f\u00a0]/g, ' ').includes(message), `${name}: ${message}`)
  }
  const none = await client.postMultipart(`${BASE}/import`, new FormData())
  t.equal(none.statusCode, 400)
  t.ok(none.body.includes('Choisissez le modèle complété'))
  t.equal((await sessions()).length, 0)
})

t.test('the plan belongs to its user and centre; CSRF; expiry', async (t) => {
  const { server, client, recap, sessions } = await setup(t)
  const { url } = await recap(csvOf([session('Lycée A')]))
  const colleague = await loggedIn(server)
  t.equal((await colleague.client.get(url)).statusCode, 404, 'a colleague cannot see my plan')
  await colleague.client.get('/sessions')
  t.equal((await colleague.client.post(`${url}/confirmation`)).statusCode, 404, 'nor confirm it')
  t.equal((await client.get(`${BASE}/${'0'.repeat(32)}`)).statusCode, 404)
  t.equal((await client.get(`${BASE}/pas-un-identifiant`)).statusCode, 404)
  t.equal((await client.post(`${url}/confirmation`, { _csrf: 'faux' })).statusCode, 403, 'CSRF')
  t.equal((await sessions()).length, 0)

  await server.db
    .updateTable('batch_plan')
    .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
    .execute()
  const expired = await client.post(`${url}/confirmation`)
  t.equal(expired.statusCode, 409)
  t.ok(expired.body.includes('Ce récapitulatif a expiré'))
  t.equal((await client.get(url)).statusCode, 410)
  t.equal((await sessions()).length, 0)
})

t.test('checked again at confirmation: a session started in between refuses everything, with the reason', async (t) => {
  const { server, centreId, client, recap, sessions, candidatesOf } = await setup(t)
  const existing = await createSession(server.db, centreId, { date: '2030-07-01' })
  const ancien = await createCandidate(server.db, existing.id, { last_name: 'Ancien' })
  const { url } = await recap(
    csvOf([session('Lycée A'), { ...session('Lycée B'), ...candidate('Alpha') }, { number: String(existing.id), ...candidate('Bravo') }]),
  )
  await joinCandidate(server.db, ancien)
  const refused = await client.post(`${url}/confirmation`)
  t.equal(refused.statusCode, 409)
  t.ok(refused.body.includes(`La session ${existing.id} a débuté entre-temps (un candidat l’a rejointe) : rien n’a été créé ni modifié.`))
  t.equal((await sessions()).length, 1, 'no session created')
  t.same(await candidatesOf(existing.id), ['Ancien'], 'list unchanged')

  // A colleague creates the same session between the two steps.
  const second = await recap(csvOf([session('Lycée C')]))
  await createSession(server.db, centreId, { site_name: 'Lycée C', room: 'Salle 1', date: '2030-06-15', start_time: '09:00' })
  const taken = await client.post(`${second.url}/confirmation`)
  t.equal(taken.statusCode, 409)
  t.ok(taken.body.includes('Ligne 2 : une session avec les mêmes site, salle, date et heure a été créée entre-temps'))
})

t.test('what the file says is shown escaped on the recap and the result', async (t) => {
  const { client, recap } = await setup(t)
  const evil = '<script>alert(1)</script>'
  const { page, url } = await recap(csvOf([{ ...session(evil), ...candidate('Alpha', { dept: evil }) }, session(`${evil} 2`)]))
  t.notOk(page.body.includes(evil), 'recap: no raw markup from the file')
  t.ok(page.body.includes('&lt;script&gt;'), 'recap: shown as text')
  const fixed = await recap(csvOf([session(evil)]))
  await client.post(`${fixed.url}/confirmation`)
  const result = await client.get(`${fixed.url}/resultat`)
  t.equal(result.statusCode, 200)
  t.notOk(result.body.includes(evil), 'result: no raw markup')
  t.ok(result.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  t.ok(url)
})

t.test('the plan is bound to the centre: the same user in another centre finds nothing', async (t) => {
  const { server, client, email, recap } = await setup(t)
  const { url } = await recap(csvOf([session('Lycée A')]))
  const other = await createMember(server, { centre: 'Second centre', email })
  await client.get('/sessions')
  t.equal((await client.post('/centre', { centreId: String(other.centreId) })).statusCode, 303)
  t.equal((await client.get(url)).statusCode, 404, 'not in the other centre')
  await client.get('/sessions')
  t.equal((await client.post(`${url}/confirmation`)).statusCode, 404)
  t.equal((await server.db.selectFrom('certification_session').select('id').execute()).length, 0)
})
