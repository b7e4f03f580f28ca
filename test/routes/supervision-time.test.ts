import t from 'tap'
import { createCandidate, createSession, finaliseSession } from '../factories.ts'
import { build, Client, loggedIn, type Teardown } from '../helper.ts'

type Server = Awaited<ReturnType<typeof build>>

/** 10:00 in Paris; the session lasts 105 minutes, so the theoretical end is 11:45 without anything added. */
const START = '2026-12-01T09:00:00.000Z'

async function start(server: Server, candidate: { id: number; session_id: number }, ended = false) {
  await server.db.updateTable('candidate').set({ presence_confirmed_at: START }).where('id', '=', candidate.id).execute()
  await server.db
    .insertInto('certification_course')
    .values({ session_id: candidate.session_id, candidate_id: candidate.id, joined_at: START, ended_at: ended ? '2026-12-01T10:30:00.000Z' : null })
    .execute()
}

async function setup(t: Teardown) {
  const server = await build(t)
  const staff = await loggedIn(server, { centre: 'Centre A' })
  const session = await createSession(server.db, staff.centreId, { invigilator_password: 'K7QB2M' })
  const julie = await createCandidate(server.db, session.id, { first_name: 'Julie', last_name: 'Dupont' })
  const marc = await createCandidate(server.db, session.id, { first_name: 'Marc', last_name: 'Zola', birthdate: '1990-01-02' })
  const nina = await createCandidate(server.db, session.id, { first_name: 'Nina', last_name: 'Petit', birthdate: '1991-01-02' })
  const paul = await createCandidate(server.db, session.id, { first_name: 'Paul', last_name: 'Roux', birthdate: '1992-01-02' })
  await start(server, julie)
  await start(server, marc)
  await start(server, paul, true)
  const invigilator = new Client(server)
  await invigilator.get('/surveillance')
  await invigilator.post('/surveillance', { sessionNumber: String(session.id), password: 'C-K7QB2M' })
  await invigilator.get(`/sessions/${session.id}/surveillance`)
  return { server, staff, session, julie, marc, nina, paul, invigilator }
}

const row = (sessionId: number, candidateId: number, action: string) => `/sessions/${sessionId}/surveillance/candidats/${candidateId}/${action}`
const reportsOf = (server: Server, candidateId: number) =>
  server.db.selectFrom('report').selectAll().where('candidate_id', '=', candidateId).orderBy('id').execute()
const count = async (server: Server, table: 'clock_change' | 'report' | 'history' | 'supervision_event') =>
  (await server.db.selectFrom(table).select('id').execute()).length

