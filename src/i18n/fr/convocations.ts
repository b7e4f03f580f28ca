/** Convocations: the document (printed and e-mailed), the sending, the centre's instructions. */
export const convocations = {
  // The document
  'convocations.doc.title': 'Convocation',
  'convocations.doc.subtitle': 'Session de certification n° {id}',
  'convocations.doc.greeting': 'Bonjour {name},',
  'convocations.doc.intro': 'Vous êtes convoqué(e) à une session de certification organisée par {centre}.',
  'convocations.doc.session_number': 'N° de session',
  'convocations.doc.date': 'Date',
  'convocations.doc.start': 'Début de l’épreuve (heure locale)',
  'convocations.doc.arrival': 'Heure d’arrivée',
  'convocations.doc.arrival_value': '{time}, soit {minutes} minutes avant le début',
  'convocations.doc.site': 'Lieu',
  'convocations.doc.room': 'Salle',
  'convocations.doc.duration': 'Durée de l’épreuve',
  'convocations.doc.duration_value': '{duration}',
  'convocations.doc.duration_extra': '{duration}, temps majoré de {percent} % compris',
  'convocations.doc.hours_minutes': '{h} h {m}',
  'convocations.doc.hours': '{h} h',
  'convocations.doc.minutes': '{m} min',
  'convocations.doc.bring_title': 'À apporter',
  'convocations.doc.bring_identity':
    'Une pièce d’identité en cours de validité, avec photo (carte d’identité, passeport, titre de séjour ou permis de conduire).',
  'convocations.doc.instructions_title': 'Consignes du centre',
  'convocations.doc.steps_title': 'Le jour de l’épreuve',
  'convocations.doc.step_1':
    'Présentez-vous à l’heure d’arrivée indiquée, en salle {room}, avec votre pièce d’identité : le surveillant vérifie votre identité et vous fait signer la feuille d’émargement.',
  'convocations.doc.step_2': 'Sur l’ordinateur, ouvrez le navigateur et allez à l’adresse : {url}',
  'convocations.doc.step_3': 'Saisissez le numéro de session {id}, votre prénom, votre nom de naissance et votre date de naissance (jour, mois, année).',
  'convocations.doc.step_4': 'Saisissez le code d’accès que le surveillant donnera en salle.',
  'convocations.doc.step_5': 'Notez le N° de certification affiché à l’écran, puis attendez les consignes du surveillant.',
  'convocations.doc.candidate_page': 'Page candidat',
  'convocations.doc.footer': 'Convocation établie par {centre}.',
  'convocations.mail.subject': 'Convocation : session de certification n° {id} du {date}',
  'convocations.mail.signature': '{centre}',
  'convocations.instructions.default':
    'Arrivez à l’heure : une fois l’épreuve commencée, l’entrée dans la salle peut vous être refusée.\nLe téléphone portable est éteint et rangé pendant toute l’épreuve.\nSi vous avez besoin d’un aménagement (temps majoré, accessibilité), prévenez le centre avant le jour de l’épreuve.',

  // The print page
  'convocations.print.title': 'Convocations — session {id}',
  'convocations.print.one_title': 'Convocation de {name} — session {id}',
  'convocations.print.none': 'Aucun candidat à convoquer dans cette session.',

  // The Candidats tab
  'convocations.tab.title': 'Convocations',
  'convocations.tab.intro':
    'Envoyez par e-mail à chaque candidat qui a une adresse e-mail de convocation sa convocation (date, heure, lieu, durée, pièce à apporter, comment rejoindre la session), ou imprimez-les pour les autres.',
  'convocations.tab.send_all': 'Envoyer les convocations par e-mail',
  'convocations.tab.send_all_hint': {
    zero: 'Aucun candidat n’attend de convocation par e-mail (sans adresse, déjà envoyée ou en cours).',
    one: '{count} candidat avec une adresse e-mail n’a pas encore reçu la sienne.',
    other: '{count} candidats avec une adresse e-mail n’ont pas encore reçu la leur.',
  },
  'convocations.tab.send_ticked': 'Envoyer aux candidats cochés',
  'convocations.tab.tick_label': 'Envoyer la convocation à {name}',
  'convocations.tab.print_one_per_page': 'Imprimer les convocations (une par page)',
  'convocations.tab.print_two_per_page': 'Imprimer les convocations (deux par page)',
  'convocations.tab.progress': '{sent} / {total} envoyées',
  'convocations.tab.failed_count': { one: '{count} échec', other: '{count} échecs' },
  'convocations.tab.pending_count': { one: '{count} en attente d’envoi', other: '{count} en attente d’envoi' },
  'convocations.tab.reload': 'Actualiser',
  'convocations.tab.instructions_link': 'Modifier les consignes aux candidats',
  'convocations.tab.no_smtp':
    'L’envoi par e-mail n’est pas configuré sur ce serveur : la personne qui l’administre doit renseigner SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD et SMTP_FROM (voir le fichier .env.example), puis redémarrer Certisalle. En attendant, imprimez les convocations et remettez-les aux candidats.',
  'convocations.tab.finalised': 'La session est finalisée : les convocations ne sont plus envoyées.',
  'convocations.col.status': 'Convocation',
  'convocations.status.pending': 'En attente d’envoi',
  'convocations.status.sent': 'Envoyée le {date}',
  'convocations.status.failed': 'Échec : {error}',
  'convocations.status.stale': 'Convocation à renvoyer (la session a changé)',
  'convocations.status.no_email': 'Pas d’adresse e-mail',
  'convocations.resend': 'Renvoyer',
  'convocations.resend_label': 'Renvoyer la convocation à {name}',
  'convocations.print_one': 'Imprimer',
  'convocations.print_one_label': 'Imprimer la convocation de {name}',
  'convocations.queued': {
    zero: 'Aucune convocation à envoyer : chaque candidat avec une adresse e-mail a déjà la sienne, ou elle est en cours d’envoi.',
    one: '{count} convocation va être envoyée. Actualisez la page pour suivre l’envoi.',
    other: '{count} convocations vont être envoyées. Actualisez la page pour suivre l’envoi.',
  },
  'convocations.limit': 'Une session peut envoyer au plus {max} convocations : la limite est atteinte. Imprimez les convocations restantes.',
  'convocations.no_smtp_short': 'L’envoi par e-mail n’est pas configuré sur ce serveur : imprimez les convocations.',
  'convocations.no_email': '{name} n’a pas d’adresse e-mail de convocation.',

  // SMTP errors in plain words
  'convocations.error.refused': 'le serveur de messagerie a refusé l’adresse ({detail}).',
  'convocations.error.rejected': 'le serveur de messagerie a refusé le message ({detail}).',
  'convocations.error.connection': 'le serveur de messagerie ne répond pas ou a coupé la connexion.',
  'convocations.error.auth': 'le serveur de messagerie a refusé l’identifiant ou le mot de passe SMTP.',
  'convocations.error.interrupted': 'l’envoi a été interrompu (redémarrage du serveur) ; vérifiez auprès du candidat avant de renvoyer.',
  'convocations.error.other': 'erreur d’envoi ({detail}).',

  // The centre's instructions (admins)
  'convocations.instructions.title': 'Consignes aux candidats',
  'convocations.instructions.intro':
    'Ce texte figure sur chaque convocation du centre, imprimée ou envoyée par e-mail, sous « Consignes du centre ». Laissez-le vide pour reprendre le texte proposé par défaut.',
  'convocations.instructions.label': 'Consignes aux candidats',
  'convocations.instructions.hint': '2 000 caractères au maximum. Une consigne par ligne.',
  'convocations.instructions.default_title': 'Texte par défaut',
  'convocations.instructions.submit': 'Enregistrer les consignes',
  'convocations.instructions.saved': 'Les consignes aux candidats ont été enregistrées.',
  'convocations.instructions.too_long': '{max} caractères au maximum.',
}
