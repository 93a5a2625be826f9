"""Strings of access: roles, actions, refusals, users, merchants' personal information, the audit trail."""

STRINGS = {
    # Roles and actions
    "access.role.admin": ("Administrateur", "Administrator"),
    "access.role.manager": ("Gestionnaire", "Manager"),
    "access.role.funder": ("Bailleur de fonds", "Funder"),
    "access.role.viewer": ("Lecteur", "Viewer"),
    "access.action.read": ("consulter les résultats", "view the figures"),
    "access.action.reports": ("produire les rapports", "produce the reports"),
    "access.action.read_personal": (
        "consulter les renseignements personnels des commerçants",
        "view merchants' personal information",
    ),
    "access.action.import": ("importer des dépenses", "import expenses"),
    "access.action.undo_import": ("annuler une importation", "undo an import"),
    "access.action.edit": ("modifier les données", "edit the data"),
    "access.action.settings": ("modifier les paramètres du programme", "change the program settings"),
    "access.action.users": ("gérer les utilisateurs", "manage the users"),
    "access.action.audit": ("consulter le journal d'audit", "view the audit log"),
    "access.forbidden": (
        "Action non permise pour votre rôle : {action} ({user}).",
        "Not allowed for your role: {action} ({user}).",
    ),
    # Sign-in and refusals (current_identity)
    "access.sign_in": ("Se connecter", "Sign in"),
    "access.sign_out": ("Se déconnecter", "Sign out"),
    "access.signed_in_as": ("Connecté : {email} ({role})", "Signed in: {email} ({role})"),
    "access.refusal.not-signed-in.title": ("Connexion requise", "Sign-in required"),
    "access.refusal.not-signed-in.body": (
        "Veuillez vous connecter avec votre compte professionnel pour consulter le budget du programme.",
        "Please sign in with your work account to see the program budget.",
    ),
    "access.refusal.unknown-user.title": ("Accès non autorisé", "Access not granted"),
    "access.refusal.unknown-user.body": (
        "Bonjour! Le compte {email} n'a pas encore accès à cet outil. Si vous croyez qu'il devrait "
        "y avoir accès, écrivez à l'équipe du programme du CQIC, qui pourra vous attribuer un rôle.",
        "Hello! The account {email} does not have access to this tool yet. If you think it should, "
        "please write to the CQIC program team, who can give you a role.",
    ),
    "access.refusal.not-local.title": ("Connexion non configurée", "Sign-in not configured"),
    "access.refusal.not-local.body": (
        "Aucun fournisseur d'identité n'est configuré : l'outil ne répond alors qu'à l'adresse 127.0.0.1. "
        "Configurez la section [auth] de .streamlit/secrets.toml pour l'ouvrir à d'autres postes.",
        "No identity provider is configured: the tool then answers only on 127.0.0.1. "
        "Configure the [auth] section of .streamlit/secrets.toml to open it to other computers.",
    ),
    # Users (users.py)
    "access.users.invalid-email": ("Adresse courriel invalide : {value}", "Invalid e-mail address: {value}"),
    "access.users.invalid-role": ("Rôle inconnu : {value}", "Unknown role: {value}"),
    "access.users.reserved-email": (
        "L'adresse {value} est réservée à l'utilisateur local.",
        "The address {value} is reserved for the local user.",
    ),
    "access.users.unknown-user": ("Aucun utilisateur {value}.", "No user {value}."),
    "access.users.last-admin": (
        "{value} est le dernier administrateur : nommez-en un autre d'abord.",
        "{value} is the last administrator: appoint another one first.",
    ),
    "access.users.col.email": ("Courriel", "E-mail"),
    "access.users.col.role": ("Rôle", "Role"),
    "access.users.col.name": ("Nom", "Name"),
    "access.users.col.created_at": ("Ajouté le", "Added on"),
    # Merchants (merchants.py)
    "access.merchants.not-found": ("Aucun commerçant n° {value}.", "No merchant #{value}."),
    "access.merchants.unknown-program": ("Aucun programme n° {value}.", "No program #{value}."),
    "access.merchants.unknown-field": ("Champ inconnu : {value}", "Unknown field: {value}"),
    "access.merchants.required": ("Champ obligatoire : {value}", "Required field: {value}"),
    "access.merchants.too-long": ("Texte trop long : {value}", "Text too long: {value}"),
    "access.merchants.invalid-neq": (
        "NEQ invalide (10 chiffres) : {value}",
        "Invalid NEQ (10 digits): {value}",
    ),
    "access.merchants.invalid-email": ("Courriel invalide : {value}", "Invalid e-mail: {value}"),
    "access.merchants.invalid-choice": ("Valeur non permise : {value}", "Value not allowed: {value}"),
    "access.merchants.invalid-date": ("Date invalide : {value}", "Invalid date: {value}"),
    "access.merchants.erased": (
        "Les renseignements personnels du commerçant n° {value} ont été effacés; ils ne peuvent être "
        "saisis de nouveau.",
        "The personal information of merchant #{value} was erased; it cannot be entered again.",
    ),
    "access.merchants.search-personal": (
        "La recherche par nom ou NEQ est réservée au personnel du programme.",
        "Searching by name or NEQ is for program staff only.",
    ),
    # Audit trail (audit_log.py)
    "access.audit.col.at": ("Date et heure", "Date and time"),
    "access.audit.col.user": ("Utilisateur", "User"),
    "access.audit.col.action": ("Action", "Action"),
    "access.audit.col.entity": ("Objet", "Entity"),
    "access.audit.col.entity_id": ("N°", "ID"),
    "access.audit.col.before": ("Avant", "Before"),
    "access.audit.col.after": ("Après", "After"),
    "access.masked_description": (
        "(description masquée : dépense liée à un commerçant)",
        "(description hidden: expense tied to a merchant)",
    ),
}
