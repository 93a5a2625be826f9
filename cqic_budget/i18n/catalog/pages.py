"""Strings of the Burn rate, Co-financing and Milestones pages, their charts and the drill-down."""

STRINGS = {
    # --- Burn rate ------------------------------------------------------------------------------------
    "burn.title": ("Rythme de dépenses", "Burn rate"),
    "burn.purpose": (
        "Le programme dépense-t-il au bon rythme? Va-t-il manquer d'argent, ou en laisser sur la table à la "
        "fin d'un exercice?",
        "Is the program spending at the right pace? Will it run out, or leave money on the table at the end "
        "of a fiscal year?",
    ),
    "burn.period": ("{name} · en date du {as_of}", "{name} · as of {as_of}"),
    "burn.kpi.burn": ("Rythme mensuel actuel", "Current monthly burn"),
    "burn.kpi.burn_note": ("moyenne sur {window} mois", "mean of {window} months"),
    "burn.kpi.burn_help": (
        "Dépenses admissibles moyennes des {window} derniers mois complets avant la date de référence.",
        "Mean eligible spend of the {window} last full months before the as-of date.",
    ),
    "burn.kpi.required": ("Rythme requis", "Required burn"),
    "burn.kpi.required_note": ("solde : {remaining}", "left: {remaining}"),
    "burn.kpi.required_help": (
        "Solde du budget ÷ mois restants : le rythme qui dépense exactement le budget d'ici le {end}.",
        "Budget remaining ÷ months left: the pace that spends exactly the budget by {end}.",
    ),
    "burn.kpi.projected": ("Total projeté à la fin", "Projected total at end"),
    "burn.kpi.unspent": ("{amount} non dépensés", "{amount} unspent"),
    "burn.kpi.overrun": ("dépassement de {amount}", "overrun of {amount}"),
    "burn.kpi.projected_help": (
        "Dépensé + rythme actuel × mois restants jusqu'au {end}.",
        "Spent + current burn × months left until {end}.",
    ),
    "burn.kpi.exhaustion": ("Épuisement projeté", "Projected exhaustion"),
    "burn.kpi.no_exhaustion": ("jamais (aucune dépense)", "never (no spending)"),
    "burn.kpi.exhaustion_before": ("avant la fin du programme", "before the program ends"),
    "burn.kpi.exhaustion_note": ("après la fin du programme ({end})", "after the program ends ({end})"),
    "burn.kpi.exhaustion_help": (
        "Date à laquelle le budget serait épuisé au rythme actuel : date de référence + solde du budget ÷ "
        "rythme mensuel.",
        "The date the budget would run out at the current burn: as-of date + budget remaining ÷ monthly "
        "burn.",
    ),
    "burn.monthly_title": ("Dépenses mensuelles par catégorie", "Monthly spending by category"),
    "burn.monthly_caption": (
        "Coût admissible (net des taxes récupérables) de chaque mois, de {first} à {last}. Les dépenses non "
        "admissibles ({ineligible} en tout) ne sont pas dans les barres : elles sont montrées à part dans le "
        "détail.",
        "Eligible cost (net of recoverable taxes) of each month, from {first} to {last}. Ineligible spending "
        "({ineligible} in all) is not in the bars: the detail shows it apart.",
    ),
    "burn.drill_intro": (
        "Choisissez un mois (une barre) et, au besoin, une catégorie : le coût admissible des lignes égale "
        "la barre.",
        "Pick a month (a bar) and, if you wish, a category: the rows' eligible cost equals the bar.",
    ),
    "burn.curve_title": ("Cumulatif : réel, prévu et projection", "Cumulative: actual, planned and forecast"),
    "burn.curve_caption": (
        "Bande : de la projection au mois le plus bas ({low}) à celle au mois le plus haut ({high}) des "
        "{window} derniers mois complets, à partir du {as_of}. Tirets : le rythme actuel ({burn} par mois). "
        "Pointillés : le rythme requis ({required} par mois) pour dépenser exactement le budget. "
        "Écart au plan au {as_of} : {variance} (réel {actual}, prévu {planned}).",
        "Band: from the projection at the lowest month ({low}) to the one at the highest month ({high}) of "
        "the last {window} full months, from {as_of} on. Dashes: the current burn ({burn} a month). Dots: "
        "the required burn ({required} a month) that spends exactly the budget. "
        "Variance from plan as of {as_of}: {variance} (actual {actual}, planned {planned}).",
    ),
    "burn.years_title": ("Budget et dépenses par exercice", "Budget and spending per fiscal year"),
    "burn.fy.col.label": ("Exercice", "Fiscal year"),
    "burn.fy.col.phase": ("Période", "Period"),
    "burn.fy.col.budget": ("Budget", "Budget"),
    "burn.fy.col.spent": ("Dépensé", "Spent"),
    "burn.fy.col.share": ("% du budget", "% of budget"),
    "burn.fy.col.projected": ("Projeté à la fin", "Projected at end"),
    "burn.fy.col.gap": ("Écart au budget", "Gap to budget"),
    "burn.fy.col.ineligible": ("Non admissible", "Ineligible"),
    "burn.fy.col.status": ("État", "Status"),
    "burn.fy.phase.past": ("terminé", "ended"),
    "burn.fy.phase.current": ("en cours", "current"),
    "burn.fy.phase.future": ("à venir", "ahead"),
    "burn.fy.phase.closed": ("{phase}, clos", "{phase}, closed"),
    "burn.lines.title": ("Postes budgétaires", "Budget lines"),
    "burn.lines.caption": (
        "Par exercice et catégorie : dépensé + engagements ouverts par rapport au poste en vigueur. « À "
        "surveiller » dès 90 % du poste, « non conforme » au-delà de 100 % plus la tolérance de transfert "
        "entre postes ({tolerance}).",
        "Per fiscal year and category: spent + open commitments against the line in force. Watch from 90% "
        "of the line, breach above 100% plus the transfer tolerance between lines ({tolerance}).",
    ),
    "burn.lines.col.label": ("Exercice", "Fiscal year"),
    "burn.lines.col.category": ("Catégorie", "Category"),
    "burn.lines.col.original": ("Budget initial", "Original budget"),
    "burn.lines.col.budget": ("Budget en vigueur", "Budget in force"),
    "burn.lines.col.spent": ("Dépensé", "Spent"),
    "burn.lines.col.commitments": ("Engagements ouverts", "Open commitments"),
    "burn.lines.col.available": ("Disponible", "Available"),
    "burn.lines.col.share": ("% utilisé", "% used"),
    "burn.lines.col.status": ("État", "Status"),
    "burn.what_if.title": ("Et si le rythme changeait?", "What if the pace changed?"),
    "burn.what_if.intro": (
        "Saisissez une dépense admissible mensuelle à partir du {as_of} : le total à la fin, le solde et la "
        "date d'épuisement du budget se recalculent.",
        "Enter a monthly eligible spend from {as_of} on: the total at the end, what is left and the date "
        "the budget runs out are recomputed.",
    ),
    "burn.what_if.label": ("Dépense mensuelle à partir du {as_of} ($)", "Monthly spend from {as_of} on ($)"),
    "burn.what_if.help": (
        "Rythme actuel : {burn} par mois ; rythme requis pour dépenser exactement le budget : {required}.",
        "Current burn: {burn} a month; required burn to spend exactly the budget: {required}.",
    ),
    "burn.what_if.projected": ("Total à la fin selon ce rythme", "Total at end at this pace"),
    "burn.what_if.projected_note": ("{share} du budget", "{share} of budget"),
    "burn.what_if.unspent": ("Non dépensé à la fin", "Unspent at the end"),
    "burn.what_if.overrun": ("Dépassement à la fin", "Overrun at the end"),
    "burn.what_if.gap_note": ("au {end}", "at {end}"),
    "burn.what_if.exhaustion": ("Épuisement selon ce rythme", "Budget runs out at this pace"),
    "burn.what_if.sentence_none": (
        "Sans dépense à partir du {as_of}, le programme finirait à {projected} le {end} : {gap} resteraient "
        "non dépensés.",
        "With no spending from {as_of} on, the program would end at {projected} on {end}: {gap} would be "
        "left unspent.",
    ),
    "burn.what_if.sentence_after": (
        "À {monthly} par mois à partir du {as_of}, le programme aurait dépensé {projected} le {end} : {gap} "
        "resteraient non dépensés (le budget ne serait épuisé que le {exhaustion}).",
        "At {monthly} a month from {as_of} on, the program would have spent {projected} by {end}: {gap} "
        "would be left unspent (the budget would only run out on {exhaustion}).",
    ),
    "burn.what_if.sentence_before": (
        "À {monthly} par mois à partir du {as_of}, le budget serait épuisé le {exhaustion}, avant la fin du "
        "programme : le total atteindrait {projected} le {end}, un dépassement de {gap}.",
        "At {monthly} a month from {as_of} on, the budget would run out on {exhaustion}, before the program "
        "ends: the total would reach {projected} by {end}, an overrun of {gap}.",
    ),
    "burn.chart.monthly_axis": ("Coût admissible du mois", "Eligible cost of the month"),
    "burn.chart.band": ("Bande de projection", "Forecast band"),
    "burn.chart.band_high": ("Projection (mois le plus haut)", "Forecast (highest month)"),
    "burn.chart.band_low": ("Projection (mois le plus bas)", "Forecast (lowest month)"),
    "burn.chart.central": ("Projection au rythme actuel", "Forecast at the current burn"),
    "burn.chart.required": ("Rythme requis", "Required burn"),
    "burn.chart.fy_budget": ("Budget", "Budget"),
    "burn.chart.fy_spent": ("Dépensé", "Spent"),
    "burn.chart.fy_projected": ("Projeté à la fin de l'exercice", "Projected at year end"),
    # --- Co-financing ---------------------------------------------------------------------------------
    "cofin.title": ("Cofinancement", "Co-financing"),
    "cofin.purpose": (
        "Québec verse-t-il au plus sa part? La part des partenaires est-elle reçue? Le cumul des aides "
        "publiques respecte-t-il le plafond? Que peut-on réclamer maintenant?",
        "Is Québec paying at most its share? Are the partners' shares in? Is total public aid under the "
        "cap? What can be claimed now?",
    ),
    "cofin.kpi.quebec_share": ("Part de Québec", "Québec share"),
    "cofin.kpi.cap": ("plafond : {rate}", "cap: {rate}"),
    "cofin.kpi.quebec_share_help": (
        "Versements de Québec reçus ({received}) ÷ dépenses admissibles ({spent}).",
        "Québec payments received ({received}) ÷ eligible spending ({spent}).",
    ),
    # The card is the next claim's amount; « Réclamable maintenant » is SPEC §4's figure (cofin.claim.title,
    # the summary, the report): two figures must not share a name.
    "cofin.kpi.claimable": ("Prochaine réclamation", "Next claim"),
    "cofin.kpi.claimable_note": ("droit de Québec : {entitlement}", "Québec entitlement: {entitlement}"),
    "cofin.kpi.claimable_help": (
        "Ce que Québec doit encore verser sur les dépenses faites, moins la retenue payée après le rapport "
        "final (voir le calcul ci-dessous).",
        "What Québec still owes on the spending done, less the holdback paid after the final report (see "
        "the calculation below).",
    ),
    "cofin.kpi.partners": ("Reçu des partenaires", "Received from partners"),
    "cofin.kpi.partners_note": ("requis : {required}", "required: {required}"),
    "cofin.kpi.partners_help": (
        "En argent : {cash} ; en nature : {in_kind}.", "In cash: {cash}; in kind: {in_kind}.",
    ),
    "cofin.kpi.stacking": ("Cumul des aides publiques", "Stacking of public aid"),
    "cofin.kpi.stacking_help": (
        "Contributions reçues des bailleurs comptés comme aide publique (Québec, fédéral, municipal) ÷ "
        "dépenses admissibles.",
        "Contributions received from funders counted as public aid (Québec, federal, municipal) ÷ eligible "
        "spending.",
    ),
    "cofin.kpi.admin": ("Frais d'administration", "Administration costs"),
    "cofin.kpi.admin_help.eligible": (
        "Frais d'administration ÷ total des dépenses admissibles.",
        "Administration ÷ total eligible spending.",
    ),
    "cofin.kpi.admin_help.salaries": (
        "Frais d'administration ÷ salaires admissibles.", "Administration ÷ eligible salaries.",
    ),
    "cofin.funders_title": (
        "Bailleurs de fonds : engagé, reçu, à recevoir", "Funders: committed, received, due",
    ),
    "cofin.funders_caption": (
        "Reçu en date du {as_of}. « À recevoir » = engagé − reçu. L'apport en nature est compté à sa valeur "
        "convenue.",
        "Received as of {as_of}. “Due” = committed − received. In-kind contributions count at their agreed "
        "value.",
    ),
    "cofin.funder.col.name": ("Bailleur", "Funder"),
    "cofin.funder.col.kind": ("Type", "Kind"),
    "cofin.funder.col.public": ("Aide publique", "Public aid"),
    "cofin.funder.col.committed": ("Engagé", "Committed"),
    "cofin.funder.col.cash": ("Reçu en argent", "Received in cash"),
    "cofin.funder.col.in_kind": ("Reçu en nature", "Received in kind"),
    "cofin.funder.col.received": ("Reçu", "Received"),
    "cofin.funder.col.share": ("% reçu", "% received"),
    "cofin.funder.col.due": ("À recevoir", "Due"),
    "cofin.funder.kind.quebec": ("Québec", "Québec"),
    "cofin.funder.kind.federal": ("fédéral", "federal"),
    "cofin.funder.kind.municipal": ("municipal", "municipal"),
    "cofin.funder.kind.private": ("privé", "private"),
    "cofin.funder.kind.own": ("fonds propres", "own funds"),
    "cofin.no": ("non", "no"),
    "cofin.claim.title": ("Réclamable à Québec maintenant", "Claimable from Québec now"),
    "cofin.claim.steps": (
        "1. Dépenses admissibles : E = **{spent}** ; {rate} × E = {rate_of_spent} "
        "(arrondi au cent inférieur).\n"
        "2. Droit de Québec = min({rate} × E ; engagement de {commitment}) = **{entitlement}**.\n"
        "3. Retenue : {holdback_rate} de l'engagement, soit {holdback}, n'est versée qu'après le rapport "
        "final. D'ici là, Québec verse au plus min(droit ; engagement − retenue) = **{payable}**.\n"
        "4. Déjà reçu de Québec : {received}. **Réclamable maintenant** = max(0 ; {payable} − {received}) "
        "= **{claimable}**.",
        "1. Eligible spending: E = **{spent}**; {rate} × E = {rate_of_spent} (rounded down to the cent).\n"
        "2. Québec entitlement = min({rate} × E, commitment of {commitment}) = **{entitlement}**.\n"
        "3. Holdback: {holdback_rate} of the commitment, {holdback}, is paid only after the final report. "
        "Until then, Québec pays at most min(entitlement, commitment − holdback) = **{payable}**.\n"
        "4. Already received from Québec: {received}. **Claimable now** = max(0, {payable} − {received}) "
        "= **{claimable}**.",
    ),
    "cofin.checks.title": ("Vérifications", "Checks"),
    "cofin.checks.intro": (
        "Chaque vérification de l'entente, cumulée à la date de référence puis à la fin de chaque exercice "
        "terminé. Une avance de Québec en cours d'exercice est « à surveiller » ; à la fin d'un exercice, "
        "c'est « non conforme ».",
        "Every check of the agreement, cumulative to the as-of date, then at the end of each closed fiscal "
        "year. A Québec advance within a year is “watch”; at a fiscal-year end it is a “breach”.",
    ),
    "cofin.checks.cumulative": ("Cumul au {date}", "Cumulative to {date}"),
    "cofin.checks.fiscal_year": ("Fin de l'exercice {label} ({date})", "End of fiscal year {label} ({date})"),
    "cofin.fy.title": ("Financement reçu par exercice", "Funding received per fiscal year"),
    "cofin.fy.caption": (
        "Reçu et dépensé à l'intérieur de chaque exercice (jusqu'à la date de référence pour l'exercice en "
        "cours) ; « Vérifications » : le pire état des vérifications à la fin de l'exercice.",
        "Received and spent within each fiscal year (to the as-of date for the current year); “Checks”: the "
        "worst status of the checks at the year's end.",
    ),
    "cofin.fy.col.label": ("Exercice", "Fiscal year"),
    "cofin.fy.col.spent": ("Dépensé", "Spent"),
    "cofin.fy.col.quebec": ("Québec", "Québec"),
    "cofin.fy.col.quebec_share": ("Part de Québec", "Québec share"),
    "cofin.fy.col.cash": ("Partenaires, argent", "Partners, cash"),
    "cofin.fy.col.in_kind": ("Partenaires, nature", "Partners, in kind"),
    "cofin.fy.col.partners": ("Partenaires", "Partners"),
    "cofin.fy.col.status": ("Vérifications", "Checks"),
    "cofin.fy.open.past": ("terminé", "closed"),
    "cofin.fy.open.current": ("en cours", "current"),
    "cofin.fy.open.future": ("à venir", "ahead"),
    "cofin.drill_intro": (
        "Les lignes de dépenses derrière E : tout le cumul, un exercice ou un mois, et au besoin une "
        "catégorie (« Administration » : les frais d'administration).",
        "The expense rows behind E: the whole cumulative, a fiscal year or a month, and if you wish a "
        "category (“Administration”: the administration costs).",
    ),
    "cofin.chart.committed": ("Engagé", "Committed"),
    "cofin.chart.cash": ("Reçu en argent", "Received in cash"),
    "cofin.chart.in_kind": ("Reçu en nature", "Received in kind"),
    # --- Milestones -----------------------------------------------------------------------------------
    "ms.title": ("Jalons", "Milestones"),
    "ms.purpose": (
        "Les jalons sont-ils atteints à temps, les dépenses sont-elles au niveau prévu à chacun, et les "
        "versements qui y sont liés sont-ils reçus?",
        "Are the milestones met on time, is spending where it was planned at each, and have the payments "
        "tied to them come in?",
    ),
    "ms.empty": (
        "Aucun jalon n'est défini pour ce programme : un administrateur peut les saisir dans Paramètres.",
        "No milestone is defined for this program: an administrator can enter them in Settings.",
    ),
    "ms.kpi.achieved": ("Jalons atteints", "Milestones achieved"),
    "ms.kpi.achieved_value": ("{achieved} / {total}", "{achieved} / {total}"),
    "ms.kpi.late_note": (
        "en retard : {achieved} atteints, {open} ouverts", "late: {achieved} achieved, {open} open",
    ),
    "ms.kpi.next": ("Prochaine échéance", "Next due date"),
    "ms.kpi.no_next": ("aucune échéance à venir", "no due date ahead"),
    "ms.kpi.next_help": (
        "Dépenses cumulatives prévues à cette date : {planned}.",
        "Planned cumulative spending by then: {planned}.",
    ),
    "ms.kpi.payments": ("Versements liés reçus", "Tied payments received"),
    "ms.kpi.payments_note": ("sur {expected} prévus", "of {expected} expected"),
    "ms.kpi.payments_help": ("Encore à recevoir : {outstanding}.", "Still to come: {outstanding}."),
    "ms.timeline_title": ("Calendrier des jalons", "Milestone timeline"),
    "ms.timeline_caption": (
        "Losange : échéance ; rond vert : jalon atteint ; carré bleu : versement reçu ; trait rouge : retard "
        "(jusqu'à l'atteinte, ou jusqu'à la date de référence pour un jalon encore ouvert).",
        "Diamond: due date; green dot: achieved; blue square: payment received; red line: delay (until "
        "achieved, or until the as-of date for a milestone still open).",
    ),
    "ms.progress_title": (
        "Dépenses cumulatives prévues et réelles à chaque jalon",
        "Planned and actual cumulative spending at each milestone",
    ),
    "ms.table_title": ("Détail des jalons et des versements", "Milestones and payments"),
    "ms.col.name": ("Jalon", "Milestone"),
    "ms.col.due": ("Échéance", "Due"),
    "ms.col.state": ("État", "Status"),
    "ms.col.days_late": ("Jours de retard", "Days late"),
    "ms.col.measured_at": ("Mesuré au", "Measured at"),
    "ms.col.planned": ("Prévu cumulatif", "Planned cumulative"),
    "ms.col.actual": ("Réel cumulatif", "Actual cumulative"),
    "ms.col.gap": ("Écart", "Gap"),
    "ms.col.progress": ("Réel ÷ prévu", "Actual ÷ planned"),
    "ms.col.payment_expected": ("Versement prévu", "Payment expected"),
    "ms.col.payment_received": ("Versement reçu", "Payment received"),
    "ms.col.payment": ("Versement", "Payment"),
    "ms.state.achieved": ("atteint", "achieved"),
    "ms.state.achieved_on": ("atteint le {date}", "achieved on {date}"),
    "ms.state.late": ("en retard", "late"),
    "ms.state.upcoming": ("à venir", "upcoming"),
    "ms.payment.received": ("reçu le {date}", "received on {date}"),
    "ms.payment.partial": ("reçu en partie ({date})", "partly received ({date})"),
    "ms.payment.pending": ("en attente", "pending"),
    "ms.drill.period": ("{label} — au {date}", "{label} — to {date}"),
    "ms.drill_intro": (
        "Les lignes de dépenses jusqu'à l'échéance d'un jalon (ou jusqu'à la date de référence s'il n'est "
        "pas encore échu) : leur coût admissible égale le réel cumulatif du jalon.",
        "The expense rows up to a milestone's due date (or the as-of date when not yet due): their eligible "
        "cost equals the milestone's actual cumulative.",
    ),
    "ms.chart.number": ("Jalon {number}", "Milestone {number}"),
    "ms.chart.days_late_hover": ("%{customdata[1]} j de retard", "%{customdata[1]} days late"),
    "ms.chart.delay": ("Retard", "Delay"),
    "ms.chart.due": ("Échéance", "Due"),
    "ms.chart.achieved": ("Atteint", "Achieved"),
    "ms.chart.payment": ("Versement reçu", "Payment received"),
    # --- Drill-down -----------------------------------------------------------------------------------
    "drill.title": (
        "Détail : les lignes de dépenses derrière le total", "Detail: the expense rows behind the total",
    ),
    "drill.period": ("Période", "Period"),
    "drill.period.all": ("Tout, jusqu'au {as_of}", "Everything, to {as_of}"),
    "drill.period.fiscal_year": ("Exercice {label}", "Fiscal year {label}"),
    "drill.category": ("Catégorie", "Category"),
    "drill.category.all": ("Toutes les catégories", "All categories"),
    "drill.total": (
        "**{count}** lignes · coût admissible **{eligible}** · non admissible, à part : {ineligible}",
        "**{count}** rows · eligible cost **{eligible}** · ineligible, apart: {ineligible}",
    ),
    "drill.col.date": ("Date", "Date"),
    "drill.col.vendor": ("Fournisseur", "Vendor"),
    "drill.col.description": ("Description", "Description"),
    "drill.col.category": ("Catégorie", "Category"),
    "drill.col.invoice_number": ("N° de facture", "Invoice #"),
    "drill.col.amount": ("Avant taxes", "Before tax"),
    "drill.col.gst": ("TPS", "GST"),
    "drill.col.qst": ("TVQ", "QST"),
    "drill.col.eligible_cost": ("Coût admissible", "Eligible cost"),
    "drill.col.eligible": ("Admissible", "Eligible"),
    "drill.col.file_name": ("Fichier d'origine", "Source file"),
    "drill.col.source_row": ("Ligne", "Row"),
    "drill.yes": ("oui", "yes"),
    "drill.no": ("non : {reason}", "no: {reason}"),
    "drill.no_file": ("(saisie hors fichier)", "(not from a file)"),
}
