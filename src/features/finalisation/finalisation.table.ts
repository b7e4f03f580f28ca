import type { Generated, Selectable } from 'kysely'

export interface ReportTable {
  id: Generated<number>
  session_id: number
  candidate_id: number
  category: string
  /** PV d'incident code: C1…C6, E1…E7, A1, A2 */
  code: string
  question_number: number | null
  details: string | null
  created_at: Generated<string>
  /** 'invigilator': recorded in the Espace surveillant during the session, at recorded_at. */
  source: Generated<'finalisation' | 'invigilator'>
  recorded_at: Generated<string | null>
  recorded_by_user_id: Generated<number | null>
  recorded_by_access_id: Generated<string | null>
  /** The time change (added minutes, pause) this report tells of, written by the Espace surveillant. */
  clock_change_id: Generated<number | null>
}
export type ReportRow = Selectable<ReportTable>

export interface SessionDocumentTable {
  id: Generated<number>
  session_id: number
  original_name: string
  /** Random hex name: the file's under DATA_DIR/uploads before documents moved into the database. */
  stored_name: string
  mime_type: string
  size: number
  comment: string | null
  created_at: Generated<string>
  /** The file itself (BLOB / bytea), written in the same transaction as its row; null only for a file lost before the move. */
  content: Buffer | null
}
/** A document without its content (lists, checks): the bytes are read only to download them. */
export type SessionDocumentRow = Omit<Selectable<SessionDocumentTable>, 'content'>
export const SESSION_DOCUMENT_COLUMNS = ['id', 'session_id', 'original_name', 'stored_name', 'mime_type', 'size', 'comment', 'created_at'] as const