t.test('"Ajouter du temps": bounds and reason checked, typed values kept; the end moves, a C2 report marked "pendant la session"', async (t) => {
  const { server, session, julie, invigilator } = await setup(t)
  const page = (await invigilator.get(`/sessions/${session.id}/surveillance?temps=${julie.id}`)).body
  t.match(page, /Fin théorique : 11:45/, 'before: 10:00 + 105 min')
  t.ok(page.includes(`action="${row(session.id, julie.id, 'temps')}"`), 'the form opens in the row')
  for (const [minutes, label] of [
    ['0', 'zero'],
    ['61', 'more than an hour'],
    ['1.5', 'not whole'],
    ['dix', 'not a number'],
  ] as const) {
    const bad = await invigilator.post(row(session.id, julie.id, 'temps'), { minutes, motif: 'alarme', precisions: 'Mon texte' })
    t.equal(bad.statusCode, 400, label)
    t.ok(bad.body.includes('Indiquez un nombre entier de minutes entre 1 et 60.'), `${label}: the message`)
    t.ok(bad.body.includes('Mon texte') && bad.body.includes('value="alarme" id="motif-alarme" checked'), `${label}: typed values kept`)
  }
  const noReason = await invigilator.post(row(session.id, julie.id, 'temps'), { minutes: '10', motif: 'autre', precisions: '' })
  t.equal(noReason.statusCode, 400)
  t.ok(noReason.body.includes('Choisissez un motif.'))
  t.equal(await count(server, 'clock_change'), 0, 'nothing written')

  const done = await invigilator.post(row(session.id, julie.id, 'temps'), { minutes: '10', motif: 'amenagement', precisions: 'Tiers-temps oublié' })
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, `/sessions/${session.id}/surveillance#candidat-${julie.id}`)
  const after = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.ok(after.includes('10 min ajoutées pour Julie Dupont'), 'the flash')
  t.match(after, /Fin théorique : 11:55/, 'the end moved by 10 minutes')
  t.ok(after.includes('Temps ajouté : 10 min'))
  const [report] = await reportsOf(server, julie.id)
  t.match(report, { code: 'C2', category: 'candidate_information', source: 'invigilator' })
  t.match(report!.details, /^Pendant la session, à \d\d:\d\d : 10 min ajoutées\. Motif : Aménagement découvert\. Tiers-temps oublié$/)
  t.ok(report!.recorded_by_access_id, 'recorded with the invigilator access')
  const events = await server.db.selectFrom('supervision_event').select(['action', 'candidate_id']).where('action', '=', 'add_time').execute()
  t.same(events, [{ action: 'add_time', candidate_id: julie.id }])
  const history = await server.db.selectFrom('history').select(['action', 'subject', 'count']).where('action', '=', 'time_added').execute()
  t.same(history, [{ action: 'time_added', subject: 'Julie Dupont', count: 1 }])

  // 120 minutes in all at most.
  await invigilator.get(`/sessions/${session.id}/surveillance`)
  t.equal((await invigilator.post(row(session.id, julie.id, 'temps'), { minutes: '60', motif: 'incident', precisions: '' })).statusCode, 303)
  const over = await invigilator.post(row(session.id, julie.id, 'temps'), { minutes: '51', motif: 'incident', precisions: '' })
  t.equal(over.statusCode, 303)
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Au plus 120 minutes peuvent être ajoutées en tout'))
  t.equal(await count(server, 'clock_change'), 2, 'the refused addition wrote nothing')
})

t.test('refused for a candidate not started or already ended, nothing written', async (t) => {
  const { server, session, nina, paul, invigilator } = await setup(t)
  for (const [c, label] of [
    [nina, 'not started'],
    [paul, 'ended'],
  ] as const) {
    for (const [action, form] of [
      ['temps', { minutes: '5', motif: 'incident', precisions: '' }],
      ['suspendre', { motif: 'incident', precisions: '' }],
      ['reprendre', {}],
    ] as const) {
      const response = await invigilator.post(row(session.id, c.id, action), form)
      t.equal(response.statusCode, 303, `${label}, ${action}`)
      const page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
      t.ok(page.includes(`Le test de ${c.first_name} ${c.last_name} n’est pas en cours`), `${label}, ${action}: said`)
    }
  }
  t.equal(await count(server, 'clock_change'), 0)
  t.equal(await count(server, 'report'), 0)
})

t.test('"Suspendre" / "Reprendre" one candidate: the pause’s report gets its end; twice is refused', async (t) => {
  const { server, session, julie, marc, invigilator } = await setup(t)
  t.equal((await invigilator.post(row(session.id, julie.id, 'suspendre'), { motif: 'coupure', precisions: 'Poste 12' })).statusCode, 303)
  let page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.ok(page.includes('Test suspendu : Julie Dupont.'))
  t.match(page, new RegExp(`id="candidat-${julie.id}"[\\s\\S]*?Suspendu depuis \\d\\d:\\d\\d[\\s\\S]*?tag--paused`), 'the row says paused, since when')
  t.ok(page.includes(`action="${row(session.id, julie.id, 'reprendre')}"`), '"Reprendre" offered')
  t.notOk(page.includes(`action="${row(session.id, marc.id, 'reprendre')}"`), 'not for the other candidate')
  let [report] = await reportsOf(server, julie.id)
  t.match(report, { code: 'A1', category: 'technical_problem', source: 'invigilator' }, 'a cut is a technical problem')
  t.match(report!.details, /^Pendant la session : test suspendu à \d\d:\d\d\. Motif : Coupure \(courant, réseau\)\. Poste 12$/)

  await invigilator.post(row(session.id, julie.id, 'suspendre'), { motif: 'coupure', precisions: '' })
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Le test de Julie Dupont est déjà suspendu.'))
  t.equal((await invigilator.post(row(session.id, julie.id, 'reprendre'), {})).statusCode, 303)
  page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.ok(page.includes('Test repris : Julie Dupont.'))
  ;[report] = await reportsOf(server, julie.id)
  t.match(
    report!.details,
    /^Pendant la session : test suspendu de \d\d:\d\d à \d\d:\d\d \(\d+ min\)\. Motif : Coupure \(courant, réseau\)\. Poste 12$/,
    'completed',
  )
  t.equal((await reportsOf(server, julie.id)).length, 1, 'one report per pause')
  await invigilator.post(row(session.id, julie.id, 'reprendre'), {})
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Le test de Julie Dupont n’est pas suspendu.'))
  const actions = (await server.db.selectFrom('history').select('action').where('session_id', '=', session.id).execute()).map((h) => h.action)
  t.same(actions, ['test_paused', 'test_resumed'], 'one history entry per change')
})

