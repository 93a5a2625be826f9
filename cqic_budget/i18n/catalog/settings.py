"""Strings of the Settings page services: field labels, choices, validation errors, the budget check."""

STRINGS = {
    # Program settings
    "settings.field.program": ("Programme", "Program"),
    "settings.field.table": ("Tableau", "Table"),
    "settings.field.name_fr": ("Nom (français)", "Name (French)"),
    "settings.field.name_en": ("Nom (anglais)", "Name (English)"),
    "settings.field.start_date": ("Date de début", "Start date"),
    "settings.field.end_date": ("Date de fin", "End date"),
    "settings.field.budget_total": ("Budget total", "Total budget"),
    "settings.field.quebec_rate": ("Taux de financement de Québec", "Québec funding rate"),
    "settings.field.stacking_cap": ("Plafond de cumul des aides publiques", "Public aid stacking cap"),
    "settings.field.admin_cap": ("Plafond des frais d'administration", "Administration cost cap"),
    "settings.field.admin_base": ("Base du plafond d'administration", "Administration cap base"),
    "settings.field.tax_recovery_rate": ("Taux de récupération des taxes", "Tax recovery rate"),
    "settings.field.holdback_rate": ("Retenue", "Holdback"),
    "settings.field.budget_transfer_tolerance": (
        "Tolérance de transfert entre postes", "Transfer tolerance between budget lines",
    ),
    "settings.field.burn_window_months": (
        "Fenêtre du rythme de dépenses (mois)", "Burn rate window (months)",
    ),
    "settings.field.target_merchants_reached": ("Cible : commerçants rejoints", "Target: merchants reached"),
    "settings.field.target_merchants_supported": (
        "Cible : commerçants accompagnés", "Target: merchants supported",
    ),
    "settings.field.target_merchants_completed": (
        "Cible : commerçants ayant terminé", "Target: merchants completed",
    ),
    # Table columns
    "settings.field.id": ("N°", "ID"),
    "settings.field.name": ("Nom", "Name"),
    "settings.field.kind": ("Type", "Kind"),
    "settings.field.is_public_aid": ("Aide publique", "Public aid"),
    "settings.field.committed": ("Engagement", "Committed"),
    "settings.field.in_kind": ("En nature", "In kind"),
    "settings.field.fiscal_year": ("Exercice", "Fiscal year"),
    "settings.field.category": ("Catégorie", "Category"),
    "settings.field.amount": ("Montant", "Amount"),
    "settings.field.due_date": ("Échéance", "Due date"),
    "settings.field.planned_cumulative": ("Dépense cumulative prévue", "Planned cumulative spend"),
    "settings.field.status": ("Statut", "Status"),
    "settings.field.achieved_date": ("Date d'atteinte", "Date achieved"),
    "settings.field.payment_funder": ("Bailleur du versement", "Paying funder"),
    "settings.field.payment": ("Versement lié", "Linked payment"),
    "settings.field.funder": ("Bailleur de fonds", "Funder"),
    "settings.field.received_date": ("Date de réception", "Date received"),
    "settings.field.reference": ("Référence", "Reference"),
    "settings.field.milestone": ("Jalon", "Milestone"),
    "settings.field.code": ("Code", "Code"),
    "settings.field.unit": ("Unité", "Unit"),
    "settings.field.direction": ("Sens souhaité", "Desired direction"),
    "settings.field.target": ("Cible", "Target"),
    "settings.field.label": ("Libellé du fichier", "Spreadsheet label"),
    "settings.field.label_fr": ("Libellé (français)", "Label (French)"),
    "settings.field.label_en": ("Libellé (anglais)", "Label (English)"),
    "settings.field.sort_order": ("Ordre", "Order"),
    # Choices
    "settings.choice.admin_base.eligible": ("Dépenses admissibles", "Eligible spending"),
    "settings.choice.admin_base.salaries": ("Salaires", "Salaries"),
    "settings.choice.kind.quebec": ("Québec", "Québec"),
    "settings.choice.kind.federal": ("Fédéral", "Federal"),
    "settings.choice.kind.municipal": ("Municipal", "Municipal"),
    "settings.choice.kind.private": ("Privé", "Private"),
    "settings.choice.kind.own": ("Fonds propres", "Own funds"),
    "settings.choice.status.planned": ("Prévu", "Planned"),
    "settings.choice.status.achieved": ("Atteint", "Achieved"),
    "settings.choice.unit.percent": ("Pourcentage", "Percent"),
    "settings.choice.unit.count": ("Nombre", "Count"),
    "settings.choice.unit.score": ("Score", "Score"),
    "settings.choice.unit.bool": ("Oui/non", "Yes/no"),
    "settings.choice.unit.cad": ("Dollars", "Dollars"),
    "settings.choice.direction.up": ("À la hausse", "Up"),
    "settings.choice.direction.down": ("À la baisse", "Down"),
    # What keeps a row from being deleted
    "settings.uses.contributions": ("des contributions y sont rattachées", "contributions refer to it"),
    "settings.uses.milestones": ("des jalons y sont rattachés", "milestones refer to it"),
    "settings.uses.expenses": ("des dépenses y sont classées", "expenses are classified in it"),
    "settings.uses.budget_lines": ("des lignes budgétaires l'utilisent", "budget lines use it"),
    "settings.uses.aliases": (
        "des libellés de fichier y sont associés", "spreadsheet labels are mapped to it",
    ),
    "settings.uses.measurements": ("des mesures y sont rattachées", "measurements refer to it"),
    # Validation errors
    "settings.error.unknown-program": ("Programme introuvable ({value}).", "Program not found ({value})."),
    "settings.error.unknown-field": ("Paramètre inconnu : {value}.", "Unknown setting: {value}."),
    "settings.error.missing-column": (
        "La colonne « {field} » manque au tableau.", "The column “{field}” is missing from the table.",
    ),
    "settings.error.unknown-row": (
        "Cette ligne ({value}) n'existe pas ou est en double ; rechargez le tableau.",
        "This row ({value}) does not exist or is repeated; reload the table.",
    ),
    "settings.error.required": ("« {field} » est obligatoire.", "“{field}” is required."),
    "settings.error.too-long": (
        "« {field} » dépasse {limit} caractères.", "“{field}” is longer than {limit} characters.",
    ),
    "settings.error.invalid-number": (
        "« {field} » : « {value} » n'est pas un nombre.", "“{field}”: “{value}” is not a number.",
    ),
    "settings.error.invalid-integer": (
        "« {field} » : « {value} » n'est pas un nombre entier.",
        "“{field}”: “{value}” is not a whole number.",
    ),
    "settings.error.invalid-bool": (
        "« {field} » : « {value} » n'est ni oui ni non.", "“{field}”: “{value}” is neither yes nor no.",
    ),
    "settings.error.invalid-date": (
        "« {field} » : « {value} » n'est pas une date (AAAA-MM-JJ).",
        "“{field}”: “{value}” is not a date (YYYY-MM-DD).",
    ),
    "settings.error.invalid-choice": (
        "« {field} » : « {value} » n'est pas une valeur permise.",
        "“{field}”: “{value}” is not an allowed value.",
    ),
    "settings.error.invalid-code": (
        "« {field} » : « {value} » ne doit contenir que des minuscules, des chiffres et « _ ».",
        "“{field}”: “{value}” may only contain lowercase letters, digits and “_”.",
    ),
    "settings.error.invalid-fiscal-year": (
        "« {field} » : « {value} » n'est pas un exercice (ex. 2025-2026).",
        "“{field}”: “{value}” is not a fiscal year (e.g. 2025-2026).",
    ),
    "settings.error.out-of-range": (
        "« {field} » : {value} doit être entre {low} et {high}.",
        "“{field}”: {value} must be between {low} and {high}.",
    ),
    "settings.error.negative": (
        "« {field} » ne peut pas être négatif ({value}).", "“{field}” cannot be negative ({value}).",
    ),
    "settings.error.not-positive": (
        "« {field} » doit être supérieur à zéro ({value}).", "“{field}” must be above zero ({value}).",
    ),
    "settings.error.too-many-decimals": (
        "« {field} » : {value} a plus de {places} décimales.",
        "“{field}”: {value} has more than {places} decimals.",
    ),
    "settings.error.end-before-start": (
        "La date de fin ({end}) doit suivre la date de début ({start}).",
        "The end date ({end}) must come after the start date ({start}).",
    ),
    "settings.error.out-of-period": (
        "« {field} » : {value} est hors de la période du programme ({start} au {end}).",
        "“{field}”: {value} is outside the program period ({start} to {end}).",
    ),
    "settings.error.period-excludes-budget-lines": (
        "La nouvelle période exclut des exercices qui ont des lignes budgétaires : {value}.",
        "The new period leaves out fiscal years that have budget lines: {value}.",
    ),
    "settings.error.unknown-reference": (
        "« {field} » : « {value} » est introuvable.", "“{field}”: “{value}” was not found.",
    ),
    "settings.error.ambiguous-reference": (
        "« {field} » : « {value} » désigne plusieurs éléments ; précisez.",
        "“{field}”: “{value}” matches several items; be more specific.",
    ),
    "settings.error.duplicate": (
        "« {field} » : « {value} » figure déjà à la ligne {other}.",
        "“{field}”: “{value}” already appears on row {other}.",
    ),
    "settings.error.public-aid-kind": (
        "Un bailleur de type « {value} » compte toujours comme aide publique (cumul des aides).",
        "A funder of kind “{value}” always counts as public aid (stacking).",
    ),
    "settings.error.achieved-date-required": (
        "Un jalon atteint doit avoir sa date d'atteinte.",
        "An achieved milestone needs the date it was achieved.",
    ),
    "settings.error.achieved-date-when-planned": (
        "Un jalon prévu n'a pas encore de date d'atteinte ({value}) : passez son statut à « Atteint ».",
        "A planned milestone has no achieved date yet ({value}): set its status to “Achieved”.",
    ),
    "settings.error.payment-funder-required": (
        "Un versement lié au jalon doit préciser le bailleur qui le verse.",
        "A payment tied to a milestone needs the funder who pays it.",
    ),
    "settings.error.protected": (
        "« {value} » est une catégorie de base du programme : elle ne peut être ni supprimée ni recodée.",
        "“{value}” is one of the program's base categories: it can be neither deleted nor re-coded.",
    ),
    "settings.error.in-use": (
        "« {value} » ne peut pas être supprimé : {uses}.", "“{value}” cannot be deleted: {uses}.",
    ),
    # Budget lines vs the program budget (a warning)
    "settings.budget_check.balanced": (
        "Les lignes budgétaires totalisent le budget du programme ({budget}).",
        "The budget lines add up to the program budget ({budget}).",
    ),
    "settings.budget_check.over": (
        "Les lignes budgétaires ({lines}) dépassent le budget du programme ({budget}) de {gap}.",
        "The budget lines ({lines}) exceed the program budget ({budget}) by {gap}.",
    ),
    "settings.budget_check.under": (
        "Les lignes budgétaires ({lines}) sont inférieures au budget du programme ({budget}) de {gap}.",
        "The budget lines ({lines}) fall short of the program budget ({budget}) by {gap}.",
    ),
}
