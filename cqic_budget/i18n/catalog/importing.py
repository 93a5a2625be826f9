"""Strings of the expense import: refusals, row errors, review reasons, the command's output, templates."""

STRINGS = {
    # Files refused as a whole (SPEC §4).
    "import.refused.not-spreadsheet": (
        "Ce fichier n'est pas un classeur reconnu. Formats acceptés : .xlsx, .xlsm, .xls, .ods et .csv.",
        "This file is not a recognised spreadsheet. Accepted formats: .xlsx, .xlsm, .xls, .ods and .csv.",
    ),
    "import.refused.not-spreadsheet.old-excel": (
        "Ce classeur est dans un format Excel trop ancien (Excel 2 à 4). Enregistrez-le en .xlsx puis "
        "réessayez.",
        "This workbook is in a very old Excel format (Excel 2 to 4). Save it as .xlsx and try again.",
    ),
    "import.refused.not-spreadsheet.xlsb": (
        "Les classeurs binaires (.xlsb) ne sont pas acceptés. Enregistrez le fichier en .xlsx puis "
        "réessayez.",
        "Binary workbooks (.xlsb) are not accepted. Save the file as .xlsx and try again.",
    ),
    "import.refused.not-spreadsheet.unreadable": (
        "Le fichier est introuvable ou illisible.",
        "The file cannot be found or read.",
    ),
    "import.refused.corrupt": (
        "Le fichier est endommagé et ne peut pas être lu. Ouvrez-le dans Excel, enregistrez-le de nouveau "
        "et réessayez.",
        "The file is damaged and cannot be read. Open it in Excel, save it again and try again.",
    ),
    "import.refused.corrupt.duplicate-entry": (
        "Le fichier est endommagé : il contient deux fois la même partie. Enregistrez-le de nouveau dans "
        "Excel.",
        "The file is damaged: it contains the same part twice. Save it again in Excel.",
    ),
    "import.refused.encrypted": (
        "Le fichier est protégé par un mot de passe. Enlevez la protection dans Excel puis réessayez.",
        "The file is password-protected. Remove the protection in Excel and try again.",
    ),
    "import.refused.too-large": (
        "Le fichier est trop volumineux.",
        "The file is too large.",
    ),
    "import.refused.too-large.file": (
        "Le fichier dépasse la taille permise ({limit_mb} Mo).",
        "The file is over the size limit ({limit_mb} MB).",
    ),
    "import.refused.too-large.decompressed": (
        "Le contenu du classeur est anormalement volumineux une fois décompressé ; il a été refusé par "
        "sécurité.",
        "The workbook's content is abnormally large once decompressed; it was refused for safety.",
    ),
    "import.refused.too-large.entries": (
        "Le classeur contient anormalement de parties ; il a été refusé par sécurité.",
        "The workbook contains an abnormal number of parts; it was refused for safety.",
    ),
    "import.refused.too-large.cells": (
        "Une feuille est trop grande ({rows} lignes × {columns} colonnes). Gardez seulement les dépenses "
        "et réessayez.",
        "A sheet is too large ({rows} rows × {columns} columns). Keep only the expenses and try again.",
    ),
    "import.refused.too-large.cell-text": (
        "Une cellule contient plus de texte qu'un classeur ne le permet ; le fichier a été refusé par "
        "sécurité.",
        "A cell holds more text than a spreadsheet allows; the file was refused for safety.",
    ),
    "import.refused.unsafe": (
        "Le fichier contient des déclarations XML dangereuses (DTD, entités ou schéma externe) ; "
        "il a été refusé sans être ouvert.",
        "The file contains dangerous XML declarations (DTD, entities or an external schema); "
        "it was refused without being opened.",
    ),
    "import.refused.no-header": (
        "Aucune ligne d'en-tête trouvée dans les {rows} premières lignes : il faut au moins "
        "une colonne « Date » "
        "et une colonne « Montant » (ou « Total »). Utilisez le gabarit au besoin.",
        "No header row found in the first {rows} rows: at least a « Date » column and an « Amount » "
        "(or « Total ») column are needed. Use the template if needed.",
    ),
    "import.refused.empty": (
        "Le fichier ne contient aucune ligne de dépense.",
        "The file contains no expense rows.",
    ),
    "import.refused.duplicate-file": (
        "Ce fichier a déjà été importé (lot n° {batch_id}, le {date}, par {user}). Annulez ce lot pour le "
        "réimporter.",
        "This file was already imported (batch #{batch_id}, on {date}, by {user}). Undo that batch to "
        "import it again.",
    ),
    "import.refused.unknown-program": (
        "Programme inconnu : {code}.",
        "Unknown program: {code}.",
    ),
    # Row errors (SPEC §4), with the cell reference.
    "import.row.invalid-date": (
        "Date manquante ou illisible « {value} » ({cell}). Formats acceptés : date Excel, 2026-03-31 ou "
        "31/03/2026.",
        "Missing or unreadable date « {value} » ({cell}). Accepted: an Excel date, 2026-03-31 or 31/03/2026.",
    ),
    "import.row.invalid-amount": (
        "Montant manquant ou illisible « {value} » ({cell}).",
        "Missing or unreadable amount « {value} » ({cell}).",
    ),
    "import.row.out-of-period": (
        "La date {date} est hors de la période du programme ({start} au {end}).",
        "The date {date} is outside the program period ({start} to {end}).",
    ),
    "import.row.total-mismatch": (
        "Le total {total} ne correspond pas au montant plus les taxes ({expected}).",
        "The total {total} does not equal the amount plus taxes ({expected}).",
    ),
    "import.row.total-mismatch.totals-row": (
        "La ligne de total indique {total}, mais les lignes au-dessus totalisent {expected}.",
        "The totals row says {total}, but the rows above add up to {expected}.",
    ),
    "import.row.formula-no-value": (
        "La formule de la cellule {cell} a été enregistrée sans valeur calculée. "
        "Ouvrez le fichier dans Excel, "
        "laissez-le calculer, enregistrez et réessayez.",
        "The formula in cell {cell} was saved without a computed value. Open the file in Excel, let it "
        "calculate, save and try again.",
    ),
    "import.row.field-too-long": (
        "Texte trop long ({length} caractères ; maximum {limit}).",
        "Text too long ({length} characters; at most {limit}).",
    ),
    "import.row.duplicate.store": (
        "Dépense déjà enregistrée (même date, fournisseur, no de facture et total) : non importée de "
        "nouveau.",
        "Expense already recorded (same date, vendor, invoice number and total): not imported again.",
    ),
    "import.row.duplicate.file": (
        "Même dépense que la ligne {first_row} de ce fichier (date, fournisseur, no de facture et total).",
        "Same expense as row {first_row} of this file (date, vendor, invoice number and total).",
    ),
    # Review reasons: imported but flagged.
    "import.review.gst-differs": (
        "TPS différente de 5 % du montant (écart de plus d'un cent)",
        "GST differs from 5% of the amount (by more than a cent)",
    ),
    "import.review.qst-differs": (
        "TVQ différente de 9,975 % du montant (écart de plus d'un cent)",
        "QST differs from 9.975% of the amount (by more than a cent)",
    ),
    "import.review.missing-category": ("Catégorie absente : à classer", "No category: to be classified"),
    "import.review.unknown-category": (
        "Catégorie inconnue « {label} » : à classer",
        "Unknown category « {label} »: to be classified",
    ),
    # Outcome.
    "import.status.imported": ("importé", "imported"),
    "import.status.dry-run": ("simulation (rien n'est enregistré)", "dry run (nothing saved)"),
    "import.status.rejected": ("refusé", "rejected"),
    "import.status.duplicate-file": ("fichier déjà importé", "file already imported"),
    "import.reason.strict": (
        "Mode strict : rien n'a été importé, car des lignes sont rejetées.",
        "Strict mode: nothing was imported because some rows are rejected.",
    ),
    "import.reason.nothing": (
        "Aucune ligne valide à importer : rien n'a été enregistré.",
        "No valid row to import: nothing was saved.",
    ),
    "import.text.file": ("Fichier : {file}", "File: {file}"),
    "import.text.sheet": (
        "Feuille « {sheet} », en-tête à la ligne {row}",
        "Sheet « {sheet} », header on row {row}",
    ),
    "import.text.status": ("Résultat : {status}", "Result: {status}"),
    "import.text.counts": (
        "Lignes lues : {read} ; importées : {imported} ; rejetées : {rejected} ; en double : {duplicate}",
        "Rows read: {read}; imported: {imported}; rejected: {rejected}; duplicates: {duplicate}",
    ),
    "import.text.batch": ("Lot n° {batch_id}", "Batch #{batch_id}"),
    "import.text.error": ("Ligne {row}{column} : {message}", "Row {row}{column}: {message}"),
    "import.text.column": (", colonne « {column} »", ", column « {column} »"),
    "import.text.more": ("… et {count} {count|autre|autres}", "… and {count} more"),
    "import.undo.done": (
        "Lot n° {batch_id} annulé : {count} {count|dépense retirée|dépenses retirées}.",
        "Batch #{batch_id} undone: {count} {count|expense|expenses} removed.",
    ),
    "import.undo.not-active": (
        "Le lot n° {batch_id} est déjà annulé.",
        "Batch #{batch_id} is already undone.",
    ),
    "import.undo.unknown": ("Lot n° {batch_id} introuvable.", "Batch #{batch_id} not found."),
    # Workbooks: rejected rows to fix, the blank template and the sample.
    "import.rejected.sheet": ("Lignes à corriger", "Rows to fix"),
    "import.rejected.row": ("Ligne d'origine", "Original row"),
    "import.rejected.code": ("Code", "Code"),
    "import.rejected.message": ("Problème", "Problem"),
    "import.template.sheet": ("Dépenses", "Expenses"),
    "import.template.title": ("Dépenses du programme — {month}", "Program expenses — {month}"),
    "import.template.date": ("Date", "Date"),
    "import.template.vendor": ("Fournisseur", "Vendor"),
    "import.template.description": ("Description", "Description"),
    "import.template.category": ("Catégorie", "Category"),
    "import.template.invoice": ("N° de facture", "Invoice #"),
    "import.template.amount": ("Montant avant taxes", "Amount before tax"),
    "import.template.gst": ("TPS", "GST"),
    "import.template.qst": ("TVQ", "QST"),
    "import.template.total": ("Total", "Total"),
    "import.template.categories": ("Catégories", "Categories"),
    "import.template.total_row": ("Total", "Total"),
}