t.test('the whole room: every running test pauses (each gets the report), then resumes', async (t) => {
  const { server, session, julie, marc, paul, nina, invigilator } = await setup(t)
  const form = (await invigilator.get(`/sessions/${session.id}/surveillance?salle=suspendre`)).body
  t.ok(form.includes(`action="/sessions/${session.id}/surveillance/salle/suspendre"`), 'the room form')
  const bad = await invigilator.post(`/sessions/${session.id}/surveillance/salle/suspendre`, { motif: '', precisions: 'Évacuation' })
  t.equal(bad.statusCode, 400)
  t.ok(bad.body.includes('Choisissez un motif.') && bad.body.includes('Évacuation'))

  const done = await invigilator.post(`/sessions/${session.id}/surveillance/salle/suspendre`, { motif: 'alarme', precisions: 'Évacuation' })
  t.equal(done.headers.location, `/sessions/${session.id}/surveillance#salle`)
  const page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.ok(page.includes('Toute la salle est suspendue (2 candidats en cours).'))
  t.match(page, /Toute la salle est suspendue depuis \d\d:\d\d \(Alarme \(évacuation\)\)/)
  t.equal((page.match(/tag--paused/g) ?? []).length, 2, 'both running candidates shown paused')
  for (const c of [julie, marc]) t.match(await reportsOf(server, c.id), [{ code: 'A2', category: 'other' }], `${c.first_name}: the report`)
  for (const c of [paul, nina]) t.same(await reportsOf(server, c.id), [], `${c.first_name}: not running, no report`)
  // A candidate's own "Reprendre" does not end the room's pause.
  t.notOk(page.includes(`action="${row(session.id, julie.id, 'reprendre')}"`))

  await invigilator.post(`/sessions/${session.id}/surveillance/salle/suspendre`, { motif: 'alarme', precisions: '' })
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('Toute la salle est déjà suspendue.'))
  t.equal((await invigilator.post(`/sessions/${session.id}/surveillance/salle/reprendre`, {})).statusCode, 303)
  const resumed = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.ok(resumed.includes('Toute la salle reprend'))
  t.equal((resumed.match(/tag--paused/g) ?? []).length, 0)
  for (const c of [julie, marc])
    t.match((await reportsOf(server, c.id))[0]!.details, /^Pendant la session : toute la salle suspendue de \d\d:\d\d à \d\d:\d\d \(\d+ min\)\. Motif : Alarme/)
  await invigilator.post(`/sessions/${session.id}/surveillance/salle/reprendre`, {})
  t.ok((await invigilator.get(`/sessions/${session.id}/surveillance`)).body.includes('La salle n’est pas suspendue.'))
  const history = await server.db.selectFrom('history').select(['action', 'count']).where('session_id', '=', session.id).execute()
  t.same(history, [
    { action: 'room_paused', count: 2 },
    { action: 'room_resumed', count: 2 },
  ])
})

