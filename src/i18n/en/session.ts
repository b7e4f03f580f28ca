import type { Translation } from '../index.ts'
import type { session as fr } from '../fr/session.ts'

/** Words shared by every page of one session (header, tabs, statuses). */
export const session: Translation<typeof fr> = {
  'session.title': 'Session {id}',
  'session.date': 'Date',
  'session.start_time': 'Start time (local time)',
  'session.tabs': 'Session tabs',
  'session.tab.details': 'Details',
  'session.tab.candidates': 'Candidates',
  'session.tab.candidates_count': 'Candidates ({count})',
  'session.status.created': 'Created',
  'session.status.finalised': 'Finalised',
}
