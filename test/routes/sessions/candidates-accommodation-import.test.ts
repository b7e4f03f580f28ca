import t from 'tap'
import { createSession } from '../../factories.ts'
import { build, loggedIn, type Teardown } from '../../helper.ts'
import { type Cell, HEADER, ods } from '../../lib/ods.ts'

/** "Aménagement accordé par" / "Aménagement accordé le": optional columns of the candidate sheet and of the mass import. */
async function setup(t: Teardown) {
  const server = await build(t)
  const member = await loggedIn(server)
  const session = await createSession(server.db, member.centreId)
  const url = `/sessions/${session.id}/candidats`
  const upload = async (path: string, bytes: Buffer) => {
    await member.client.get(path.replace(/\/import$/, ''))
    const data = new FormData()
    data.append('fichier', new Blob([new Uint8Array(bytes)]), 'fichier.ods')
    return member.client.postMultipart(path, data)
  }
  const stored = (sessionId = session.id) =>
    server.db
      .selectFrom('candidate')
      .select(['last_name', 'extra_time_percentage', 'accessibility_needed', 'accommodation_approved_by', 'accommodation_approved_on'])
      .where('session_id', '=', sessionId)
      .orderBy('id')
      .execute()
  return { server, ...member, session, url, upload, stored }
}

// The sheet's titles with the three optional columns before the signature.
const WITH_COLUMNS = [...HEADER.slice(0, 10), 'Aménagement (oui ou laisser vide)', 'Aménagement accordé par', 'Aménagement accordé le', ...HEADER.slice(10)]
const person = (n: number, last: string): Cell[] => [n, last, 'Julie', '13/03/1996', 'Le Havre', '76', 'France', '', '']

t.test('candidate sheet with the columns: who and when read (a date cell or jj/mm/aaaa), then written back in the download', async (t) => {
  const { client, url, upload, stored } = await setup(t)
  const file = ods([
    {
      name: 'Feuille',
      rows: [
        WITH_COLUMNS,
        [...person(1, 'Dupont'), '33 %', '', 'Mme Martin', { date: '2026-09-02' }, '', ''],
        [...person(2, 'Durand'), '', 'oui', 'Dr Petit', '01/10/2026', '', ''],
        [...person(3, 'Zola'), '', '', '', '', '', ''],
      ],
    },
  ])
  const response = await upload(`${url}/import`, file)
  t.equal(response.statusCode, 303)
  t.same(await stored(), [
    {
      last_name: 'Dupont',
      extra_time_percentage: 33,
      accessibility_needed: 0,
      accommodation_approved_by: 'Mme Martin',
      accommodation_approved_on: '2026-09-02',
    },
    {
      last_name: 'Durand',
      extra_time_percentage: null,
      accessibility_needed: 1,
      accommodation_approved_by: 'Dr Petit',
      accommodation_approved_on: '2026-10-01',
    },
    { last_name: 'Zola', extra_time_percentage: null, accessibility_needed: 0, accommodation_approved_by: null, accommodation_approved_on: null },
  ])
  const download = await client.get(`${url}/feuille-emargement.ods`)
  t.equal(download.statusCode, 200)
  const XLSX = await import('xlsx')
  const aoa = XLSX.utils.sheet_to_json<string[]>(
    XLSX.read(download.rawPayload, { type: 'buffer' }).Sheets['Feuille d’émargement'] ??
      Object.values(XLSX.read(download.rawPayload, { type: 'buffer' }).Sheets)[0]!,
    {
      header: 1,
      defval: '',
    },
  )
  const header = aoa.find((r) => r.includes('Nom de naissance'))!
  const by = header.indexOf('Aménagement accordé par')
  const on = header.indexOf('Aménagement accordé le')
  t.ok(by > 0 && on === by + 1, 'the two columns, after the need')
  const dupont = aoa.find((r) => r.includes('Dupont'))!
  t.same([dupont[by], dupont[on]], ['Mme Martin', '02/09/2026'])
})

