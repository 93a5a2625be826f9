"""Strings of the store's and the app's refusals: a busy store, a store that cannot be reached, a visitor
beyond the loopback, an unverified e-mail, a report that cannot be written."""

STRINGS = {
    "store.busy": (
        "La base de données est occupée par une autre opération (un autre import ou une annulation). Rien "
        "n'a été enregistré : réessayez dans un instant.",
        "The database is busy with another operation (another import or an undo). Nothing was saved: "
        "retry in a moment.",
    ),
    "store.error": (
        "La base de données a refusé l'opération ; rien n'a été enregistré. Le détail est dans le journal "
        "du serveur.",
        "The database refused the operation; nothing was saved. The details are in the server's log.",
    ),
    "store.unavailable.title": (
        "Service momentanément indisponible",
        "Service temporarily unavailable",
    ),
    "store.unavailable.body": (
        "La base de données ne répond pas. Réessayez dans quelques minutes ; si le problème persiste, "
        "prévenez l'administrateur (le détail technique est dans le journal du serveur).",
        "The database is not answering. Try again in a few minutes; if it lasts, tell the administrator "
        "(the technical details are in the server's log).",
    ),
    "access.refusal.not-verified.title": (
        "Adresse courriel non vérifiée",
        "E-mail address not verified",
    ),
    "access.refusal.not-verified.body": (
        "Votre fournisseur d'identité n'a pas vérifié l'adresse {email}. Vérifiez-la auprès de lui, puis "
        "reconnectez-vous.",
        "Your identity provider has not verified the address {email}. Verify it with them, then sign in "
        "again.",
    ),
    "access.refusal.other-account.title": (
        "Compte différent",
        "A different account",
    ),
    "access.refusal.other-account.body": (
        "L'adresse {email} est liée à un autre compte de votre fournisseur d'identité. Demandez à un "
        "administrateur de vérifier votre accès.",
        "The address {email} is tied to another account at your identity provider. Ask an administrator to "
        "check your access.",
    ),
    "access.refusal.remote-client.title": (
        "Accès local seulement",
        "Local access only",
    ),
    "access.refusal.remote-client.body": (
        "Cette application fonctionne en mode local à utilisateur unique : elle ne répond qu'aux navigateurs "
        "de cet ordinateur, sans mandataire (proxy) ni redirection de port. Pour un accès à distance, "
        "l'administrateur doit configurer la connexion (section [auth] de .streamlit/secrets.toml).",
        "This app runs in local single-user mode: it answers only browsers on this computer, with no proxy "
        "or port forward in between. For remote access the administrator must set up sign-in (the [auth] "
        "section of .streamlit/secrets.toml).",
    ),
    "report.out.no-folder": (
        "Le dossier {folder} n'existe pas : créez-le ou choisissez un autre emplacement pour --out.",
        "The folder {folder} does not exist: create it or choose another place for --out.",
    ),
    "report.out.is-folder": ("c'est un dossier, pas un fichier", "it is a folder, not a file"),
    "report.out.unwritable": (
        "Impossible d'écrire {path} : {reason}.",
        "Cannot write {path}: {reason}.",
    ),
}
