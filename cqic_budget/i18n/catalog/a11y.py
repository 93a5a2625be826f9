"""Strings of the charts' text alternatives and of the accessibility of the frame."""

STRINGS = {
    "chart.alt.key": ("Période ou élément", "Period or item"),
    "chart.alt.expander": ("Données du graphique « {title} »", "Data of the chart “{title}”"),
    "chart.alt.summary": (
        "Le graphique « {title} » montre {series} pour {count} "
        "{count|période ou élément|périodes ou éléments}, de {first} à {last} ; "
        "ses données sont dans le tableau ci-dessous.",
        "The chart “{title}” shows {series} for {count} {count|period or item|periods or items}, from "
        "{first} to {last}; its data "
        "are in the table below.",
    ),
    "chart.alt.empty": ("Le graphique « {title} » n'a aucune donnée.", "The chart “{title}” has no data."),
    "chart.alt.click": (
        "Cliquez sur une barre pour voir les dépenses derrière elle dans le détail ci-dessous.",
        "Click a bar to see the expenses behind it in the detail below.",
    ),
    "overview.spent_drill": (
        "Dépenses derrière « {label} » : {amount}", "Expenses behind “{label}”: {amount}"
    ),
    "overview.spent_drill_intro": (
        "Les dépenses datées au plus tard le {as_of} ; le coût admissible des lignes est le montant dépensé.",
        "The expenses dated on or before {as_of}; the rows' eligible cost is the amount spent.",
    ),
    # Upload page: labels as written in the file, before anything is written.
    "upload_page.unknown_categories": (
        "Catégories inconnues, classées « À classer » à l'import (associez-les ci-dessous après l'import) : "
        "{labels}.",
        "Unknown categories, classed “To classify” on import (map them below after the import): {labels}.",
    ),
    "upload_page.unknown_category": (
        "« {label} » ({count} {count|ligne|lignes})", "“{label}” ({count} {count|row|rows})"
    ),
    "settings_page.rate_help": (
        "Un pourcentage entre 0 et 100, par exemple 50 ou 12,5.",
        "A percent between 0 and 100, e.g. 50 or 12.5.",
    ),
}
