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
  // A power cut: Julie's test paused, then resumed (the pause's category is its reason's: A1).
  await invigilator.post(`/sessions/${inRange.id}/surveillance/candidats/${julie.id}/suspendre`, { motif: 'coupure', precisions: 'Panne secteur' })
  await invigilator.post(`/sessions/${inRange.id}/surveillance/candidats/${julie.id}/reprendre`, {})
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
  t.equal(rows.length, 4, 'the three reports of the session in range; not the other date, not the other centre')
  const [during, pause, after] = [rows[1]!, rows[2]!, rows[3]!]
  const place = [String(inRange.id), '15/03/2026', 'Lycée Testix', 'B12', 'Dupont Julie']
  const recorded = /^\d{1,2} [a-zéû]+ \d{4} à \d\d:\d\d$/
  t.same(during.slice(0, 8), [...place, 'C2', 'Ajout/modification du temps majoré', 'Modification infos candidat'])
  t.match(during[8], /^Pendant la session, à \d\d:\d\d : 10 min ajoutées\. Motif : Aménagement découvert\.$/)
  t.match(during[9], recorded, 'when recorded')
  t.same(during.slice(10), ['Surveillant (mot de passe de session)', 'Pendant la session'], 'by whom; during the session')
  t.same(pause.slice(0, 8), [
    ...place,
    'A1',
    'Problème technique (ex : l’ordinateur s’est éteint, lenteur significative du réseau et/ou de l’appareil, etc...)',
    'Problème technique',
  ])
  t.match(pause[8], /^Pendant la session : test suspendu de \d\d:\d\d à \d\d:\d\d \(\d+ min\)\. Motif : Coupure \(courant, réseau\)\. Panne secteur$/)
  t.match(pause[9], recorded)
  t.same(pause.slice(10), ['Surveillant (mot de passe de session)', 'Pendant la session'])
  t.same(after.slice(0, 8), [...place, 'A2', 'Autre (si aucune des catégories ci-dessus ne correspond au signalement)', 'Autre incident'])
  t.equal(after[8], '=HYPERLINK("x")', 'text, never a formula')
  t.match(after[9], recorded)
  t.same(after.slice(10), ['', 'Après la session (finalisation)'], 'typed at the finalisation: no invigilator')
  const cell = book.Sheets.Signalements!.I4
  t.equal(cell?.t, 's', 'a text cell')
  t.notOk(cell?.f, 'no formula')

  const csv = await admin.client.get('/equipe/signalements?du=2026-03-01&au=2026-03-31&format=csv')
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  const lines = csv.body.replace(/^\ufeff/, '').split('\r\n')
  t.equal(lines[0], '"Session";"Date";"Site";"Salle";"Candidat";"Code";"Incident";"Catégorie";"Détails";"Enregistré le";"Par";"Pendant / après la session"')
  t.equal(lines.length, 5, 'header, three rows, final CRLF')
  // The same cells as the .ods, read by SheetJS as a spreadsheet would (text kept as text), but
  // the formula-looking one, which the CSV neutralises with a leading apostrophe.
  const csvBook = XLSX.read(csv.body.replace(/^\ufeff/, ''), { type: 'string', raw: true, FS: ';' })
  const csvRows = XLSX.utils.sheet_to_json<string[]>(csvBook.Sheets[csvBook.SheetNames[0]!]!, { header: 1, raw: false, defval: '' })
  t.equal(csvRows.length, 4)
  t.same(csvRows[0], rows[0], 'the header, cell by cell')
  t.same(csvRows[1], during, 'the added time, cell by cell')
  t.same(csvRows[2], pause, 'the pause, cell by cell')
  t.same(csvRows[3]!.slice(0, 8), after.slice(0, 8))
  t.equal(csvRows[3]![8], `'=HYPERLINK("x")`, 'a formula-looking cell is neutralised in the CSV')
  t.same(csvRows[3]!.slice(9), after.slice(9))

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
