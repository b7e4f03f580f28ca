import type { Generated, Selectable } from 'kysely'

export type Role = 'admin' | 'member'

export interface CentreTable {
  id: Generated<number>
  name: string
  /** "Consignes aux candidats" printed on every convocation; null: the default text. */
  candidate_instructions: Generated<string | null>
  created_at: Generated<string>
}
export type CentreRow = Selectable<CentreTable>

export interface MembershipTable {
  user_id: number
  centre_id: number
  role: Role
  created_at: Generated<string>
}
