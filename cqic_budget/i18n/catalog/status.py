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
    # The rounding rule of SPEC §3, stated in the report and in every claim.
    "reports.entitlement_rounding": (
        "Arrondi : le droit de Québec, min(taux × dépenses admissibles, engagement), est arrondi au cent "
        "inférieur (Québec paie au plus son taux, et droit + part des partenaires = dépenses admissibles "
        "exactement) ; toute autre somme est arrondie au cent le plus proche, la demie vers le haut.",
        "Rounding: Québec's entitlement, min(rate × eligible spending, commitment), is rounded down to the "
        "cent (Québec pays at most its rate, and entitlement + partners' share = eligible spending "
        "exactly); every other figure is rounded to the nearest cent, half up.",
    ),
}
