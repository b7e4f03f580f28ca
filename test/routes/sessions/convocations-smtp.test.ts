import t from 'tap'
import { createCandidate, createSession } from '../../factories.ts'
import { build, loggedIn, type Teardown } from '../../helper.ts'
import { smtpListener, type ListenerOptions } from '../../lib/smtp.ts'
import { createConvocationSender } from '../../../src/features/convocations/sender.ts'
import { createMailQueue } from '../../../src/features/mail/mail-queue.ts'

/** Issue 15, items 2 and 3: convocations through a real SMTP listener on loopback. */
const decode = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
const silent = { info() {}, error() {} }

async function setup(t: Teardown, listener: ListenerOptions = {}, candidates = 3) {
  const smtp = await smtpListener(t, listener)
  // No pause between messages in tests (the rate is the setting CONVOCATIONS_PER_MINUTE).
  const server = await build(t, { smtp: smtp.smtp, publicUrl: 'https://certif.lycee.test', convocationsPerMinute: 600_000 })
  const member = await loggedIn(server, { centre: 'Lycée Testix' })
  const session = await createSession(server.db, member.centreId, { room: 'Salle 12' })
  const people = []
  for (let i = 1; i <= candidates; i++) {
    people.push(await createCandidate(server.db, session.id, { last_name: `Nom${i}`, first_name: `Prénom${i}`, email: `candidat${i}@example.org` }))
  }
  await createCandidate(server.db, session.id, { last_name: 'Sansadresse', first_name: 'Zoé', email: null })
  const tab = `/sessions/${session.id}/candidats`
  const sendAll = async () => {
    await member.client.get(tab)
    const response = await member.client.post(`/sessions/${session.id}/convocations/envoi`, { envoi: 'tous' })
    await server.convocations.idle()
    return response
  }
  return { server, ...member, session, people, tab, smtp, sendAll }
}

const rows = (server: Awaited<ReturnType<typeof setup>>['server']) =>
  server.db.selectFrom('convocation_mail').select(['candidate_id', 'email', 'status', 'error']).orderBy('id').execute()

t.test('send to everyone with an address: each receives their convocation once; progress and statuses on the tab', async (t) => {
  const { server, client, session, tab, smtp, sendAll } = await setup(t)
  const page = decode((await client.get(tab)).body)
  t.ok(page.includes('Envoyer les convocations par e-mail'))
  t.ok(page.includes('3 candidats avec une adresse e-mail n’ont pas encore reçu la leur.'))
  const response = await sendAll()
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, `${tab}#convocations`)
  t.same(
    smtp.received
      .map((m) => m.to)
      .flat()
      .sort(),
    ['candidat1@example.org', 'candidat2@example.org', 'candidat3@example.org'],
  )
  const first = smtp.received.find((m) => m.to[0] === 'candidat1@example.org')!
  t.equal(first.subject, `Convocation : session de certification n° ${session.id} du mardi 12 janvier 2021`)
  for (const text of [
    'Bonjour Prénom1 Nom1,',
    'organisée par Lycée Testix',
    'Heure d’arrivée : 09:45',
    'Salle : Salle 12',
    'https://certif.lycee.test/rejoindre',
    'pièce d’identité',
  ]) {
    t.ok(first.text.includes(text), text)
  }
  const after = decode((await client.get(tab)).body)
  t.ok(after.includes('3 convocations vont être envoyées.'), 'the flash')
  t.ok(after.includes('3 / 3 envoyées'))
  t.equal(after.match(/Envoyée le /g)?.length, 3)
  t.ok(after.includes('>Renvoyer<'))
  // Again: nobody is waiting, nothing is sent twice.
  await sendAll()
  t.equal(smtp.received.length, 3, 'no duplicate')
  t.ok(decode((await client.get(tab)).body).includes('Aucune convocation à envoyer'))
  // History: one entry for the request, with the count.
  const history = await server.db.selectFrom('history').select(['action', 'count']).where('action', '=', 'convocations_queued').execute()
  t.same(history, [{ action: 'convocations_queued', count: 3 }])
})

