import type { Selectable } from 'kysely'

/** A validated "Créer/éditer plusieurs sessions" file, waiting for its confirmation (one hour). */
export interface BatchPlanTable {
  /** Random, unguessable (32 hex digits). */
  id: string
  user_id: number
  centre_id: number
  /** BatchPlan as JSON. */
  plan: string
  /** ISO timestamp, written by the code (no database default). */
  created_at: string
  /** ISO timestamp. */
  expires_at: string
  used_at: string | null
  /** BatchResult as JSON, once confirmed. */
  result: string | null
}
export type BatchPlanRow = Selectable<BatchPlanTable>
