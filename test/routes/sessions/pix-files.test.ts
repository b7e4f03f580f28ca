import t from 'tap'
import { createCandidate, createSession } from '../../factories.ts'
import { build, loggedIn, type Teardown } from '../../helper.ts'
import { ods } from '../../lib/ods.ts'
import { PIX_CANDIDATE, PIX_CSV_HEADER, pixCsv, type PixLine, pixSheet } from '../../lib/pix-files.ts'

/** Issue 24: files made with Pix Certif's templates import as they are, through the routes. */

const BASE = '/sessions/import-multiple'
const SESSION = { site: 'Lycée Jean Moulin', room: 'Salle 12', date: '15/06/2030', time: '09:00', invigilators: 'Eric Martin' }
const IGNORED =
  'Colonnes ignorées : « * Sexe (M ou F) », « E-mail du destinataire des résultats (formateur, enseignant…) », « * Tarification part Pix (Gratuite, Prépayée ou Payante) », « Code de prépaiement (si Tarification part Pix Prépayée) », « CléA Numérique (&#39;oui&#39; ou laisser vide) », « Pix+ Droit (&#39;oui&#39; ou laisser vide) ».'

async function setup(t: Teardown) {
  const server = await build(t)
  const member = await loggedIn(server)
  await member.client.get(BASE)
  const post = (url: string, bytes: Buffer, filename: string) => {
    const data = new FormData()
    data.append('fichier', new Blob([new Uint8Array(bytes)]), filename)
    return member.client.postMultipart(url, data)
  }
  const recap = async (bytes: Buffer, filename = 'import-sessions.csv') => {
    const response = await post(`${BASE}/import`, bytes, filename)
    if (response.statusCode !== 303) return { response, page: response, url: '' }
    const url = response.headers.location as string
    return { response, page: await member.client.get(url), url }
  }
  const candidates = (sessionId?: number) =>
    server.db
      .selectFrom('candidate')
      .innerJoin('certification_session', 'certification_session.id', 'candidate.session_id')
      .select(['last_name', 'birth_city', 'birth_department_code', 'birth_country', 'extra_time_percentage', 'email', 'external_id', 'session_id'])
      .where('certification_session.centre_id', '=', member.centreId)
      .$if(sessionId !== undefined, (q) => q.where('session_id', '=', sessionId!))
      .orderBy('candidate.id')
      .execute()
  return { server, ...member, post, recap, candidates }
}

const lines = (): PixLine[] => [
  { ...SESSION, ...PIX_CANDIDATE, last: 'Insee', email: 'julie@example.org', ext: 'E-42', extra: '15 %', clea: 'oui', resultsEmail: 'prof@example.org' },
  { ...SESSION, ...PIX_CANDIDATE, last: 'Postal', insee: '', postal: '01400', city: 'Romans', extra: '15%', droit: 'oui' },
  { ...SESSION, ...PIX_CANDIDATE, last: 'Corse', insee: '2A004', country: '' },
  {
    ...SESSION,
    ...PIX_CANDIDATE,
    last: 'Londres',
    insee: '99132',
    city: 'Londres',
    country: 'ROYAUME-UNI',
    billing: 'Prépayée',
    prepayment: '12345678912345/FACT12345',
  },
  { ...SESSION, room: 'Salle 13' },
]

for (const separator of [';', ','] as const) {
  t.test(`Pix's mass-import CSV (BOM, quoted, "${separator}") imports as it is: codes resolved, unused columns named`, async (t) => {
    const { client, recap, candidates } = await setup(t)
    const { page, url } = await recap(pixCsv(lines(), separator))
    t.equal(page.statusCode, 200)
    t.notOk(page.body.includes('Erreurs bloquantes'), 'no blocking error')
    t.ok(page.body.includes('2 sessions dont 1 sans candidat, 4 candidats'), 'counts')
    t.ok(page.body.includes(`Ligne 1 : ${IGNORED}`), 'the columns not used are named, in one non-blocking notice')
    const confirmed = await client.post(`${url}/confirmation`)
    t.equal(confirmed.statusCode, 303)
    t.same(
      (await candidates()).map((c) => [c.last_name, c.birth_city, c.birth_department_code, c.birth_country, c.extra_time_percentage]),
      [
        ['Insee', 'Le Havre', '76', 'France', 15],
        ['Postal', 'Romans', '01', 'France', 15],
        ['Corse', 'Ajaccio', '2A', 'France', null],
        ['Londres', 'Londres', '99', 'Royaume-Uni', null],
      ],
    )
    const [first] = await candidates()
    t.equal(first!.email, 'julie@example.org', '"E-mail de convocation" is the convocation address')
    t.equal(first!.external_id, 'E-42', '"Identifiant externe" is our external id')
  })
}

