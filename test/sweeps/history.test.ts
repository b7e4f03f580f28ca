import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { pause, pauseRoom } from '../../src/features/supervision/time-control.service.ts'
import { inviteMembers } from '../../src/features/team/team.service.ts'
import { Client, createMember, loggedIn, PASSWORD } from '../helper.ts'
import { send } from '../lib/requests.ts'
import { type AppRoute, buildWithRoutes, fillUrl, isStateChanging } from '../lib/routes.ts'
import { type SeededCentre, seedCentre } from '../lib/seed.ts'

/** State-changing routes that change no centre data (accounts, login, the candidate's own page): no history entry. */
const NOT_CENTRE_DATA: Record<string, string> = {
  'POST /connexion': 'logging in',
  'POST /deconnexion': 'logging out',
  'POST /cgu': 'the user accepts the terms',
  'POST /centre': 'switching the centre worked on',
  'POST /installation': 'creates the centre itself, before it has any history',
  'POST /mot-de-passe-oublie': 'the user’s own account',
  'POST /mot-de-passe/nouveau': 'the user’s own account',
  'POST /rejoindre': 'the candidate’s page (reads only)',
  'POST /rejoindre/code': 'the candidate joins: done by the candidate, shown as “rejoint” in the candidate list',
  'POST /mon-compte/nom': 'the user’s own account',
  'POST /mon-compte/email': 'the user’s own account',
  'POST /mon-compte/mot-de-passe': 'the user’s own account',
  'POST /mon-compte/deconnexion-partout': 'the user’s own account',
  'POST /sessions/import-multiple/import': 'saves the checked plan for its user; nothing of the centre changes before the confirmation',
  'POST /sessions/import-multiple/:planId/confirmation': 'one entry per session created or list replaced, not one per request',
  'POST /surveillance': 'opening an invigilator access (like logging in)',
  'POST /rejoindre/reessayer': 'the candidate’s page: asks again whether presence was confirmed',
  'POST /sessions/:sessionId/surveillance/quitter': 'ends the invigilator access (like logging out)',
  'POST /langue': 'the visitor’s language, a cookie of their browser',
}

const PDF = Buffer.from('%PDF-1.4\n%history sweep\n')
const ODS = readFileSync(path.resolve(import.meta.dirname, '../features/candidates/fixtures/filled.ods'))

interface Ctx {
  server: Awaited<ReturnType<typeof buildWithRoutes>>['server']
  admin: Client
  adminId: number
  fresh: () => Promise<SeededCentre>
}
interface Case {
  client?: Client
  url: string
  form?: Record<string, string | string[]>
  multipart?: FormData
}
const validSession = { siteName: 'Lycée Testix', room: 'B12', date: '2030-03-15', startTime: '14:30', invigilators: 'Eric Martin', observations: '' }
const validCandidate = {
  lastName: 'Martin',
  firstName: 'Léa',
  birthdate: '13/03/1996',
  birthCity: 'Le Havre',
  birthDepartment: '76',
  birthCountry: 'France',
  email: '',
  externalId: '',
  extraTime: '',
}
const file = (name: string, bytes: Buffer, type: string) => {
  const data = new FormData()
  data.append('commentaire', 'Pièce jointe')
  data.append('fichier', new Blob([new Uint8Array(bytes)], { type }), name)
  return data
}