t.test('a change of room after sending flags "à renvoyer"; sending again reaches only those', async (t) => {
  const { server, client, session, people, tab, smtp, sendAll } = await setup(t)
  await sendAll()
  await server.db.updateTable('certification_session').set({ room: 'Salle 14' }).where('id', '=', session.id).execute()
  const page = decode((await client.get(tab)).body)
  t.equal(page.match(/Convocation à renvoyer \(la session a changé\)/g)?.length, 3)
  t.ok(page.includes('3 candidats avec une adresse e-mail n’ont pas encore reçu la leur.'))
  await sendAll()
  t.equal(smtp.received.length, 6)
  t.ok(smtp.received.slice(3).every((m) => m.text.includes('Salle : Salle 14')))
  t.notOk(decode((await client.get(tab)).body).includes('Convocation à renvoyer'))
  // "Renvoyer" one candidate
  await client.get(tab)
  const resend = await client.post(`/sessions/${session.id}/convocations/candidats/${people[1]!.id}/renvoyer`, {})
  t.equal(resend.statusCode, 303)
  await server.convocations.idle()
  t.equal(smtp.received.length, 7)
  t.same(smtp.received[6]!.to, ['candidat2@example.org'])
  t.ok(
    await server.db.selectFrom('history').select('subject').where('action', '=', 'convocation_resent').where('subject', '=', 'Prénom2 Nom2').executeTakeFirst(),
  )
})

t.test('only the ticked candidates', async (t) => {
  const { server, client, session, people, tab, smtp } = await setup(t)
  await client.get(tab)
  await client.post(`/sessions/${session.id}/convocations/envoi`, { envoi: 'coches', candidats: [String(people[0]!.id), String(people[2]!.id)] })
  await server.convocations.idle()
  t.same(smtp.received.map((m) => m.to[0]).sort(), ['candidat1@example.org', 'candidat3@example.org'])
  t.ok(decode((await client.get(tab)).body).includes('2 / 2 envoyées'))
})

t.test('a refused recipient: "Échec : …" in plain words for that one, the others received', async (t) => {
  const { server, client, tab, smtp, sendAll } = await setup(t, { refuse: ['candidat2@example.org'] })
  await sendAll()
  t.same(smtp.received.map((m) => m.to[0]).sort(), ['candidat1@example.org', 'candidat3@example.org'])
  const page = decode((await client.get(tab)).body)
  t.ok(page.includes('2 / 3 envoyées'))
  t.ok(page.includes('1 échec'))
  t.match(page, /Échec : le serveur de messagerie a refusé l’adresse \(550 5\.1\.1 Utilisateur inconnu\)\./)
  t.same(
    (await rows(server)).map((r) => r.status),
    ['sent', 'failed', 'sent'],
  )
  // "Envoyer" again queues only the failed one (which fails again: the listener still refuses it).
  await sendAll()
  t.equal(smtp.received.length, 2)
  t.equal((await rows(server)).length, 4)
})

t.test('the connection dropped mid-way: that message failed (never resent by itself), the rest sent, nobody twice', async (t) => {
  const { server, client, tab, smtp, sendAll } = await setup(t, { dropDuringData: 2 }, 4)
  await sendAll()
  const to = smtp.received.map((m) => m.to[0])
  t.same(to, ['candidat1@example.org', 'candidat3@example.org', 'candidat4@example.org'])
  t.equal(new Set(to).size, to.length, 'nobody twice')
  const statuses = (await rows(server)).map((r) => r.status)
  t.same(statuses, ['sent', 'failed', 'sent', 'sent'])
  t.match(decode((await client.get(tab)).body), /Échec : le serveur de messagerie ne répond pas ou a coupé la connexion\./)
})

t.test('a restart mid-way resumes: the waiting ones are sent, the sent ones not again, the one in flight is marked interrupted', async (t) => {
  const { server, session, smtp, people } = await setup(t, {}, 4)
  const now = new Date().toISOString()
  const key = JSON.stringify([session.date, session.start_time, session.site_name, session.room])
  const row = (candidate: (typeof people)[number], status: 'pending' | 'sending' | 'sent', claimedAt: string | null) => ({
    session_id: session.id,
    candidate_id: candidate.id,
    email: candidate.email!,
    status,
    session_key: key,
    queued_at: now,
    claimed_at: claimedAt,
    sent_at: status === 'sent' ? now : null,
  })
  // The app's own sender polls every 5 s: stopped first, so that only the restarted one below reads these rows.
  await server.convocations.stop()
  // As a crashed process left them: one sent, one in flight when it died, two waiting.
  await server.db
    .insertInto('convocation_mail')
    .values([
      row(people[0]!, 'sent', now),
      row(people[1]!, 'sending', '2026-01-01T00:00:00.000Z'),
      row(people[2]!, 'pending', null),
      row(people[3]!, 'pending', null),
    ])
    .execute()
  const queue = createMailQueue(smtp.smtp, silent)
  const sender = createConvocationSender({
    db: server.db,
    send: (m) => queue.sendNow(m),
    log: silent,
    publicUrl: 'https://x.test',
    perMinute: 600_000,
    poll: false,
  })
  sender.wake()
  await sender.idle()
  await sender.stop()
  await queue.close()
  t.same(
    smtp.received.map((m) => m.to[0]),
    ['candidat3@example.org', 'candidat4@example.org'],
  )
  t.match(await rows(server), [{ status: 'sent' }, { status: 'failed', error: /interrupted/ }, { status: 'sent' }, { status: 'sent' }])
})

