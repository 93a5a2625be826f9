"""Strings of the metrics: co-financing check sentences, fiscal-year status, the summary table."""

STRINGS = {
    # Scope of a check.
    "metrics.scope.cumulative": ("Cumul au {date}", "Cumulative to {date}"),
    "metrics.scope.fiscal_year": (
        "Fin de l'exercice {label} ({date})", "End of fiscal year {label} ({date})",
    ),
    "metrics.admin_base.eligible": ("dépenses admissibles", "eligible spending"),
    "metrics.admin_base.salaries": ("salaires", "salaries"),
    # Québec share.
    "metrics.check.quebec_share.none": (
        "{scope} : aucune dépense admissible pour l'instant, la part de Québec n'est pas encore "
        "définie (—) ; taux convenu : {rate}.",
        "{scope}: no eligible spending yet, so Québec's share is not defined yet (—); agreed rate: {rate}.",
    ),
    "metrics.check.quebec_share.ok": (
        "{scope} : Québec a versé {received}, soit {share} des dépenses admissibles de {spent}, "
        "dans la limite du taux convenu de {rate}.",
        "{scope}: Québec has paid {received}, {share} of the eligible spending of {spent}, "
        "within the agreed rate of {rate}.",
    ),
    "metrics.check.quebec_share.watch": (
        "{scope} : Québec a versé {received}, soit {share} des dépenses admissibles de {spent}, "
        "au-delà du taux convenu de {rate} : c'est une avance de {excess} en cours d'exercice, "
        "qui doit être couverte par des dépenses d'ici la fin de l'exercice.",
        "{scope}: Québec has paid {received}, {share} of the eligible spending of {spent}, "
        "above the agreed rate of {rate}: an advance of {excess} within the fiscal year, "
        "to be covered by spending before the year ends.",
    ),
    "metrics.check.quebec_share.breach": (
        "{scope} : Québec a versé {received}, soit {share} des dépenses admissibles de {spent} : "
        "le taux convenu de {rate} est dépassé de {excess} à la fin de l'exercice.",
        "{scope}: Québec has paid {received}, {share} of the eligible spending of {spent}: "
        "the agreed rate of {rate} is exceeded by {excess} at the fiscal year end.",
    ),
    # Partners' match.
    "metrics.check.partner_match.ok": (
        "{scope} : les partenaires ont versé {received} ({cash} en argent, {in_kind} en nature), "
        "ce qui couvre leur part requise de {required} ({partner_rate} des dépenses admissibles de {spent}).",
        "{scope}: partners have contributed {received} ({cash} in cash, {in_kind} in kind), "
        "covering their required share of {required} ({partner_rate} of the eligible spending of {spent}).",
    ),
    "metrics.check.partner_match.watch": (
        "{scope} : les partenaires ont versé {received} ({cash} en argent, {in_kind} en nature) "
        "pour une part requise de {required} ({partner_rate} des dépenses admissibles de {spent}) ; "
        "il manque {shortfall}, à recevoir d'ici la fin de l'exercice.",
        "{scope}: partners have contributed {received} ({cash} in cash, {in_kind} in kind) "
        "against a required share of {required} ({partner_rate} of the eligible spending of {spent}); "
        "{shortfall} is still to be received before the fiscal year ends.",
    ),
    "metrics.check.partner_match.breach": (
        "{scope} : les partenaires avaient versé {received} ({cash} en argent, {in_kind} en nature) "
        "pour une part requise de {required} ({partner_rate} des dépenses admissibles de {spent}) : "
        "il manquait {shortfall} à la fin de l'exercice.",
        "{scope}: partners had contributed {received} ({cash} in cash, {in_kind} in kind) "
        "against a required share of {required} ({partner_rate} of the eligible spending of {spent}): "
        "{shortfall} was missing at the fiscal year end.",
    ),
    # Stacking of public aid.
    "metrics.check.stacking.none": (
        "{scope} : aucune dépense admissible pour l'instant, le cumul des aides publiques n'est pas "
        "encore défini (—) ; plafond : {cap}.",
        "{scope}: no eligible spending yet, so the stacking of public aid is not defined yet (—); "
        "cap: {cap}.",
    ),
    "metrics.check.stacking.ok": (
        "{scope} : les aides publiques reçues ({public}) représentent {share} des dépenses admissibles "
        "de {spent}, sous le plafond de cumul de {cap}.",
        "{scope}: public aid received ({public}) is {share} of the eligible spending of {spent}, "
        "under the stacking cap of {cap}.",
    ),
    "metrics.check.stacking.watch": (
        "{scope} : les aides publiques reçues ({public}) représentent {share} des dépenses admissibles "
        "de {spent}, près du plafond de cumul de {cap} (marge restante : {margin}).",
        "{scope}: public aid received ({public}) is {share} of the eligible spending of {spent}, "
        "close to the stacking cap of {cap} (margin left: {margin}).",
    ),
    "metrics.check.stacking.breach": (
        "{scope} : les aides publiques reçues ({public}) représentent {share} des dépenses admissibles "
        "de {spent} et dépassent le plafond de cumul de {cap} de {excess}.",
        "{scope}: public aid received ({public}) is {share} of the eligible spending of {spent}, "
        "above the stacking cap of {cap} by {excess}.",
    ),
    "metrics.check.stacking.advance": (
        "{scope} : les aides publiques reçues ({public}) représentent {share} des dépenses admissibles "
        "de {spent}, au-delà du plafond de cumul de {cap} de {excess} en cours d'exercice : un décalage "
        "à surveiller, non conforme s'il demeure à la fin de l'exercice.",
        "{scope}: public aid received ({public}) is {share} of the eligible spending of {spent}, above "
        "the stacking cap of {cap} by {excess} within the fiscal year: a timing gap to watch, a breach "
        "if it remains at the year end.",
    ),
    "metrics.scope.committed": ("Engagements", "Commitments"),
    "metrics.check.stacking_committed.none": (
        "{scope} : le budget total est nul, le cumul des aides publiques engagées n'est pas défini (—).",
        "{scope}: the total budget is zero, so the stacking of committed public aid is not defined (—).",
    ),
    "metrics.check.stacking_committed.ok": (
        "{scope} : les aides publiques engagées ({committed}) représentent {share} du budget total de "
        "{budget}, sous le plafond de cumul de {cap}.",
        "{scope}: committed public aid ({committed}) is {share} of the total budget of {budget}, under "
        "the stacking cap of {cap}.",
    ),
    "metrics.check.stacking_committed.watch": (
        "{scope} : les aides publiques engagées ({committed}) représentent {share} du budget total de "
        "{budget}, près du plafond de cumul de {cap} (marge : {margin}).",
        "{scope}: committed public aid ({committed}) is {share} of the total budget of {budget}, close "
        "to the stacking cap of {cap} (margin: {margin}).",
    ),
    "metrics.check.stacking_committed.breach": (
        "{scope} : les aides publiques engagées ({committed}) représentent {share} du budget total de "
        "{budget} et dépassent le plafond de cumul de {cap} de {excess}.",
        "{scope}: committed public aid ({committed}) is {share} of the total budget of {budget}, above "
        "the stacking cap of {cap} by {excess}.",
    ),
    # Administration costs.
    "metrics.check.admin_costs.advance": (
        "{scope} : les frais d'administration ({admin}) représentent {share} de la base ({base_name} : "
        "{base}), au-delà du plafond de {cap} de {excess} en cours d'exercice : à surveiller, non "
        "conforme s'ils le dépassent encore à la fin de l'exercice.",
        "{scope}: administration costs ({admin}) are {share} of the base ({base_name}: {base}), above "
        "the cap of {cap} by {excess} within the fiscal year: to watch, a breach if still above it at "
        "the year end.",
    ),
    "metrics.check.admin_costs.none": (
        "{scope} : la base de calcul ({base_name}) est nulle, la part des frais d'administration n'est "
        "pas encore définie (—) ; plafond : {cap}.",
        "{scope}: the base ({base_name}) is zero, so the share of administration costs is not defined "
        "yet (—); cap: {cap}.",
    ),
    "metrics.check.admin_costs.ok": (
        "{scope} : les frais d'administration ({admin}) représentent {share} de la base ({base_name} : "
        "{base}), sous le plafond de {cap}.",
        "{scope}: administration costs ({admin}) are {share} of the base ({base_name}: {base}), "
        "under the cap of {cap}.",
    ),
    "metrics.check.admin_costs.watch": (
        "{scope} : les frais d'administration ({admin}) représentent {share} de la base ({base_name} : "
        "{base}), près du plafond de {cap} (marge restante : {margin}).",
        "{scope}: administration costs ({admin}) are {share} of the base ({base_name}: {base}), "
        "close to the cap of {cap} (margin left: {margin}).",
    ),
    "metrics.check.admin_costs.breach": (
        "{scope} : les frais d'administration ({admin}) représentent {share} de la base ({base_name} : "
        "{base}) et dépassent le plafond de {cap} de {excess}.",
        "{scope}: administration costs ({admin}) are {share} of the base ({base_name}: {base}), "
        "above the cap of {cap} by {excess}.",
    ),
    # Check names.
    "metrics.check_name.quebec_share": ("Part de Québec", "Québec share"),
    "metrics.check_name.partner_match": ("Contrepartie des partenaires", "Partners' match"),
    "metrics.check_name.stacking": ("Cumul des aides publiques", "Stacking of public aid"),
    "metrics.check_name.stacking_committed": (
        "Cumul des aides publiques engagées", "Stacking of committed public aid",
    ),
    "metrics.check_name.admin_costs": ("Frais d'administration", "Administration costs"),
    # Fiscal years.
    "metrics.fy.past.within_budget": (
        "Exercice {label} terminé : {spent} dépensés pour un budget de {budget}, dans le budget.",
        "Fiscal year {label} ended: {spent} spent against a budget of {budget}, within budget.",
    ),
    "metrics.fy.past.unspent": (
        "Exercice {label} terminé : {spent} dépensés pour un budget de {budget} ; {unspent} n'ont pas "
        "été dépensés.",
        "Fiscal year {label} ended: {spent} spent against a budget of {budget}; {unspent} went unspent.",
    ),
    "metrics.fy.past.overspent": (
        "Exercice {label} terminé : {spent} dépensés pour un budget de {budget}, soit un dépassement de "
        "{overrun} à faire approuver ou à réaffecter.",
        "Fiscal year {label} ended: {spent} spent against a budget of {budget}, an overrun of {overrun} "
        "to have approved or reallocated.",
    ),
    "metrics.fy.current.on_pace": (
        "Exercice {label} : au rythme actuel ({burn} par mois), {projected} seront dépensés d'ici le "
        "{end}, pour un budget de {budget}.",
        "Fiscal year {label}: at the current pace ({burn} a month), {projected} will be spent by "
        "{end}, against a budget of {budget}.",
    ),
    "metrics.fy.current.lapse_risk": (
        "Exercice {label} : au rythme actuel ({burn} par mois), {projected} seront dépensés d'ici le "
        "{end} pour un budget de {budget} ; {lapse} risquent d'être périmés.",
        "Fiscal year {label}: at the current pace ({burn} a month), {projected} will be spent by "
        "{end} against a budget of {budget}; {lapse} may lapse.",
    ),
    "metrics.fy.current.overrun_risk": (
        "Exercice {label} : au rythme actuel ({burn} par mois), {projected} seront dépensés d'ici le "
        "{end} pour un budget de {budget} ; un dépassement de {overrun} est à prévoir.",
        "Fiscal year {label}: at the current pace ({burn} a month), {projected} will be spent by "
        "{end} against a budget of {budget}; an overrun of {overrun} is ahead.",
    ),
    "metrics.fy.ahead.on_pace": (
        "Exercice {label} à venir : au rythme actuel ({burn} par mois), {projected} seraient dépensés "
        "d'ici le {end}, pour un budget de {budget}.",
        "Fiscal year {label} ahead: at the current pace ({burn} a month), {projected} would be spent by "
        "{end}, against a budget of {budget}.",
    ),
    "metrics.fy.ahead.lapse_risk": (
        "Exercice {label} à venir : au rythme actuel ({burn} par mois), {projected} seraient dépensés "
        "d'ici le {end} pour un budget de {budget} ; {lapse} risqueraient d'être périmés.",
        "Fiscal year {label} ahead: at the current pace ({burn} a month), {projected} would be spent by "
        "{end} against a budget of {budget}; {lapse} would lapse.",
    ),
    "metrics.fy.ahead.overrun_risk": (
        "Exercice {label} à venir : au rythme actuel ({burn} par mois), {projected} seraient dépensés "
        "d'ici le {end} pour un budget de {budget}, soit un dépassement de {overrun}.",
        "Fiscal year {label} ahead: at the current pace ({burn} a month), {projected} would be spent by "
        "{end} against a budget of {budget}, an overrun of {overrun}.",
    ),
    # Summary table.
    "metrics.summary.title": (
        "Sommaire du programme {code} au {date}", "Program {code} summary as of {date}",
    ),
    "metrics.summary.budget_total": ("Budget total", "Total budget"),
    "metrics.summary.spent": ("Dépenses admissibles", "Eligible spending"),
    "metrics.summary.ineligible": ("Dépenses non admissibles (à part)", "Ineligible spending (apart)"),
    "metrics.summary.remaining": ("Solde du budget", "Budget remaining"),
    "metrics.summary.burn_rate": ("Rythme mensuel", "Monthly burn rate"),
    "metrics.summary.projected_total": ("Total projeté à la fin", "Projected total at end"),
    "metrics.summary.projected_exhaustion": ("Épuisement projeté", "Projected exhaustion"),
    "metrics.summary.quebec_rate": ("Taux de Québec", "Québec rate"),
    "metrics.summary.quebec_received": ("Reçu de Québec", "Received from Québec"),
    "metrics.summary.quebec_share": ("Part de Québec", "Québec share"),
    "metrics.summary.quebec_entitlement": ("Droit de Québec", "Québec entitlement"),
    "metrics.summary.quebec_claimable": ("Réclamable maintenant", "Claimable now"),
    "metrics.summary.partner_required": ("Contrepartie requise", "Partner match required"),
    "metrics.summary.partner_received": ("Reçu des partenaires", "Received from partners"),
    "metrics.summary.public_aid_share": ("Cumul des aides publiques", "Public aid share"),
    "metrics.summary.stacking_cap": ("Plafond de cumul", "Stacking cap"),
    "metrics.summary.admin_share": ("Part des frais d'administration", "Administration share"),
    "metrics.summary.merchants_supported": ("Commerçants accompagnés", "Merchants supported"),
    "metrics.summary.cost_per_merchant": ("Coût par commerçant accompagné", "Cost per merchant supported"),
    "metrics.summary.fiscal_years": ("Exercices financiers", "Fiscal years"),
    "metrics.summary.fy_header": (
        "Exercice | Budget | Dépensé | Reçu de Québec | Reçu des partenaires | État",
        "Fiscal year | Budget | Spent | From Québec | From partners | Status",
    ),
    "metrics.summary.checks": ("Vérifications", "Checks"),
}
