/** The Candidats tab, the candidate form and the .ods attendance sheet (guide, chapter 4). */
export const candidates = {
  'candidates.page_title': 'Candidats — Session {id}',
  'candidates.add_block.title': 'Ajouter des candidats',
  'candidates.download.title': 'Télécharger la feuille d’émargement',
  'candidates.download.text1': 'Renseignez les informations des candidats (Nom, Prénom, ...)',
  'candidates.download.text2':
    'Lors du premier téléchargement, la feuille d’émargement est vide. Elle contiendra ensuite les informations des candidats ajoutés à la session.',
  'candidates.download.button': 'Télécharger (.ods)',
  'candidates.import.title': 'Importer la feuille d’émargement',
  'candidates.import.text': 'Sélectionnez la feuille d’émargement préalablement remplie.',
  'candidates.import.warning': 'Attention, tout nouvel import efface la liste des candidats existante.',
  'candidates.import.file_label': 'Feuille d’émargement remplie (.ods, 5 Mo au maximum)',
  'candidates.import.button': 'Importer (.ods)',
  'candidates.import.started': 'La session a débuté, il n’est plus possible de modifier la liste des candidats.',
  'candidates.list.title': 'Liste des candidats ({count})',
  'candidates.list.add': 'Ajouter un candidat',
  'candidates.list.empty': 'En attente de candidats',
  'candidates.list.caption': 'Candidats inscrits à la session {id}',
  'candidates.col.last_name': 'Nom de naissance',
  'candidates.col.first_name': 'Prénom',
  'candidates.col.birthdate': 'Date de naissance',
  'candidates.col.birth_city': 'Commune de naissance',
  'candidates.col.birth_department': 'Département de naissance',
  'candidates.col.birth_country': 'Pays de naissance',
  'candidates.col.email': 'Adresse e-mail de convocation',
  'candidates.col.external_id': 'Identifiant externe',
  'candidates.col.extra_time': 'Temps majoré',
  'candidates.col.accessibility': 'Accessibilité',
  'candidates.col.started': 'Présence',
  'candidates.col.certification_number': 'N° de certification',
  'candidates.col.actions': 'Actions',
  'candidates.extra_time_value': '{value} %',
  'candidates.started_badge': 'Présent',
  'candidates.edit_label': 'Modifier le candidat {name}',
  'candidates.delete_label': 'Supprimer le candidat {name}',
  'candidates.read_only': 'Cette session est finalisée : la liste des candidats ne peut plus être modifiée.',

  'candidates.form.add_title': 'Ajouter un candidat',
  'candidates.form.edit_title': 'Modifier le candidat',
  'candidates.form.intro': 'Tous les champs sont obligatoires, sauf ceux indiqués « optionnel ».',
  'candidates.form.identity': 'Identité',
  'candidates.form.birth': 'Naissance',
  'candidates.form.other': 'Convocation et aménagements',
  'candidates.form.extra_time': 'Temps majoré (%)',
  'candidates.form.birthdate_hint': 'Au format jj/mm/aaaa, par exemple 13/03/1996.',
  'candidates.form.birth_department_hint': 'Par exemple 76, 2A ou 971 ; 99 pour une naissance à l’étranger.',
  'candidates.form.birth_country_hint': 'En français, par exemple France, Belgique, Maroc.',
  'candidates.form.extra_time_hint': 'Pourcentage entier entre 1 et 99, par exemple 33. Laissez vide s’il n’y en a pas.',
  'candidates.form.external_id_hint': 'Par exemple un numéro d’étudiant.',
  'candidates.form.accessibility_legend': 'Aménagement d’accessibilité numérique',
  'candidates.form.accessibility_needed': 'Le candidat a besoin d’un aménagement',
  'candidates.form.accessibility_note': 'Précisions sur l’aménagement',
  'candidates.form.accessibility_note_hint': '200 caractères au maximum. Vue par les surveillants et sur la feuille d’émargement.',
  'candidates.form.convocation_language': 'Langue de la convocation',
  'candidates.form.convocation_language_hint': 'La convocation envoyée ou imprimée pour ce candidat sera rédigée dans cette langue.',
  'candidates.language.fr': 'Français',
  'candidates.language.en': 'English (anglais)',
  'candidates.accessibility_yes': 'Oui',
  'candidates.accessibility_mark': 'Aménagement',
  'candidates.accessibility_mark_note': 'Aménagement : {note}',
  'candidates.accessibility.invalid':
    '« {value} » n’est pas une réponse : écrivez « oui » (éventuellement suivi de précisions, « oui : fauteuil roulant ») ou laissez la case vide.',
  'candidates.accessibility.note_without_need': 'Cochez « Le candidat a besoin d’un aménagement » pour préciser l’aménagement, ou videz ce champ.',
  'candidates.form.accommodation_approved_by': 'Aménagement accordé par',
  'candidates.form.accommodation_approved_by_hint': 'Qui a accordé le temps majoré ou l’aménagement (nom de la personne), 100 caractères au maximum.',
  'candidates.form.accommodation_approved_on': 'Aménagement accordé le',
  'candidates.form.accommodation_approved_on_hint': 'Date au format jj/mm/aaaa.',
  'candidates.accommodation_approval': 'Accordé par {by} le {on}',
  'candidates.accommodation_approval_by': 'Accordé par {by}',
  'candidates.accommodation_approval_on': 'Accordé le {on}',
  'candidates.accommodation.without_accommodation': 'Ce candidat n’a ni temps majoré ni aménagement : indiquez-en un, ou videz ce champ.',
  'candidates.accommodation_approved_on.invalid':
    '« {value} » n’est pas une date valide : indiquez la date de l’accord au format jj/mm/aaaa (exemple : 02/09/2026).',
  'candidates.accommodation_approved_on.future': 'La date de l’accord ne peut pas être dans le futur : vérifiez le jour, le mois et l’année.',
  'candidates.convocation_language.invalid': 'Choisissez le français ou l’anglais.',
  'candidates.form.add_submit': 'Ajouter le candidat',
  'candidates.form.edit_submit': 'Enregistrer les modifications',
  'candidates.added': 'Le candidat {name} a été ajouté.',
  'candidates.updated': 'Le candidat {name} a été modifié.',
  'candidates.deleted': 'Le candidat {name} a été supprimé.',
  'candidates.delete.title': 'Supprimer un candidat',
  'candidates.delete.question': 'Voulez-vous vraiment supprimer le candidat {name}, né(e) le {birthdate}, de la session {id} ?',
  'candidates.delete.submit': 'Supprimer le candidat',
  'candidates.started_no_delete': 'Ce candidat a déjà rejoint la session. Vous ne pouvez pas le supprimer.',
  'candidates.started_no_edit': 'Ce candidat a déjà rejoint la session. Vous ne pouvez plus modifier ses informations.',

  'candidates.too_long': '{max} caractères au maximum.',
  'candidates.last_name.required': 'Veuillez indiquer le nom de naissance du candidat.',
  'candidates.first_name.required': 'Veuillez indiquer le prénom du candidat.',
  'candidates.birthdate.required': 'Veuillez indiquer la date de naissance au format jj/mm/aaaa (exemple : 13/03/1996).',
  'candidates.birthdate.invalid': '« {value} » n’est pas une date valide : indiquez la date de naissance au format jj/mm/aaaa (exemple : 13/03/1996).',
  'candidates.birthdate.future': 'La date de naissance ne peut pas être dans le futur : vérifiez le jour, le mois et l’année.',
  'candidates.birthdate.too_old': 'La date de naissance doit être postérieure au 01/01/1900 : vérifiez l’année.',
  'candidates.birth_city.required': 'Veuillez indiquer la commune de naissance.',
  'candidates.birth_city.unknown': 'La commune « {city} » est inconnue dans le département {department} : vérifiez son orthographe.',
  'candidates.birth_department.required': 'Veuillez indiquer le code du département de naissance (99 pour une naissance à l’étranger).',
  'candidates.birth_department.invalid':
    '« {value} » n’est pas un code de département : indiquez 01 à 95, 2A, 2B, 971 à 976, ou 99 pour une naissance à l’étranger.',
  'candidates.birth_place.abroad_in_france':
    'Le code 99 est réservé aux naissances à l’étranger, or le pays indiqué est la France : indiquez le code du département de naissance.',
  'candidates.birth_place.france_abroad':
    'Le département {department} est en France, or le pays indiqué est « {country} » : pour une naissance à l’étranger, indiquez 99.',
  'candidates.birth_country.required': 'Veuillez indiquer le pays de naissance.',
  'candidates.birth_country.invalid': 'Le pays « {value} » n’est pas reconnu : indiquez son nom en français (exemple : France, Belgique, Maroc).',
  'candidates.email.invalid': '« {value} » n’est pas une adresse e-mail valide (exemple : prenom.nom@exemple.fr).',
  'candidates.extra_time.invalid':
    '« {value} » n’est pas un temps majoré valide : indiquez un pourcentage entier entre 1 et 99 (exemple : 33), ou laissez vide.',
  'candidates.last_name.invalid_char':
    'Le nom de naissance ne peut pas contenir « {char} » : tapez uniquement des lettres, des espaces, des traits d’union (-), des apostrophes (’) et des points.',
  'candidates.last_name.no_letter': 'Le nom de naissance doit contenir au moins une lettre.',
  'candidates.first_name.invalid_char':
    'Le prénom ne peut pas contenir « {char} » : tapez uniquement des lettres, des espaces, des traits d’union (-), des apostrophes (’) et des points.',
  'candidates.first_name.no_letter': 'Le prénom doit contenir au moins une lettre.',
  'candidates.birth_city.invalid_char':
    'La commune de naissance ne peut pas contenir « {char} » : tapez uniquement des lettres, des chiffres, des espaces, des traits d’union (-), des apostrophes (’), des points, des virgules et des parenthèses.',
  'candidates.birth_city.invalid_start': 'La commune de naissance doit commencer par une lettre ou un chiffre.',
  'candidates.duplicate': 'Ce candidat est déjà inscrit à la session (mêmes nom, prénom et date de naissance).',

  'candidates.import.list_changed':
    'Votre fichier n’a pas été importé : la liste des candidats a été modifiée (par un autre import ou par un collègue) depuis l’affichage de cette page. Vérifiez la liste ci-dessous, puis importez de nouveau votre fichier si c’est bien lui qui doit la remplacer.',
  'candidates.import.success': 'La liste des candidats a été importée avec succès.',
  'candidates.import.failed_lines': {
    one: 'Le fichier contient 1 erreur. Corrigez-la dans la feuille puis importez-la de nouveau : la liste des candidats n’a pas été modifiée.',
    other: 'Le fichier contient {count} erreurs. Corrigez-les dans la feuille puis importez-la de nouveau : la liste des candidats n’a pas été modifiée.',
  },
  'candidates.import.line': 'Ligne {line} : colonne « {column} » — {message}',
  'candidates.import.line_duplicate':
    'Ligne {line} : ce candidat figure déjà ligne {first} (mêmes nom, prénom et date de naissance). Supprimez l’une des deux lignes.',
  'candidates.import.commune_warning':
    'Ligne {line} : la commune « {city} » est inconnue dans le département {department}. Vérifiez son orthographe (elle a été importée telle quelle).',
  'candidates.import.no_file': 'Choisissez le fichier de la feuille d’émargement (.ods) à importer.',
  'candidates.import.empty_file': 'Le fichier est vide. Choisissez la feuille d’émargement remplie et enregistrée au format .ods.',
  'candidates.import.too_large':
    'Le fichier dépasse 5 Mo. Une feuille d’émargement fait quelques dizaines de Ko : vérifiez que vous avez choisi le bon fichier.',
  'candidates.import.bomb': 'Ce fichier est trop volumineux une fois décompressé. Téléchargez une nouvelle feuille d’émargement et recopiez-y les candidats.',
  'candidates.import.not_ods':
    'Ce fichier n’est pas une feuille de calcul au format .ods. Dans LibreOffice, ouvrez la feuille d’émargement puis utilisez Fichier › Enregistrer sous… et le format « Classeur ODF (.ods) ».',
  'candidates.import.is_xlsx':
    'Ce fichier est un classeur Excel (.xlsx), pas un fichier .ods. Ouvrez-le et enregistrez-le au format « Classeur ODF (.ods) » (dans Excel : Fichier › Enregistrer sous › Feuille de calcul OpenDocument), puis importez-le.',
  'candidates.import.is_xls':
    'Ce fichier est un ancien classeur Excel (.xls), pas un fichier .ods. Ouvrez-le et enregistrez-le au format « Classeur ODF (.ods) », puis importez-le.',
  'candidates.import.is_csv':
    'Ce fichier est un fichier texte (CSV), pas un fichier .ods. Utilisez la feuille d’émargement téléchargée ici et enregistrez-la au format .ods.',
  'candidates.import.is_pdf':
    'Ce fichier est un document PDF, pas une feuille de calcul .ods. Utilisez la feuille d’émargement téléchargée ici, remplie dans LibreOffice Calc ou Excel.',
  'candidates.import.is_odt': 'Ce fichier est un document texte (.odt), pas une feuille de calcul .ods. Utilisez la feuille d’émargement téléchargée ici.',
  'candidates.import.is_docx': 'Ce fichier est un document Word (.docx), pas une feuille de calcul .ods. Utilisez la feuille d’émargement téléchargée ici.',
  'candidates.import.encrypted':
    'Ce fichier .ods est protégé par un mot de passe. Ouvrez-le dans LibreOffice, enregistrez-le sans mot de passe (Fichier › Enregistrer sous…, sans cocher « Enregistrer avec mot de passe »), puis importez-le.',
  'candidates.import.tampered':
    'Ce fichier .ods a une structure incohérente (son sommaire et son contenu ne correspondent pas) : il n’a pas été enregistré tel quel par un tableur. Ouvrez-le dans LibreOffice, enregistrez-le de nouveau au format .ods, puis importez-le.',
  'candidates.import.too_complex':
    'Ce fichier est trop complexe pour être lu : sa lecture demandait trop de mémoire et a été arrêtée. Téléchargez une nouvelle feuille d’émargement ici, recopiez-y les candidats, puis importez-la.',
  'candidates.import.too_slow':
    'La lecture de ce fichier a pris trop de temps et a été arrêtée. Téléchargez une nouvelle feuille d’émargement ici, recopiez-y les candidats, puis importez-la.',
  'candidates.import.busy': 'Trop d’imports sont en cours sur le serveur. Patientez quelques secondes, puis importez de nouveau le fichier.',
  'candidates.import.unreadable':
    'Ce fichier .ods est endommagé ou illisible. Ouvrez-le dans LibreOffice, enregistrez-le de nouveau au format .ods, puis importez-le.',
  'candidates.import.no_header':
    'Ce fichier n’est pas une feuille d’émargement : la ligne des titres (« Nom de naissance », « Prénom », « Date de naissance »…) est introuvable. Téléchargez la feuille d’émargement ici, remplissez-la sans modifier les titres des colonnes, puis importez-la.',
  'candidates.import.missing_columns':
    'La ligne des titres de la feuille d’émargement est incomplète : il manque {columns} (un seul des titres séparés par « / » suffit par colonne). Ne supprimez ni ne renommez les colonnes de la feuille téléchargée.',
  'candidates.import.no_candidates':
    'La feuille d’émargement ne contient aucun candidat : remplissez au moins une ligne sous les titres, puis importez-la de nouveau.',
  'candidates.import.formula': 'la cellule contient une formule : tapez la valeur elle-même.',
  'candidates.import.several_sheets': 'Le fichier contient plusieurs feuilles d’émargement ({sheets}) : gardez-en une seule par session.',
  'candidates.import.too_wide':
    'La ligne {line} de la feuille « {sheet} » contient des données au-delà de la colonne {column}, alors qu’une feuille d’émargement n’a que 12 colonnes. Supprimez les colonnes en trop (ou téléchargez une nouvelle feuille d’émargement et recopiez-y les candidats), puis importez-la de nouveau.',
  'candidates.import.too_many_cells':
    'Ce fichier contient beaucoup trop de cellules remplies pour une feuille d’émargement. Téléchargez une nouvelle feuille d’émargement ici, recopiez-y les candidats, puis importez-la.',
  'candidates.import.too_many': 'La feuille contient plus de {max} candidats. Répartissez-les dans plusieurs sessions.',
  'candidates.import.pix_missing_columns':
    'Ce fichier semble venir de Pix Certif : ses titres sont lus ici, mais il en manque {columns} (un seul des titres séparés par « / » suffit par colonne). Ajoutez la colonne manquante, puis importez le fichier de nouveau.',
  'candidates.import.ignored_columns': 'Colonnes ignorées : {columns}. Leur contenu n’est pas utilisé par Certisalle.',
  'candidates.sheet.col.birth_insee_code': 'Code INSEE de la commune de naissance',
  'candidates.sheet.col.birth_postal_code': 'Code postal de la commune de naissance',
  'candidates.birth_code.required':
    'Renseignez soit le code INSEE de la commune de naissance, soit son code postal et son nom (né à l’étranger : le code INSEE du pays, par exemple 99132, ou 99 et le pays de naissance).',
  'candidates.birth_code.insee_unknown':
    'Le code INSEE « {code} » ne correspond à aucune commune ni à aucun pays connu. Vérifiez-le (5 caractères, par exemple 76351 ou 2A004 ; 99xxx pour un pays étranger), ou laissez-le vide et indiquez le code postal et le nom de la commune.',
  'candidates.birth_code.insee_city_mismatch':
    'Le code INSEE « {code} » est celui de la commune {commune}, pas de « {city} ». Corrigez le code ou le nom de la commune de naissance.',
  'candidates.birth_code.insee_postal_mismatch':
    'Le code postal « {postal} » n’est pas celui de {commune} (code INSEE {code}). Corrigez l’un des deux, ou laissez le code postal vide.',
  'candidates.birth_code.postal_unknown':
    'Le code postal « {code} » ne correspond à aucune commune. Vérifiez-le, ou indiquez le code INSEE de la commune de naissance à la place.',
  'candidates.birth_code.postal_city_mismatch':
    'Le code postal « {code} » ne correspond pas à la commune « {city} » (communes de ce code : {communes}). Corrigez le code ou le nom de la commune, ou indiquez son code INSEE.',
  'candidates.birth_code.postal_ambiguous':
    'Le code postal « {code} » est partagé par plusieurs communes ({communes}) : indiquez le nom exact de la commune de naissance, ou son code INSEE.',
  'candidates.birth_code.department_mismatch':
    'La commune {commune} est dans le département {department}, pas dans le département « {given} ». Corrigez le code ou le département.',
  'candidates.birth_code.abroad_postal': 'Candidat né à l’étranger : le code postal doit rester vide.',
  'candidates.birth_code.abroad_country': 'Candidat né à l’étranger (code INSEE 99) : indiquez le pays de naissance.',
  'candidates.birth_code.country_mismatch':
    'Le code INSEE « {code} » est celui du pays {country}, pas de « {given} ». Corrigez le code ou le pays de naissance.',

  // The .ods attendance sheet (the header titles are those of the 2021 sheet: the importer finds them).
  'candidates.sheet.name': 'Feuille d’émargement',
  'candidates.sheet.title': 'Feuille d’émargement',
  'candidates.sheet.session_block': 'La session de certification',
  'candidates.sheet.session_number': 'N° de session :',
  'candidates.sheet.date': 'Date',
  'candidates.sheet.invigilators': 'Session surveillée par :',
  'candidates.sheet.times': 'Heure locale (début/fin)',
  'candidates.sheet.site': 'Nom du site',
  'candidates.sheet.room': 'Nom de la salle',
  'candidates.sheet.invigilators_signature': 'Signature des surveillant(s) :',
  'candidates.sheet.participants': 'Participants',
  'candidates.sheet.col.number': 'N°',
  'candidates.sheet.col.last_name': 'Nom de naissance',
  'candidates.sheet.col.first_name': 'Prénom',
  'candidates.sheet.col.birthdate': 'Date de naissance (format : jj/mm/aaaa)',
  'candidates.sheet.col.birth_city': 'Commune de naissance',
  'candidates.sheet.col.birth_department': 'Code du département de naissance',
  'candidates.sheet.col.birth_country': 'Pays de naissance',
  'candidates.sheet.col.email': 'Adresse e-mail de convocation',
  'candidates.sheet.col.external_id': 'Identifiant local',
  'candidates.sheet.col.extra_time': 'Temps majoré ?',
  'candidates.sheet.col.accessibility': 'Aménagement (oui ou laisser vide)',
  'candidates.sheet.col.accommodation_approved_by': 'Aménagement accordé par',
  'candidates.sheet.col.accommodation_approved_on': 'Aménagement accordé le',
  'candidates.sheet.col.signature': 'Signature',
  'candidates.sheet.col.end_screen': 'Ecran de fin de test vu (cocher)',
}