/** A request that succeeds, for every state-changing route of centre data. A new route must be added here. */
const SUCCESS: Record<string, (ctx: Ctx) => Promise<Case>> = {
  'POST /sessions/nouvelle': async () => ({ url: '/sessions/nouvelle', form: validSession }),
  'POST /sessions/:sessionId/modifier': async ({ fresh }) => ({ url: `/sessions/${(await fresh()).sessionId}/modifier`, form: validSession }),
  'POST /sessions/:sessionId/supprimer': async ({ server, fresh }) => {
    const a = await fresh()
    await server.db.deleteFrom('certification_course').where('session_id', '=', a.sessionId).execute()
    return { url: `/sessions/${a.sessionId}/supprimer`, form: {} }
  },
  'POST /sessions/:sessionId/candidats/import': async ({ server, fresh }) => {
    const a = await fresh()
    await server.db.deleteFrom('certification_course').where('session_id', '=', a.sessionId).execute()
    const { candidates_version } = await server.db
      .selectFrom('certification_session')
      .select('candidates_version')
      .where('id', '=', a.sessionId)
      .executeTakeFirstOrThrow()
    const multipart = file('liste.ods', ODS, 'application/vnd.oasis.opendocument.spreadsheet')
    multipart.append('version_liste', String(candidates_version))
    return { url: `/sessions/${a.sessionId}/candidats/import`, multipart }
  },
  'POST /sessions/:sessionId/candidats/nouveau': async ({ fresh }) => ({
    url: `/sessions/${(await fresh()).sessionId}/candidats/nouveau`,
    form: validCandidate,
  }),
  'POST /sessions/:sessionId/candidats/:candidateId/modifier': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/candidats/${a.candidateId}/modifier`, form: validCandidate }
  },
  'POST /sessions/:sessionId/candidats/:candidateId/supprimer': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/candidats/${a.candidateId}/supprimer`, form: {} }
  },
  'POST /sessions/:sessionId/finalisation': async ({ fresh }) => ({
    url: `/sessions/${(await fresh()).sessionId}/finalisation`,
    form: { action: 'sauvegarder', choix_commentaire: 'none' },
  }),
  // Espace surveillant, with the staff member's own login (the invigilator access kind is swept in invigilator.test.ts).
  'POST /sessions/:sessionId/surveillance/candidats/:candidateId/presence': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/surveillance/candidats/${a.candidateId}/presence`, form: {} }
  },
  'POST /sessions/:sessionId/surveillance/candidats/:candidateId/presence/annuler': async ({ server, fresh }) => {
    const a = await fresh()
    await server.db.updateTable('candidate').set({ presence_confirmed_at: new Date().toISOString() }).where('id', '=', a.candidateId).execute()
    return { url: `/sessions/${a.sessionId}/surveillance/candidats/${a.candidateId}/presence/annuler`, form: {} }
  },
  'POST /sessions/:sessionId/surveillance/candidats/:candidateId/terminer': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/surveillance/candidats/${a.joinedCandidateId}/terminer`, form: {} }
  },
  'POST /sessions/:sessionId/surveillance/candidats/:candidateId/ecran-de-fin': async ({ server, fresh }) => {
    const a = await fresh()
    await server.db.updateTable('candidate').set({ has_seen_end_screen: 0 }).where('id', '=', a.joinedCandidateId).execute()
    return { url: `/sessions/${a.sessionId}/surveillance/candidats/${a.joinedCandidateId}/ecran-de-fin`, form: { vu: '1' } }
  },
  'POST /sessions/:sessionId/surveillance/candidats/:candidateId/signalement': async ({ fresh }) => {
    const a = await fresh()
    return {
      url: `/sessions/${a.sessionId}/surveillance/candidats/${a.joinedCandidateId}/signalement`,
      form: { categorie: 'technical_problem', code_technical_problem: 'A1', details_technical_problem: 'Le poste 12 a redémarré.' },
    }
  },
  // Time control (issue 27): the seeded joined candidate's test runs.
  'POST /sessions/:sessionId/surveillance/candidats/:candidateId/temps': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/surveillance/candidats/${a.joinedCandidateId}/temps`, form: { minutes: '10', motif: 'alarme', precisions: '' } }
  },
  'POST /sessions/:sessionId/surveillance/candidats/:candidateId/suspendre': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/surveillance/candidats/${a.joinedCandidateId}/suspendre`, form: { motif: 'coupure', precisions: '' } }
  },
  'POST /sessions/:sessionId/surveillance/candidats/:candidateId/reprendre': async ({ server, adminId, fresh }) => {
    const a = await fresh()
    await pause(server.db, a.sessionId, [a.joinedCandidateId], { minutes: null, reason: 'coupure', details: null }, { kind: 'staff', userId: adminId })
    return { url: `/sessions/${a.sessionId}/surveillance/candidats/${a.joinedCandidateId}/reprendre`, form: {} }
  },
  'POST /sessions/:sessionId/surveillance/salle/suspendre': async ({ fresh }) => ({
    url: `/sessions/${(await fresh()).sessionId}/surveillance/salle/suspendre`,
    form: { motif: 'alarme', precisions: 'Évacuation' },
  }),
  'POST /sessions/:sessionId/surveillance/salle/reprendre': async ({ server, adminId, fresh }) => {
    const a = await fresh()
    await pauseRoom(server.db, a.sessionId, { minutes: null, reason: 'alarme', details: null }, { kind: 'staff', userId: adminId })
    return { url: `/sessions/${a.sessionId}/surveillance/salle/reprendre`, form: {} }
  },
  'POST /sessions/:sessionId/surveillance/groupe': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/surveillance/groupe`, form: { action: 'confirmer', candidats: [String(a.candidateId)] } }
  },
  'POST /sessions/:sessionId/mot-de-passe-surveillant': async ({ fresh }) => ({
    url: `/sessions/${(await fresh()).sessionId}/mot-de-passe-surveillant`,
    form: {},
  }),
  'POST /sessions/:sessionId/finalisation/candidats/:candidateId/signalement': async ({ fresh }) => {
    const a = await fresh()
    return {
      url: `/sessions/${a.sessionId}/finalisation/candidats/${a.joinedCandidateId}/signalement`,
      form: { categorie: 'in_challenge', numero_question: '12', code_in_challenge: 'E4' },
    }
  },
  'POST /sessions/:sessionId/finalisation/signalements/:reportId/supprimer': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/finalisation/signalements/${a.reportId}/supprimer`, form: { brouillon: '1', choix_commentaire: 'none' } }
  },
  'POST /sessions/:sessionId/finalisation/documents': async ({ fresh }) => ({
    url: `/sessions/${(await fresh()).sessionId}/finalisation/documents`,
    multipart: file('rapport.pdf', PDF, 'application/pdf'),
  }),
  'POST /sessions/:sessionId/finalisation/documents/:documentId/supprimer': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/finalisation/documents/${a.documentId}/supprimer`, form: {} }
  },
  'POST /sessions/:sessionId/finalisation/confirmation': async ({ server, fresh }) => {
    const a = await fresh()
    await server.db.updateTable('certification_session').set({ global_comment_choice: 'none', global_comment: null }).where('id', '=', a.sessionId).execute()
    const { draft_version } = await server.db
      .selectFrom('certification_session')
      .select('draft_version')
      .where('id', '=', a.sessionId)
      .executeTakeFirstOrThrow()
    return { url: `/sessions/${a.sessionId}/finalisation/confirmation`, form: { version: String(draft_version) } }
  },
  // Convocations: queued only with SMTP configured (the mail queue itself, built without it, only logs them).
  'POST /sessions/:sessionId/convocations/envoi': async ({ server, fresh }) => {
    server.config.smtp = { host: '127.0.0.1', port: 25, secure: false, user: '', password: '', from: 'certif@example.org' }
    return { url: `/sessions/${(await fresh()).sessionId}/convocations/envoi`, form: { envoi: 'tous' } }
  },
  'POST /sessions/:sessionId/convocations/candidats/:candidateId/renvoyer': async ({ server, fresh }) => {
    server.config.smtp = { host: '127.0.0.1', port: 25, secure: false, user: '', password: '', from: 'certif@example.org' }
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/convocations/candidats/${a.candidateId}/renvoyer`, form: {} }
  },
  'POST /equipe/consignes': async () => ({ url: '/equipe/consignes', form: { consignes: 'Apportez un stylo.' } }),
  'POST /equipe/invitations': async () => ({ url: '/equipe/invitations', form: { emails: 'nouvelle@example.org, autre@example.org', role: 'member' } }),
  'POST /equipe/invitations/:invitationId/renvoyer': async ({ fresh }) => ({ url: `/equipe/invitations/${(await fresh()).invitationId}/renvoyer`, form: {} }),
  'POST /equipe/invitations/:invitationId/supprimer': async ({ fresh }) => ({ url: `/equipe/invitations/${(await fresh()).invitationId}/supprimer`, form: {} }),
  'POST /equipe/membres/:memberId/role': async ({ fresh }) => ({ url: `/equipe/membres/${(await fresh()).memberId}/role`, form: { role: 'admin' } }),
  'POST /equipe/membres/:memberId/retirer': async ({ fresh }) => ({ url: `/equipe/membres/${(await fresh()).memberId}/retirer`, form: {} }),
  'POST /equipe/quitter': async ({ server }) => {
    const { client } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
    await client.get('/equipe/quitter')
    return { client, url: '/equipe/quitter', form: {} }
  },
  'POST /invitation/compte': async ({ server, adminId }) => {
    const centreId = (await server.db.selectFrom('centre').select('id').where('name', '=', 'Centre A').executeTakeFirstOrThrow()).id
    const [invitation] = (
      await inviteMembers(server.db, { centreId, actor: { kind: 'user', userId: adminId, name: 'Admin' } }, ['newcomer@example.org'], 'member')
    ).invited
    const client = new Client(server)
    await client.get(`/invitation?jeton=${invitation!.token}`)
    return {
      client,
      url: '/invitation/compte',
      form: { jeton: invitation!.token, firstName: 'Nina', lastName: 'Nguyen', password: PASSWORD, confirmation: PASSWORD, cgu: 'on' },
    }
  },
  'POST /invitation/connexion': async ({ server, adminId }) => {
    const centreId = (await server.db.selectFrom('centre').select('id').where('name', '=', 'Centre A').executeTakeFirstOrThrow()).id
    const other = await createMember(server, { centre: 'Centre Z' })
    const [invitation] = (await inviteMembers(server.db, { centreId, actor: { kind: 'user', userId: adminId, name: 'Admin' } }, [other.email], 'member'))
      .invited
    const client = new Client(server)
    await client.get(`/invitation?jeton=${invitation!.token}`)
    return { client, url: '/invitation/connexion', form: { jeton: invitation!.token, email: other.email, password: PASSWORD } }
  },
}

