"""Strings of the Upload page (SPEC §5.6): the uploader, the preview, the commit, the history and undo, the
template and sample downloads, and the category labels waiting to be mapped."""

STRINGS = {
    "upload_page.title": ("Importer des dépenses", "Upload expenses"),
    "upload_page.purpose": (
        "Déposez le classeur des dépenses du mois : vérifiez l'aperçu, importez-le, annulez un lot au "
        "besoin.",
        "Drop the month's expense sheet: check the preview, import it, undo a batch if needed.",
    ),
    "upload_page.period": (
        "{name} — dépenses datées du {start} au {end}",
        "{name} — expenses dated {start} to {end}",
    ),
    "upload_page.refused": (
        "Votre rôle ne permet pas d'importer des dépenses. Demandez à un administrateur du programme.",
        "Your role may not upload expenses. Ask an administrator of the program.",
    ),
    # Template and sample.
    "upload_page.templates_text": (
        "Partez du gabarit vierge ou de l'exemple de mars 2026 (une ligne fautive et une ligne de total "
        "incluses). Les colonnes en français ou en anglais sont reconnues, sous des lignes de titre au "
        "besoin.",
        "Start from the blank template or the March 2026 sample (one faulty row and a totals row included). "
        "French or English columns are recognised, below title rows if needed.",
    ),
    "upload_page.template_button": ("Gabarit vierge (.xlsx)", "Blank template (.xlsx)"),
    "upload_page.sample_button": ("Exemple : mars 2026 (.xlsx)", "Sample: March 2026 (.xlsx)"),
    "upload_page.file.template": ("gabarit-depenses.xlsx", "expense-template.xlsx"),
    "upload_page.file.sample": ("exemple-depenses-2026-11.xlsx", "sample-expenses-2026-11.xlsx"),
    "upload_page.file.rows_to_fix": ("lignes-a-corriger-{stem}.xlsx", "rows-to-fix-{stem}.xlsx"),
    # Uploader and progress.
    "upload_page.uploader": ("Classeur des dépenses", "Expense sheet"),
    "upload_page.uploader_help": (
        "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) ou CSV (UTF-8 ou Windows-1252, virgule ou "
        "point-virgule), {limit_mb} Mo au plus. Le format est reconnu par le contenu ; les macros ne sont "
        "jamais exécutées. "
        "Rien n'est enregistré avant que vous cliquiez sur Importer.",
        "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) or CSV (UTF-8 or Windows-1252, comma or "
        "semicolon), at most {limit_mb} MB. The format is recognised by content; macros are never run. "
        "Nothing is saved until you click Import.",
    ),
    "upload_page.size.kb": ("{size} Ko", "{size} KB"),
    "upload_page.size.mb": ("{size} Mo", "{size} MB"),
    "upload_page.progress.analysing": ("Analyse de « {file} »…", "Analysing « {file} »…"),
    "upload_page.progress.analysed": ("« {file} » analysé", "« {file} » analysed"),
    "upload_page.progress.refused": ("« {file} » refusé", "« {file} » refused"),
    "upload_page.progress.saving": ("Enregistrement de « {file} »…", "Saving « {file} »…"),
    "upload_page.step.read": ("Lecture du fichier ({size})", "Reading the file ({size})"),
    "upload_page.step.checks": (
        "Vérification de sécurité, repérage de l'en-tête et validation des lignes",
        "Safety checks, finding the header and validating the rows",
    ),
    "upload_page.step.validated": (
        "Validation — lignes lues : {read} ; rejetées : {rejected}",
        "Validation — rows read: {read}; rejected: {rejected}",
    ),
    "upload_page.step.duplicates": (
        "Doublons — lignes déjà enregistrées ou répétées dans le fichier : {duplicate}",
        "Duplicates — rows already recorded or repeated in the file: {duplicate}",
    ),
    "upload_page.step.saving": (
        "Enregistrement en une seule transaction (doublons vérifiés de nouveau)",
        "Saving in a single transaction (duplicates checked again)",
    ),
    "upload_page.refused_file": (
        "Fichier « {file} » refusé : {message} Rien n'a été enregistré.",
        "File « {file} » refused: {message} Nothing was saved.",
    ),
    # Preview.
    "upload_page.preview": ("Aperçu de « {file} »", "Preview of « {file} »"),
    "upload_page.count.read": ("Lignes lues", "Rows read"),
    "upload_page.count.read_note": ("lignes vides et de total exclues", "blank and totals rows left out"),
    "upload_page.count.valid": ("Valides", "Valid"),
    "upload_page.count.valid_note": ("seront importées", "will be imported"),
    "upload_page.count.rejected": ("Rejetées", "Rejected"),
    "upload_page.count.rejected_note": ("à corriger et réimporter", "to fix and upload again"),
    "upload_page.count.duplicate": ("En double", "Duplicates"),
    "upload_page.count.duplicate_note": ("déjà enregistrées : ignorées", "already recorded: skipped"),
    "upload_page.problems": (
        "Lignes à problème (rouge : rejetée ; ambre : en double ; gris : avertissement)",
        "Rows with problems (red: rejected; amber: duplicate; grey: warning)",
    ),
    "upload_page.problems_more": (
        "Les {shown} premiers problèmes sur {count} sont affichés ; le classeur des lignes à corriger les "
        "contient tous.",
        "The first {shown} of {count} problems are shown; the workbook of rows to fix holds them all.",
    ),
    "upload_page.no_problems": (
        "Aucun problème : toutes les lignes sont valides.",
        "No problem: every row is valid.",
    ),
    "upload_page.rows_to_fix_button": ("Lignes à corriger (.xlsx)", "Rows to fix (.xlsx)"),
    "upload_page.rows_to_fix_help": (
        "Les lignes rejetées et en double, avec la raison de chacune : corrigez-les puis importez ce "
        "classeur.",
        "The rejected and duplicate rows, each with its reason: fix them, then upload that workbook.",
    ),
    "upload_page.valid_rows": (
        "Premières lignes valides ({shown} sur {total})",
        "First valid rows ({shown} of {total})",
    ),
    "upload_page.column.row": ("Ligne", "Row"),
    "upload_page.column.column": ("Colonne", "Column"),
    "upload_page.column.code": ("Code", "Code"),
    "upload_page.column.problem": ("Problème", "Problem"),
    "upload_page.column.date": ("Date", "Date"),
    "upload_page.column.vendor": ("Fournisseur", "Vendor"),
    "upload_page.column.category": ("Catégorie", "Category"),
    "upload_page.column.invoice": ("N° de facture", "Invoice #"),
    "upload_page.column.amount": ("Montant", "Amount"),
    "upload_page.column.gst": ("TPS", "GST"),
    "upload_page.column.qst": ("TVQ", "QST"),
    "upload_page.column.total": ("Total", "Total"),
    # Commit.
    "upload_page.strict": ("Import strict", "Strict import"),
    "upload_page.strict_help": (
        "N'importer rien du tout si une seule ligne est rejetée (les lignes en double ne comptent pas).",
        "Import nothing at all if any row is rejected (duplicate rows do not count).",
    ),
    "upload_page.strict_warning": (
        "Import strict : rien ne sera importé, car des lignes sont rejetées ({rejected}). Corrigez-les ou "
        "décochez « Import strict ».",
        "Strict import: nothing will be imported because some rows are rejected ({rejected}). Fix them or "
        "untick « Strict import ».",
    ),
    "upload_page.commit_strict": ("Importer en mode strict", "Import in strict mode"),
    "upload_page.imported_fix": (
        "Les lignes à corriger sont à télécharger dans l'historique ci-dessous (lot n° {batch_id}).",
        "The rows to fix can be downloaded from the history below (batch #{batch_id}).",
    ),
    "upload_page.commit": ("Importer les lignes valides ({count})", "Import the valid rows ({count})"),
    "upload_page.imported": (
        "« {file} » importé (lot n° {batch_id}) — lignes importées : {imported} ; rejetées : {rejected} ; "
        "en double : {duplicate}. Les tableaux de bord en tiennent compte dès maintenant.",
        "« {file} » imported (batch #{batch_id}) — rows imported: {imported}; rejected: {rejected}; "
        "duplicates: {duplicate}. The dashboards show it now.",
    ),
    # History and undo.
    "upload_page.history": ("Historique des imports", "Import history"),
    "upload_page.no_batches": ("Aucun import pour ce programme.", "No import for this program yet."),
    "upload_page.column.id": ("Lot", "Batch"),
    "upload_page.column.file": ("Fichier", "File"),
    "upload_page.column.user": ("Par", "By"),
    "upload_page.column.at": ("Le (heure du Québec)", "When (Québec time)"),
    "upload_page.column.read": ("Lues", "Read"),
    "upload_page.column.imported": ("Importées", "Imported"),
    "upload_page.column.rejected": ("Rejetées", "Rejected"),
    "upload_page.column.duplicate": ("En double", "Duplicates"),
    "upload_page.column.status": ("État", "Status"),
    "upload_page.status.imported": ("importé", "imported"),
    "upload_page.status.reversed": ("annulé", "undone"),
    "upload_page.undone": (
        "Le lot n° {batch_id} a été annulé le {at} par {user}.",
        "Batch #{batch_id} was undone on {at} by {user}.",
    ),
    "upload_page.batch": ("Lot", "Batch"),
    "upload_page.batch_label": ("n° {batch_id} — {file} — {at}", "#{batch_id} — {file} — {at}"),
    "upload_page.batch_rows_button": (
        "Lignes à corriger du lot n° {batch_id} (.xlsx)",
        "Rows to fix of batch #{batch_id} (.xlsx)",
    ),
    "upload_page.batch_rows_none": (
        "Ce lot n'a aucune ligne rejetée ni en double.",
        "This batch has no rejected or duplicate row.",
    ),
    "upload_page.undo_confirm": (
        "Je confirme l'annulation du lot n° {batch_id} (dépenses retirées : {count}).",
        "I confirm undoing batch #{batch_id} (expenses removed: {count}).",
    ),
    "upload_page.undo": ("Annuler le lot n° {batch_id}", "Undo batch #{batch_id}"),
    "upload_page.undo_not_allowed": (
        "Votre rôle ne permet pas d'annuler un lot.",
        "Your role may not undo a batch.",
    ),
    # Category labels waiting to be mapped.
    "upload_page.labels": ("Catégories à associer", "Categories to map"),
    "upload_page.labels_empty": (
        "Aucune catégorie inconnue en attente : toutes les étiquettes des fichiers importés sont reconnues.",
        "No unknown category waiting: every label of the imported files is recognised.",
    ),
    "upload_page.labels_text": (
        "Ces étiquettes de catégorie des fichiers ne correspondent à aucune catégorie du programme : leurs "
        "dépenses sont « À classer ». Une association s'applique aux dépenses en attente et aux imports "
        "suivants.",
        "These category labels of the files match no category of the program: their expenses are "
        "« Unclassified ». A mapping applies to the waiting expenses and to later imports.",
    ),
    "upload_page.column.label": ("Étiquette du fichier", "Label in the file"),
    "upload_page.column.waiting": ("Dépenses en attente", "Expenses waiting"),
    "upload_page.labels_admin_only": (
        "Seul un administrateur peut associer une étiquette à une catégorie.",
        "Only an administrator can map a label to a category.",
    ),
    "upload_page.label_choice": (
        "« {label} » (dépenses en attente : {count})",
        "« {label} » (expenses waiting: {count})",
    ),
    "upload_page.label_placeholder": ("Choisir une catégorie", "Choose a category"),
    "upload_page.labels_submit": ("Enregistrer les associations", "Save the mappings"),
    "upload_page.labels_none_chosen": (
        "Choisissez une catégorie pour au moins une étiquette.",
        "Choose a category for at least one label.",
    ),
    "upload_page.labels_done": (
        "Associations enregistrées : {labels} ; dépenses classées : {count}.",
        "Mappings saved: {labels}; expenses classified: {count}.",
    ),
}
