"""Strings of the shared PDF pages (running header and footer)."""

STRINGS = {
    "pdf.as_of": ("Données au {date}", "Figures as of {date}"),
    "pdf.page": ("Page {page} / {pages}", "Page {page} / {pages}"),
}