t.test('isolation, CSRF and a finalised session', async (t) => {
  const { server, staff, session, julie, invigilator } = await setup(t)
  const otherSession = await createSession(server.db, staff.centreId, {})
  const stranger = await createCandidate(server.db, otherSession.id, { first_name: 'Eve', last_name: 'Autre' })
  await start(server, stranger)
  const other = await loggedIn(server, { centre: 'Centre B' })
  const foreignSession = await createSession(server.db, other.centreId, {})
  const foreign = await createCandidate(server.db, foreignSession.id, { first_name: 'Zoé', last_name: 'Loin' })
  await start(server, foreign)
  const time = { minutes: '5', motif: 'incident', precisions: '' }
  for (const client of [invigilator, staff.client]) {
    t.equal((await client.post(row(session.id, stranger.id, 'temps'), time)).statusCode, 404, 'another session’s candidate')
    t.equal((await client.post(row(session.id, foreign.id, 'suspendre'), time)).statusCode, 404, 'another centre’s candidate')
    t.equal((await client.post(row(foreignSession.id, foreign.id, 'reprendre'), {})).statusCode, 404, 'another centre’s session')
    t.equal((await client.post(`/sessions/${foreignSession.id}/surveillance/salle/suspendre`, time)).statusCode, 404)
  }
  t.equal((await invigilator.post(row(session.id, julie.id, 'temps'), { ...time, _csrf: '' })).statusCode, 403, 'no CSRF token')
  t.equal(await count(server, 'clock_change'), 0)

  await finaliseSession(server.db, session.id, staff.userId)
  const refused = await staff.client.post(`/sessions/${session.id}/surveillance/salle/suspendre`, { motif: 'alarme', precisions: '' })
  t.equal(refused.statusCode, 409)
  t.equal((await staff.client.post(row(session.id, julie.id, 'temps'), time)).statusCode, 409)
  t.equal(await count(server, 'clock_change'), 0)
})

t.test('the new end and every time change reach the finalisation, the attendance sheet and the PV d’incident, typed once', async (t) => {
  const { server, staff, session, julie, invigilator } = await setup(t)
  await invigilator.post(row(session.id, julie.id, 'temps'), { minutes: '10', motif: 'amenagement', precisions: '' })
  await invigilator.get(`/sessions/${session.id}/surveillance`)
  await invigilator.post(`/sessions/${session.id}/surveillance/salle/suspendre`, { motif: 'alarme', precisions: 'Évacuation' })
  await invigilator.get(`/sessions/${session.id}/surveillance`)
  await invigilator.post(`/sessions/${session.id}/surveillance/salle/reprendre`, {})

  const wizard = (await staff.client.get(`/sessions/${session.id}/finalisation`)).body
  t.equal((wizard.match(/report-list__live/g) ?? []).length, 3, 'three reports, each marked as recorded during the session')
  t.ok(wizard.includes('10 min ajoutées. Motif : Aménagement découvert.'))
  t.equal((wizard.match(/toute la salle suspendue de \d\d:\d\d à \d\d:\d\d/g) ?? []).length, 2, 'the room pause, for each running candidate')

  const sheet = (await staff.client.get(`/sessions/${session.id}/impression/feuille-emargement`)).body
  t.match(sheet, /<td class="times">10:00 \(fin théorique \d\d:\d\d\)<\/td>/, 'the sheet gives the new theoretical end')
  const english = (await staff.client.get(`/sessions/${session.id}/impression/feuille-emargement?langue=en`)).body
  t.match(english, /<td class="times">10:00 \(expected end \d\d:\d\d\)<\/td>/, 'in the document’s language')
  const pv = (await staff.client.get(`/sessions/${session.id}/impression/pv-incident`)).body
  const end = ' <span class="muted">\\(fin théorique \\d\\d:\\d\\d\\)</span>'
  t.match(
    pv,
    new RegExp(`<td>Julie Dupont${end}</td><td>C2</td><td></td><td>Pendant la session, à \\d\\d:\\d\\d : 10 min ajoutées`),
    'the PV lists the added time, and the new end',
  )
  t.match(pv, new RegExp(`<td>Marc Zola${end}</td><td>A2</td><td></td><td>Pendant la session : toute la salle suspendue de`), 'and the room pause')

  // Finalised: the summary shows the theoretical end beside the end.
  await server.db.updateTable('certification_course').set({ ended_at: '2026-12-01T11:00:00.000Z' }).where('session_id', '=', session.id).execute()
  await staff.client.get(`/sessions/${session.id}/finalisation`)
  await staff.client.post(`/sessions/${session.id}/finalisation`, { choix_commentaire: 'none', action: 'valider' })
  const confirmation = (await staff.client.get(`/sessions/${session.id}/finalisation/confirmation`)).body
  const version = /<input type="hidden" name="version" value="(\d+)">/.exec(confirmation)?.[1] ?? 'missing'
  t.equal((await staff.client.post(`/sessions/${session.id}/finalisation/confirmation`, { version })).statusCode, 303)
  const summary = (await staff.client.get(`/sessions/${session.id}/finalisation/recapitulatif`)).body
  t.match(summary, /<td class="nowrap">12:00 \(fin théorique \d\d:\d\d\)<\/td>/, 'the summary too')
})

