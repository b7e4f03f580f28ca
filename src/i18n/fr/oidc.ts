/** Sign-in through the institution's OpenID provider. {label}: OIDC_LABEL (ProConnect…). */
export const oidc = {
  'oidc.login.button': 'Se connecter avec {label}',
  'oidc.login.or': 'ou avec votre adresse e-mail et votre mot de passe',
  'oidc.login.password_off': 'La connexion par mot de passe est désactivée pour les personnels de cette installation : connectez-vous avec {label}.',
  'oidc.login.password_off_short': 'Connexion par mot de passe désactivée : utilisez {label}.',
  'oidc.invitation.button': 'Accepter avec {label}',
  'oidc.invitation.intro': 'Vous avez un compte {label} (ProConnect, compte académique) à cette adresse ? Acceptez l’invitation avec lui :',
  'oidc.invitation.other_email':
    'Cette invitation a été envoyée à {email} : le compte avec lequel vous vous êtes connecté(e) n’a pas cette adresse vérifiée. Connectez-vous avec le bon compte, ou demandez une invitation à votre adresse.',
  'oidc.refused.unknown':
    'Aucun compte Certisalle ne correspond à votre identité {label}. Pour rejoindre un centre, demandez une invitation à son administrateur.',
  'oidc.refused.unverified':
    'Votre adresse e-mail {email} n’est pas vérifiée par {label} : elle ne permet pas de vous reconnaître. Connectez-vous avec votre mot de passe, ou demandez à votre service informatique de la faire vérifier.',
  'oidc.refused.other_identity':
    'Le compte Certisalle à cette adresse est déjà lié à une autre identité {label}. Connectez-vous avec votre mot de passe ou contactez votre service informatique.',
  'oidc.refused.cancelled': 'La connexion avec {label} a été annulée. Vous pouvez réessayer.',
  'oidc.refused.state': 'Cette tentative de connexion a expiré ou a déjà servi. Recommencez la connexion avec {label}.',
  'oidc.refused.failed': 'La connexion avec {label} a échoué. Réessayez ; si le problème persiste, prévenez votre service informatique.',
  'oidc.unavailable.page_title': 'Service de connexion indisponible',
  'oidc.unavailable.title': '{label} ne répond pas',
  'oidc.unavailable.text':
    'Le service de connexion {label} ne répond pas pour le moment. Réessayez dans quelques minutes. Si vous avez un mot de passe Certisalle, vous pouvez aussi vous connecter avec lui.',
  'oidc.unavailable.back': 'Revenir à la page de connexion',
}
