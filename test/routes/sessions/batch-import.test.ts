import t from 'tap'
import { templateTitles } from '../../../src/features/batch-import/columns.ts'
import { createCandidate, createSession, finaliseSession, joinCandidate } from '../../factories.ts'
import { build, Client, createMember, loggedIn, type Teardown } from '../../helper.ts'

const BASE = '/sessions/import-multiple'
const FUTURE = '15/06/2030'

/** One template line: session columns then candidate columns (blank = ''). */
type Line = Partial<Record<'number' | 'site' | 'room' | 'date' | 'time' | 'invigilators' | 'observations' | 'last' | 'first' | 'birthdate' | 'city' | 'dept' | 'country' | 'email' | 'ext' | 'extra', string>>
const ORDER = ['number', 'site', 'room', 'date', 'time', 'invigilators', 'observations', 'last', 'first', 'birthdate', 'city', 'dept', 'country', 'email', 'ext', 'extra'] as const
const quote = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
export function csvOf(lines: Line[], header = templateTitles()): Buffer {
  const rows = [header, ...lines.map((l) => ORDER.map((k) => l[k] ?? ''))]
  return Buffer.from('\ufeff' + rows.map((r) => r.map(quote).join(';')).join('\r\n') + '\r\n', 'utf8')
}
const session = (site: string, extra: Line = {}): Line => ({ site, room: 'Salle 1', date: FUTURE, time: '09:00', invigilators: 'Eric Martin', ...extra })
const candidate = (last: string, extra: Line = {}): Line => ({ last, first: 'Julie', birthdate: '13/03/1996', city: 'Le Havre', dept: '76', country: 'France', ...extra })

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
  const candidatesOf = async (sessionId: number) => (await server.db.selectFrom('candidate').select('last_name').where('session_id', '=', sessionId).orderBy('id').execute()).map((r) => r.last_name)
  return { server, ...member, upload, recap, sessions, candidatesOf }
}

t.test('templates: .csv with BOM and ; in the issue’s column order; .ods with the same header', async (t) => {
  const { client } = await setup(t)
  const page = await client.get(BASE)
  t.equal(page.statusCode, 200)
  for (const text of ['Import du modèle', 'Télécharger le modèle (.csv)', 'Télécharger le modèle (.ods)', 'Importer le modèle complété']) t.ok(page.body.includes(text), text)
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
