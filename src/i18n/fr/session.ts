/** Words shared by every page of one session (header, tabs, statuses). */
export const session = {
  'session.title': 'Session {id}',
  'session.date': 'Date',
  'session.start_time': 'Heure de début (heure locale)',
  'session.tabs': 'Onglets de la session',
  'session.tab.details': 'Détails',
  'session.tab.candidates': 'Candidats',
  'session.tab.candidates_count': 'Candidats ({count})',
  'session.status.created': 'Créée',
  'session.status.finalised': 'Finalisée',
}
