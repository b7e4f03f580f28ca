import type { Generated, Insertable, Selectable } from 'kysely'

export type ConvocationLanguage = 'fr' | 'en'

export interface CandidateTable {
  id: Generated<number>
  session_id: number
  last_name: string
  first_name: string
  /** YYYY-MM-DD */
  birthdate: string
  birth_city: string
  /** '01'…'95', '2A', '2B', '971'…'976', '99' (born abroad) */
  birth_department_code: string
  birth_country: string
  email: string | null
  external_id: string | null
  /** Whole percentage 1–99, or null. */
  extra_time_percentage: number | null
  /** 0/1: "Le candidat a besoin d'un aménagement". */
  accessibility_needed: Generated<number>
  /** The optional detail of the need (≤ 200 characters), only when it is needed. */
  accessibility_note: Generated<string | null>
  /** Who approved the accommodation (extra time or accessibility need), one line ≤ 100 characters; null when not written. */
  accommodation_approved_by: Generated<string | null>
  /** YYYY-MM-DD: when the accommodation was approved; null when not written. */
  accommodation_approved_on: Generated<string | null>
  /** 'fr' or 'en': the language of the candidate's convocation. */
  convocation_language: Generated<ConvocationLanguage>
  /** 0/1, ticked at finalisation step 1. */
  has_seen_end_screen: Generated<number>
  /** ISO timestamp: typed the right access code, waiting for the invigilator ("En attente"). */
  arrived_at: Generated<string | null>
  /** ISO timestamp: the invigilator confirmed the candidate is in the room ("Présent"). */
  presence_confirmed_at: Generated<string | null>
  created_at: Generated<string>
  /** ISO timestamp: personal data erased (retention or on request); the row stays as "Candidat effacé". */
  erased_at: Generated<string | null>
}
export type CandidateRow = Selectable<CandidateTable>
export type NewCandidate = Insertable<CandidateTable>

/** Exists once a candidate has joined; its id is the "N° de certification". */
export interface CertificationCourseTable {
  id: Generated<number>
  session_id: number
  candidate_id: number
  /** When the candidate started (was given the number): the start shown as "Début". */
  joined_at: string
  /** ISO timestamp: the invigilator ended the test ("Terminé"). */
  ended_at: Generated<string | null>
}
