"""Strings of commitments, budget amendments, budget lines in force and in-kind valuation (SPEC §10)."""

STRINGS = {
    "commitment_import.row.required": ("Référence manquante.", "Missing reference."),
    "commitment_import.row.too-long": ("Référence trop longue (120 caractères au plus).",
                                       "Reference too long (at most 120 characters)."),
    "commitment_import.row.duplicate-in-file": (
        "Référence « {value} » déjà donnée à la ligne {first} de ce fichier.",
        "Reference « {value} » already given on row {first} of this file.",
    ),
    "commitment_import.row.invalid-date": ("Date manquante ou illisible « {value} ».",
                                           "Missing or unreadable date « {value} »."),
    "commitment_import.row.out-of-period": ("La date {value} est hors de la période du programme.",
                                            "The date {value} is outside the program period."),
    "commitment_import.row.invalid-amount": (
        "Montant manquant, illisible, nul ou en devise étrangère « {value} » (un engagement est en dollars "
        "canadiens).",
        "Missing, unreadable, zero or foreign-currency amount « {value} » (a commitment is in Canadian "
        "dollars).",
    ),
    "commitment_import.row.unknown-category": (
        "Catégorie manquante ou inconnue « {value} » : un engagement doit tomber sur une ligne budgétaire.",
        "Missing or unknown category « {value} »: a commitment must fall on a budget line.",
    ),
    "commitment_import.row.invalid-fiscal-year": ("Exercice illisible « {value} » (ex. 2026-2027).",
                                                  "Unreadable fiscal year « {value} » (e.g. 2026-2027)."),
    "commitment_import.row.invalid-status": ("Statut inconnu « {value} » : ouvert ou fermé.",
                                             "Unknown status « {value} »: open or closed."),
    "import.refused.busy": (
        "Un autre import écrivait les mêmes engagements : rien n'a été enregistré. Réessayez.",
        "Another import was writing the same commitments: nothing was written. Please retry.",
    ),
    "commitment_import.done": (
        "Engagements : {created} {created|créé|créés}, {updated} mis à jour, "
        "{rejected} {rejected|ligne rejetée|lignes rejetées}.",
        "Commitments: {created} created, {updated} updated, {rejected} {rejected|row|rows} rejected.",
    ),
    "import.row.unknown-commitment": (
        "Aucun engagement du programme n'a la référence « {reference} ».",
        "No commitment of the program has the reference « {reference} ».",
    ),
    # Settings: the commitments table.
    "settings_page.table.commitments": ("Engagements (contrats, bons de commande)",
                                        "Commitments (contracts, purchase orders)"),
    "settings_page.table_text.commitments": (
        "Un engagement ouvert réserve son montant sur sa ligne budgétaire (exercice et catégorie), moins les "
        "dépenses qui y puisent (colonne « Engagement » du fichier de dépenses). Importez-les aussi avec "
        "« import-commitments ».",
        "An open commitment reserves its amount on its budget line (fiscal year and category), less the "
        "expenses drawing on it (the « Commitment » column of an expense sheet). Also imported with "
        "« import-commitments ».",
    ),
    "settings.field.vendor": ("Fournisseur", "Vendor"),
    "settings.field.date": ("Date", "Date"),
    "settings.field.valuation_basis": ("Base d'évaluation (en nature)", "Valuation basis (in kind)"),
    "settings.field.proof_reference": ("Pièce justificative (en nature)", "Proof (in kind)"),
    "settings.choice.commitment_status.open": ("Ouvert", "Open"),
    "settings.choice.commitment_status.closed": ("Fermé", "Closed"),
    "settings.error.cash-has-valuation": (
        "« {field} » ne s'applique qu'à une contribution en nature.",
        "« {field} » applies only to an in-kind contribution.",
    ),
    "settings.uses.drawn": ("des dépenses y puisent", "expenses draw on it"),
    # Budget vs actual per budget line (Burn rate page, report).
    "budget_lines.title": ("Budget par ligne : en vigueur, dépensé, engagé, disponible",
                           "Budget per line: in force, spent, committed, available"),
    "budget_lines.caption": (
        "Disponible = budget en vigueur − dépensé (coût admissible) − engagements ouverts. Le budget "
        "d'origine est montré à côté quand un avenant l'a modifié.",
        "Available = budget in force − spent (eligible cost) − open commitments. The original budget is "
        "shown beside it when an amendment changed it.",
    ),
    "budget_lines.col.fiscal_year": ("Exercice", "Fiscal year"),
    "budget_lines.col.category": ("Catégorie", "Category"),
    "budget_lines.col.budget_original": ("Budget d'origine", "Original budget"),
    "budget_lines.col.budget": ("Budget en vigueur", "Budget in force"),
    "budget_lines.col.spent": ("Dépensé", "Spent"),
    "budget_lines.col.open_commitments": ("Engagements ouverts", "Open commitments"),
    "budget_lines.col.available": ("Disponible", "Available"),
    "reports_page.sheet.budget_lines": (
        "Chaque ligne budgétaire : budget d'origine et en vigueur (avenants), dépensé, engagements ouverts, "
        "disponible ; les avenants, l'écart de change et les contributions en nature avec leur évaluation.",
        "Each budget line: original and current budget (amendments), spent, open commitments, available; "
        "the amendments, the exchange difference and the in-kind contributions with their valuation.",
    ),
    "reports.sheet.budget_lines": ("Lignes budgétaires", "Budget lines"),
    # Amendments.
    "amendment.error.unknown-line": ("Ligne budgétaire inconnue : {value}.", "Unknown budget line: {value}."),
    "amendment.error.unknown-funder": ("Bailleur inconnu : {value}.", "Unknown funder: {value}."),
    "amendment.error.required": ("Champ obligatoire : {value}.", "Required field: {value}."),
    "amendment.error.negative": ("Montant négatif : {value}.", "Negative amount: {value}."),
    "amendment.error.out-of-period": ("Date hors de la période du programme : {value}.",
                                      "Date outside the program period: {value}."),
    "amendment.error.no-change": ("Un avenant doit modifier au moins une ligne ou un engagement.",
                                  "An amendment must change at least one line or commitment."),
    "amendment.error.unknown-category": ("Catégorie inconnue : {value}.", "Unknown category: {value}."),
    "amendment.error.closed-year": (
        "L'exercice {value} est clos : ses lignes budgétaires sont gelées et un avenant ne peut pas prendre "
        "effet à une de ses dates (rouvrez-le d'abord, avec un motif).",
        "Fiscal year {value} is closed: its budget lines are frozen and an amendment cannot take effect on "
        "one of its dates (reopen it first, with a reason).",
    ),
    "amendment.error.invalid-amount": (
        "Montant invalide « {value} » : un montant en dollars au cent près, sous 1 000 000 000 000 $, écrit "
        "sans ambiguïté (« 15 000,00 » ou « 15000 »).",
        "Invalid amount « {value} »: an amount in dollars to the cent, below $1,000,000,000,000, written "
        "unambiguously (« 15,000.00 » or « 15000 »).",
    ),
    "amendment.error.invalid-line": (
        "Ligne illisible « {value} » : écrivez EXERCICE:CATÉGORIE=MONTANT (ex. 2026-2027:travel=45000).",
        "Unreadable line « {value} »: write FISCAL-YEAR:CATEGORY=AMOUNT (e.g. 2026-2027:travel=45000).",
    ),
    "amendment.error.invalid-funder": (
        "Engagement illisible « {value} » : écrivez BAILLEUR=MONTANT (ex. MEIE=1050000).",
        "Unreadable commitment « {value} »: write FUNDER=AMOUNT (e.g. MEIE=1050000).",
    ),
    "amendment.error.duplicate": ("Donné deux fois dans l'avenant : {value}.",
                                  "Given twice in the amendment: {value}."),
    "amendment.error.duplicate-reference": (
        "Un avenant de référence « {value} » est déjà enregistré pour ce programme : rien n'a été "
        "enregistré. Un nouvel avenant prend sa propre référence.",
        "An amendment with reference « {value} » is already recorded for this program: nothing was "
        "recorded. A new amendment takes a reference of its own.",
    ),
    "amendment.error.invalid-date": ("Date illisible « {value} » (AAAA-MM-JJ).",
                                     "Unreadable date « {value} » (YYYY-MM-DD)."),
    "amendment.error.too-long": ("Texte trop long : {value}.", "Text too long: {value}."),
    "amendments.title": ("Avenants au budget", "Budget amendments"),
    "amendments.text": (
        "Le budget d'origine de chaque ligne et le budget en vigueur au {date} (date de la barre latérale). "
        "Un avenant est une modification datée et approuvée : l'original et chaque version sont conservés, "
        "les chiffres à une date utilisent le budget en vigueur à cette date.",
        "Each line's original budget and the budget in force on {date} (the sidebar's date). An amendment is "
        "a dated, approved change: the original and every version are kept, figures at a date use the "
        "budget in force on that date.",
    ),
    "amendments.none": ("Aucun avenant.", "No amendment."),
    "amendments.new": ("Enregistrer un avenant", "Record an amendment"),
    "amendments.form_text": (
        "Une ligne par ligne budgétaire ou engagement modifié, avec son nouveau montant (ex. 45 000,00). Les "
        "lignes n'ont pas à garder leur total : un avenant peut déplacer ou ajouter des fonds.",
        "One row per budget line or commitment changed, with its new amount (e.g. 45,000.00). The lines need "
        "not keep their total: an amendment may move or add funds.",
    ),
    "amendments.record": ("Enregistrer l'avenant", "Record the amendment"),
    "amendments.col.date": ("En vigueur le", "In force from"),
    "amendments.col.reference": ("Référence", "Reference"),
    "amendments.repeated": ("{reference} (référence déjà saisie avant la version 0007 : à vérifier)",
                            "{reference} (reference already entered before version 0007: to check)"),
    "amendments.col.approved_by": ("Approuvé par", "Approved by"),
    "amendments.col.reason": ("Motif", "Reason"),
    "amendments.col.changes": ("Modifications (avant → après)", "Changes (before → after)"),
    "amendments.col.change": ("Écart", "Change"),
    "amendments.col.new_amount": ("Nouveau montant", "New amount"),
    "amendments.col.funder": ("Bailleur", "Funder"),
    "amendments.col.new_commitment": ("Nouvel engagement", "New commitment"),
    "amendments.done": ("Avenant « {reference} » du {date} enregistré : {changes}.",
                        "Amendment « {reference} » of {date} recorded: {changes}."),
    # In kind.
    "in_kind.title": ("Contributions en nature", "In-kind contributions"),
    "in_kind.col.funder": ("Partenaire", "Partner"),
    "in_kind.col.date": ("Date", "Date"),
    "in_kind.col.value": ("Valeur", "Value"),
    "in_kind.col.category": ("Catégorie (coût admissible)", "Category (eligible cost)"),
    "in_kind.col.basis": ("Base d'évaluation", "Valuation basis"),
    "in_kind.col.proof": ("Pièce justificative", "Proof"),
    "in_kind.expense": ("Contribution en nature — {basis}", "In-kind contribution — {basis}"),
}