t.test('at most 2,000 convocations per session', async (t) => {
  const { server, client, session, people, tab } = await setup(t, {}, 1)
  const now = new Date().toISOString()
  const filler = Array.from({ length: 2000 }, () => ({
    session_id: session.id,
    candidate_id: people[0]!.id,
    email: 'candidat1@example.org',
    status: 'failed' as const,
    session_key: 'x',
    queued_at: now,
  }))
  for (let i = 0; i < filler.length; i += 400)
    await server.db
      .insertInto('convocation_mail')
      .values(filler.slice(i, i + 400))
      .execute()
  await client.get(tab)
  await client.post(`/sessions/${session.id}/convocations/envoi`, { envoi: 'tous' })
  t.match(decode((await client.get(tab)).body), /Une session peut envoyer au plus 2\s000 convocations/)
  t.equal((await rows(server)).length, 2000)
})

t.test('errors: retried only when the message surely did not leave', async (t) => {
  const { classifyError } = await import('../../../src/features/convocations/sender.ts')
  t.match(classifyError({ code: 'ECONNECTION', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:25' }), { retry: true })
  t.match(classifyError({ code: 'ETIMEDOUT', command: 'CONN', message: 'Connection timeout' }), { retry: true })
  t.match(classifyError({ code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' }), {
    retry: false,
    message: { key: 'convocations.error.connection' },
  })
  t.match(classifyError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 No such user bob@x.test' }), {
    retry: false,
    message: { key: 'convocations.error.refused', params: { detail: '550 No such user [adresse]' } },
  })
  t.match(classifyError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451 }), { retry: true })
  t.match(classifyError({ code: 'EMESSAGE', command: 'DATA', responseCode: 451 }), { retry: false })
  t.match(classifyError({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 }), { retry: false, message: { key: 'convocations.error.auth' } })
})

// Issue 25: the ticks and each row's "Renvoyer" are controls of the one form around the list (no form=).
t.test('"Renvoyer" is a button of the list’s form (envoi=renvoyer-N): it sends to that candidate only', async (t) => {
  const { server, client, session, people, tab, smtp, sendAll } = await setup(t)
  await sendAll()
  const page = decode((await client.get(tab)).body)
  t.notMatch(page, /\sform=/)
  const list = /<form method="post" action="[^"]+\/convocations\/envoi" id="convocations-form"[\s\S]*?<\/form>/.exec(page)?.[0] ?? ''
  t.match(list, new RegExp(`<input type="checkbox" name="candidats" value="${people[0]!.id}"`), 'the ticks are in the list’s form')
  t.match(list, new RegExp(`<button type="submit" name="envoi" value="renvoyer-${people[1]!.id}"`), '"Renvoyer" too')
  const resend = await client.post(`/sessions/${session.id}/convocations/envoi`, { envoi: `renvoyer-${people[1]!.id}` })
  t.equal(resend.statusCode, 303)
  await server.convocations.idle()
  t.equal(smtp.received.length, 4)
  t.same(smtp.received[3]!.to, ['candidat2@example.org'])
  // Another session's candidate named by the button: nothing is sent.
  const other = await createSession(
    server.db,
    (await server.db.selectFrom('certification_session').select('centre_id').where('id', '=', session.id).executeTakeFirstOrThrow()).centre_id,
  )
  const stranger = await createCandidate(server.db, other.id, { email: 'autre@example.org' })
  await client.get(tab)
  await client.post(`/sessions/${session.id}/convocations/envoi`, { envoi: `renvoyer-${stranger.id}` })
  await server.convocations.idle()
  t.equal(smtp.received.length, 4)
})
