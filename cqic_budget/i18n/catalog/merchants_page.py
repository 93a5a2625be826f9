"""Strings of the Merchants & impact page (SPEC §5.5), its charts and the staff's merchant forms."""

STRINGS = {
    "merchants_page.title": ("Commerçants et impact", "Merchants & impact"),
    "merchants_page.purpose": (
        "Qu'a fait le programme pour les commerçants, et à quel coût par commerçant?",
        "What did the program achieve for merchants, and at what cost per merchant?",
    ),
    "merchants_page.period": ("{name} · en date du {as_of}", "{name} · as of {as_of}"),
    # Filters
    "merchants_page.filter.sector": ("Secteur", "Sector"),
    "merchants_page.filter.size_band": ("Taille", "Size band"),
    "merchants_page.filter.municipality": ("Municipalité", "Municipality"),
    "merchants_page.filter.placeholder": ("Tous", "All"),
    "merchants_page.filter_note.all": (
        "Tous les commerçants du programme. Les filtres s'appliquent à chaque chiffre de la page.",
        "Every merchant of the program. The filters apply to every figure on the page.",
    ),
    "merchants_page.filter_note.some": (
        "Filtres appliqués à chaque chiffre de la page : {count} "
        "{count|commerçant retenu|commerçants retenus}.",
        "Filters applied to every figure on the page: {count} {count|merchant|merchants} selected.",
    ),
    "merchants_page.sector.retail": ("Commerce de détail", "Retail"),
    "merchants_page.sector.wholesale": ("Commerce de gros", "Wholesale"),
    "merchants_page.size_band.micro": ("Micro (1 à 4 employés)", "Micro (1-4 employees)"),
    "merchants_page.size_band.small": ("Petite (5 à 49 employés)", "Small (5-49 employees)"),
    "merchants_page.size_band.medium": ("Moyenne (50 à 199 employés)", "Medium (50-199 employees)"),
    "merchants_page.short.sector.retail": ("Détail", "Retail"),
    "merchants_page.short.sector.wholesale": ("Gros", "Wholesale"),
    "merchants_page.short.size_band.micro": ("Micro", "Micro"),
    "merchants_page.short.size_band.small": ("Petite", "Small"),
    "merchants_page.short.size_band.medium": ("Moyenne", "Medium"),
    "merchants_page.status.reached": ("Rejoint", "Reached"),
    "merchants_page.status.supported": ("Accompagné", "Supported"),
    "merchants_page.status.completed": ("Parcours terminé", "Completed"),
    # Targets vs actuals
    "merchants_page.targets": ("Cibles et résultats", "Targets and results"),
    "merchants_page.kpi.reached": ("Commerçants rejoints", "Merchants reached"),
    "merchants_page.kpi.reached_help": (
        "Tous les commerçants inscrits au programme (rejoints, accompagnés ou ayant terminé).",
        "Every merchant enrolled in the program (reached, supported or completed).",
    ),
    "merchants_page.kpi.supported": ("Commerçants accompagnés", "Merchants supported"),
    "merchants_page.kpi.supported_help": (
        "Commerçants accompagnés ou ayant terminé leur parcours.",
        "Merchants supported, or who completed the program.",
    ),
    "merchants_page.kpi.completed": ("Parcours terminés", "Merchants completed"),
    "merchants_page.kpi.completed_help": (
        "Commerçants ayant terminé leur parcours d'accompagnement.",
        "Merchants who completed their support.",
    ),
    "merchants_page.kpi.of_target": ("{share} de la cible ({target})", "{share} of target ({target})"),
    "merchants_page.kpi.cost": ("Coût par commerçant", "Cost per merchant"),
    "merchants_page.kpi.cost_note": (
        "{spent} ÷ {supported} accompagnés", "{spent} ÷ {supported} supported"
    ),
    "merchants_page.kpi.cost_program_only": (
        "programme entier seulement",
        "whole program only",
    ),
    "merchants_page.kpi.cost_help": (
        "Coût par commerçant accompagné : toutes les dépenses admissibles du programme divisées par le "
        "nombre de commerçants accompagnés. Ce chiffre ne se répartit pas par filtre : le coût direct, oui.",
        "Cost per merchant supported: all of the program's eligible spending divided by the merchants "
        "supported. This figure is not split by filter; the direct cost is.",
    ),
    "merchants_page.kpi.ecommerce": ("Boutiques en ligne lancées", "Online stores launched"),
    "merchants_page.kpi.ecommerce_help": (
        "Commerçants sans boutique en ligne au départ et avec une boutique au suivi.",
        "Merchants with no online store at baseline and one at follow-up.",
    ),
    "merchants_page.kpi.jobs": ("Emplois (variation nette)", "Jobs (net change)"),
    "merchants_page.kpi.jobs_help": (
        "Somme des variations d'emplois (suivi − départ) des commerçants mesurés deux fois.",
        "Sum of the change in jobs (follow-up − baseline) of the merchants measured twice.",
    ),
    "merchants_page.kpi.measured_twice": (
        "{count} {count|mesuré|mesurés} deux fois", "{count} measured twice"
    ),
    "merchants_page.kpi.direct": ("Dépenses directes", "Direct spending"),
    "merchants_page.kpi.direct_note": ("liées à un commerçant", "tied to a merchant"),
    "merchants_page.kpi.direct_help": (
        "Dépenses admissibles rattachées à un commerçant précis (services, outils).",
        "Eligible spending tied to a given merchant (services, tools).",
    ),
    "merchants_page.kpi.direct_cost": ("Coût direct par commerçant", "Direct cost per merchant"),
    "merchants_page.kpi.direct_cost_note": (
        "{spent} ÷ {supported} accompagnés", "{spent} ÷ {supported} supported"
    ),
    "merchants_page.kpi.direct_cost_help": (
        "Dépenses directes aux commerçants divisées par le nombre de commerçants accompagnés.",
        "Spending tied to merchants divided by the merchants supported.",
    ),
    # Funnel and indicators
    "merchants_page.funnel": ("Parcours des commerçants", "Merchant funnel"),
    "merchants_page.funnel.reached": ("Rejoints", "Reached"),
    "merchants_page.funnel.supported": ("Accompagnés", "Supported"),
    "merchants_page.funnel.completed": ("Parcours terminé", "Completed"),
    "merchants_page.improvement": (
        "Progrès par indicateur", "Improvement per indicator"
    ),
    "merchants_page.indicators": ("Indicateurs : départ → suivi", "Indicators: baseline → follow-up"),
    "merchants_page.improvement_note": (
        "Vert : variation moyenne à la cible ou au-delà · orange : pas encore · gris : aucune cible.",
        "Green: mean change at or beyond the target · orange: not yet · grey: no target.",
    ),
    "merchants_page.indicators_note": (
        "Moyennes des commerçants mesurés deux fois (« Mesurés » : dernière mesure de départ et de suivi au "
        "plus tard le {as_of}). Variation = suivi − départ. « En progrès » suit le sens de l'indicateur : un "
        "délai qui baisse est un progrès. La cible est une variation moyenne ; « Atteinte » la compare à la "
        "variation moyenne.",
        "Means of the merchants measured twice (“Measured”: latest baseline and follow-up on or before "
        "{as_of}). Change = follow-up − baseline. “Improved” follows the indicator's direction: a shorter "
        "lead time is an improvement. The target is a mean change; “Met” compares the mean change with it.",
    ),
    "merchants_page.points": ("{value} pts", "{value} pts"),
    "merchants_page.met.yes": ("Oui", "Yes"),
    "merchants_page.met.no": ("Non", "No"),
    "merchants_page.col.indicator": ("Indicateur", "Indicator"),
    "merchants_page.col.measured": ("Mesurés", "Measured"),
    "merchants_page.col.baseline": ("Départ", "Baseline"),
    "merchants_page.col.followup": ("Suivi", "Follow-up"),
    "merchants_page.col.mean_change": ("Variation moyenne", "Mean change"),
    "merchants_page.col.median_change": ("Variation médiane", "Median change"),
    "merchants_page.col.improved": ("En progrès", "Improved"),
    "merchants_page.col.target": ("Cible", "Target"),
    "merchants_page.col.met": ("Atteinte", "Met"),
    "merchants_page.col.change": ("Variation", "Change"),
    "merchants_page.col.progress": ("En progrès", "Improved"),
    "merchants_page.col.kind": ("Type", "Kind"),
    "merchants_page.col.date": ("Date", "Date"),
    "merchants_page.col.value": ("Valeur", "Value"),
    "merchants_page.col.vendor": ("Fournisseur", "Vendor"),
    "merchants_page.col.description": ("Description", "Description"),
    "merchants_page.col.category": ("Poste budgétaire", "Category"),
    "merchants_page.col.invoice": ("N° de facture", "Invoice #"),
    "merchants_page.col.eligible": ("Coût admissible", "Eligible cost"),
    "merchants_page.col.file": ("Fichier d'origine", "Source file"),
    "merchants_page.col.row": ("Ligne", "Row"),
    "merchants_page.kind.baseline": ("Départ", "Baseline"),
    "merchants_page.kind.followup": ("Suivi", "Follow-up"),
    "merchants_page.chart.funnel_text": ("{count} · {share} de la cible", "{count} · {share} of target"),
    "merchants_page.chart.target": ("cible :", "target:"),
    "merchants_page.chart.target_met": ("cible atteinte", "target met"),
    "merchants_page.chart.target_not_met": ("cible pas encore atteinte", "target not met yet"),
    "merchants_page.chart.no_target": ("aucune cible", "no target"),
    "merchants_page.chart.improved_hover": (
        "%{x:.0%} en progrès · %{customdata[0]} mesurés deux fois · %{customdata[1]}",
        "%{x:.0%} improved · %{customdata[0]} measured twice · %{customdata[1]}",
    ),
    "merchants_page.chart.improved_axis": ("Part des commerçants en progrès", "Share of merchants improved"),
    # The merchant list
    "merchants_page.list": ("Commerçants", "Merchants"),
    "merchants_page.list_note.staff": (
        "{count} {count|commerçant|commerçants} (registre actuel). Noms, NEQ et coordonnées : "
        "renseignements personnels "
        "(Loi 25), réservés au personnel du programme.",
        "{count} {count|merchant|merchants} (current register). Names, NEQ and contact details are personal "
        "information "
        "(Québec Law 25), for program staff only.",
    ),
    "merchants_page.list_note.aggregate": (
        "{count} {count|commerçant|commerçants} (registre actuel), sans nom, NEQ ni coordonnées : "
        "ces renseignements personnels "
        "(Loi 25) sont réservés au personnel du programme.",
        "{count} {count|merchant|merchants} (current register), without names, NEQ or contact details: that "
        "personal "
        "information (Québec Law 25) is for program staff only.",
    ),
    "merchants_page.list_note.limit": (
        "Les {limit} premiers sont affichés : précisez les filtres.",
        "The first {limit} are shown: narrow the filters.",
    ),
    "merchants_page.list.id": ("N°", "#"),
    "merchants_page.list.name": ("Nom", "Name"),
    "merchants_page.list.neq": ("NEQ", "NEQ"),
    "merchants_page.list.sector": ("Secteur", "Sector"),
    "merchants_page.list.size_band": ("Taille", "Size band"),
    "merchants_page.list.municipality": ("Municipalité", "Municipality"),
    "merchants_page.list.enrolment_date": ("Inscription", "Enrolled"),
    "merchants_page.list.status": ("Statut", "Status"),
    "merchants_page.list.contact_email": ("Courriel", "E-mail"),
    # A merchant's own page (staff)
    "merchants_page.own_page": ("Fiche d'un commerçant", "A merchant's page"),
    "merchants_page.choose": ("Commerçant", "Merchant"),
    "merchants_page.choose_placeholder": ("Choisir un commerçant…", "Choose a merchant…"),
    "merchants_page.neq": ("NEQ {neq}", "NEQ {neq}"),
    "merchants_page.enrolled": ("inscrit le {date}", "enrolled {date}"),
    "merchants_page.contact": (
        "**Personne-ressource** : {name} · **Courriel** : {email} · **Téléphone** : {phone}",
        "**Contact**: {name} · **E-mail**: {email} · **Phone**: {phone}",
    ),
    "merchants_page.erased": (
        "Renseignements personnels effacés le {date} (Loi 25) : les résultats restent, anonymisés.",
        "Personal information erased on {date} (Québec Law 25): the outcomes stay, anonymised.",
    ),
    "merchants_page.tab.changes": ("Avant / après", "Before / after"),
    "merchants_page.tab.measurements": ("Mesures", "Measurements"),
    "merchants_page.tab.expenses": ("Dépenses liées", "Expenses tied to it"),
    "merchants_page.tab.edit": ("Modifier", "Edit"),
    "merchants_page.tab.law25": ("Renseignements personnels (Loi 25)", "Personal information (Law 25)"),
    "merchants_page.no_changes": (
        "Pas encore de mesure de départ et de suivi pour ce commerçant.",
        "No baseline and follow-up for this merchant yet.",
    ),
    "merchants_page.no_measurements": ("Aucune mesure.", "No measurements."),
    "merchants_page.typed": ("saisie manuelle", "entered by hand"),
    "merchants_page.expenses_total": (
        "{count} {count|dépense|dépenses} jusqu'au {as_of} · total admissible : {total}",
        "{count} {count|expense|expenses} up to {as_of} · eligible total: {total}",
    ),
    "merchants_page.law25_intro": (
        "Une demande d'accès reçoit l'export de tout ce que la base contient sur ce commerçant. L'effacement "
        "retire le nom, le NEQ et les coordonnées ; les résultats restent, anonymisés. Les deux sont "
        "journalisés.",
        "An access request receives the export of everything the store holds about this merchant. Erasure "
        "removes the name, NEQ and contact details; the outcomes stay, anonymised. Both are audited.",
    ),
    "merchants_page.export": ("Préparer l'export (JSON)", "Prepare the export (JSON)"),
    "merchants_page.download": ("Télécharger l'export", "Download the export"),
    "merchants_page.erase_confirm": (
        "Je confirme l'effacement définitif des renseignements personnels de {name}.",
        "I confirm the permanent erasure of {name}'s personal information.",
    ),
    "merchants_page.erase": ("Effacer les renseignements personnels", "Erase the personal information"),
    "merchants_page.already_erased": (
        "Renseignements personnels déjà effacés.", "Personal information already erased."
    ),
    "merchants_page.erased_done": (
        "Renseignements personnels du commerçant n° {id} effacés.",
        "Personal information of merchant #{id} erased.",
    ),
    # Add and edit
    "merchants_page.add": ("Ajouter un commerçant", "Add a merchant"),
    "merchants_page.create": ("Ajouter", "Add"),
    "merchants_page.save": ("Enregistrer", "Save"),
    "merchants_page.created": ("Commerçant « {name} » ajouté (n° {id}).", "Merchant “{name}” added (#{id})."),
    "merchants_page.updated": ("Commerçant « {name} » enregistré.", "Merchant “{name}” saved."),
    "merchants_page.field.name": ("Nom de l'entreprise", "Business name"),
    "merchants_page.field.neq": ("NEQ", "NEQ"),
    "merchants_page.field.neq_help": (
        "Numéro d'entreprise du Québec : 10 chiffres.", "Québec enterprise number: 10 digits."
    ),
    "merchants_page.field.sector": ("Secteur", "Sector"),
    "merchants_page.field.size_band": ("Taille", "Size band"),
    "merchants_page.field.municipality": ("Municipalité", "Municipality"),
    "merchants_page.field.enrolment_date": ("Date d'inscription", "Enrolment date"),
    "merchants_page.field.status": ("Statut", "Status"),
    "merchants_page.field.contact_name": ("Personne-ressource", "Contact name"),
    "merchants_page.field.contact_email": ("Courriel", "E-mail"),
    "merchants_page.field.contact_phone": ("Téléphone", "Phone"),
}
