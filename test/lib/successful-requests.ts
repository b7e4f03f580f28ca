import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pause, pauseRoom } from '../../src/features/supervision/time-control.service.ts'
import { inviteMembers } from '../../src/features/team/team.service.ts'
import { Client, createMember, loggedIn, PASSWORD } from '../helper.ts'
import type { buildWithRoutes } from './routes.ts'
import { operatorClient } from './operator.ts'
import { type SeededCentre, seedCentre } from './seed.ts'

// One request that succeeds for every state-changing route of centre data, shared by the sweeps:
// the history sweep (each records exactly one entry) and the read-only sweep (each, on a finalised
// session, is refused and changes nothing; on an open one it changes the database). A new
// state-changing route gets its entry here.

const PDF = Buffer.from('%PDF-1.4\n%history sweep\n')
const ODS = readFileSync(path.resolve(import.meta.dirname, '../features/candidates/fixtures/filled.ods'))

export interface Ctx {
  server: Awaited<ReturnType<typeof buildWithRoutes>>['server']
  admin: Client
  adminId: number
  fresh: () => Promise<SeededCentre>
}
export interface Case {
  client?: Client
  url: string
  form?: Record<string, string | string[]>
  multipart?: FormData
}
export const validSession = { siteName: 'Lycée Testix', room: 'B12', date: '2030-03-15', startTime: '14:30', invigilators: 'Eric Martin', observations: '' }
export const validCandidate = {
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
export const SUCCESS: Record<string, (ctx: Ctx) => Promise<Case>> = {
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
  'POST /sessions/:sessionId/conservation': async ({ fresh }) => ({ url: `/sessions/${(await fresh()).sessionId}/conservation`, form: { conserver: 'oui' } }),
  'POST /sessions/:sessionId/candidats/:candidateId/effacer': async ({ fresh }) => {
    const a = await fresh()
    return { url: `/sessions/${a.sessionId}/candidats/${a.candidateId}/effacer`, form: {} }
  },
  // A rename is in the history of the account's centres: a member of one centre, one entry.
  'POST /mon-compte/nom': async ({ server }) => {
    const { client } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
    await client.get('/mon-compte')
    return { client, url: '/mon-compte/nom', form: { firstName: 'Paula', lastName: 'Renommée' } }
  },
  'POST /mon-compte/email': async ({ server }) => {
    const { client } = await loggedIn(server, { centre: 'Centre A', role: 'member' })
    await client.get('/mon-compte')
    return { client, url: '/mon-compte/email', form: { email: 'nouvelle.adresse@example.org', password: PASSWORD } }
  },
  // The operator console, by an operator (member of no centre).
  'POST /exploitation/centres/nouveau': async ({ server }) => ({
    client: (await operatorClient(server, 'ops-create@example.org')).client,
    url: '/exploitation/centres/nouveau',
    form: { name: 'Centre créé par l’exploitation', adminEmail: 'chef@example.org' },
  }),
  // (Other centres than Centre A: its admin must keep opening it for the cases that follow.)
  'POST /exploitation/centres/:centreId/renommer': async ({ server }) => ({
    client: (await operatorClient(server, 'ops-rename@example.org')).client,
    url: `/exploitation/centres/${(await seedCentre(server, 'Centre à renommer')).centreId}/renommer`,
    form: { name: 'Centre renommé' },
  }),
  'POST /exploitation/centres/:centreId/desactiver': async ({ server }) => ({
    client: (await operatorClient(server, 'ops-off@example.org')).client,
    url: `/exploitation/centres/${(await seedCentre(server, 'Centre à désactiver')).centreId}/desactiver`,
  }),
  'POST /exploitation/centres/:centreId/reactiver': async ({ server }) => {
    const { centreId } = await seedCentre(server, 'Centre à réactiver')
    await server.db.updateTable('centre').set({ deactivated_at: new Date().toISOString() }).where('id', '=', centreId).execute()
    return { client: (await operatorClient(server, 'ops-on@example.org')).client, url: `/exploitation/centres/${centreId}/reactiver` }
  },
  // Time control: the seeded joined candidate's test runs.
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
}
