/** "Créer/éditer plusieurs sessions" (Pix Certif's wording where it has one; PIX-TODAY.md § 3). */
export const batchImport = {
  'batch.title': 'Créer/éditer plusieurs sessions',
  'batch.list_link': 'Créer/éditer plusieurs sessions',
  'batch.steps.label': 'Étapes',
  'batch.step1': 'Import du modèle',
  'batch.step2': 'Récapitulatif',
  'batch.step_current': '(étape en cours)',
  'batch.intro.create_title': 'Pour créer des sessions ?',
  'batch.intro.create_with':
    'Avec candidats : complétez le modèle dans son intégralité, une ligne par candidat (les colonnes de la session se répètent sur chaque ligne).',
  'batch.intro.create_without': 'Sans candidat : complétez uniquement les colonnes de la session.',
  'batch.intro.edit_title': 'Pour éditer la liste des candidats de sessions déjà créées ?',
  'batch.intro.edit':
    'Indiquez le numéro de la session dans la colonne « Numéro de session préexistante » et laissez vides les autres colonnes de la session : sa liste de candidats sera remplacée par les lignes qui la nomment.',
  'batch.intro.warning':
    'Attention à renseigner le numéro de session sans les autres informations de session (date, heure…) pour éviter les doublons lors de la création.',
  'batch.download.title': 'Télécharger le modèle',
  'batch.download.text': 'Ne modifiez ni le nom des colonnes ni leur ordre. Les deux modèles ont les mêmes colonnes.',
  'batch.download.csv': 'Télécharger le modèle (.csv)',
  'batch.download.ods': 'Télécharger le modèle (.ods)',
  'batch.upload.title': 'Importer le modèle complété',
  'batch.upload.again_title': 'Importer un nouveau fichier',
  'batch.upload.label': 'Modèle complété (.csv ou .ods, 5 Mo au maximum)',
  'batch.upload.button': 'Importer le modèle complété',
  'batch.upload.again': 'Importer un nouveau fichier',
  'batch.upload.limits': 'Au plus {sessions} sessions et {candidates} candidats par fichier.',
  'batch.cancel': 'Annuler l’import',
  'batch.template.sheet_name': 'Sessions',

  'batch.col.session_number': 'Numéro de session préexistante',
  'batch.col.site_name': '* Nom du site',
  'batch.col.room': '* Nom de la salle',
  'batch.col.date': '* Date de début (format : jj/mm/aaaa)',
  'batch.col.start_time': '* Heure de début (heure locale, format : hh:mm)',
  'batch.col.invigilators': '* Surveillant(s)',
  'batch.col.observations': 'Observations (optionnel)',

  'batch.file.no_file': 'Choisissez le modèle complété (.csv ou .ods) à importer.',
  'batch.file.empty_file': 'Le fichier est vide. Choisissez le modèle complété, enregistré au format .csv ou .ods.',
  'batch.file.too_large': 'Le fichier dépasse 5 Mo. Vérifiez que vous avez choisi le bon fichier, ou répartissez les sessions dans plusieurs fichiers.',
  'batch.file.not_text':
    'Ce fichier n’est ni un fichier .csv ni un fichier .ods. Enregistrez le modèle complété au format « CSV » ou « Classeur ODF (.ods) », puis importez-le.',
  'batch.file.no_header':
    'Ce fichier n’est pas un modèle « Créer/éditer plusieurs sessions » : sa première ligne ne contient aucun des titres attendus (« Numéro de session préexistante », « * Nom du site »…, ceux de Certisalle comme ceux de Pix Certif). Téléchargez le modèle à nouveau et recopiez-y vos lignes.',
  'batch.file.missing_columns':
    'La ligne des titres du fichier est incomplète : il manque {columns} (un seul des titres séparés par « / » suffit par colonne). Ne supprimez ni ne renommez les colonnes ; téléchargez le modèle à nouveau si besoin.',
  'batch.file.pix_missing_columns':
    'Ce fichier semble venir de Pix Certif : ses titres sont lus ici, mais il en manque {columns} (un seul des titres séparés par « / » suffit par colonne). Ajoutez la colonne manquante, puis importez le fichier de nouveau.',
  'batch.file.ignored_columns': 'Colonnes ignorées : {columns}. Leur contenu n’est pas utilisé par Certisalle.',
  'batch.file.empty':
    'Le modèle importé n’a pas été rempli : complétez-le (une ligne par candidat, ou une ligne par session sans candidat) avant de l’importer à nouveau.',
  'batch.file.too_many_candidates':
    'Le fichier contient {count} candidats, au-delà de la limite de {max} par fichier. Répartissez les sessions dans plusieurs fichiers.',
  'batch.file.too_many_sessions': 'Le fichier décrit {count} sessions, au-delà de la limite de {max} par fichier. Répartissez-les dans plusieurs fichiers.',
  'batch.file.too_many_lines':
    'Le fichier contient plus de {max} lignes, au-delà des limites d’un fichier (200 sessions, 5 000 candidats). Répartissez les sessions dans plusieurs fichiers.',
  'batch.csv.too_many_fields':
    'Ligne {line} : la ligne contient plus de {max} colonnes. Vérifiez le séparateur (point-virgule ou virgule) et les guillemets, ou téléchargez le modèle à nouveau.',
  'batch.csv.record_too_long': 'Ligne {line} : la ligne dépasse {max} caractères. Vérifiez qu’un guillemet n’a pas été oublié.',
  'batch.csv.unclosed_quote':
    'Ligne {line} : un guillemet ouvert n’est jamais fermé. Corrigez la cellule dans votre tableur et enregistrez de nouveau au format CSV.',
  'batch.csv.stray_quote':
    'Ligne {line} : un guillemet est mal placé dans une cellule. Corrigez la cellule dans votre tableur et enregistrez de nouveau au format CSV.',

  'batch.session_number.invalid':
    'le numéro de session « {value} » n’est pas un nombre. Indiquez le numéro affiché dans la liste des sessions (par exemple 307), ou laissez la colonne vide pour créer une session.',
  'batch.session_number.with_info':
    'Numéro de session fourni, veuillez supprimer les informations de session associées (site, salle, date, heure, surveillants, observations) : elles ne peuvent pas être modifiées ici.',
  'batch.session_number.unknown':
    'Numéro de session inexistant. Vérifiez le numéro dans la liste des sessions, ou laissez la colonne vide pour créer une session.',
  'batch.session_number.started':
    'Édition des candidats impossible, la session {id} a déjà débuté (au moins un candidat l’a rejointe). Retirez ses lignes du fichier.',
  'batch.session_number.finalised': 'Édition des candidats impossible, la session {id} est finalisée. Retirez ses lignes du fichier.',
  'batch.session.past': 'Date et/ou heure indiquées antérieures à la date du jour : indiquez une date et une heure à venir.',
  'batch.session.exists':
    'Une session a déjà été créée avec ces informations (même site, salle, date et heure). Pour ajouter des candidats à une session, indiquez uniquement son numéro de session, sans les informations de session.',
  'batch.session.conflict':
    'cette ligne a les mêmes site, salle, date et heure que la ligne {first} mais pas les mêmes surveillants ou observations. Recopiez exactement les informations de la session sur chacune de ses lignes.',
  'batch.session.empty': 'La session ne contient pas de candidat : elle sera créée sans candidat.',
  'batch.session.emptied': 'La session {id} ne contient pas de candidat : sa liste de candidats sera vidée.',
  'batch.candidate.duplicate': 'Le candidat est inscrit plusieurs fois à la même session (déjà ligne {first}), une seule inscription sera prise en compte.',

  'batch.recap.counts': '{sessions} dont {empty}, {candidates}',
  'batch.recap.sessions': { zero: '0 session', one: '1 session', other: '{count} sessions' },
  'batch.recap.empty': { zero: '0 sans candidat', one: '1 sans candidat', other: '{count} sans candidat' },
  'batch.recap.candidates': { zero: '0 candidat', one: '1 candidat', other: '{count} candidats' },
  'batch.recap.split': '{created} à créer, {replaced} dont la liste de candidats sera remplacée.',
  'batch.recap.errors_title': 'Erreurs bloquantes',
  'batch.recap.errors_count': { one: '1 erreur', other: '{count} erreurs' },
  'batch.recap.errors_text': 'Veuillez corriger toutes les erreurs bloquantes avant de ré-importer le fichier. Rien n’a été créé ni modifié.',
  'batch.recap.warnings_title': 'Points d’attention non bloquants',
  'batch.recap.warnings_count': { one: '1 point d’attention', other: '{count} points d’attention' },
  'batch.recap.warnings_text': 'Nous avons détecté des points d’attention non bloquants lors de l’import, consultez-les avant de procéder.',
  'batch.recap.warnings_recall': {
    one: 'En confirmant, vous acceptez le point d’attention ci-dessus.',
    other: 'En confirmant, vous acceptez les {count} points d’attention ci-dessus.',
  },
  'batch.recap.no_problem': 'Aucune erreur : le fichier est prêt.',
  'batch.recap.line': 'Ligne {line} : colonne « {column} » — {message}',
  'batch.recap.line_plain': 'Ligne {line} : {message}',
  'batch.recap.print': 'Imprimer ce récapitulatif',
  'batch.recap.confirm': 'Créer/éditer les sessions',
  'batch.recap.expired': 'Ce récapitulatif a expiré (il est gardé une heure). Importez de nouveau le fichier.',
  'batch.recap.not_found': 'Ce récapitulatif n’existe pas ou n’est plus disponible.',

  'batch.confirm.expired': 'Ce récapitulatif a expiré (il est gardé une heure) : rien n’a été créé ni modifié. Importez de nouveau le fichier.',
  'batch.confirm.has_errors': 'Le fichier contient des erreurs bloquantes : rien n’a été créé ni modifié.',
  'batch.confirm.gone': 'La session {id} n’existe plus : rien n’a été créé ni modifié. Retirez ses lignes du fichier et importez-le de nouveau.',
  'batch.confirm.started':
    'La session {id} a débuté entre-temps (un candidat l’a rejointe) : rien n’a été créé ni modifié. Retirez ses lignes du fichier et importez-le de nouveau.',
  'batch.confirm.finalised':
    'La session {id} a été finalisée entre-temps : rien n’a été créé ni modifié. Retirez ses lignes du fichier et importez-le de nouveau.',
  'batch.confirm.past':
    'Ligne {line} : la date et l’heure de la session sont passées entre-temps : rien n’a été créé ni modifié. Corrigez le fichier et importez-le de nouveau.',
  'batch.confirm.exists':
    'Ligne {line} : une session avec les mêmes site, salle, date et heure a été créée entre-temps : rien n’a été créé ni modifié. Corrigez le fichier et importez-le de nouveau.',
  'batch.confirm.already': 'Ces sessions ont déjà été créées.',

  'batch.result.title': 'Sessions créées et modifiées',
  'batch.result.summary': '{created}, {modified}, {candidates}',
  'batch.result.created': { zero: '0 session créée', one: '1 session créée', other: '{count} sessions créées' },
  'batch.result.modified': { zero: '0 modifiée', one: '1 modifiée', other: '{count} modifiées' },
  'batch.result.candidates': { zero: '0 candidat importé', one: '1 candidat importé', other: '{count} candidats importés' },
  'batch.result.created_title': 'Sessions créées',
  'batch.result.created_caption': 'Sessions créées, avec leur code d’accès',
  'batch.result.modified_title': 'Sessions dont la liste de candidats a été remplacée',
  'batch.result.col.id': 'N° de session',
  'batch.result.col.site': 'Nom du site',
  'batch.result.col.room': 'Salle',
  'batch.result.col.date': 'Date',
  'batch.result.col.time': 'Heure',
  'batch.result.col.access_code': 'Code d’accès (candidats)',
  'batch.result.col.invigilator_password': 'Mot de passe de session / Surveillant',
  'batch.result.col.candidates': 'Candidats',
  'batch.result.print': 'Imprimer la liste',
  'batch.result.back': 'Retour à la liste des sessions',
}
