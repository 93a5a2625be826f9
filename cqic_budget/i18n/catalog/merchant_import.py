"""Strings of the merchant import (cqic_budget.importing.merchants): row errors, counts, the uploader."""

STRINGS = {
    "merchant_import.refused.no-header": (
        "Aucune ligne d'en-tête trouvée dans les {rows} premières lignes : il faut une colonne « Nom » et "
        "au moins deux colonnes parmi « NEQ », « Secteur », « Taille », « Municipalité » et « Statut ».",
        "No header row found in the first {rows} rows: a « Name » column and at least two of « NEQ », "
        "« Sector », « Size band », « Municipality » and « Status » are needed.",
    ),
    "merchant_import.refused.empty": (
        "Le fichier ne contient aucune ligne de commerçant.",
        "The file contains no merchant rows.",
    ),
    "merchant_import.reason.nothing": (
        "Aucune ligne n'a pu être importée : corrigez les erreurs ci-dessous et réessayez.",
        "No row could be imported: fix the errors below and try again.",
    ),
    "merchant_import.counts": (
        "{read} {read|ligne lue|lignes lues} : {created} {created|commerçant créé|commerçants créés}, "
        "{updated} mis à jour, {rejected} {rejected|ligne refusée|lignes refusées}, "
        "{measurements} {measurements|mesure|mesures}.",
        "{read} {read|row|rows} read: {created} {created|merchant|merchants} created, {updated} updated, "
        "{rejected} {rejected|row|rows} rejected, {measurements} {measurements|measurement|measurements}.",
    ),
    # Row errors (the cell's value or the column's name in {value}).
    "merchant_import.row.required": ("« {value} » est obligatoire.", "« {value} » is required."),
    "merchant_import.row.too-long": ("« {value} » est trop long.", "« {value} » is too long."),
    "merchant_import.row.invalid-neq": (
        "NEQ invalide : « {value} » (10 chiffres attendus).",
        "Invalid NEQ: « {value} » (10 digits expected).",
    ),
    "merchant_import.row.invalid-email": ("Courriel invalide : « {value} ».", "Invalid e-mail: « {value} »."),
    "merchant_import.row.invalid-date": (
        "Date illisible : « {value} » (AAAA-MM-JJ ou JJ/MM/AAAA).",
        "Unreadable date: « {value} » (YYYY-MM-DD or DD/MM/YYYY).",
    ),
    "merchant_import.row.invalid-choice.sector": (
        "Secteur non reconnu : « {value} » (commerce de détail ou commerce de gros).",
        "Unknown sector: « {value} » (retail or wholesale).",
    ),
    "merchant_import.row.invalid-choice.size_band": (
        "Taille non reconnue : « {value} » (micro, petite ou moyenne).",
        "Unknown size band: « {value} » (micro, small or medium).",
    ),
    "merchant_import.row.invalid-choice.status": (
        "Statut non reconnu : « {value} » (rejoint, accompagné ou terminé).",
        "Unknown status: « {value} » (reached, supported or completed).",
    ),
    "merchant_import.row.invalid-value": (
        "Valeur d'indicateur illisible : « {value} » (un nombre, ou oui/non).",
        "Unreadable indicator value: « {value} » (a number, or yes/no).",
    ),
    "merchant_import.row.formula-no-value": (
        "Formule sans valeur calculée : ouvrez et enregistrez le fichier dans Excel.",
        "Formula without a computed value: open and save the file in Excel.",
    ),
    "merchant_import.row.duplicate-in-file": (
        "Même commerçant qu'à la ligne {value} du fichier : ligne ignorée.",
        "Same merchant as row {value} of the file: row skipped.",
    ),
    # Fields, for a column missing from the file.
    "merchant_import.field.name": ("Nom", "Name"),
    "merchant_import.field.neq": ("NEQ", "NEQ"),
    "merchant_import.field.sector": ("Secteur", "Sector"),
    "merchant_import.field.size_band": ("Taille", "Size band"),
    "merchant_import.field.municipality": ("Municipalité", "Municipality"),
    "merchant_import.field.enrolment_date": ("Date d'inscription", "Enrolment date"),
    "merchant_import.field.status": ("Statut", "Status"),
    "merchant_import.field.contact_name": ("Contact", "Contact"),
    "merchant_import.field.contact_email": ("Courriel", "Email"),
    "merchant_import.field.contact_phone": ("Téléphone", "Phone"),
    "merchant_import.field.followup_date": ("Date de suivi", "Follow-up date"),
    # The Merchants page (staff).
    "merchant_import.upload": ("Importer des commerçants (Excel)", "Import merchants (Excel)"),
    "merchant_import.upload_help": (
        "Colonnes : Nom, NEQ, Secteur, Taille, Municipalité, Date d'inscription, Statut "
        "(contact facultatif); « <indicateur> (départ) » et « <indicateur> (suivi) » "
        "avec « Date de suivi » pour les mesures. "
        "Un commerçant déjà présent (même NEQ, ou même nom et municipalité) est mis à jour.",
        "Columns: Name, NEQ, Sector, Size band, Municipality, Enrolment date, Status "
        "(contact optional); « <indicator> (baseline) » and « <indicator> (follow-up) » "
        "with « Follow-up date » for measurements. "
        "A merchant already there (same NEQ, or same name and municipality) is updated.",
    ),
    "merchant_import.run": ("Importer", "Import"),
    "merchant_import.errors": ("Lignes refusées", "Rejected rows"),
    "merchant_import.col.row": ("Ligne", "Row"),
    "merchant_import.col.column": ("Colonne", "Column"),
    "merchant_import.col.message": ("Problème", "Problem"),
    "merchant_import.unknown_indicator": (
        "Colonne « {column} » ignorée : aucun indicateur du programme ne porte ce nom "
        "(Paramètres → Indicateurs).",
        "Column « {column} » ignored: no indicator of the program has that name (Settings → Indicators).",
    ),
}
