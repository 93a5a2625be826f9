"""Strings of the weekly brief (PDF, HTML e-mail, plain text) and of sending it by e-mail."""

STRINGS = {
    "brief.title": ("Résumé de la semaine", "Weekly brief"),
    "brief.subject.none": (
        "{code} — résumé de la semaine au {date} : rien à signaler",
        "{code} — weekly brief as of {date}: nothing to flag",
    ),
    "brief.subject.some": (
        "{code} — résumé de la semaine au {date} : {count} {count|point|points} à surveiller",
        "{code} — weekly brief as of {date}: {count} {count|item|items} to watch",
    ),
    "brief.headline": (
        "Dépenses admissibles : {spent} ({share} du budget) après {elapsed} du temps; "
        "rythme {burn} par mois; total projeté au {end} : {projected}.",
        "Eligible spending: {spent} ({share} of the budget) with {elapsed} of the time gone; pace {burn} a "
        "month; projected total at {end}: {projected}.",
    ),
    "brief.burn_rate": (
        "Rythme mensuel (moyenne des {months} derniers mois complets)",
        "Monthly pace (mean of the last {months} full months)",
    ),
    "brief.section.checks": ("Vérifications à surveiller", "Checks that are not ok"),
    "brief.section.budget_lines": (
        "Postes à {threshold} ou plus de leur budget", "Budget lines at {threshold} or more of their budget"),
    "brief.section.fiscal_years": ("Exercices à risque", "Fiscal years at risk"),
    "brief.section.milestones": ("Jalons en retard", "Late milestones"),
    "brief.section.claims": ("Réclamations dues ou impayées", "Claims due or unpaid"),
    "brief.empty.checks": ("Toutes les vérifications sont conformes.", "Every check is ok."),
    "brief.empty.budget_lines": (
        "Aucun poste n'approche de son budget.", "No budget line is near its limit."),
    "brief.empty.fiscal_years": ("Aucun exercice à risque.", "No fiscal year at risk."),
    "brief.empty.milestones": ("Aucun jalon en retard.", "No milestone is late."),
    "brief.empty.claims": ("Aucune réclamation due ni impayée.", "No claim due or unpaid."),
    "brief.more": ("… et {count} de plus, dans l'application.", "… and {count} more, in the app."),
    "brief.col.phase": ("Phase", "Phase"),
    "brief.col.claim": ("Réclamation", "Claim"),
    "brief.claim.number": ("Réclamation n° {number}", "Claim no. {number}"),
    "brief.claim.next": ("Prochaine réclamation", "Next claim"),
    "brief.claim.to_submit": ("à présenter", "to submit"),
    "brief.col.funder": ("Bailleur de fonds", "Funder"),
    "brief.col.period": ("Période", "Period"),
    "brief.col.amount_due": ("Montant dû", "Amount due"),
    "brief.footer": (
        "Chiffres au {date}, tirés de cqic_budget. Le détail se trouve dans l'application.",
        "Figures as of {date}, from cqic_budget. The detail is in the app.",
    ),
    # Sending (cqic_budget/mailer.py).
    "mail.error.smtp-not-configured": (
        "Aucun serveur de courriel n'est configuré : indiquez CQIC_SMTP_HOST et CQIC_SMTP_SENDER (ou la "
        "section [smtp] de .streamlit/secrets.toml).",
        "No mail server is configured: set CQIC_SMTP_HOST and CQIC_SMTP_SENDER (or the [smtp] section of "
        ".streamlit/secrets.toml).",
    ),
    "mail.error.smtp-bad-setting": (
        "Réglage de courriel invalide ({name}) : « {value} ».",
        "Invalid mail setting ({name}): “{value}”.",
    ),
    "mail.error.smtp-no-password": (
        "Un utilisateur SMTP est indiqué sans mot de passe : définissez CQIC_SMTP_PASSWORD (ou password "
        "dans la section [smtp] des secrets).",
        "An SMTP user is set without a password: set CQIC_SMTP_PASSWORD (or password in the [smtp] "
        "section of the secrets).",
    ),
    "mail.error.smtp-credentials-ascii": (
        "L'utilisateur ou le mot de passe SMTP contient des caractères non ASCII (accents…), que l'envoi "
        "SMTP ne sait pas transmettre : choisissez des identifiants sans accents.",
        "The SMTP user or password holds non-ASCII characters (accents…), which SMTP login cannot carry: "
        "use credentials without them.",
    ),
    "mail.error.bad-recipient": (
        "Adresse de courriel invalide : « {address} » (une adresse simple, nom@domaine).",
        "Invalid e-mail address: “{address}” (a plain address, name@domain).",
    ),
    "mail.error.no-recipient": (
        "Aucun destinataire : indiquez --to adresse[,adresse…].",
        "No recipient: give --to address[,address…].",
    ),
    "mail.error.too-many-recipients": (
        "Trop de destinataires (au plus {limit}).", "Too many recipients (at most {limit})."),
    "mail.error.smtp-login-refused": (
        "Le serveur {host} a refusé l'identification SMTP.", "The server {host} refused the SMTP login."),
    "mail.error.smtp-refused": (
        "Le serveur a refusé ces destinataires : {addresses}.",
        "The server refused these recipients: {addresses}."),
    "mail.error.smtp-failed": (
        "Envoi impossible par {host}:{port} : {reason}.", "Could not send through {host}:{port}: {reason}."),
    "brief.to_without_send": ("--to ne sert qu'avec --send.", "--to only goes with --send."),
    "brief.send_me": ("M'envoyer ce résumé", "Send me this brief"),
    "brief.send_me_help": (
        "Le résumé de la semaine (PDF et courriel) à la date choisie, envoyé à {address}.",
        "The weekly brief (PDF and e-mail) at the chosen date, sent to {address}.",
    ),
    "brief.sent": ("Résumé envoyé à {recipients}.", "Brief sent to {recipients}."),
}
