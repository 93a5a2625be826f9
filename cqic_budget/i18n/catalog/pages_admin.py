"""Strings of the Reports and Settings pages (cqic_budget.ui.reports, cqic_budget.ui.settings)."""

STRINGS = {
    # Reports
    "reports_page.title": ("Rapports", "Reports"),
    "reports_page.purpose": (
        "Le rapport aux bailleurs de fonds et les extractions des dépenses, prêts à transmettre.",
        "The funder report and the expense exports, ready to send.",
    ),
    "reports_page.period": ("{name} · en date du {as_of}", "{name} · as of {as_of}"),
    "reports_page.refused": (
        "Votre rôle permet de consulter les résultats, mais pas de produire les rapports ni les extractions. "
        "Écrivez à l'équipe du programme si vous en avez besoin.",
        "Your role lets you see the figures, but not produce the reports or exports. "
        "Please write to the program team if you need them.",
    ),
    "reports_page.report": ("Rapport aux bailleurs de fonds", "Funder report"),
    "reports_page.report_text": (
        "Le classeur Excel à transmettre aux bailleurs de fonds, en date du {as_of}, dans la langue de "
        "l'interface. Il est produit au moment du clic avec les données à jour.",
        "The Excel workbook to send to the funders, as of {as_of}, in the interface's language. It is "
        "produced when you click, from the current data.",
    ),
    "reports_page.report_button": ("Télécharger le rapport (Excel)", "Download the report (Excel)"),
    "reports_page.sheets": ("Ce que contient chaque feuille", "What each sheet holds"),
    "reports_page.sheet.summary": (
        "les chiffres clés (budget, dépenses admissibles, rythme et prévision, part de Québec, aides "
        "publiques, coût par commerçant) et chaque vérification du cofinancement, avec son statut et son "
        "constat.",
        "the key figures (budget, eligible spending, pace and forecast, Québec share, public aid, cost per "
        "merchant) and every co-financing check, with its status and finding.",
    ),
    "reports_page.sheet.spending": (
        "le budget et les dépenses admissibles par poste et par exercice financier, et le risque que des "
        "fonds d'un exercice soient perdus.",
        "the budget and eligible spending by category and fiscal year, and the risk that a year's funds "
        "lapse.",
    ),
    "reports_page.sheet.cofinancing": (
        "chaque bailleur de fonds (engagé, reçu en argent et en nature, à recevoir), les parts et plafonds "
        "cumulés et à la fin de chaque exercice, les contributions reçues par exercice.",
        "every funder (committed, received in cash and in kind, still due), the shares and caps to date and "
        "at the end of each fiscal year, the contributions received per fiscal year.",
    ),
    "reports_page.sheet.milestones": (
        "chaque jalon : dépense cumulative prévue et réelle, retard, versement lié et sa réception.",
        "every milestone: planned and actual cumulative spending, delay, the payment tied to it and whether "
        "it was received.",
    ),
    "reports_page.sheet.impact": (
        "commerçants rejoints, accompagnés et ayant terminé par rapport aux cibles, indicateurs avant et "
        "après, répartitions par secteur, taille et municipalité — données agrégées, sans renseignements "
        "personnels.",
        "merchants reached, supported and completed against the targets, indicators before and after, splits "
        "by sector, size and municipality — aggregated data, no personal information.",
    ),
    "reports_page.sheet.expenses": (
        "chaque dépense jusqu'à la date choisie, avec son fichier et sa ligne d'origine ; le total "
        "admissible égale celui du sommaire.",
        "every expense up to the chosen date, with the file and row it came from; the eligible total equals "
        "the summary's.",
    ),
    "reports_page.exports": ("Extraction des dépenses", "Expense export"),
    "reports_page.exports_text": (
        "Les dépenses jusqu'à la date choisie, filtrées au besoin, en CSV ou en Excel.",
        "The expenses up to the chosen date, filtered if you wish, as CSV or Excel.",
    ),
    "reports_page.filter.fiscal_year": ("Exercice", "Fiscal year"),
    "reports_page.filter.category": ("Poste budgétaire", "Category"),
    "reports_page.filter.eligible": ("Admissibilité", "Eligibility"),
    "reports_page.filter.needs_review": ("À revoir", "Needs review"),
    "reports_page.all_years": ("Tous les exercices", "All fiscal years"),
    "reports_page.all_categories": ("Tous les postes", "All categories"),
    "reports_page.all_rows": ("Toutes", "All"),
    "reports_page.eligible_yes": ("Admissibles", "Eligible"),
    "reports_page.eligible_no": ("Non admissibles", "Ineligible"),
    "reports_page.review_yes": ("À revoir seulement", "Needing review only"),
    "reports_page.review_no": ("Sans révision requise", "Not needing review"),
    "reports_page.rows": (
        "{count} {count|dépense correspond|dépenses correspondent}, jusqu'au {as_of}.",
        "{count} {count|expense matches|expenses match}, up to {as_of}.",
    ),
    "reports_page.no_rows": (
        "Aucune dépense ne correspond à ces filtres.", "No expense matches these filters.",
    ),
    "reports_page.csv_button": ("Télécharger en CSV", "Download as CSV"),
    "reports_page.xlsx_button": ("Télécharger en Excel", "Download as Excel"),
    "reports_page.safe_note": (
        "Les textes importés (fournisseurs, descriptions, numéros de facture) sont toujours écrits comme du "
        "texte : aucun ne peut devenir une formule dans Excel. Le CSV est en UTF-8, avec des points-virgules "
        "et la virgule décimale en français.",
        "Imported text (vendors, descriptions, invoice numbers) is always written as text: none can become a "
        "formula in Excel. The CSV is UTF-8, with commas and a decimal point in English.",
    ),
    # Settings
    "settings_page.title": ("Paramètres", "Settings"),
    "settings_page.purpose": (
        "Les règles de l'entente de financement, les tableaux du programme et les utilisateurs. Chaque "
        "modification est validée et consignée au journal d'audit.",
        "The funding agreement's rules, the program's tables and the users. Every change is validated and "
        "recorded in the audit log.",
    ),
    "settings_page.period": ("{name} ({code})", "{name} ({code})"),
    "settings_page.refused": (
        "Les paramètres sont réservés aux administrateurs du programme.",
        "Settings are for the program's administrators only.",
    ),
    "settings_page.tab.program": ("Programme", "Program"),
    "settings_page.tab.funders": ("Bailleurs de fonds", "Funders"),
    "settings_page.tab.budget_lines": ("Lignes budgétaires", "Budget lines"),
    "settings_page.tab.milestones": ("Jalons", "Milestones"),
    "settings_page.tab.contributions": ("Contributions", "Contributions"),
    "settings_page.tab.indicators": ("Indicateurs", "Indicators"),
    "settings_page.tab.categories": ("Catégories", "Categories"),
    "settings_page.tab.users": ("Utilisateurs", "Users"),
    "settings_page.table.funders": ("Bailleurs de fonds", "Funders"),
    "settings_page.table.budget_lines": ("Lignes budgétaires", "Budget lines"),
    "settings_page.table.milestones": ("Jalons", "Milestones"),
    "settings_page.table.contributions": ("Contributions reçues", "Contributions received"),
    "settings_page.table.indicators": ("Indicateurs d'impact", "Impact indicators"),
    "settings_page.table.categories": ("Postes budgétaires", "Budget categories"),
    "settings_page.table.category_aliases": ("Correspondance des libellés", "Label mapping"),
    "settings_page.table_text.funders": (
        "Qui finance le programme, combien et sous quelle forme. Les bailleurs de Québec, fédéraux et "
        "municipaux comptent toujours comme aide publique (cumul des aides).",
        "Who funds the program, how much and in what form. Québec, federal and municipal funders always "
        "count as public aid (stacking).",
    ),
    "settings_page.table_text.budget_lines": (
        "Le budget de chaque poste par exercice financier (1er avril au 31 mars).",
        "Each category's budget per fiscal year (April 1 to March 31).",
    ),
    "settings_page.table_text.milestones": (
        "Les jalons de l'entente : échéance, dépense cumulative prévue, statut et versement qui y est lié.",
        "The agreement's milestones: due date, planned cumulative spend, status and the payment tied to it.",
    ),
    "settings_page.table_text.contributions": (
        "Les sommes reçues des bailleurs, en argent ou en nature, avec leur référence et leur jalon.",
        "The amounts received from the funders, in cash or in kind, with their reference and milestone.",
    ),
    "settings_page.table_text.indicators": (
        "Ce que l'on mesure chez les commerçants, avant et après l'accompagnement, et la cible visée.",
        "What is measured at the merchants, before and after support, and the target.",
    ),
    "settings_page.table_text.categories": (
        "Les postes du budget. Les postes de base ne peuvent être ni supprimés ni recodés ; un poste utilisé "
        "ne peut pas être supprimé.",
        "The budget categories. The base categories can be neither deleted nor re-coded; a category in use "
        "cannot be deleted.",
    ),
    "settings_page.table_text.category_aliases": (
        "Un libellé de catégorie trouvé dans un fichier importé, associé une fois pour toutes à un poste : "
        "les importations suivantes l'utilisent.",
        "A category label found in an imported file, mapped once to a category: later imports use it.",
    ),
    "settings_page.save": ("Enregistrer", "Save"),
    "settings_page.saved": ("Enregistré : {parts}.", "Saved: {parts}."),
    "settings_page.inserted": (
        "{count} {count|ligne ajoutée|lignes ajoutées}", "{count} {count|row|rows} added",
    ),
    "settings_page.updated": (
        "{count} {count|ligne modifiée|lignes modifiées}", "{count} {count|row|rows} changed",
    ),
    "settings_page.deleted": (
        "{count} {count|ligne supprimée|lignes supprimées}", "{count} {count|row|rows} deleted",
    ),
    "settings_page.no_change": ("Aucune modification à enregistrer.", "Nothing to save."),
    "settings_page.not_saved": (
        "Rien n'a été enregistré : {count} {count|erreur|erreurs} à corriger.",
        "Nothing was saved: {count} {count|error|errors} to fix.",
    ),
    "settings_page.row_error": ("Ligne {row} : {message}", "Row {row}: {message}"),
    "settings_page.section.program": ("Nom, période et budget", "Name, period and budget"),
    "settings_page.section.rates": ("Règles de l'entente de financement", "Funding agreement rules"),
    "settings_page.section.pace": ("Rythme et cibles", "Pace and targets"),
    "settings_page.percent": ("{label} (%)", "{label} (%)"),
    "settings_page.dollars": ("{label} ($)", "{label} ($)"),
    "settings_page.stored": ("Valeur enregistrée : {value}", "Stored value: {value}"),
    "settings_page.program_note": (
        "Les taux sont en pour cent (50 pour 50 %). Un nouveau taux de récupération des taxes recalcule le "
        "coût admissible de chaque dépense.",
        "Rates are in percent (50 for 50%). A new tax recovery rate recomputes every expense's eligible "
        "cost.",
    ),
    "settings_page.program_not_saved": (
        "Rien n'a été enregistré : corrigez les champs signalés.",
        "Nothing was saved: fix the fields marked below.",
    ),
    "settings_page.program_saved": (
        "Paramètres du programme enregistrés : {count} {count|valeur modifiée|valeurs modifiées}.",
        "Program settings saved: {count} {count|value|values} changed.",
    ),
    "settings_page.program_saved_recomputed": (
        "Paramètres enregistrés ; coût admissible recalculé pour {count} {count|dépense|dépenses}.",
        "Settings saved; eligible cost recomputed for {count} {count|expense|expenses}.",
    ),
    "settings_page.users_text": (
        "Chaque personne qui se connecte reçoit le rôle associé à son adresse courriel : administrateur "
        "(tout), gestionnaire (importer, modifier), bailleur de fonds (lecture, rapports, données agrégées) "
        "ou lecteur.",
        "Everyone who signs in gets the role tied to their e-mail address: administrator (everything), "
        "manager (import, edit), funder (read, reports, aggregated data) or viewer.",
    ),
    "settings_page.users_refused": (
        "La gestion des utilisateurs est réservée aux administrateurs.",
        "Managing users is for administrators only.",
    ),
    "settings_page.no_users": (
        "Aucun utilisateur inscrit : en mode local, vous êtes le seul utilisateur (administrateur).",
        "No user yet: in local mode, you are the only user (an administrator).",
    ),
    "settings_page.user_add": ("Ajouter un utilisateur", "Add a user"),
    "settings_page.user_name": ("Nom (facultatif)", "Name (optional)"),
    "settings_page.user_add_button": ("Ajouter", "Add"),
    "settings_page.user_change": ("Changer un rôle", "Change a role"),
    "settings_page.user_change_button": ("Changer le rôle", "Change the role"),
    "settings_page.user_remove": ("Retirer un accès", "Remove access"),
    "settings_page.user_remove_confirm": (
        "Je confirme le retrait de cet accès", "I confirm removing this access",
    ),
    "settings_page.user_remove_button": ("Retirer", "Remove"),
    "settings_page.user_added": (
        "{email} a maintenant le rôle « {role} ».", "{email} now has the role “{role}”.",
    ),
    "settings_page.user_changed": (
        "{email} a maintenant le rôle « {role} ».", "{email} now has the role “{role}”.",
    ),
    "settings_page.user_removed": ("L'accès de {email} est retiré.", "{email} no longer has access."),
}
