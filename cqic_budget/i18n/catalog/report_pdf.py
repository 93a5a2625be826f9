"""Strings of the funder report as PDF (cqic_budget/report_pdf.py) and of choosing its format."""

STRINGS = {
    "report_pdf.title": ("Rapport aux bailleurs de fonds", "Funder report"),
    "report_pdf.expenses": ("Dépenses", "Expenses"),
    "report_pdf.expenses_detail": (
        "Le détail ligne par ligne des dépenses figure dans le classeur du rapport (.xlsx), "
        "feuille « {sheet} ».",
        "The line-by-line expense detail is in the report workbook (.xlsx), sheet “{sheet}”.",
    ),
    "report_pdf.error.format": (
        "Format de rapport inconnu : « {name} ». Indiquez un fichier .xlsx (classeur) ou .pdf.",
        "Unknown report format: “{name}”. Give a .xlsx (workbook) or .pdf file.",
    ),
    "report_pdf.button": ("Télécharger le rapport (PDF)", "Download the report (PDF)"),
}