t.test('Pix file, line by line: what to fix about the codes, and a session number with session details', async (t) => {
  const { server, centreId, recap, candidates } = await setup(t)
  const existing = await createSession(server.db, centreId, { date: '2030-07-01' })
  await createCandidate(server.db, existing.id, { last_name: 'Ancien' })
  const { page } = await recap(
    pixCsv([
      { ...SESSION, ...PIX_CANDIDATE, insee: '', postal: '01400' },
      { ...SESSION, ...PIX_CANDIDATE, last: 'Martin', insee: '76351', city: 'Rouen' },
      { ...SESSION, ...PIX_CANDIDATE, last: 'Durand', insee: '99132', city: 'Rome', country: 'ITALIE' },
      { ...SESSION, ...PIX_CANDIDATE, last: 'Petit', insee: '12345' },
      { ...SESSION, ...PIX_CANDIDATE, last: 'Roux', insee: '76351', country: 'ITALIE' },
      { number: String(existing.id), site: 'Lycée Jean Moulin', ...PIX_CANDIDATE, last: 'Bernard' },
    ]),
  )
  t.equal(page.statusCode, 200)
  t.ok(page.body.includes('Erreurs bloquantes'))
  for (const expected of [
    'Ligne 2 : colonne « Code postal de la commune de naissance » — Le code postal « 01400 » est partagé par plusieurs communes',
    'Ligne 3 : colonne « Code INSEE de la commune de naissance » — Le code INSEE « 76351 » est celui de la commune Le Havre, pas de « Rouen »',
    'Ligne 4 : colonne « Code INSEE de la commune de naissance » — Le code INSEE « 99132 » est celui du pays Royaume-Uni, pas de « ITALIE »',
    'Ligne 5 : colonne « Code INSEE de la commune de naissance » — Le code INSEE « 12345 » ne correspond à aucune commune ni à aucun pays connu',
    'Ligne 6 : colonne « Code INSEE de la commune de naissance » — Le département 76 est en France, or le pays indiqué est « Italie »',
    'Ligne 7 : colonne « Numéro de session préexistante » — Numéro de session fourni, veuillez supprimer les informations de session associées',
  ])
    t.ok(page.body.includes(expected), expected)
  t.notOk(page.body.includes('Créer/éditer les sessions'), 'nothing can be confirmed')
  t.same(
    (await candidates()).map((c) => c.last_name),
    ['Ancien'],
    'all or nothing: nothing written',
  )
})

t.test('a Pix file missing a needed column is told so, with the titles accepted for it', async (t) => {
  const { recap } = await setup(t)
  const header = PIX_CSV_HEADER.filter((h) => h !== '* Pays de naissance')
  const bytes = Buffer.from('\ufeff' + header.map((h) => `"${h}"`).join(';') + '\r\n', 'utf8')
  const { response } = await recap(bytes)
  t.equal(response.statusCode, 400)
  t.ok(response.body.includes('Ce fichier semble venir de Pix Certif'), 'says where the file comes from')
  t.ok(response.body.includes('« * Pays de naissance » / « * Pays »'), 'names the title and the accepted ones')
  t.notOk(response.body.includes('altéré'))
})