const key = (r: AppRoute) => `${r.method} ${r.url}`
const historyCount = async (server: Ctx['server']) =>
  Number(
    (
      await server.db
        .selectFrom('history')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

// Issue 12, item 10: generated from the route table, so a new state-changing route cannot forget its history entry.
t.test('history: every state-changing route, when it succeeds, writes exactly one history entry', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const { client: admin, userId: adminId } = await loggedIn(server, { centre: 'Centre A' })
  const ctx: Ctx = { server, admin, adminId, fresh: () => seedCentre(server, 'Centre A') }
  const posts = routes.filter((r) => isStateChanging(r.method))
  for (const route of posts) {
    const name = key(route)
    if (NOT_CENTRE_DATA[name]) continue
    const build = SUCCESS[name]
    if (!build) {
      t.fail(`${name} changes state but test/sweeps/history.test.ts has no successful request for it: add one (and a recordHistory call beside its write)`)
      continue
    }
    const c = await build(ctx)
    const client = c.client ?? admin
    if (!c.client) await client.get('/equipe')
    const before = await historyCount(server)
    const started = Date.now()
    let response: LightMyRequestResponse
    if (c.multipart) response = await client.postMultipart(c.url, c.multipart)
    else response = await client.post(c.url, c.form ?? {})
    t.ok([200, 303].includes(response.statusCode), `${name}: succeeds (${response.statusCode})`)
    const entries = await server.db.selectFrom('history').selectAll().orderBy('id').offset(before).limit(10).execute()
    t.equal(entries.length, 1, `${name}: exactly one history entry (${entries.map((e) => e.action).join(', ')})`)
    const entry = entries[0]
    if (!entry) continue
    t.ok(Date.parse(entry.created_at) >= started - 1000, `${name}: dated now`)
    t.ok(entry.actor_name.length > 0, `${name}: says who`)
    const serialised = JSON.stringify(entry)
    t.notMatch(serialised, /jeton|Secret-1234|password|\$argon2/i, `${name}: no password or token in the entry`)
  }
  for (const name of Object.keys(SUCCESS))
    t.ok(
      posts.some((r) => key(r) === name),
      `${name} is a registered route`,
    )
})

t.test('history: a state-changing request that changes nothing writes nothing', async (t) => {
  const { server, routes } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
  // A member (admin routes answer 403) sending the sweeps' plausible forms: most fail validation.
  for (const route of routes.filter((r) => isStateChanging(r.method) && !NOT_CENTRE_DATA[key(r)] && !r.config.public)) {
    await client.get('/equipe')
    const before = await historyCount(server)
    const responses = await send(client, route, fillUrl(route.url, a.ids), { kind: 'own' })
    const failed = responses.every(({ response }) => response.statusCode >= 400)
    if (failed)
      t.equal(await historyCount(server), before, `${key(route)} refused (${responses.map((r) => r.response.statusCode).join(', ')}): no history entry`)
  }
})

t.test('history cannot be edited or deleted, except with the whole centre', async (t) => {
  const { server } = await buildWithRoutes(t)
  const a = await seedCentre(server, 'Centre A')
  const { client } = await loggedIn(server, { centre: 'Centre A' })
  await client.get('/sessions/nouvelle')
  await client.post('/sessions/nouvelle', validSession)
  t.ok((await historyCount(server)) > 0)
  await t.rejects(server.db.updateTable('history').set({ actor_name: 'Quelqu’un d’autre' }).execute(), /append-only/, 'no UPDATE')
  await t.rejects(server.db.deleteFrom('history').execute(), /append-only/, 'no DELETE')
  await server.db.deleteFrom('centre').where('id', '=', a.centreId).execute()
  t.equal(await historyCount(server), 0, 'deleting the centre takes its history with it')
})
