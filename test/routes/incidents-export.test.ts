import t from 'tap'
import { loadSheetJS } from '../../src/lib/lazy-modules.ts'
import { createCandidate, createSession } from '../factories.ts'
import { build, Client, loggedIn } from '../helper.ts'

t.test('an admin exports the centre’s incidents over a date range, .ods and .csv, checked cell by cell', async (t) => {
  const server = await build(t)
  const admin = await loggedIn(server, { centre: 'Centre A' })
  const inRange = await createSession(server.db, admin.centreId, { date: '2026-03-15', room: 'B12', site_name: 'Lycée Testix', invigilator_password: 'K7QB2M' })
  const outOfRange = await createSession(server.db, admin.centreId, { date: '2026-05-01' })
  const other = await loggedIn(server, { centre: 'Centre B' })
  const foreign = await createSession(server.db, other.centreId, { date: '2026-03-15' })
  const julie = await createCandidate(server.db, inRange.id, { first_name: 'Julie', last_name: 'Dupont' })
  const late = await createCandidate(server.db, outOfRange.id, { first_name: 'Paul', last_name: 'Tard' })
  const far = await createCandidate(server.db, foreign.id, { first_name: 'Zoé', last_name: 'Loin' })
  const now = new Date().toISOString()
  for (const c of [julie, late, far]) {
    await server.db.updateTable('candidate').set({ presence_confirmed_at: now }).where('id', '=', c.id).execute()
    await server.db.insertInto('certification_course').values({ session_id: c.session_id, candidate_id: c.id, joined_at: now }).execute()
  }
  // During the session, by the invigilator: added time (C2); after, at finalisation: a formula-looking text.
  const invigilator = new Client(server)
  await invigilator.get('/surveillance')
  await invigilator.post('/surveillance', { sessionNumber: String(inRange.id), password: 'C-K7QB2M' })
  await invigilator.get(`/sessions/${inRange.id}/surveillance`)
  await invigilator.post(`/sessions/${inRange.id}/surveillance/candidats/${julie.id}/temps`, { minutes: '10', motif: 'amenagement', precisions: '' })
  await server.db
    .insertInto('report')
    .values({ session_id: inRange.id, candidate_id: julie.id, category: 'other', code: 'A2', details: '=HYPERLINK("x")', question_number: null })
    .execute()
  for (const c of [late, far])
    await server.db
      .insertInto('report')
      .values({ session_id: c.session_id, candidate_id: c.id, category: 'other', code: 'A2', details: 'Hors champ', question_number: null })
      .execute()

  const form = await admin.client.get('/equipe/signalements')
  t.equal(form.statusCode, 200)
  t.ok(form.body.includes('Exporter les signalements'))

  const ods = await admin.client.get('/equipe/signalements?du=01/03/2026&au=31/03/2026&format=ods')
  t.equal(ods.statusCode, 200)
  t.equal(ods.headers['content-type'], 'application/vnd.oasis.opendocument.spreadsheet')
  t.match(ods.headers['content-disposition'], /signalements-2026-03-01-2026-03-31\.ods/)
  const XLSX = loadSheetJS()
  const book = XLSX.read(ods.rawPayload, { type: 'buffer' })
  t.same(book.SheetNames, ['Signalements'])
  const rows = XLSX.utils.sheet_to_json<string[]>(book.Sheets.Signalements!, { header: 1, raw: false })
  t.same(rows[0], [
    'Session',
    'Date',
    'Site',
    'Salle',
    'Candidat',
    'Code',
    'Incident',
    'Catégorie',
    'Détails',
    'Enregistré le',
    'Par',
    'Pendant / après la session',
  ])
  t.equal(rows.length, 3, 'the two reports of the session in range; not the other date, not the other centre')
  const [during, after] = [rows[1]!, rows[2]!]
  t.same(during.slice(0, 8), [
    String(inRange.id),
    '15/03/2026',
    'Lycée Testix',
    'B12',
    'Dupont Julie',
    'C2',
    'Ajout/modification du temps majoré',
    'Modification infos candidat',
  ])
  t.match(during[8], /^Pendant la session, à \d\d:\d\d : 10 min ajoutées\. Motif : Aménagement découvert\.$/)
  t.ok(during[9]!.length > 0, 'when recorded')
  t.equal(during[10], 'Surveillant (mot de passe de session)', 'by whom')
  t.equal(during[11], 'Pendant la session')
  t.equal(after[5], 'A2')
  t.equal(after[7], 'Autre incident')
  t.equal(after[8], '=HYPERLINK("x")', 'text, never a formula')
  t.equal(after[11], 'Après la session (finalisation)')
  const cell = book.Sheets.Signalements!.I3
  t.equal(cell?.t, 's', 'a text cell')
  t.notOk(cell?.f, 'no formula')

  const csv = await admin.client.get('/equipe/signalements?du=2026-03-01&au=2026-03-31&format=csv')
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  const lines = csv.body.replace(/^\ufeff/, '').split('\r\n')
  t.equal(lines[0], '"Session";"Date";"Site";"Salle";"Candidat";"Code";"Incident";"Catégorie";"Détails";"Enregistré le";"Par";"Pendant / après la session"')
  t.equal(lines.length, 4, 'header, two rows, final CRLF')
  t.ok(lines[2]!.includes(`"'=HYPERLINK(""x"")"`), 'a formula-looking cell is neutralised in the CSV')

  for (const [query, message] of [
    ['du=&au=31/03/2026&format=ods', 'Saisissez une date valide'],
    ['du=31/03/2026&au=01/03/2026&format=csv', 'La date de fin doit être après la date de début.'],
    ['du=01/01/2025&au=31/03/2026&format=csv', 'La période ne peut pas dépasser 366 jours.'],
  ] as const) {
    const bad = await admin.client.get(`/equipe/signalements?${query}`)
    t.equal(bad.statusCode, 400, query)
    t.ok(bad.body.includes(message), message)
  }
  const member = await loggedIn(server, { centre: 'Centre A', role: 'member' })
  t.equal((await member.client.get('/equipe/signalements?du=01/03/2026&au=31/03/2026&format=csv')).statusCode, 403, 'admins only')
})

t.test('the export is linked from the centre’s history (admins)', async (t) => {
  const server = await build(t)
  const admin = await loggedIn(server, { centre: 'Centre A' })
  t.ok((await admin.client.get('/equipe/historique')).body.includes('<a href="/equipe/signalements">Exporter les signalements</a>'))
})
