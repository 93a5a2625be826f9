"""Strings of the Portfolio page: every program of the store side by side."""

STRINGS = {
    "portfolio.title": ("Portefeuille de programmes", "Program portfolio"),
    "portfolio.purpose": (
        "Où en est chacun des programmes suivis : budget, dépenses, part de Québec et conformité.",
        "Where each program stands: budget, spending, Québec's share and compliance.",
    ),
    "portfolio.period": (
        "{count} {count|programme|programmes} · en date du {as_of} (ramenée à la période de chaque "
        "programme)",
        "{count} {count|program|programs} · as of {as_of} (kept within each program's period)",
    ),
    "portfolio.kpi.programs": ("Programmes", "Programs"),
    "portfolio.kpi.programs_note": (
        "{breach} non conformes · {watch} à surveiller",
        "{breach} in breach · {watch} to watch",
    ),
    "portfolio.kpi.programs_help": (
        "Un programme prend le pire statut de ses vérifications de cofinancement (part de Québec, "
        "contrepartie des partenaires, cumul des aides publiques, frais d'administration).",
        "A program takes the worst status of its co-financing checks (Québec's share, partners' match, "
        "stacking of public aid, administration costs).",
    ),
    "portfolio.kpi.budget": ("Budget total", "Total budget"),
    "portfolio.kpi.budget_note": ("somme des programmes", "sum of the programs"),
    "portfolio.kpi.spent": ("Dépensé (admissible)", "Spent (eligible)"),
    "portfolio.kpi.spent_note": ("{share} du budget", "{share} of budget"),
    "portfolio.kpi.quebec": ("Reçu de Québec", "Received from Québec"),
    "portfolio.kpi.quebec_note": ("{share} des dépenses admissibles", "{share} of eligible spending"),
    "portfolio.kpi.quebec_help": (
        "Contributions de Québec reçues ÷ dépenses admissibles, tous programmes confondus.",
        "Québec contributions received ÷ eligible spending, all programs together.",
    ),
    "portfolio.kpi.merchants": ("Commerçants accompagnés", "Merchants supported"),
    "portfolio.kpi.merchants_note": ("{share} de la cible ({target})", "{share} of target ({target})"),
    "portfolio.table_title": ("Programmes", "Programs"),
    "portfolio.col.code": ("Programme", "Program"),
    "portfolio.col.name": ("Nom", "Name"),
    "portfolio.col.as_of": ("En date du", "As of"),
    "portfolio.col.budget": ("Budget", "Budget"),
    "portfolio.col.spent": ("Dépensé", "Spent"),
    "portfolio.col.spent_share": ("% du budget", "% of budget"),
    "portfolio.col.time_elapsed": ("Temps écoulé", "Time elapsed"),
    "portfolio.col.quebec": ("Reçu de Québec", "From Québec"),
    "portfolio.col.quebec_share": ("Part de Québec", "Québec share"),
    "portfolio.col.merchants": ("Commerçants accompagnés", "Merchants supported"),
    "portfolio.col.status": ("Cofinancement", "Co-financing"),
    "portfolio.total": ("Total", "Total"),
    "portfolio.total_name": ("{count} {count|programme|programmes}", "{count} {count|program|programs}"),
    "portfolio.status_flagged": ("{word} ({count})", "{word} ({count})"),
    "portfolio.table_caption": (
        "Cliquez sur le code d'un programme, ou sélectionnez sa ligne, pour ouvrir sa vue d'ensemble. "
        "Entre parenthèses : le nombre de vérifications à surveiller ou non conformes.",
        "Click a program's code, or select its row, to open its overview. In brackets: the number of "
        "checks to watch or in breach.",
    ),
}
