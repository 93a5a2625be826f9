"""The one status vocabulary of fiscal years and budget lines (cqic_budget.metrics.status)."""

STRINGS = {
    "status.fy.within_budget": ("dans le budget", "within budget"),
    "status.fy.unspent": ("budget non dépensé", "budget unspent"),
    "status.fy.overspent": ("budget dépassé", "overspent"),
    "status.fy.on_pace": ("en bonne voie", "on pace"),
    "status.fy.lapse_risk": ("risque de fonds inutilisés", "lapse risk"),
    "status.fy.overrun_risk": ("risque de dépassement", "overrun risk"),
    "status.fy.alert": ("Exercice {label} : {status}", "Fiscal year {label}: {status}"),
    "status.budget_line.alert": (
        "Poste {category} ({label}) : {status}", "Budget line {category} ({label}): {status}",
    ),
    "status.budget_line.message": (
        "{category}, exercice {label} : {used} utilisés (dépensés {spent}, engagements ouverts "
        "{commitments}) sur un poste de {budget}, soit {share} ; à surveiller dès {watch}, non conforme "
        "au-delà de {limit} (tolérance de transfert entre postes de {tolerance}).",
        "{category}, fiscal year {label}: {used} used (spent {spent}, open commitments {commitments}) "
        "of a budget line of {budget}, {share}; watch from {watch}, breach above {limit} (transfer "
        "tolerance between lines of {tolerance}).",
    ),
}