t.test('candidate sheet without the columns still imports; with them, a refused value names its column and line', async (t) => {
  const { url, upload, stored } = await setup(t)
  const older = ods([{ name: 'Feuille', rows: [HEADER, [...person(1, 'Dupont'), '33 %', '', '']] }])
  t.equal((await upload(`${url}/import`, older)).statusCode, 303)
  t.same(await stored(), [
    { last_name: 'Dupont', extra_time_percentage: 33, accessibility_needed: 0, accommodation_approved_by: null, accommodation_approved_on: null },
  ])

  const wrong = ods([
    {
      name: 'Feuille',
      rows: [WITH_COLUMNS, [...person(1, 'Martin'), '', '', 'Mme Martin', '', '', ''], [...person(2, 'Petit'), '25', '', '', '31/02/2026', '', '']],
    },
  ])
  const refused = await upload(`${url}/import`, wrong)
  t.equal(refused.statusCode, 400)
  t.ok(refused.body.includes('Aménagement accordé par'))
  t.ok(refused.body.includes('Ce candidat n’a ni temps majoré ni aménagement : indiquez-en un, ou videz ce champ.'))
  t.ok(refused.body.includes('« 31/02/2026 » n’est pas une date valide'))
  t.same(
    (await stored()).map((r) => r.last_name),
    ['Dupont'],
    'nothing replaced',
  )
})

t.test('mass import: the optional columns read when present, the template carries them', async (t) => {
  const { server, client, centreId, upload } = await setup(t)
  const BASE = '/sessions/import-multiple'
  const template = await client.get(`${BASE}/modele.csv`)
  t.ok(template.body.includes('"Aménagement accordé par";"Aménagement accordé le"'))
  const head = [
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
  const session: Cell[] = ['', 'Lycée A', 'Salle 1', '15/06/2030', '09:00', 'Eric Martin', '']
  const withColumns = ods([
    {
      name: 'Sessions',
      rows: [
        [...head, 'Aménagement (oui ou laisser vide)', 'Aménagement accordé par', 'Aménagement accordé le'],
        [...session, 'Dupont', 'Julie', '13/03/1996', 'Le Havre', '76', 'France', '', '', '33', '', 'Mme Martin', { date: '2026-09-02' }],
      ],
    },
  ])
  let response = await upload(`${BASE}/import`, withColumns)
  t.equal(response.statusCode, 303)
  let recap = await client.get(response.headers.location as string)
  t.notOk(recap.body.includes('Erreurs bloquantes'))
  t.equal((await client.post(`${response.headers.location}/confirmation`)).statusCode, 303)
  const created = await server.db
    .selectFrom('certification_session')
    .select('id')
    .where('centre_id', '=', centreId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const candidates = await server.db
    .selectFrom('candidate')
    .select(['last_name', 'accommodation_approved_by', 'accommodation_approved_on'])
    .where('session_id', '=', created.id)
    .execute()
  t.same(candidates, [{ last_name: 'Dupont', accommodation_approved_by: 'Mme Martin', accommodation_approved_on: '2026-09-02' }])

  const without = ods([
    {
      name: 'Sessions',
      rows: [head, [...session.slice(0, 2), 'Salle 2', ...session.slice(3), 'Durand', 'Paul', '2/5/2001', 'Rouen', '76', 'France', '', '', '']],
    },
  ])
  response = await upload(`${BASE}/import`, without)
  t.equal(response.statusCode, 303)
  recap = await client.get(response.headers.location as string)
  t.notOk(recap.body.includes('Erreurs bloquantes'), 'a file without the columns still imports')

  const wrong = ods([
    {
      name: 'Sessions',
      rows: [
        [...head, 'Aménagement accordé par'],
        [...session, 'Zola', 'Émile', '2/4/1990', 'Paris', '75', 'France', '', '', '', 'Mme Martin'],
      ],
    },
  ])
  response = await upload(`${BASE}/import`, wrong)
  recap = await client.get(response.headers.location as string)
  t.ok(recap.body.includes('colonne « Aménagement accordé par » — Ce candidat n’a ni temps majoré ni aménagement'))
})
