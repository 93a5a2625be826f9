"""Strings of the app frame (navigation, sidebar), the Overview page and its chart."""

STRINGS = {
    # Navigation: one title per page of auth.PAGES (the frame registers a page once its file exists).
    "nav.overview": ("Vue d'ensemble", "Overview"),
    "nav.burn": ("Rythme de dépenses", "Burn rate"),
    "nav.cofinancing": ("Cofinancement", "Co-financing"),
    "nav.milestones": ("Jalons", "Milestones"),
    "nav.merchants": ("Commerçants et impact", "Merchants & impact"),
    "nav.upload": ("Importer", "Upload"),
    "nav.reports": ("Rapports", "Reports"),
    "nav.settings": ("Paramètres", "Settings"),
    "nav.audit": ("Journal d'audit", "Audit log"),
    "nav.portfolio": ("Portefeuille de programmes", "Program portfolio"),
    "ui.program": ("Programme", "Program"),
    "ui.as_of_help": (
        "Les montants comptent ce qui est daté au plus tard à cette date, entre le {start} et le {end}.",
        "Figures count what is dated on or before this date, between {start} and {end}.",
    ),
    "ui.no_program": (
        "Aucun programme dans la base. Lancez « python -m cqic_budget init --demo ».",
        "No program in the store. Run “python -m cqic_budget init --demo”.",
    ),
    # Overview
    "overview.title": ("Vue d'ensemble", "Overview"),
    "overview.purpose": (
        "Le programme dépense-t-il au bon rythme, et son financement est-il conforme?",
        "Is the program spending at the right pace, and is its funding compliant?",
    ),
    "overview.period": ("{name} · en date du {as_of}", "{name} · as of {as_of}"),
    "kpi.budget": ("Budget total", "Total budget"),
    "kpi.budget_note": ("du {start} au {end}", "{start} to {end}"),
    "kpi.budget_help": (
        "Budget du programme sur toute sa durée.", "The program's budget over its whole period."
    ),
    "kpi.spent": ("Dépensé (admissible)", "Spent (eligible)"),
    "kpi.spent_note": ("{share} du budget", "{share} of budget"),
    "kpi.spent_help": (
        "Coût admissible net des taxes récupérables. Dépenses non admissibles, comptées à part : "
        "{ineligible}.",
        "Eligible cost net of recoverable taxes. Ineligible spending, kept apart: {ineligible}.",
    ),
    "kpi.time_elapsed": ("Temps écoulé", "Time elapsed"),
    "kpi.time_elapsed_note": ("fin du programme : {end}", "program ends {end}"),
    "kpi.burn_rate": ("Rythme mensuel", "Monthly burn rate"),
    "kpi.burn_rate_note": ("requis : {required} / mois", "required: {required} / month"),
    "kpi.burn_rate_help": (
        "Moyenne des dépenses admissibles des {window} derniers mois complets. Le rythme requis dépense "
        "exactement le solde d'ici la fin du programme.",
        "Mean eligible spend of the last {window} full months. The required rate spends exactly what "
        "remains by the program's end.",
    ),
    "kpi.projected": ("Total projeté à la fin", "Projected total at end"),
    "kpi.projected_unspent": ("{amount} non dépensés à la fin", "{amount} unspent at the end"),
    "kpi.projected_overrun": ("dépassement de {amount}", "overrun of {amount}"),
    "kpi.projected_help": (
        "Dépensé + rythme mensuel × mois restants. Épuisement projeté du budget : {exhaustion}.",
        "Spent + monthly burn × months left. Projected budget exhaustion: {exhaustion}.",
    ),
    "kpi.no_exhaustion": ("aucun (pas de dépenses récentes)", "none (no recent spending)"),
    "kpi.quebec_share": ("Part de Québec", "Québec share"),
    "kpi.quebec_share_note": ("plafond : {rate}", "cap: {rate}"),
    "kpi.quebec_share_help": (
        "Versements du MEIE reçus ({received}) ÷ dépenses admissibles.",
        "MEIE payments received ({received}) ÷ eligible spending.",
    ),
    "kpi.merchants": ("Commerçants accompagnés", "Merchants supported"),
    "kpi.merchants_value": ("{supported} / {target}", "{supported} / {target}"),
    "kpi.merchants_note": ("{share} de la cible", "{share} of target"),
    "kpi.merchants_help": (
        "Coût par commerçant accompagné : {cost}.", "Cost per merchant supported: {cost}."
    ),
    "overview.curve": ("Dépenses cumulatives : réel et prévu", "Cumulative spending: actual and planned"),
    "overview.variance": (
        "Écart au plan en date du {as_of} : {variance} (réel {actual}, prévu {planned}).",
        "Variance from plan as of {as_of}: {variance} (actual {actual}, planned {planned}).",
    ),
    "overview.milestones": ("Jalons du graphique", "Milestones on the chart"),
    "overview.milestone_line": (
        "Jalon {number} — {name} (échéance {due} ; {planned} prévus cumulés ; {state})",
        "Milestone {number} — {name} (due {due}; {planned} planned cumulative; {state})",
    ),
    "overview.milestone_colours": (
        "Losange vert : jalon atteint ; losange orangé : jalon à venir.",
        "Green diamond: milestone achieved; orange diamond: milestone upcoming.",
    ),
    "overview.alerts": ("Alertes", "Alerts"),
    "overview.no_alerts": (
        "Aucune alerte : chaque vérification est conforme en date du {as_of}.",
        "No alerts: every check is ok as of {as_of}.",
    ),
    # Chart
    "chart.actual": ("Réel cumulatif", "Actual cumulative"),
    "chart.planned": ("Prévu cumulatif", "Planned cumulative"),
    "chart.budget_line": ("Budget total : {amount}", "Total budget: {amount}"),
    "chart.milestones": ("Jalons", "Milestones"),
    "chart.as_of": ("En date du {as_of}", "As of {as_of}"),
    "chart.milestone_achieved": ("atteint", "achieved"),
    "chart.milestone_planned": ("à venir", "upcoming"),
}