t.test('a room at a glance: what needs action first, counters that filter, marks in words and symbols, "Trier par nom"', async (t) => {
  const { server, session, julie, marc, nina, paul, invigilator } = await setup(t)
  // Julie is past her end (started long ago); Marc paused; Nina waiting; Paul ended; Zoé in progress since now.
  const zoe = await createCandidate(server.db, session.id, { first_name: 'Zoé', last_name: 'Abel', birthdate: '1993-01-02' })
  await server.db.updateTable('candidate').set({ presence_confirmed_at: new Date().toISOString() }).where('id', '=', zoe.id).execute()
  await server.db.insertInto('certification_course').values({ session_id: session.id, candidate_id: zoe.id, joined_at: new Date().toISOString() }).execute()
  await server.db.updateTable('candidate').set({ arrived_at: new Date().toISOString() }).where('id', '=', nina.id).execute()
  await invigilator.post(row(session.id, marc.id, 'suspendre'), { motif: 'incident', precisions: '' })

  const page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  const order = [...page.matchAll(/<li class="supervised [^"]*" id="candidat-(\d+)"/g)].map((m) => Number(m[1]))
  t.same(order, [nina.id, julie.id, marc.id, zoe.id, paul.id], 'waiting, over time, paused, in progress, ended')
  for (const text of ['⏳ </span>1 en attente', '⚠ </span>1 dépassement', '⏸ </span>1 suspendu', '▶ </span>1 en cours', '■ </span>1 terminé'])
    t.ok(page.includes(text), `counter: ${text}`)
  t.ok(page.includes('<span class="tag tag--overdue"><span aria-hidden="true">⚠ </span>Temps dépassé</span>'), 'over time: a word, not a colour')

  const filtered = (await invigilator.get(`/sessions/${session.id}/surveillance?filtre=depassement`)).body
  t.same(
    [...filtered.matchAll(/<li class="supervised [^"]*" id="candidat-(\d+)"/g)].map((m) => Number(m[1])),
    [julie.id],
    'the counter filters',
  )
  t.ok(filtered.includes(`href="/sessions/${session.id}/surveillance?filtre=depassement#supervision-list" aria-current="true"`))
  t.ok(filtered.includes(`data-refresh-url="/sessions/${session.id}/surveillance/liste?filtre=depassement"`), 'the refresh keeps the filter')
  const fragment = (await invigilator.get(`/sessions/${session.id}/surveillance/liste?filtre=depassement`)).body
  t.equal([...fragment.matchAll(/<li class="supervised /g)].length, 1, 'and so does the fragment')

  const byName = (await invigilator.get(`/sessions/${session.id}/surveillance?tri=nom`)).body
  t.same(
    [...byName.matchAll(/<li class="supervised [^"]*" id="candidat-(\d+)"/g)].map((m) => Number(m[1])),
    [zoe.id, julie.id, nina.id, paul.id, marc.id],
    'Abel, Dupont, Petit, Roux, Zola',
  )
  t.ok(byName.includes('<input type="hidden" name="tri" value="nom">'), '"Actualiser la liste" keeps the order')
})

t.test(
  'each candidate’s timeline: joined, confirmed by whom, started, paused and resumed, time added (why), incidents, ended; printable, scoped',
  async (t) => {
    const { server, staff, session, julie, marc, invigilator } = await setup(t)
    await server.db.updateTable('candidate').set({ arrived_at: '2026-12-01T08:55:00.000Z' }).where('id', '=', julie.id).execute()
    await invigilator.post(row(session.id, julie.id, 'temps'), { minutes: '10', motif: 'amenagement', precisions: 'Tiers-temps' })
    await invigilator.get(`/sessions/${session.id}/surveillance`)
    await invigilator.post(`/sessions/${session.id}/surveillance/salle/suspendre`, { motif: 'alarme', precisions: '' })
    await invigilator.get(`/sessions/${session.id}/surveillance`)
    await invigilator.post(`/sessions/${session.id}/surveillance/salle/reprendre`, {})
    await invigilator.get(`/sessions/${session.id}/surveillance`)
    await invigilator.post(row(session.id, julie.id, 'signalement'), { categorie: 'technical_problem', details_technical_problem: 'Écran noir' })
    await staff.client.get(`/sessions/${session.id}/surveillance`)
    await staff.client.post(row(session.id, julie.id, 'terminer'), {})

    const list = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
    t.ok(list.includes(`href="${row(session.id, julie.id, 'chronologie')}"`), 'linked from the row')
    const page = await invigilator.get(row(session.id, julie.id, 'chronologie'))
    t.equal(page.statusCode, 200)
    const steps = [
      'A saisi le code d’accès (en attente)',
      'Test commencé',
      'Temps ajouté : 10 min (Aménagement découvert)',
      'Toute la salle suspendue (Alarme (évacuation))',
      'Toute la salle reprend',
      'Signalement A1 — Problème technique',
      'Test terminé',
    ]
    let last = -1
    for (const step of steps) {
      const at = page.body.indexOf(step)
      t.ok(at > last, `${step}: in order`)
      last = at
    }
    t.ok(page.body.includes('Tiers-temps') && page.body.includes('Surveillant (mot de passe de session)'), 'the details, and who')
    t.match(page.body, /Test terminé<\/td>\s*<td>[^<]+<\/td>/, 'ended by the staff member, named')
    t.ok(page.body.includes('print-page'), 'printable')
    const tab = (await staff.client.get(`/sessions/${session.id}/candidats`)).body
    t.ok(tab.includes(`href="${row(session.id, julie.id, 'chronologie')}"`), 'linked from the Candidats tab')
    t.notOk(page.body.includes('Marc'), 'one candidate only')
    const other = await loggedIn(server, { centre: 'Centre B' })
    t.equal((await other.client.get(row(session.id, marc.id, 'chronologie'))).statusCode, 404, 'another centre: not found')
  },
)

t.test('a test ended while paused: the pause ends with it and its report says until when', async (t) => {
  const { server, session, julie, invigilator } = await setup(t)
  await invigilator.post(row(session.id, julie.id, 'suspendre'), { motif: 'incident', precisions: '' })
  await invigilator.get(`/sessions/${session.id}/surveillance`)
  t.equal((await invigilator.post(row(session.id, julie.id, 'terminer'), {})).statusCode, 303)
  const pause = await server.db.selectFrom('clock_change').selectAll().where('candidate_id', '=', julie.id).executeTakeFirstOrThrow()
  t.not(pause.ended_at, null, 'closed')
  t.match((await reportsOf(server, julie.id))[0]!.details, /^Pendant la session : test suspendu de \d\d:\d\d à \d\d:\d\d/)
  const page = (await invigilator.get(`/sessions/${session.id}/surveillance`)).body
  t.notOk(page.includes(`action="${row(session.id, julie.id, 'reprendre')}"`), 'nothing left to resume')
})
