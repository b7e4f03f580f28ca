import type { FastifyInstance } from 'fastify'
import { createCandidate, createSession, joinCandidate } from '../factories.ts'
import { toTimestamp } from '../../src/lib/timestamps.ts'
import { type SeededCentre, seedCentre } from './seed.ts'

/*
 * Issue 25: data as a real centre has it, for the page-width sweep and the print test: long
 * names, communes and e-mails, 200 candidates in one session (half of them joined, some with
 * reports), many sessions, members, invitations and history. Deterministic (no randomness).
 */

const LAST_NAMES = [
  'de La Rochefoucauld-Montbazon',
  'Martin',
  'Nguyen Van Thanh',
  'Dupont-Aignan de Saint-Exupéry',
  'Bernard',
  'Ould Mohamed Abdallahi',
  'Lefebvre',
  'Fontaine-Delacroix',
]
const FIRST_NAMES = ['Marie-Christine Bénédicte', 'Léo', 'Jean-Baptiste Emmanuel', 'Inès', 'Anne-Sophie', 'Maximilien', 'Zoé', 'Charles-Édouard']
const CITIES = [
  'Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson',
  'Le Havre',
  'Villeneuve-la-Garenne',
  'Aulnay-sous-Bois',
  'Montigny-le-Bretonneux',
  'Bourg-Saint-Andéol',
]
const COUNTRIES = ['France', 'France', 'République démocratique du Congo', 'France', 'Belgique', 'France']

/** The 200 candidates' fields, i from 0. */
export function realisticCandidate(i: number) {
  const last = LAST_NAMES[i % LAST_NAMES.length]!
  const first = FIRST_NAMES[(i * 3) % FIRST_NAMES.length]!
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z.-]+/g, '-')
  return {
    last_name: last,
    first_name: first,
    birthdate: `19${String(80 + (i % 20)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
    birth_city: CITIES[i % CITIES.length]!,
    birth_department_code: i % 5 === 2 ? '99' : String(10 + (i % 80)),
    birth_country: COUNTRIES[i % COUNTRIES.length]!,
    email: i % 9 === 4 ? null : `${local}${i}@etablissement-academie-normandie.example.org`,
    external_id: `INE-${String(123456789 + i * 7919).padStart(11, '0')}-AB`,
    extra_time_percentage: i % 7 === 3 ? 33 : null,
    accessibility_needed: i % 11 === 5 ? 1 : 0,
    accessibility_note: i % 11 === 5 ? 'Salle au rez-de-chaussée, écran agrandi et pauses régulières' : null,
  }
}

export interface RealisticCentre extends SeededCentre {
  /** The session of 200 candidates (also ids.sessionId). */
  bigSessionId: number
}

/** seedCentre's centre, with its session made realistic and 200 candidates; `candidates` to change the number. */
export async function seedRealisticCentre(server: FastifyInstance, centreName: string, options: { candidates?: number } = {}): Promise<RealisticCentre> {
  const seeded = await seedCentre(server, centreName)
  const db = server.db
  const long = {
    site_name: 'Lycée polyvalent Jean-Baptiste Colbert — bâtiment des sciences et techniques industrielles',
    room: 'Salle informatique B204 (deuxième étage, aile nord)',
    invigilators: 'Marie-Christine de La Rochefoucauld-Montbazon, Jean-Baptiste Nguyen Van Thanh',
    observations: 'Prévoir des casques audio et les identifiants de secours ; la salle ferme à 18 h.',
  }
  await db.updateTable('certification_session').set(long).where('id', '=', seeded.sessionId).execute()
  const count = options.candidates ?? 200
  for (let i = 0; i < count; i++) {
    const candidate = await createCandidate(db, seeded.sessionId, realisticCandidate(i))
    if (i % 2 === 1) {
      await joinCandidate(db, candidate)
      if (i % 10 === 1)
        await db
          .insertInto('report')
          .values({
            session_id: seeded.sessionId,
            candidate_id: candidate.id,
            category: i % 20 === 1 ? 'candidate_info' : 'fraud',
            code: i % 20 === 1 ? 'C1' : 'C6',
            question_number: null,
            details: i % 20 === 1 ? 'Nom d’usage différent du nom de naissance : « de La Rochefoucauld-Montbazon » au lieu de « Martin »' : null,
          })
          .execute()
    }
    if (candidate.email && i % 4 === 0)
      await db
        .insertInto('convocation_mail')
        .values({
          session_id: seeded.sessionId,
          candidate_id: candidate.id,
          email: candidate.email,
          status: i % 8 === 0 ? 'sent' : 'failed',
          session_key: 'ancienne',
          error: i % 8 === 0 ? null : 'Adresse refusée par le serveur du destinataire (550 5.1.1 boîte inconnue)',
          queued_at: toTimestamp(Date.UTC(2026, 10, 2, 8, 0)),
          sent_at: i % 8 === 0 ? toTimestamp(Date.UTC(2026, 10, 2, 8, 5)) : null,
        })
        .execute()
  }
  for (let s = 0; s < 24; s++)
    await createSession(db, seeded.centreId, { ...long, date: `2026-${String((s % 12) + 1).padStart(2, '0')}-${String((s % 27) + 1).padStart(2, '0')}` })
  for (let h = 0; h < 40; h++)
    await db
      .insertInto('history')
      .values({
        centre_id: seeded.centreId,
        session_id: seeded.sessionId,
        actor_kind: 'user',
        actor_user_id: null,
        actor_name: 'Marie-Christine de La Rochefoucauld-Montbazon',
        action: 'candidate_added',
        subject: `${FIRST_NAMES[h % FIRST_NAMES.length]} ${LAST_NAMES[h % LAST_NAMES.length]}`,
        count: null,
        created_at: toTimestamp(Date.UTC(2026, 10, 3, 9, h)),
      })
      .execute()
  await db
    .updateTable('user')
    .set({ first_name: 'Marie-Christine Bénédicte', last_name: 'de La Rochefoucauld-Montbazon' })
    .where('id', '=', seeded.memberId)
    .execute()
  return { ...seeded, bigSessionId: seeded.sessionId }
}