t.test('Créer/éditer plusieurs sessions in .ods with Pix’s titles: a percentage cell 0.15 reads as 15; a formula in a code cell is refused', async (t) => {
  const { client, recap, candidates } = await setup(t)
  const row = (over: Record<number, string | number | { formula: string; text: string }>) => {
    const values: Array<string | number | { formula: string; text: string }> = [
      '',
      SESSION.site,
      SESSION.room,
      SESSION.date,
      SESSION.time,
      SESSION.invigilators,
      '',
      'Dupont',
      'Julie',
      '13/03/1996',
      'F',
      '76351',
      '',
      '',
      'France',
      ...Array<string>(PIX_CSV_HEADER.length - 15).fill(''),
    ]
    for (const [i, v] of Object.entries(over)) values[Number(i)] = v
    return values
  }
  const bad = await recap(
    ods([{ name: 'Sessions', rows: [PIX_CSV_HEADER, row({ 7: 'Martin', 11: { formula: 'of:=CONCATENATE("76";"351")', text: '76351' } })] }]),
    'sessions.ods',
  )
  t.ok(bad.page.body.includes('Ligne 2 : colonne « Code INSEE de la commune de naissance » — la cellule contient une formule'), 'formula reported')
  t.notOk(bad.page.body.includes('Créer/éditer les sessions'))

  const good = await recap(ods([{ name: 'Sessions', rows: [PIX_CSV_HEADER, row({ 18: 0.15 })] }]), 'sessions.ods')
  t.notOk(good.page.body.includes('Erreurs bloquantes'))
  t.equal((await client.post(`${good.url}/confirmation`)).statusCode, 303)
  t.same(
    (await candidates()).map((c) => [c.last_name, c.birth_department_code, c.extra_time_percentage]),
    [['Dupont', '76', 15]],
  )
})

t.test('Pix’s candidate sheet (session block above the header) imports on the Candidats tab', async (t) => {
  const { server, centreId, client, post, candidates } = await setup(t)
  const session = await createSession(server.db, centreId, { date: '2030-06-15' })
  await createCandidate(server.db, session.id, { last_name: 'Ancien' })
  const url = `/sessions/${session.id}/candidats`
  await client.get(url)

  const refused = await post(
    `${url}/import`,
    pixSheet([
      { ...PIX_CANDIDATE, insee: '', postal: '01400' },
      { ...PIX_CANDIDATE, last: 'Formule', insee: { formula: 'of:=1+1', text: '76351' } },
      { ...PIX_CANDIDATE, last: 'Roux', country: 'ITALIE' },
    ]),
    'liste.ods',
  )
  t.equal(refused.statusCode, 400)
  t.ok(refused.body.includes('Ligne 9 : colonne « Code postal de la commune de naissance » — Le code postal « 01400 » est partagé par plusieurs communes'))
  t.ok(refused.body.includes('Ligne 10 : colonne « Code INSEE de la commune de naissance » — la cellule contient une formule'))
  t.ok(
    refused.body.includes('Ligne 11 : colonne « Code INSEE de la commune de naissance » — Le département 76 est en France, or le pays indiqué est « Italie »'),
    'a rule about the département is reported in the code’s column',
  )
  t.ok(refused.body.includes('Colonnes ignorées : « * Sexe (M ou F) »'), 'the columns not read are named with the line errors too')
  t.same(
    (await candidates(session.id)).map((c) => c.last_name),
    ['Ancien'],
    'all or nothing',
  )

  const response = await post(
    `${url}/import`,
    pixSheet([
      { ...PIX_CANDIDATE, clea: 'oui' },
      { ...PIX_CANDIDATE, last: 'Postal', insee: '', postal: '74600', city: 'Seynod', extra: 0.15 },
      { ...PIX_CANDIDATE, last: 'Rabat', insee: '99350', city: 'Rabat', country: 'MAROC', extra: '33 %' },
      { ...PIX_CANDIDATE, last: 'Outremer', insee: '97411', country: '' },
    ]),
    'liste.ods',
  )
  t.equal(response.statusCode, 303)
  const page = await client.get(url)
  t.ok(page.body.includes('La liste des candidats a été importée avec succès.'))
  t.ok(
    page.body.includes(
      'Colonnes ignorées : « * Sexe (M ou F) », « E-mail du destinataire des résultats (formateur, enseignant…) », « CléA Numérique(&quot;oui&quot; ou laisser vide) », « Tarification part Pix », « Code de prépaiement ».',
    ),
    'the notice names every column not used',
  )
  t.same(
    (await candidates(session.id)).map((c) => [c.last_name, c.birth_city, c.birth_department_code, c.birth_country, c.extra_time_percentage]),
    [
      ['Dupont', 'Le Havre', '76', 'France', null],
      ['Postal', 'Seynod', '74', 'France', 15],
      ['Rabat', 'Rabat', '99', 'Maroc', 33],
      ['Outremer', 'Saint-Denis', '974', 'France', null],
    ],
  )
})
