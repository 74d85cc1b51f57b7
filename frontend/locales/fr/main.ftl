site-name = Concerto
site-tagline = Consultations publiques, réponses collectives
skip-link = Aller au contenu principal
nav-home = Accueil
nav-api = Documentation de l'API
nav-label = Navigation principale
lang-switch-label = Langue
lang-switch-button = Changer de langue
footer-text = Concerto, logiciel libre de consultation des organisations.
footer-accessibility = Accessibilité : conformité visée RGAA / WCAG 2.1 niveau AA.
home-title = Consultations ouvertes
home-intro = Les organisations inscrites répondent au nom de leurs membres, chapitre par chapitre, avant la date limite.
home-empty = Aucune consultation n'est ouverte pour le moment. Revenez bientôt.
round-closes = Réponses jusqu'au { $date }
round-chapters = Chapitres
round-read = Lire la consultation « { $title } »
round-status-draft = Brouillon
round-status-open = Ouverte
round-status-closed = Close
round-status-archived = Archivée
round-status-label = État
round-deadline-label = Date limite
round-questions = { $count ->
    [one] { $count } question
   *[other] { $count } questions
}
question-required = obligatoire
question-kind-short_text = Réponse courte
question-kind-long_text = Réponse développée
question-kind-single_choice = Un choix parmi plusieurs
question-kind-multiple_choice = Plusieurs choix possibles
question-kind-scale = Échelle
question-kind-documents = Documents joints
question-kind-proposals = Propositions d'actions
error-title-400 = Requête mal formée
error-title-401 = Connexion requise
error-title-403 = Accès refusé
error-second-factor-title = Double authentification requise
error-second-factor-off = Lire les réponses des organisations, les exporter, ouvrir, clore ou archiver une consultation demande la double authentification. Activez-la depuis votre compte (une application d'authentification suffit), puis revenez sur cette page.
error-second-factor-turn-on = Activer la double authentification
error-second-factor-sign-in = Votre compte a la double authentification, mais cette session a été ouverte sans le code. Reconnectez-vous avec votre code pour continuer.
error-second-factor-sign-in-again = Se reconnecter avec le code
error-title-404 = Page introuvable
error-title-405 = Méthode non autorisée
error-title-409 = Conflit
error-title-413 = Contenu trop volumineux
error-title-415 = Type de contenu non pris en charge
error-title-422 = Certaines valeurs sont invalides
error-title-429 = Trop de tentatives
error-title-500 = Erreur interne
error-title-503 = Service momentanément indisponible
error-text-client = La demande n'a pas pu aboutir. Vérifiez l'adresse ou revenez à l'accueil.
error-text-server = Le service a rencontré un problème. Réessayez dans quelques instants ; si le problème persiste, contactez l'équipe de coordination.
error-back-home = Revenir à l'accueil
error-request-id = Référence de la requête : { $id }
mail-greeting = Bonjour { $name },
mail-signature = L'équipe Concerto
mail-ignore = Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera fait.
mail-verify-subject = Confirmez votre adresse électronique
mail-verify-body = Pour activer votre compte Concerto, confirmez votre adresse électronique avec le lien ci-dessous.
mail-verify-expiry = Ce lien est valable 48 heures et ne sert qu'une fois.
mail-verify-action = Confirmer mon adresse
mail-exists-subject = Tentative d'inscription avec votre adresse
mail-exists-body = Quelqu'un a voulu créer un compte Concerto avec votre adresse électronique, qui en a déjà un. Si c'était vous, connectez-vous ou choisissez un nouveau mot de passe.
mail-exists-action = Choisir un nouveau mot de passe
mail-reset-subject = Choisissez un nouveau mot de passe
mail-reset-body = Une demande de nouveau mot de passe a été faite pour votre compte Concerto. Choisissez-le avec le lien ci-dessous.
mail-reset-expiry = Ce lien est valable une heure et ne sert qu'une fois.
mail-reset-action = Choisir un nouveau mot de passe
mail-changed-subject = Votre mot de passe a été changé
mail-changed-body = Le mot de passe de votre compte Concerto vient d'être changé. Toutes vos sessions ont été fermées.
mail-changed-warning = Si vous n'êtes pas à l'origine de ce changement, choisissez tout de suite un nouveau mot de passe et prévenez l'équipe de coordination.
mail-changed-action = Choisir un nouveau mot de passe
page-title-error = Erreur : { $title }
nav-admin = Administration
nav-account = Mon compte
nav-sign-in = Se connecter
nav-sign-up = Créer un compte
nav-sign-out = Se déconnecter
form-error-summary = Le formulaire contient des erreurs
form-error-prefix = Erreur :
form-error-credentials = Adresse électronique ou mot de passe incorrect.
form-error-throttled = { $seconds ->
    [one] Trop de tentatives. Réessayez dans { $seconds } seconde.
   *[other] Trop de tentatives. Réessayez dans { $seconds } secondes.
}
error-required = Ce champ est obligatoire.
error-consent_required = Choisissez si et comment votre contribution peut être publiée : aucune option n'est cochée d'avance.
error-invalid_email = Cette adresse électronique n'est pas valide (exemple : prenom.nom@exemple.fr).
error-too_short = Le mot de passe doit comporter au moins 12 caractères.
error-too_guessable = Ce mot de passe est trop facile à deviner : préférez une phrase de plusieurs mots sans lien entre eux.
error-invalid_token = Ce lien n'est plus valable : il a déjà servi ou a expiré.
error-wrong_password = Le mot de passe actuel n'est pas le bon.
error-invalid_code = Code incorrect ou expiré : saisissez le code affiché maintenant par l'application.
field-email = Adresse électronique
field-email-hint = Format attendu : prenom.nom@exemple.fr
field-display-name = Nom affiché
field-display-name-hint = Visible par vos collègues et par l'équipe de coordination.
field-password = Mot de passe
field-new-password = Nouveau mot de passe
field-current-password = Mot de passe actuel
field-password-hint = Au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.
field-code = Code de vérification
field-code-hint = Le code à 6 chiffres de votre application d'authentification, ou l'un de vos codes de secours.
field-language = Langue des pages et des courriels
field-token-name = Nom du jeton
signup-title = Créer un compte
signup-intro = Un compte personnel vous permet de répondre aux consultations au nom de votre organisation.
signup-submit = Créer mon compte
signup-have-account = Vous avez déjà un compte ?
signup-done-title = Vérifiez votre messagerie
signup-done-text = Un courriel vient d'être envoyé à l'adresse indiquée. Ouvrez le lien qu'il contient pour activer votre compte (il est valable 48 heures).
verify-title = Confirmer votre adresse électronique
verify-intro = Confirmez votre adresse pour activer votre compte.
verify-submit = Confirmer mon adresse
verify-done-title = Adresse confirmée
verify-done-text = Votre compte est actif : vous pouvez vous connecter.
verify-failed-title = Lien non valable
verify-failed-text = Ce lien de confirmation a déjà servi ou a expiré. Si votre compte n'est pas encore actif, inscrivez-vous de nouveau.
signin-title = Se connecter
signin-submit = Se connecter
signin-forgot = Mot de passe oublié ?
signin-no-account = Créer un compte
totp-title = Vérification en deux étapes
totp-intro = Saisissez le code affiché par votre application d'authentification.
totp-submit = Valider
forgot-title = Mot de passe oublié
forgot-intro = Indiquez l'adresse de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe.
forgot-submit = Recevoir le lien
forgot-done-title = Demande enregistrée
forgot-done-text = Si un compte existe pour cette adresse, un courriel contenant un lien valable une heure vient d'y être envoyé.
reset-title = Choisir un nouveau mot de passe
reset-submit = Enregistrer le mot de passe
reset-done-title = Mot de passe changé
reset-done-text = Votre mot de passe a été changé et toutes vos sessions ont été fermées. Connectez-vous avec le nouveau mot de passe.
account-title = Mon compte
account-profile = Profil
account-save-profile = Enregistrer le profil
account-password = Mot de passe
account-change-password = Changer le mot de passe
account-2fa = Double authentification
account-2fa-on = La double authentification est activée : un code vous est demandé à chaque connexion.
account-2fa-off = La double authentification n'est pas activée. Elle est obligatoire pour ouvrir ou clore une consultation et pour exporter les réponses.
account-2fa-enable = Activer la double authentification
account-2fa-scan = Scannez ce code QR avec votre application d'authentification, ou saisissez-y la clé ci-dessous, puis indiquez le premier code affiché.
account-2fa-qr-label = Code QR à scanner avec une application d'authentification
account-2fa-secret = Clé à saisir :
account-2fa-code-hint = Le code à 6 chiffres affiché par l'application.
account-2fa-confirm = Confirmer l'activation
account-2fa-recovery = Notez ces codes de secours et gardez-les en lieu sûr : chacun remplace une fois le code de l'application. Ils ne seront plus affichés.
account-sessions = Sessions ouvertes
account-session-since = Ouverte le
account-session-last = Dernière activité
account-session-from = Depuis
account-session-current = Session actuelle
account-session-close = Fermer
account-actions = Actions
account-tokens = Jetons d'API
account-tokens-intro = Un jeton permet à un script d'utiliser l'API en votre nom (en-tête Authorization: Bearer). Il n'est affiché qu'une fois.
account-token-created = Voici votre nouveau jeton. Copiez-le maintenant : il ne sera plus affiché.
account-token-created-at = Créé le
account-token-used-at = Dernière utilisation
account-token-revoke = Révoquer
account-token-name-hint = Par exemple : « import des réponses ».
account-token-create = Créer un jeton
field-token-days = Durée de validité (jours)
account-token-days-hint = 90 jours si vous laissez vide, 365 au plus. Le jeton cesse ensuite de fonctionner.
account-token-expires-at = Expire le
account-done-profile = Profil enregistré.
account-done-password = Mot de passe changé. Vos autres sessions ont été fermées.
account-done-session = Session fermée.
account-done-token = Jeton révoqué.
account-done-2fa = Double authentification activée.
admin-users-title = Comptes et rôles
admin-role = Rôle
admin-status = État
admin-apply = Appliquer
admin-suspended = Suspendu
admin-active = Actif
admin-suspend = Suspendre
admin-reinstate = Rétablir
role-none = Utilisateur
role-coordinator = Coordination
role-admin = Administration
admin-audit-title = Journal d'audit
admin-audit-caption = Les événements, du plus récent au plus ancien (100 par page)
admin-audit-filter-action = Type d'événement
admin-audit-filter-who = Auteur (adresse électronique ou partie)
admin-audit-filter-from = Du
admin-audit-filter-until = Au (inclus)
admin-audit-older = Événements plus anciens
admin-audit-when = Quand
admin-audit-who = Qui
admin-audit-what = Quoi
admin-audit-target = Sur
admin-audit-ip = Adresse IP
error-too_common = Ce mot de passe figure parmi les plus utilisés : choisissez-en un autre.
mail-org-approved-subject = { $organisation } peut répondre aux consultations
mail-org-approved-body = L'inscription { DE($organisation) } a été validée par l'équipe de coordination : ses membres peuvent désormais répondre aux consultations.
mail-org-rejected-subject = Inscription { DE($organisation) } refusée
mail-org-rejected-body = L'équipe de coordination n'a pas validé l'inscription { DE($organisation) }.
mail-org-suspended-subject = { $organisation } est suspendue
mail-org-suspended-body = L'équipe de coordination a suspendu { $organisation } : ses réponses sont conservées, mais elle ne peut plus répondre pour l'instant.
mail-org-reinstated-subject = { $organisation } est rétablie
mail-org-reinstated-body = L'équipe de coordination a rétabli { $organisation } : ses membres peuvent de nouveau répondre aux consultations.
mail-org-reason = Raison indiquée : { $reason }
mail-org-action = Voir mes organisations
mail-digest-subject = { $count ->
    [one] Une nouvelle organisation attend votre validation
   *[other] { $count } nouvelles organisations attendent votre validation
}
mail-digest-body = { $count ->
    [one] Cette organisation s'est inscrite et attend la décision de la coordination :
   *[other] Ces { $count } organisations se sont inscrites et attendent la décision de la coordination :
}
mail-digest-action = Voir les organisations à valider
mail-org-open-round = Consultation ouverte : « { $title } », réponses jusqu'au { $date }.
mail-org-answer-action = Répondre à la consultation
mail-org-home-action = Voir les consultations à répondre
mail-invite-subject = Invitation à rejoindre une organisation sur Concerto
mail-invite-body = { $inviter } vous invite à rejoindre { $organisation } sur Concerto, pour répondre aux consultations avec vos collègues.
mail-invite-expiry = Cette invitation est valable 7 jours et ne sert qu'une fois. Si vous n'avez pas encore de compte, créez-le avec cette adresse électronique.
mail-invite-action = Accepter l'invitation
mail-round-opened-subject = Consultation ouverte : { $title }
mail-round-opened-body = La consultation « { $title } » est ouverte : votre organisation peut y répondre, chapitre par chapitre.
mail-round-deadline = Date limite des réponses : { $date }.
mail-round-extended-subject = Délai prolongé : { $title }
mail-round-extended-body = La date limite de la consultation « { $title } » est repoussée au { $date }.
mail-round-action = Voir la consultation
round-status-scheduled = Programmée
round-days-left = { $count ->
    [0] Dernier jour pour répondre
    [one] Plus qu'un jour pour répondre
   *[other] Plus que { $count } jours pour répondre
}
round-opens-on = Ouverture le { $date }
round-closed-on = Close le { $date }
round-preview = Aperçu : cette consultation est un brouillon, visible seulement par l'équipe de coordination.
home-closed-title = Consultations récemment closes
nav-organisations = Organisations
field-optional = Facultatif.
orgs-title = Organisations
orgs-register-link = Inscrire une organisation
orgs-filter-status = État
orgs-filter-kind = Type
orgs-filter-search = Rechercher (nom, sigle, identifiant)
orgs-filter-all = Tous
orgs-filter-apply = Filtrer
orgs-empty = Aucune organisation à afficher.
orgs-count = { $count ->
    [one] { $count } organisation
   *[other] { $count } organisations
}
org-name = Nom de l'organisation
org-acronym = Sigle
org-kind = Type d'organisation
org-legal-id = Identifiant (RNA ou SIREN)
org-legal-id-hint = Numéro RNA (W suivi de 9 chiffres) ou SIREN (9 chiffres).
org-website = Site web
org-website-hint = Facultatif. Exemple : https://www.exemple.fr
org-contact-email = Adresse de contact
org-description = Présentation courte
org-status = État
org-my-role = Mon rôle
org-reason = Raison indiquée par la coordination : { $reason }
org-new-title = Inscrire une organisation
org-new-intro = L'inscription est examinée par l'équipe de coordination. Vous en serez propriétaire et pourrez inviter vos collègues.
org-new-submit = Inscrire l'organisation
org-kind-patient_association = Association de patients
org-kind-user_association = Association d'usagers
org-kind-federation = Fédération
org-kind-consumer_association = Association de consommateurs
org-kind-professional_body = Organisation professionnelle
org-kind-public_body = Organisme public
org-kind-other = Autre
org-status-pending = En attente de validation
org-status-approved = Validée
org-status-rejected = Refusée
org-status-suspended = Suspendue
member-role-owner = Propriétaire
member-role-editor = Rédacteur ou rédactrice
member-role-viewer = Lecteur ou lectrice
org-decision-title = Décision de la coordination
org-decision-reason = Raison
org-decision-reason-hint = Obligatoire pour un refus ; envoyée aux propriétaires de l'organisation.
org-decision-approve = Valider
org-decision-reject = Refuser
org-decision-suspend = Suspendre
org-decision-reinstate = Rétablir
org-members = Membres
org-member-remove = Retirer
org-invite-title = Inviter une personne
org-invite-submit = Envoyer l'invitation
org-done-registered = Organisation inscrite : elle attend la validation de l'équipe de coordination.
org-done-decision = Décision enregistrée ; les propriétaires ont été prévenus par courriel.
org-done-invited = Invitation envoyée.
org-done-members = Membres mis à jour.
invite-accept-title = Rejoindre une organisation
invite-accept-offer = { $inviter } vous invite à rejoindre « { $organisation } » en tant que { $role }.
invite-accept-offer-anonymous = Vous êtes invité ou invitée à rejoindre « { $organisation } » en tant que { $role }.
invite-accept-invalid = Ce lien d'invitation n'est plus valable : il a déjà servi, ou il a expiré (il vaut 7 jours). Demandez une nouvelle invitation à une personne propriétaire de l'organisation.
invite-accept-submit = Accepter l'invitation
invite-accept-sign-in = Pour accepter l'invitation, connectez-vous avec l'adresse qui l'a reçue, ou créez votre compte avec cette adresse puis revenez sur ce lien.
nav-coordination = Coordination
coord-rounds-title = Consultations (coordination)
coord-rounds-empty = Aucune consultation pour l'instant.
coord-round-new = Nouvelle consultation
coord-round-create = Créer le brouillon
coord-preview = Aperçu, tel que les organisations le verront
coord-lifecycle = État de la consultation
coord-lifecycle-none = Consultation archivée : plus aucune action possible.
coord-action-open = Ouvrir la consultation
coord-action-close = Clore la consultation
coord-action-archive = Archiver la consultation
coord-settings = Réglages
coord-save = Enregistrer les réglages
coord-structure = Chapitres et questions
coord-no-question = Aucune question dans ce chapitre.
coord-move-up = Monter
coord-move-down = Descendre
coord-chapter-new = Ajouter un chapitre
coord-chapter-add = Ajouter le chapitre
coord-question-new = Ajouter une question
coord-question-add = Ajouter la question
coord-invitations = Organisations invitées
coord-invitations-none = Aucune organisation validée pour l'instant.
coord-invitations-legend = Organisations validées
coord-invite = Inviter les organisations cochées
coord-duplicate = Dupliquer en nouveau brouillon
coord-duplicate-submit = Dupliquer
coord-done = Modification enregistrée.
round-slug = Identifiant dans l'adresse
round-slug-hint = Lettres minuscules sans accent, chiffres et tirets (exemple : ia-en-sante-2027).
round-title = Titre
round-summary = Résumé
round-body = Présentation
round-body-hint = Texte en Markdown : **gras**, listes, liens.
round-opens-at = Ouverture programmée
round-opens-hint = Facultatif, heure de Paris. Vide : ouverture dès que vous ouvrez la consultation.
round-closes-at = Clôture
round-time-hint = Heure de Paris.
round-audience = Organisations concernées
round-audience-all_approved = Toutes les organisations validées
round-audience-invited = Seulement les organisations invitées
chapter-code = Code du chapitre
chapter-code-hint = Une majuscule puis majuscules ou chiffres (exemple : E5).
chapter-title = Titre du chapitre
chapter-description = Description du chapitre
question-chapter = Chapitre
question-code = Code
question-code-hint = Unique dans la consultation (exemple : E1.Q4).
question-kind = Type
question-prompt = Question
question-help = Aide
question-required-label = Réponse obligatoire
question-max-length = Longueur maximale (caractères)
question-max-length-hint = Pour les réponses courtes et développées.
question-options = Options (une par ligne)
question-options-hint = Pour les choix : « clé | libellé » ou seulement le libellé.
question-min-choices = Choix minimum
question-max-choices = Choix maximum
question-scale-min = Échelle : minimum
question-scale-max = Échelle : maximum
question-min-label = Libellé du minimum
question-max-label = Libellé du maximum
question-max-files = Nombre maximum de documents
question-max-files-hint = De 1 à 20. Les tailles maximales se règlent pour toute la consultation (Documents joints).
question-max-items = Nombre maximum de propositions
coord-reword = Corriger la formulation des questions
coord-reword-hint = Une fois la consultation ouverte, seules les formulations changent ; chaque correction est inscrite au journal d'audit.
coord-reword-save = Enregistrer la formulation
mail-receipt-subject = Accusé de réception : { $title }
mail-receipt-body = La réponse { DE($organisation) } à la consultation « { $title } » a bien été soumise. En voici la copie complète :
mail-reminder-subject = Rappel : { $title }
mail-reminder-body = Votre organisation n'a pas encore soumis sa réponse à la consultation « { $title } ». { $days ->
    [0] C'est le dernier jour.
    [one] Il reste un jour.
   *[other] Il reste { $days } jours.
}
editor-chapters = Chapitres de la consultation
editor-chapter-progress = { $answered ->
    [one] { $answered } réponse sur { $total }
   *[other] { $answered } réponses sur { $total }
}
editor-missing = { $count ->
    [one] { $count } obligatoire manquante
   *[other] { $count } obligatoires manquantes
}
editor-counter = { $count ->
    [one] { $count } caractère sur { $max }
   *[other] { $count } caractères sur { $max }
}
editor-counter-over = { $count ->
    [one] { $count } caractère
   *[other] { $count } caractères
} sur { $max } : { $over ->
    [one] { $over } de trop
   *[other] { $over } de trop
}
editor-no-answer = Pas de réponse
editor-proposal-title = Proposition { $n } : titre
editor-proposal-description = Proposition { $n } : description
editor-last-change = Dernière modification par { $name } (version { $version })
editor-save = Enregistrer ce chapitre
editor-saved = Chapitre enregistré.
editor-review-link = Relire et soumettre la réponse
editor-read-only-role = Vous pouvez lire cette réponse, pas la modifier.
editor-read-only-closed = La consultation n'est pas ouverte : la réponse ne se modifie plus.
editor-read-only-submitted = La réponse a été soumise. Rouvrez-la depuis la page de relecture pour la modifier.
editor-conflict-title = Quelqu'un a modifié ces réponses entre-temps
editor-conflict-yours = Votre version (toujours dans le formulaire)
editor-conflict-theirs = Version actuelle, par { $name }
editor-conflict-help = Choisissez pour chaque réponse la version à garder.
editor-conflict-keep = Garder ma version
editor-conflict-take = Reprendre la version { DE($name) }
editor-conflict-diff = Les deux versions, mot à mot
editor-conflict-diff-help = Barré : seulement dans votre version. Souligné : seulement dans celle { DE($name) }.
editor-conflict-only-yours = seulement dans votre version
editor-conflict-only-theirs = seulement dans la version { DE($name) }
review-title = Relire et soumettre
review-missing-title = Des réponses obligatoires manquent
review-to-complete = { $count ->
    [one] Une réponse obligatoire manque
   *[other] { $count } réponses obligatoires manquent
}
review-to-complete-hint = Complétez-les avant de soumettre : la soumission serait refusée sans elles.
review-missing-required = Réponse obligatoire manquante
review-unanswered = Sans réponse
review-edit = Modifier
review-consent = Publication de votre contribution
review-submit = Soumettre la réponse
review-reopen = Rouvrir la réponse pour la modifier
review-copy-link = Copie imprimable de la réponse
consent-attributed = Publiable avec le nom de l'organisation
consent-anonymous = Publiable sans le nom (seulement le type d'organisation)
consent-none = Non publiable
consent-attributed-help = Votre contribution pourra être citée dans la synthèse publiée, avec le nom de votre organisation.
consent-anonymous-help = Votre contribution pourra être citée sans le nom de votre organisation : seul son type sera indiqué (par exemple « association de patients »).
consent-none-help = Votre contribution sera lue et comptée par les coordinateurs, mais jamais citée ni publiée.
review-consent-hint = Choisissez une option : aucune n'est cochée d'avance. Vous pourrez la changer en rouvrant la réponse tant que la consultation est ouverte.
copy-consent = Publication choisie : { $choice }
copy-back = Revenir à la relecture
copy-print = Imprimer
response-status-not_started = Réponse pas encore commencée.
response-status-draft = Réponse en brouillon.
response-status-submitted = Réponse soumise.
copy-title = Copie de la réponse
copy-intro = Réponse { DE($organisation) }
copy-submitted = Réponse soumise : chaque membre de l'organisation reçoit un accusé de réception par courriel.
round-answer = Répondre au nom de mon organisation
progress-title = Avancement des réponses
progress-organisations = Organisations concernées
progress-status-not_started = Pas commencée
progress-status-draft = En cours
progress-status-submitted = Soumise
progress-chart-caption = Réponses soumises par jour
progress-chart-table = Réponses soumises par jour (données du graphique)
progress-day = Jour
progress-submissions = Réponses soumises
progress-remind = Envoyer un rappel aux organisations qui n'ont pas soumis
progress-reminded = Rappel envoyé.
progress-sort = Trier par
progress-sort-nom = Nom
progress-sort-activite = Activité la plus récente
progress-sort-manquantes = Réponses obligatoires manquantes
progress-answered = Réponses
progress-missing = Obligatoires manquantes
progress-last-activity = Dernière activité
autosave-saved = Enregistré à {"{"}time{"}"}
autosave-offline = Hors ligne — nouvel essai dans quelques secondes…
autosave-unavailable = Service momentanément indisponible — vos réponses sont gardées sur cette page, nouvel essai dans quelques secondes…
autosave-conflict = Modifié entre-temps par quelqu'un d'autre : les deux versions s'affichent.
autosave-signed-out = Session expirée : votre texte est gardé dans cet onglet ; reconnectez-vous pour l'enregistrer.
autosave-refused = Réponse refusée : le détail s'affiche.
autosave-counter = {"{"}count{"}"} caractères sur {"{"}max{"}"}
autosave-counter-one = {"{"}count{"}"} caractère sur {"{"}max{"}"}
autosave-counter-over = {"{"}count{"}"} caractères sur {"{"}max{"}"} : {"{"}over{"}"} de trop
autosave-invalid = Une réponse n'est pas enregistrée : le détail s'affiche à côté d'elle. Les autres sont enregistrées.
autosave-saving = Enregistrement en cours…
autosave-leave-unsaved = Une réponse n'est pas enregistrée (le détail s'affiche à côté d'elle). Quitter la page quand même ?
autosave-expiring = Votre session expire dans 5 minutes sans activité : continuez à écrire ou enregistrez.
autosave-sign-in = Se reconnecter (le texte saisi sera remis en place)
history-title = Historique de la réponse
history-back = Revenir à la question
history-empty = Aucune version enregistrée.
history-caption = Les 20 dernières versions, de la plus récente à la plus ancienne
history-version = Version
history-when = Quand
history-who = Par
history-value = Réponse
history-link = historique
editor-restored = Votre saisie a été conservée pendant la reconnexion : vérifiez-la puis enregistrez.

exports-title = Exports des réponses
exports-help = Seules les réponses soumises sont exportées. Les cellules qui ressembleraient à des formules commencent par une apostrophe.
exports-format-csv = CSV : une ligne par question et par organisation
exports-format-csv-excel = CSV pour Excel en français (séparateur point-virgule)
exports-format-csv-wide = CSV large pour Excel : une ligne par organisation, une colonne par question
exports-format-json = JSON avec statistiques
exports-format-xlsx = Classeur Excel : une synthèse chiffrée, puis une feuille par chapitre
exports-format-document = Contribution consolidée, à imprimer (HTML)
exports-format-document-markdown = Contribution consolidée en Markdown
exports-need-2fa = Activez la double authentification dans votre compte pour exporter les réponses.

results-title = Résultats
results-link = Résultats et réponses
results-submitted = { $count ->
    [one] { $count } réponse soumise. Les brouillons ne sont pas comptés.
   *[other] { $count } réponses soumises. Les brouillons ne sont pas comptés.
}
results-campaigns-once = Compter chaque campagne une seule fois (sa première réponse)
results-filter-chapter = Chapitre
results-all-chapters = Tous les chapitres
results-all-kinds = Tous les types
results-back = Revenir à toutes les questions
results-nothing = Aucune question ne correspond à ces filtres.
results-proposals-gathered = { $count ->
    [one] { $count } proposition recueillie dans ce chapitre.
   *[other] { $count } propositions recueillies dans ce chapitre.
}
results-respondents = { $count ->
    [one] { $count } répondant
   *[other] { $count } répondants
}
results-table-caption = Répartition des réponses (données du graphique)
results-answer = Réponse
results-count = Nombre
results-share = Part des répondants
results-mean = Moyenne :
results-median = médiane :
results-no-text = Aucune réponse à cette question.
results-all-answers = Voir toutes les réponses à cette question
results-next = Réponses suivantes
search-title = Rechercher dans les réponses
search-link = Rechercher dans les réponses
search-words = Mots recherchés
search-words-hint = Tous les mots sont cherchés, accents et pluriels compris. Entre guillemets, une expression : "soins à domicile". Avec une étoile, un début de mot : hospit*. Le texte des documents joints (PDF, ODT, DOCX) est cherché aussi.
search-theme = Thème
search-all-themes = Tous les thèmes
search-drafts = Chercher aussi dans les brouillons
search-submit = Rechercher
search-found = { $count ->
    [0] Aucune réponse trouvée
    [one] 1 réponse trouvée
   *[other] { $count } réponses trouvées
}
search-documents-found = { $count ->
    [0] Aucun document joint ne contient ces mots
    [one] 1 document joint contient ces mots
   *[other] { $count } documents joints contiennent ces mots
}
search-documents-more = { $count ->
    [one] Seul le premier est listé : précisez la recherche pour trouver les autres.
   *[other] Seuls les { $count } premiers sont listés : précisez la recherche pour trouver les autres.
}
search-nothing = Essayez d'autres mots, moins de mots, ou retirez un filtre.
search-draft = brouillon
search-in-context = Voir la réponse parmi les résultats
search-pages = Pages de résultats
search-previous = Résultats précédents
search-next = Résultats suivants
home-mine-title = Mon espace
home-next-title = À faire maintenant
home-next-register = Pour répondre, rattachez-vous à une organisation : inscrivez la vôtre (elle sera validée par la coordination), ou demandez à sa personne propriétaire de vous inviter.
home-next-register-link = Inscrire mon organisation
home-next-await = Votre organisation attend la validation de la coordination. Vous recevrez un courriel dès la décision ; vous pourrez alors répondre.
home-next-answer = Répondez à « { $round } » au nom { DE($organisation) }.
home-next-answer-link = Reprendre la réponse
home-next-nothing = Aucune consultation n'attend de réponse de votre part pour le moment. Vous serez prévenu ou prévenue par courriel à la prochaine ouverture.
home-next-all-submitted = Toutes vos réponses sont soumises. Vous pouvez les rouvrir tant que la consultation est ouverte.
home-next-cannot = Votre organisation ne peut pas répondre (refusée ou suspendue). La raison figure ci-dessous ; écrivez à la coordination pour en savoir plus.
home-tasks-title = Mes réponses
home-task-not-started = Pas commencée
home-task-draft = { $answered ->
    [0] Brouillon : aucune réponse sur { $questions }
    [one] Brouillon : { $answered } réponse sur { $questions }
   *[other] Brouillon : { $answered } réponses sur { $questions }
}
home-task-submitted = Soumise
home-task-start = Commencer la réponse
home-task-continue = Continuer la réponse
home-task-see = Voir la réponse
home-organisations-title = Mes organisations
home-organisations-none = Vous n'êtes membre d'aucune organisation.
home-organisation-reason = Raison donnée par la coordination : { $reason }
home-register-another = Inscrire une organisation
home-decisions = { $count ->
    [one] Une organisation attend votre décision.
   *[other] { $count } organisations attendent votre décision.
}
how-title = Comment participer
how-step-account = Créez votre compte et confirmez votre adresse électronique.
how-step-organisation = Inscrivez votre organisation (numéro RNA ou SIREN), ou faites-vous inviter par une personne qui en est déjà membre.
how-step-approval = La coordination valide l'organisation ; vous en êtes prévenu ou prévenue par courriel.
how-step-answer = Répondez chapitre par chapitre, à plusieurs si vous le souhaitez : tout s'enregistre au fil de la saisie. Soumettez avant la date limite ; un accusé de réception vous est envoyé.
how-have-account = J'ai déjà un compte

# Round builder: the settings of each question, deletion, confirmations
question-settings-text = Réglages d'une réponse écrite
question-settings-choice = Réglages d'une question à choix
question-settings-scale = Réglages d'une échelle
question-settings-documents = Réglages des documents
question-settings-proposals = Réglages des propositions
question-exclusive-options = Options qui se cochent seules
question-exclusive-options-hint = Pour un choix multiple, facultatif : les clés ou libellés, séparés par des virgules, des options qui excluent toutes les autres (par exemple « Aucun de ces outils »).
question-choices-hint = Pour un choix multiple.
question-scale-hint = Onze points au plus (par exemple de 0 à 10).
builder-setting-max-length = { $n ->
    [one] { $n } caractère au plus
   *[other] { $n } caractères au plus
}
builder-setting-option = { $label } (clé { $key })
builder-setting-option-exclusive = { $label } (clé { $key }) : se coche seule
builder-setting-choices = { $max ->
    [one] Un seul choix
   *[other] De { $min } à { $max } choix
}
builder-setting-scale = De { $min } à { $max }
builder-setting-max-files = { $n ->
    [one] Un document au plus
   *[other] { $n } documents au plus
}
builder-setting-max-items = { $n ->
    [one] Une proposition au plus
   *[other] { $n } propositions au plus
}
coord-delete = Supprimer…
coord-delete-chapter = Supprimer le chapitre { $code }
coord-delete-chapter-warning = { $count ->
    [0] Le chapitre { $code } n'a pas de question.
    [one] Le chapitre { $code } et sa question seront supprimés.
   *[other] Le chapitre { $code } et ses { $count } questions seront supprimés.
}
coord-delete-question = Supprimer la question { $code }
coord-confirm-open = Je confirme l'ouverture : la structure sera figée (chapitres, questions, types et options ; seule leur formulation restera corrigeable) et les organisations seront prévenues par courriel.
coord-confirm-close = Je confirme la clôture : les organisations ne pourront plus modifier ni soumettre leurs réponses.
coord-confirm-archive = Je confirme l'archivage : la consultation close quitte la liste des consultations.
editor-choice-or = ou

# A refusal on one field, in words that name it (src/web/forms.rs, page_message)
error-required-title = Donnez un titre à la consultation.
error-required-closes_at = Indiquez la date de clôture.
error-required-chapter_title = Donnez un titre au chapitre.
error-required-question_prompt = Rédigez la question.
error-required-name = Indiquez un nom.
error-required-email = L'adresse électronique est obligatoire.
error-required-display_name = Le nom affiché est obligatoire.
error-required-reason = Indiquez la raison du refus : elle est envoyée à l'organisation.
error-required-organisation_ids = Cochez au moins une organisation.
error-required-contact_email = Indiquez l'adresse de contact de l'organisation.
error-invalid_code-chapter_code = Code de chapitre attendu : une majuscule puis majuscules ou chiffres (exemple : E1).
error-invalid_code-question_code = Code de question attendu : lettres, chiffres, points, tirets ou soulignés (exemple : E1.Q4).
error-invalid_slug = L'identifiant doit faire de 3 à 80 caractères : lettres minuscules sans accent, chiffres et tirets simples.
org-invitations-title = Invitations en attente
org-invitations-none = Aucune invitation en attente : toutes ont été acceptées ou annulées.
org-invitation-sent-by = Envoyée par { $name } le { $date }
org-invitation-sent = Envoyée le { $date }
org-invitation-valid-until = Lien valable jusqu'au { $date }
org-invitation-expired = Lien expiré le { $date } : renvoyez l'invitation
org-invitation-resend = Renvoyer
org-invitation-cancel = Annuler l'invitation
org-done-invitation-resent = Invitation renvoyée avec un nouveau lien ; l'ancien ne fonctionne plus.
org-done-invitation-cancelled = Invitation annulée : son lien ne fonctionne plus.

# Audit events in words (admin journal); the code stays beside them
audit-action-account_created = Compte créé en ligne de commande
audit-action-account_reinstated = Compte rétabli
audit-action-account_suspended = Compte suspendu
audit-action-api_token_created = Jeton d'API créé
audit-action-api_token_revoked = Jeton d'API révoqué
audit-action-authorisation_refused = Accès refusé
audit-action-chapter_deleted = Chapitre supprimé
audit-action-cross_site_refused = Requête d'un autre site refusée
audit-action-csrf_refused = Formulaire sans jeton valide refusé
audit-action-email_verified = Adresse électronique confirmée
audit-action-export = Export des réponses
audit-action-invitation_accepted = Invitation acceptée
audit-action-invitation_cancelled = Invitation annulée
audit-action-invitation_resent = Invitation renvoyée
audit-action-member_invited = Membre invité
audit-action-member_removed = Membre retiré
audit-action-member_role_changed = Rôle d'un membre changé
audit-action-organisation_approved = Organisation validée
audit-action-organisation_registered = Organisation inscrite
audit-action-organisation_reinstated = Organisation rétablie
audit-action-organisation_rejected = Organisation refusée
audit-action-organisation_suspended = Organisation suspendue
audit-action-password_changed = Mot de passe changé
audit-action-password_reset = Mot de passe réinitialisé
audit-action-password_reset_requested = Réinitialisation du mot de passe demandée
audit-action-profile_changed = Profil modifié
audit-action-question_deleted = Question supprimée
audit-action-question_wording_fixed = Formulation d'une question corrigée
audit-action-recovery_code_used = Code de secours utilisé
audit-action-register_existing_email = Inscription avec une adresse déjà connue
audit-action-reminder_sent = Relance envoyée
audit-action-response_reopened = Réponse rouverte
audit-action-response_submitted = Réponse soumise
audit-action-role_changed = Rôle sur la plateforme changé
audit-action-round_archived = Consultation archivée
audit-action-retention_applied = Conservation des données appliquée
audit-action-personal_data_exported = Données personnelles téléchargées
audit-action-account_erased = Compte supprimé
audit-action-synthesis_relayed = Synthèse transmise à une autre consultation
audit-action-answer_redacted = Donnée personnelle masquée
audit-action-answer_tagged = Réponse étiquetée
audit-action-answer_untagged = Étiquette retirée
audit-action-campaign_marked = Groupe marqué comme campagne
audit-action-campaign_unmarked = Marque de campagne retirée
audit-action-redaction_removed = Masquage retiré
audit-action-suggestion_dismissed = Suggestion écartée
audit-action-synthesis_chapter_updated = Chapitre de la synthèse modifié
audit-action-synthesis_published = Synthèse publiée
audit-action-synthesis_updated = En-tête de la synthèse modifié
audit-action-theme_created = Thème créé
audit-action-theme_deleted = Thème supprimé
audit-action-theme_updated = Thème modifié
audit-action-round_closed = Consultation close
audit-action-round_created = Consultation créée
audit-action-round_duplicated = Consultation dupliquée
audit-action-round_edited = Consultation modifiée
audit-action-round_opened = Consultation ouverte
audit-action-round_wording_fixed = Formulation de la consultation corrigée
audit-action-session_revoked = Session fermée
audit-action-sign_in = Connexion
audit-action-sign_in_failed = Connexion refusée
audit-action-sign_in_password_ok_totp_pending = Mot de passe accepté, code de double authentification attendu
audit-action-sign_in_totp_failed = Code de double authentification refusé
audit-action-sign_out = Déconnexion
audit-action-totp_enabled = Double authentification activée
audit-action-reminder_queued = Relances programmées
audit-action-round_invitations = Organisations invitées à une consultation
mail-greeting-plain = Bonjour,
audit-action-register = Compte créé
footer-dsfr-licence = Sauf mention contraire, les contenus de ce site sont disponibles sous licence etalab-2.0.
editor-step = Étape { $current } sur { $total }
editor-steps-label = Chapitres précédent et suivant
editor-chapter-previous = Chapitre précédent
editor-chapter-next = Chapitre suivant
chapter-state-done = Complet
chapter-state-started = Commencé
chapter-state-todo = À commencer
nav-pending-decisions = { $count ->
    [one] { $count } à valider
   *[other] { $count } à valider
}
reading-nav = Lire les réponses
reading-round = La consultation
reading-code-response = Coder cette réponse
themes-title = Thèmes
themes-intro = Le plan de codage de la consultation : créez des thèmes, étiquetez les réponses ou des passages, et suivez ce que chaque thème réunit.
themes-empty = Aucun thème pour l'instant : créez le premier ci-dessous.
themes-under = Sous-thème de « { $parent } »
themes-answers = { $count ->
    [0] Aucune réponse étiquetée
    [one] 1 réponse étiquetée
   *[other] { $count } réponses étiquetées
}
themes-open = Passages et suggestions
themes-keywords = Mots-clés :
themes-by-chapter = Par chapitre
themes-chart-chapters = Réponses étiquetées « { $theme } » par chapitre
themes-chapter = Chapitre
themes-count = Réponses
themes-by-kind = Par type d'organisation
themes-chart-kinds = Réponses étiquetées « { $theme } » par type d'organisation
themes-agreement = Accord entre codeurs sur « { $theme } »
themes-coders = Codeurs
themes-both-coded = Réponses codées par les deux
themes-kappa = Kappa de Cohen
themes-kappa-hint = Le kappa mesure l'accord au-delà du hasard : 1 accord parfait, 0 pas mieux que le hasard ; au-dessus de 0,6, l'accord est en général jugé bon.
themes-kappa-undefined = non défini
themes-delete = Supprimer ce thème et ses étiquettes
themes-new = Nouveau thème
themes-name = Nom du thème
themes-description = Description (facultative)
themes-colour = Couleur
themes-colour-next = La suivante de la palette
themes-colour-n = Couleur
themes-parent = Ranger sous le thème
themes-no-parent = Aucun (thème principal)
themes-keywords-label = Mots-clés pour les suggestions (facultatifs)
themes-keywords-hint = Une recherche par ligne, écrite comme dans la recherche : des mots, "une expression", un début de mot suivi d'une étoile. Les réponses qui correspondent vous seront proposées ; rien n'est étiqueté sans votre confirmation.
themes-create = Créer le thème
themes-back = Tous les thèmes
theme-passages = { $count ->
    [0] Aucun passage étiqueté
    [one] 1 étiquette
   *[other] { $count } étiquettes
}
theme-no-passage = Étiquetez des réponses depuis la recherche, les suggestions ou la page de codage d'une réponse.
theme-by = par { $coder }
tag-to-review = à revoir : le passage a été modifié
tag-whole-answer = Toute la réponse
theme-suggestions = Suggestions
theme-suggestions-hint = Réponses soumises qui correspondent aux mots-clés du thème et ne portent pas encore ce thème. Confirmez ou écartez chacune.
theme-no-rule = Ce thème n'a pas de mots-clés : ajoutez-en pour recevoir des suggestions.
theme-no-suggestion = Aucune suggestion en attente.
theme-confirm = Confirmer
theme-dismiss = Écarter
coding-title = Codage de la réponse { DE($organisation) }
coding-intro = Pour choisir un passage au clavier : placez-vous dans le texte (Tab), allez au début du passage avec les flèches, puis étendez la sélection avec Maj et les flèches ; ses positions se remplissent. Sans sélection, le thème porte sur toute la réponse.
coding-no-theme = Créez d'abord un thème pour étiqueter des réponses.
coding-text = Texte de la réponse
coding-text-hint = Texte en lecture seule : déplacez-vous avec les flèches et sélectionnez un passage avec Maj et les flèches.
coding-passage = Passage choisi
coding-passage-hint = Positions en caractères depuis le début du texte (le premier caractère est 0, la fin est exclue). Laissez vide pour toute la réponse.
coding-start = Début
coding-end = Fin
coding-theme = Thème
coding-tag = Étiqueter avec ce thème
coding-reason = Motif du masquage (nom, âge, lieu, date de naissance…)
coding-mask = Masquer comme donnée personnelle
coding-tags = Étiquettes
coding-untag = Retirer l'étiquette
coding-redactions = Données personnelles masquées dans les documents publiés
coding-redaction-gone = le passage n'est plus dans la réponse
coding-unmask = Ne plus masquer
coding-candidates = Données personnelles possibles
coding-candidates-hint = Repérées automatiquement : confirmez celles qui en sont ; rien n'est masqué sans votre confirmation.
coding-confirm-candidate = Masquer
duplicates-title = Doublons et campagnes
duplicates-intro = Les réponses longues identiques ou presque (texte collé par plusieurs organisations) sont regroupées. Marquez un groupe comme campagne : il apparaît comme tel dans les exports.
duplicates-threshold = Similarité minimale
duplicates-threshold-hint = Part estimée des suites de trois mots en commun : 1 pour des textes identiques (à la casse et la ponctuation près), 0,8 pour quelques mots changés.
duplicates-show = Afficher
duplicates-found = { $groups ->
    [0] Aucun groupe
    [one] 1 groupe
   *[other] { $groups } groupes
} parmi { $compared ->
    [one] 1 réponse longue comparée
   *[other] { $compared } réponses longues comparées
}
duplicates-group = { $count ->
    [one] 1 réponse
   *[other] { $count } réponses
}
duplicates-campaign = campagne « { $name } »
duplicates-unmark = Ne plus marquer comme campagne
duplicates-campaign-name = Nom de la campagne
duplicates-mark = Marquer comme campagne
duplicates-campaign-default = Campagne
error-taken = Ce nom est déjà pris.
error-cycle = Un thème ne peut pas être rangé sous lui-même ni sous l'un de ses sous-thèmes.
error-not_found = Introuvable dans cette consultation.
error-invalid_colour = Couleur attendue : #rrggbb.
error-out_of_range = Hors des limites permises.
error-blank = Le passage choisi ne contient que des espaces.
error-not_text = Seul un texte peut être marqué en partie.
error-invalid_number = Un numéro de caractère est attendu.
error-empty = Cette réponse est vide.

## La synthèse (contribution collective)
synthesis-link = Synthèse
synthesis-title = Synthèse : la contribution collective
synthesis-intro = Choisissez, chapitre par chapitre, les contributions à citer (entières ou par extrait), fusionnez les propositions voisines, écrivez les introductions, puis publiez une version. Seules les réponses déposées dont l'organisation a consenti à la publication peuvent être retenues ; une contribution anonyme n'est signée que par le type de l'organisation, et les données personnelles masquées le restent.
synthesis-preview = Aperçu du projet :
synthesis-to-review = À revoir
synthesis-header = Titre, introduction et conclusion
synthesis-field-title = Titre
synthesis-field-introduction = Introduction
synthesis-field-conclusion = Conclusion
synthesis-markdown-hint = En Markdown : une ligne vide sépare les paragraphes, **gras**, listes avec « - ».
synthesis-order = Ordre des propositions
synthesis-order-chosen = Dans l'ordre choisi
synthesis-order-support = Par nombre d'organisations qui les portent
synthesis-licence = Licence des données ouvertes publiées
synthesis-save = Enregistrer
synthesis-updated-by = Dernière modification par { $name }
synthesis-chapter-introduction = Introduction du chapitre
synthesis-introduced-by = Introduit par (facultatif)
synthesis-introduced-by-organisation = Une organisation
synthesis-introduced-by-person = Ou une personne
synthesis-nobody = Personne
synthesis-selected = Contributions retenues
synthesis-none-selected = Aucune contribution retenue pour l'instant.
synthesis-heading = Intertitre
synthesis-answer = Réponse n° { $id }
synthesis-excerpt = extrait
synthesis-contribution = contribution
synthesis-up = Monter
synthesis-down = Descendre
synthesis-remove = Retirer
synthesis-proposals = Propositions consolidées
synthesis-none-merged = Aucune proposition consolidée pour l'instant.
synthesis-proposal-title = Proposition (reformulée)
synthesis-proposal-description = Précisions
synthesis-sources = { $count ->
    [one] Reprend une proposition d'organisation.
   *[other] Reprend { $count } propositions d'organisations.
}
synthesis-left-out = Non retenu
synthesis-left-out-count = { $count ->
    [0] Tout ce qui pouvait être retenu l'a été.
    [one] Une contribution ou proposition n'est pas retenue.
   *[other] { $count } contributions ou propositions ne sont pas retenues.
}
synthesis-left-out-shown = { $count ->
    [one] La première est affichée.
   *[other] Les { $count } premières sont affichées.
}
synthesis-not-publishable = { $count ->
    [one] Une réponse n'est pas publiable (pas de consentement).
   *[other] { $count } réponses ne sont pas publiables (pas de consentement).
}
synthesis-excerpt-hint = Pour ne citer qu'un extrait : placez-vous dans le texte (Tab), allez au début de l'extrait avec les flèches, étendez la sélection avec Maj et les flèches ; ses positions se remplissent. Sans sélection, toute la réponse est citée.
synthesis-select = Retenir
synthesis-merge-legend = Propositions des organisations à reprendre ensemble
synthesis-merge = Fusionner les propositions cochées
synthesis-publish-title = Publier
synthesis-changes = Ce qui a changé depuis la version précédente (obligatoire à partir de la deuxième)
synthesis-publish = Publier une nouvelle version
synthesis-versions = Versions publiées
synthesis-version = Version { $number }

## La contribution publiée (page publique)
publication-download = Télécharger cette version :
publication-versions = Versions publiées
publication-version = Publiée le { $at }
publication-shown = affichée
publication-link = Lire la contribution collective publiée
publication-responses = Les réponses publiées
publication-responses-link = Lire les réponses des organisations
publication-back = Retour à la contribution collective
publication-open-data = Données ouvertes des réponses publiées (les mêmes réponses, mêmes signatures et mêmes masques) :
publication-licence = sous licence
publication-responses-intro = Les réponses des organisations qui ont accepté leur publication : sous leur nom, ou sous leur seul type d'organisation si elles ont choisi l'anonymat ; les données personnelles sont masquées.
publication-responses-count = { $count ->
    [one] Une réponse.
   *[other] { $count } réponses.
}
publication-submitted = Déposée le { $at }
publication-pages = Pages des réponses
publication-previous = Page précédente
publication-next = Page suivante
publication-page-of = Page { $number } sur { $pages }
relay-established-from = Réponse établie à partir de la contribution collective « { $title } », version { $version } : relisez-la, complétez-la, puis soumettez-la.
relay-read-source = Lire la contribution collective
synthesis-relays = Transmise à
synthesis-relay-line = Version { $version }, le { $at }, à la consultation « { $round } » (réponse : { $organisation })
synthesis-relay-link = Transmettre la contribution publiée à une autre consultation
relay-title = Transmettre la contribution à une autre consultation
relay-back = Retour à la synthèse
relay-intro = La version { $version } publiée préremplit, en brouillon, la réponse d'une organisation à une autre consultation ; ses membres la relisent puis la soumettent.
relay-no-round = Aucune autre consultation n'accepte de réponses en ce moment.
relay-no-organisation = Vous ne pouvez écrire la réponse d'aucune organisation : il faut en être membre, avec le droit d'écrire, et qu'elle soit validée.
relay-round = Consultation destinataire
relay-choose = Choisir une consultation
relay-organisation = Organisation qui répond
relay-organisation-hint = Les organisations dont vous pouvez écrire la réponse.
relay-show-questions = Afficher ses questions
relay-mapping = Où va chaque chapitre
relay-mapping-hint = Le texte d'un chapitre (son introduction et les contributions retenues, signées) va dans une question à réponse développée ; ses propositions fusionnées dans une question de propositions. Plusieurs chapitres peuvent aller dans la même question. Ce qui est déjà écrit dans ces questions est remplacé, l'ancienne version reste dans l'historique.
relay-text-to = Texte du chapitre vers
relay-proposals-to = Propositions du chapitre vers
relay-not-sent = Ne pas transmettre
relay-submit = Préremplir la réponse
coord-archive-answers = Après l'archivage, les réponses des organisations
coord-archive-answers-hint = Les brouillons sont effacés après le délai de conservation dans tous les cas ; les réponses soumises sont gardées ou effacées selon votre choix (délais sur la page Confidentialité).
coord-archive-keep = Les garder
coord-archive-purge = Les effacer après le délai de conservation
privacy-title = Données personnelles et confidentialité
privacy-link = Données personnelles
privacy-intro = Cette page dit quelles données personnelles ce service Concerto traite, pourquoi, combien de temps il les garde et comment exercer vos droits. Les durées sont celles que le service applique réellement : elles viennent de sa configuration.
privacy-controller-title = Responsable du traitement
privacy-dpo = Délégué ou déléguée à la protection des données :
privacy-purposes-title = Finalités et bases légales
privacy-purpose = Finalité
privacy-basis = Base légale (RGPD)
privacy-purpose-accounts = Créer et gérer les comptes des personnes qui répondent au nom de leur organisation ou coordonnent une consultation
privacy-basis-accounts = Mission d'intérêt public ou intérêt légitime du responsable à consulter les organisations (article 6-1 e ou f)
privacy-purpose-answers = Recueillir, enregistrer et analyser les réponses des organisations, puis rédiger la contribution collective
privacy-basis-answers = Mission d'intérêt public ou intérêt légitime du responsable (article 6-1 e ou f)
privacy-purpose-publication = Publier les réponses et les extraits cités dans la contribution collective
privacy-basis-publication = Consentement de l'organisation, donné à la soumission et retirable en rouvrant la réponse (article 6-1 a) ; sans consentement, rien n'est publié
privacy-purpose-security = Protéger le service : connexions, double authentification, limitation des tentatives, journal des actions sensibles
privacy-basis-security = Intérêt légitime du responsable à la sécurité du service (article 6-1 f)
privacy-purpose-emails = Envoyer les courriels du service (confirmation, invitations, accusés de réception, rappels)
privacy-basis-emails = Mission d'intérêt public ou intérêt légitime, comme le compte qu'ils servent (article 6-1 e ou f)
privacy-health = Les témoignages peuvent décrire la santé de personnes (données de santé, catégorie particulière de l'article 9). Les organisations s'engagent à ne pas y identifier les personnes ; la coordination masque les données personnelles qu'elle y repère avant toute publication, et l'original n'est lu que par la coordination, avec la double authentification.
privacy-data-title = Données traitées
privacy-data-identity = Identité : nom affiché et adresse électronique.
privacy-data-account = Compte : mot de passe (seulement son empreinte Argon2), secret de double authentification et codes de secours (empreintes), langue, rôle.
privacy-data-memberships = Appartenance aux organisations et rôle dans chacune.
privacy-data-sessions = Sessions : adresse IP, navigateur, dates de connexion.
privacy-data-journal = Journal des actions sensibles : qui, quoi, quand, adresse IP.
privacy-data-answers = Réponses et leurs versions successives, avec leur auteur ; elles appartiennent à l'organisation.
privacy-data-emails = Courriels envoyés : destinataire, objet et contenu.
privacy-retention-title = Durées de conservation
privacy-keep-sessions = Sessions : fermées après { $idle ->
    [one] { $idle } minute
   *[other] { $idle } minutes
} sans activité et au plus tard { $hours ->
    [one] { $hours } heure
   *[other] { $hours } heures
} après la connexion, puis effacées chaque jour.
privacy-keep-journal = Journal : les adresses IP sont remplacées par un pseudonyme irréversible après { $ip_months } mois.
privacy-keep-emails = Courriels : leur contenu est effacé { $email_days ->
    [one] { $email_days } jour
   *[other] { $email_days } jours
} après l'envoi.
privacy-keep-drafts = Brouillons des consultations archivées : effacés { $draft_months } mois après l'archivage ; brouillons gardés le temps d'une reconnexion : effacés à leur expiration.
privacy-keep-answers = Réponses des consultations archivées : gardées, ou effacées { $answer_months } mois après l'archivage si la coordination l'a choisi en archivant.
privacy-keep-accounts = Comptes : jusqu'à leur suppression.
privacy-recipients-title = Destinataires
privacy-recipients = L'équipe de coordination de ce service ; l'administration destinataire de la contribution collective, qui ne reçoit que ce qui est publié avec le consentement des organisations ; le public, pour les contributions et réponses publiées ; l'hébergeur du service, comme sous-traitant. Aucune donnée n'est vendue ni utilisée à des fins publicitaires.
privacy-rights-title = Vos droits
privacy-rights = Vous pouvez accéder à vos données, les faire rectifier ou effacer, en demander la limitation ou la portabilité, et vous opposer à leur traitement. Votre nom et votre langue se modifient depuis votre compte.
privacy-rights-how = Pour toute autre demande, écrivez au délégué ou à la déléguée à la protection des données :
privacy-complaint = Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (cnil.fr).
privacy-cookies-title = Cookies
privacy-cookies = Ce service n'utilise que des cookies strictement nécessaires à son fonctionnement (session, protection des formulaires, langue choisie, reconnaissance d'un appareil déjà connecté) : aucun cookie de mesure d'audience ni de publicité, c'est pourquoi aucun bandeau ne vous demande votre accord.
account-my-data = Vos données
account-my-data-help = Téléchargez tout ce que ce service garde à votre sujet : votre compte, vos organisations, vos sessions, vos jetons, le journal de vos actions et chaque version des réponses que vous avez écrites (un fichier ZIP contenant un JSON et un mode d'emploi).
account-my-data-download = Télécharger mes données (ZIP)
former-member = ancien membre
account-erase = Supprimer mon compte
account-erase-help = Vos données personnelles sont effacées : compte, sessions, jetons, appartenances, et votre adresse IP dans le journal. Les réponses que vous avez écrites restent celles de vos organisations, signées « ancien membre ». Si vous êtes seul propriétaire d'une organisation, nommez d'abord un autre propriétaire. Pensez à télécharger vos données avant.
account-erase-password = Votre mot de passe, pour confirmer
account-erase-code = Code de double authentification
account-erase-code-hint = Le code actuel de votre application, ou un code de secours.
account-erase-submit = Supprimer définitivement mon compte
admin-erase = Supprimer le compte (à sa demande)
admin-erase-confirm = Confirmer la suppression

## Documents joints à une réponse
documents-title = Documents joints
documents-back = Revenir à la réponse
documents-lead = Joignez ici les documents de votre organisation : manifeste, étude, enquête auprès de vos membres… Ils accompagnent la réponse et sont lus par la coordination.
documents-no-place = Cette consultation n'attend pas de documents.
documents-none = Aucun document joint pour l'instant.
documents-download = télécharger
documents-replace = Remplacer par une nouvelle version
documents-replace-button = Envoyer la nouvelle version
documents-delete = Supprimer
documents-add = Joindre un document
documents-add-button = Joindre le document
documents-history = Historique des documents
documents-history-caption = Chaque version de chaque document, de la plus récente à la plus ancienne
documents-col-title = Titre
documents-col-file = Fichier
documents-col-when = Version, auteur et date
documents-progress = Envoi en cours : __percent__ %
documents-progress-done = Document envoyé.
documents-progress-failed = L'envoi n'a pas abouti.
documents-progress-label = Progression de l'envoi
documents-file = Fichier
documents-file-hint = Types acceptés : { $types }. Le type est vérifié d'après le contenu du fichier et doit correspondre à son extension.
documents-file-title = Titre du document (facultatif)
documents-file-title-hint = Par défaut, le nom du fichier.
documents-file-description = Description (facultative)
documents-added = Le document est joint à la réponse.
documents-deleted = Le document est supprimé ; ses versions restent dans l'historique.
documents-uploaded = Version { $version }, par { $name } le { $when }
documents-capacity = { $max ->
    [one] Un document au plus
   *[other] { $max } documents au plus
} ({ $count ->
    [0] aucun joint
    [one] un joint
   *[other] { $count } joints
})
documents-area = Documents joints à la réponse
documents-area-help = Les documents qui accompagnent la réponse dans son ensemble.
documents-limits = Taille maximale : { $file } par fichier, { $response } pour l'ensemble des documents de la réponse ({ $used } déjà utilisés).
documents-state-deleted = supprimé
documents-state-replaced = remplacé
editor-documents-none = Aucun document joint.
editor-documents-manage = Joindre, remplacer ou supprimer des documents
audit-action-attachment_added = Document joint à une réponse
audit-action-attachment_replaced = Document d'une réponse remplacé par une nouvelle version
audit-action-attachment_deleted = Document d'une réponse supprimé
audit-action-attachment_policy_changed = Règles des documents joints d'une consultation modifiées
mail-receipt-documents = { $count ->
    [one] Document joint (avec son empreinte SHA-256, qui permet de vérifier que le fichier reçu est bien le vôtre) :
   *[other] Documents joints (avec leur empreinte SHA-256, qui permet de vérifier que les fichiers reçus sont bien les vôtres) :
}
mail-receipt-document = { $title } ({ $file }, { $size }) — SHA-256 : { $sha256 }
coord-documents = Documents joints
coord-documents-help = Les organisations joignent des documents aux questions de type « Documents joints » et, si vous l'ouvrez, à un espace de documents de la réponse. Les limites valent pour les envois à venir.
coord-documents-area = Offrir un espace « Documents joints » à chaque réponse
coord-documents-file-limit = Taille maximale d'un fichier (Mo)
coord-documents-file-limit-hint = De 1 à 200 Mo. Par défaut, 20 Mo.
coord-documents-response-limit = Taille maximale des documents d'une réponse (Mo)
coord-documents-response-limit-hint = Tous les documents d'une réponse ensemble, de 1 à 1 024 Mo, au moins la taille d'un fichier. Par défaut, 50 Mo.
coord-documents-save = Enregistrer les règles des documents
error-type_refused = Ce fichier n'est pas d'un type accepté (d'après son contenu). Types acceptés : PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG.
error-type_mismatch = Le contenu du fichier ne correspond pas à son extension : renommez-le ou joignez le bon fichier.
error-too_large = Ce fichier dépasse la taille maximale des documents.
error-too_many_documents = Cette question a tous ses documents : supprimez-en ou remplacez-en un d'abord.
error-unknown_document = Ce document n'est plus parmi ceux de la réponse : rechargez la page.
org-contact-title = Coordonnées de l'organisation
org-contact-help = Ce que l'organisation dit d'elle-même et comment la joindre. Son nom, son type et son identifiant (SIREN ou RNA) restent ceux que la coordination a validés.
org-contact-acronym = Sigle
org-contact-description = Présentation
org-contact-save = Enregistrer les coordonnées
org-done-contact = Les coordonnées de l'organisation sont enregistrées.
audit-action-organisation_contact_changed = Coordonnées d'une organisation modifiées
