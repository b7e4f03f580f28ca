import type { Generated } from 'kysely'

export type Role = 'admin' | 'member'

export interface CentreTable {
  id: Generated<number>
  name: string
  /** "Consignes aux candidats" printed on every convocation; null: the default text. */
  candidate_instructions: Generated<string | null>
  created_at: Generated<string>
  /** The operator deactivated the centre: members can no longer open it; data kept. */
  deactivated_at: Generated<string | null>
}

export interface MembershipTable {
  user_id: number
  centre_id: number
  role: Role
  created_at: Generated<string>
}
