"""The demo's fixed tables: its period and seed, budget, milestones, claims, contributions, commitments,
indicators, the names merchants are drawn from, the staff and the vendors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from cqic_budget.setup import FUNDERS

DEMO_ACTION = "demo-load"
SEED = 20250401
DEMO_RATES = Path(__file__).resolve().parents[2] / "data" / "demo_rates_FXEURCAD.csv"
DEMO_START = date(2025, 4, 1)
DEMO_END = date(2026, 10, 31)  # the last day with expenses, contributions and measurements
CLOSED_YEAR = "2025-2026"  # closed by the demo

D = Decimal

# --- Budget: dollars per category for 2025-2026, 2026-2027, 2027-2028 (2 100 000 $ in all) -----------
FISCAL_YEARS = ("2025-2026", "2026-2027", "2027-2028")
BUDGET = {
    "salaries": (260_000, 330_000, 330_000),
    "professional_fees": (75_000, 70_000, 55_000),
    "travel": (20_000, 45_000, 25_000),
    "marketing": (55_000, 55_000, 50_000),
    "equipment": (60_000, 30_000, 20_000),
    "merchant_services": (100_000, 180_000, 160_000),
    "administration": (60_000, 60_000, 60_000),  # 180 000 $ = 8.6 % of the total, under the 10 % cap
}

# --- Funders, as created by setup.ensure_program -----------------------------------------------------
MEIE, LAVAL, TECHNOMONTREAL, PRIVATE, PICOM = (row[0] for row in FUNDERS)

# --- Milestones: due date, planned cumulative spend ($), names, MEIE payment ($), achieved date --------
# MEIE pays claims: the payments of claims 1 to 3 are tied to milestones 2 to 4 (their amounts are the
# approved claims'); the later payments are planned, the last one including the 10 % holdback.
MILESTONES = [
    (date(2025, 6, 30), 100_000, "Lancement du programme et recrutement de la cohorte 1",
     "Program launch and cohort 1 recruitment", None, date(2025, 6, 27)),
    (date(2025, 10, 31), 270_000, "Diagnostics numériques de la cohorte 1 terminés",
     "Cohort 1 digital assessments completed", 120_000, date(2025, 11, 14)),
    (date(2026, 3, 31), 610_000, "Rapport annuel 2025-2026 et lancement de la cohorte 2",
     "2025-2026 annual report and cohort 2 launch", 150_000, date(2026, 4, 24)),
    (date(2026, 6, 30), 800_000, "Mission commerciale à Lille",
     "Trade mission to Lille", 140_000, date(2026, 7, 8)),
    (date(2026, 12, 15), 1_150_000, "Cohorte 2 : 100 commerçants accompagnés",
     "Cohort 2: 100 merchants supported", 140_000, None),
    (date(2027, 6, 30), 1_560_000, "Vitrine numérique des commerçants de Laval en ligne",
     "Laval merchants' digital showcase online", 140_000, None),
    (date(2028, 3, 31), 2_100_000, "Rapport final et bilan d'impact",
     "Final report and impact assessment", 210_000, None),
]
# MEIE pays claims (SPEC §9), one per period inside a fiscal year: (from, to, created, submitted, approved,
# approved amount or None for the amount claimed, note, paid on, milestone index the payment is tied to).
# Claim 2 is approved for less than claimed; claim 3 is paid late (67 days after its approval); claim 4
# is submitted and still due at the demo's last day.
CLAIMS = [
    (date(2025, 4, 1), date(2025, 9, 30), date(2025, 10, 10), date(2025, 10, 15), date(2025, 11, 5), None,
     "", date(2025, 12, 4), 1),
    (date(2025, 10, 1), date(2026, 3, 31), date(2026, 4, 14), date(2026, 4, 20), date(2026, 5, 5),
     Decimal("180000.00"), "Frais de réception et de représentation non admissibles retirés par le MEIE.",
     date(2026, 5, 21), 2),
    (date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 6), date(2026, 7, 10), date(2026, 7, 20), None, "",
     date(2026, 9, 25), 3),
    (date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 14), date(2026, 10, 20), None, None, "", None, None),
]

# Partners' contributions received: funder, date, dollars, reference.
PARTNER_CONTRIBUTIONS = [
    (LAVAL, date(2025, 5, 15), 100_000, "Ville de Laval — contribution 2025-2026"),
    (TECHNOMONTREAL, date(2025, 7, 10), 50_000, "TechnoMontréal — versement 1"),
    (PRIVATE, date(2025, 9, 30), 40_000, "Fonds Commerce Avenir (fictif) — versement 1"),
    (PRIVATE, date(2025, 12, 15), 35_000, "Groupe Immobilier Carrefour Nord (fictif) — contribution 2025"),
    (TECHNOMONTREAL, date(2026, 1, 15), 40_000, "TechnoMontréal — versement 2"),
    (PRIVATE, date(2026, 3, 20), 40_000, "Fonds Commerce Avenir (fictif) — versement 2"),
    (LAVAL, date(2026, 5, 20), 100_000, "Ville de Laval — contribution 2026-2027"),
    (TECHNOMONTREAL, date(2026, 7, 15), 45_000, "TechnoMontréal — versement 3"),
    (PRIVATE, date(2026, 9, 15), 45_000, "Coopérative Détaillants Unis (fictif) — contribution 2026"),
]
# PICOM's in-kind contribution (premises, facilitation, experts), valued at the end of each quarter: its
# value stands as eligible cost in merchant support services (SPEC §10), on the same base as E.
PICOM_VALUATION = ("Juste valeur marchande : salle de formation 120 m² à 25 $/m²/mois × 3 mois (9 000 $) + "
                   "animation et experts 35 h à 100 $/h (3 500 $)")
PICOM_CATEGORY = "merchant_services"
PICOM_QUARTERS = [
    (date(2025, 6, 30), 12_500, "T1 2025-2026"), (date(2025, 9, 30), 12_500, "T2 2025-2026"),
    (date(2025, 12, 31), 12_500, "T3 2025-2026"), (date(2026, 3, 31), 12_500, "T4 2025-2026"),
    (date(2026, 6, 30), 12_500, "T1 2026-2027"), (date(2026, 9, 30), 12_500, "T2 2026-2027"),
]

# Commitments (engagements): reference, vendor key, category, fiscal year, date, dollars, status.
COMMITMENTS = [
    ("BC-2025-012", "printing", "marketing", "2025-2026", date(2025, 10, 6), 8_000, "closed"),
    ("BC-2026-031", "evaluation", "professional_fees", "2026-2027", date(2026, 9, 10), 19_000, "open"),
    ("CT-2026-007", "web_agency", "merchant_services", "2026-2027", date(2026, 10, 5), 24_000, "open"),
]
# The demo's one budget amendment: 10 000 $ moved from equipment to professional fees in 2026-2027.
AMENDMENT = ("Avenant n° 1 — réaffectation 2026-2027", date(2026, 9, 15),
             "MEIE — Direction du financement des programmes (fictif)",
             {("2026-2027", "equipment"): 20_000, ("2026-2027", "professional_fees"): 80_000})

# --- Impact indicators (SPEC §3). The target is the mean change per merchant, baseline -> follow-up,
# signed like the change itself (a "down" indicator has a negative target). Percentages are fractions.
INDICATORS = [
    ("online_sales_share", "Part des ventes en ligne", "Online share of sales", "percent", "up", D("0.10")),
    ("ecommerce_launched", "Boutique en ligne lancée", "Online store launched", "bool", "up", D("0.50")),
    ("jobs", "Emplois", "Jobs", "count", "up", D("0.5")),
    ("digital_maturity", "Maturité numérique (score sur 100)", "Digital maturity (score out of 100)",
     "score", "up", D("15")),
    ("monthly_revenue", "Chiffre d'affaires mensuel", "Monthly revenue", "cad", "up", D("2500")),
    ("order_lead_time_days", "Délai de traitement des commandes (jours)", "Order lead time (days)",
     "count", "down", D("-2")),
]

# --- Merchants ----------------------------------------------------------------------------------------
MERCHANT_COUNTS = {"completed": 45, "supported": 57, "reached": 48}
MUNICIPALITIES = [
    ("Laval", 58), ("Montréal", 13), ("Terrebonne", 8), ("Blainville", 6), ("Boisbriand", 5),
    ("Sainte-Thérèse", 5), ("Mirabel", 4), ("Repentigny", 4), ("Saint-Eustache", 3), ("Rosemère", 3),
    ("Mascouche", 2),
]
LAVAL_AREAS = [
    "Chomedey", "Sainte-Rose", "Vimont", "Fabreville", "Auteuil", "Duvernay", "Pont-Viau",
    "Laval-des-Rapides", "Sainte-Dorothée", "Saint-François", "Laval-Ouest", "Saint-Vincent-de-Paul",
]
RETAIL_TRADES = [
    "Boutique", "Quincaillerie", "Fromagerie", "Librairie", "Fleuriste", "Épicerie fine", "Animalerie",
    "Mode", "Chaussures", "Bijouterie", "Papeterie", "Vélos", "Jouets", "Articles de cuisine",
    "Boutique cadeaux", "Sports", "Décoration", "Lunetterie", "Maison du thé", "Cave à bières",
    "Boucherie", "Boulangerie", "Friperie", "Quincaillerie", "Disquaire", "Mercerie",
]
WHOLESALE_TRADES = [
    "Distribution", "Grossiste alimentaire", "Importations", "Fournitures", "Emballages", "Matériaux",
    "Équipements de restaurant", "Produits d'entretien", "Textiles", "Pièces et accessoires",
]
PLACE_WORDS = [
    "du Boulevard", "des Mille-Îles", "de la Rive-Nord", "du Vieux-Moulin", "des Érables", "du Carrefour",
    "Le Comptoir", "L'Atelier", "La Mansarde", "Le Grenier", "Boréal", "Horizon", "Le Quartier",
    "Les Deux Rives", "Saint-Laurent", "La Belle Époque", "Le Marché", "L'Escale",
]
SURNAMES = [
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
    "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard",
    "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe",
    "Leclerc", "Lefebvre", "Poulin", "Thibault", "St-Pierre", "Nadeau", "Martin", "Landry", "Hébert",
    "Desjardins", "Ménard", "Lachance", "Dion", "Nguyen", "Haddad", "Khoury", "Rossi", "Silva",
    "Joseph", "Pierre-Louis", "Benali", "Chen", "Papadopoulos",
]
FIRST_NAMES = [
    "Marie", "Julie", "Isabelle", "Nathalie", "Sophie", "Catherine", "Mélanie", "Émilie", "Geneviève",
    "Chantal", "Karine", "Annie", "Amélie", "Camille", "Léa", "Fatima", "Yasmine", "Linh", "Sofia",
    "Jean", "Luc", "Martin", "Stéphane", "Patrick", "François", "Mathieu", "Alexandre", "Éric",
    "Sébastien", "Simon", "Olivier", "Maxime", "Karim", "Samir", "Minh", "Marco", "Dimitri", "Jérôme",
]
NEQ_PREFIXES = ["114", "116", "117", "118", "22", "33"]

# --- Staff paid by the program: code, title, monthly gross salary in 2025-2026, first month ------------
STAFF = [
    ("E-001", "Directrice du programme (40 %)", D("3200.00"), date(2025, 4, 1)),
    ("E-002", "Coordonnatrice du programme", D("4600.00"), date(2025, 4, 1)),
    ("E-003", "Conseiller en commerce numérique", D("4800.00"), date(2025, 5, 1)),
    ("E-004", "Conseillère en commerce électronique", D("4800.00"), date(2025, 7, 1)),
    ("E-005", "Analyste, données et impact (50 %)", D("2500.00"), date(2025, 10, 1)),
    ("E-006", "Conseiller en commerce numérique, cohorte 2", D("4700.00"), date(2026, 2, 1)),
]
ADVISORS = ("E-002", "E-003", "E-004", "E-006")  # the staff who visit merchants
SALARY_INDEXATION = D("1.025")  # from 2026-04-01
EMPLOYER_CHARGES = D("0.13")  # RRQ, AE, RQAP, FSS, CNESST
KM_RATE = D("0.68")  # the program's mileage allowance, $/km

# Spending pace by month (1.0 = the year's budget spread evenly): a ramp-up in the first year.
PACE = {
    (2025, 4): 0.30, (2025, 5): 0.45, (2025, 6): 0.65, (2025, 7): 0.60, (2025, 8): 0.65,
    (2025, 9): 0.95, (2025, 10): 1.05, (2025, 11): 1.10, (2025, 12): 0.85, (2026, 1): 1.00,
    (2026, 2): 1.10, (2026, 3): 1.25, (2026, 4): 0.95, (2026, 5): 1.00, (2026, 6): 1.05,
    (2026, 7): 0.75, (2026, 8): 0.70, (2026, 9): 1.05, (2026, 10): 1.10,
}
MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre",
]

# Vendors: name and invoice-number pattern ({n} a running number, {y} the year, {m} the month).
VENDORS = {
    "payroll": ("Paie CQIC", "PAIE-{y}-{m:02d}"),
    "expense_claim": ("Notes de frais des employés", "NDF-{n:05d}"),
    "payroll_service": ("Paie Express Québec inc. (fictif)", "PEQ-{n:06d}"),
    "rent": ("Gestion Immobilière Le Carrefour inc. (fictif)", "LOY-{y}{m:02d}"),
    "telecom": ("Télécom Laurentides Affaires (fictif)", "TLA{n:07d}"),
    "mobile": ("Mobilité Rive-Nord (fictif)", "MRN-{n:06d}"),
    "supplies": ("Bureau en Gros", "BEG-{n:07d}"),
    "post": ("Postes Canada", "PC-{n:08d}"),
    "courier": ("Purolator", "PUR{n:09d}"),
    "bank": ("Caisse d'économie du Boulevard (fictif)", "FRAIS-{y}-{m:02d}"),
    "it_support": ("Informatique Lavalloise inc. (fictif)", "IL-{n:05d}"),
    "insurance": ("Assurances Lachance & Associés (fictif)", "ALA-{y}-{n:04d}"),
    "chamber": ("Chambre de commerce de la Rive-Nord (fictif)", "CCRN-{y}-{n:04d}"),
    "bookkeeping": ("Lavoie Bergeron CPA s.e.n.c.r.l. (fictif)", "LB-{y}-{n:04d}"),
    "strategy": ("Groupe Conseil Vitrine numérique inc. (fictif)", "GCV-{n:05d}"),
    "legal": ("Dufresne Avocats (fictif)", "DA-{n:05d}"),
    "analytics": ("Analytique Boréale inc. (fictif)", "AB{n:06d}"),
    "design": ("Studio Marée Haute (fictif)", "MH-{n:04d}"),
    "translation": ("Traductions Deux Langues (fictif)", "TDL-{n:04d}"),
    "evaluation": ("Évaluation Praxis inc. (fictif)", "EP-{n:04d}"),
    "export": ("Nord Export Conseil SARL (fictif)", "NEC-{y}-{n:03d}"),
    "printing": ("Imprimerie Chomedey inc. (fictif)", "IC-{n:05d}"),
    "meta": ("Meta Platforms Ireland", "FBADS-{n:09d}"),
    "google": ("Google Canada (Google Ads)", "GADS-{n:09d}"),
    "local_paper": ("Hebdo Rive-Nord Médias (fictif)", "HRN-{n:05d}"),
    "promo": ("Promotions Sigma (fictif)", "PS-{n:05d}"),
    "venue": ("Espace Événementiel Montmorency (fictif)", "EEM-{n:04d}"),
    "caterer": ("Traiteur Saveurs de l'Île inc. (fictif)", "TSI-{n:05d}"),
    "av": ("Audiovisuel Pro Laval (fictif)", "APL-{n:05d}"),
    "photo": ("Studio Photo Éclat (fictif)", "SPE-{n:04d}"),
    "saq": ("SAQ", "SAQ-{n:08d}"),
    "microsoft": ("Microsoft Canada (Microsoft 365)", "E0{n:09d}"),
    "zoom": ("Zoom Video Communications", "INV{n:08d}"),
    "crm": ("HubSpot (CRM)", "HS-{n:07d}"),
    "canva": ("Canva Pty Ltd", "CNV-{n:07d}"),
    "adobe": ("Adobe Systems Canada", "ADB{n:08d}"),
    "shopify": ("Shopify Partners", "SHP-{n:07d}"),
    "newsletter": ("Mailchimp (Intuit)", "MC-{n:08d}"),
    "forms": ("SurveyMonkey", "SM-{n:08d}"),
    "passwords": ("1Password", "1P-{n:08d}"),
    "scheduling": ("Calendly", "CAL-{n:08d}"),
    "dell": ("Dell Canada", "DC-{n:08d}"),
    "apple": ("Apple Canada", "W{n:09d}"),
    "diagnostic": ("Numérik Conseil, coopérative (fictif)", "NC-{n:05d}"),
    "web_agency": ("Agence Pixel Laval inc. (fictif)", "PXL-{n:05d}"),
    "studio": ("Studio Vitrine 450 (fictif)", "SV450-{n:04d}"),
    "seo": ("Référencement Nordique inc. (fictif)", "RN-{n:05d}"),
    "inventory": ("LogiStock Solutions inc. (fictif)", "LS-{n:05d}"),
    "training": ("Formation Commerce 360 (fictif)", "FC360-{n:04d}"),
    "hosting": ("Hébergement Web Québec (fictif)", "HWQ-{n:07d}"),
    "via": ("VIA Rail Canada", "VIA-{n:08d}"),
    "quebec_hotel": ("Hôtel Grande-Allée Québec (fictif)", "HGA-{n:06d}"),
    "parking": ("Stationnement Indigo", "IND-{n:08d}"),
    "transit": ("Autorité régionale de transport métropolitain (OPUS)", "ARTM-{n:08d}"),
    "restaurant": ("Bistro du Centre (fictif)", "BDC-{n:06d}"),
    "cafe": ("Café Le Quartier Laval (fictif)", "CQL-{n:06d}"),
    "airline": ("Air Transat", "TS-{n:07d}"),
    "sncf": ("SNCF Voyageurs", "SNCF-{n:08d}"),
    "lille_hotel": ("Hôtel Vieux-Lille Grand Place (fictif)", "VLGP-{n:05d}"),
    "lille_fair": ("Lille Commerce Événements SAS (fictif)", "LCE-2026-{n:04d}"),
    "lille_caterer": ("Traiteur Flandres Réceptions (fictif)", "TFR-{n:05d}"),
    "lille_taxi": ("Taxis et transports — Lille", "TXL-2026-{n:03d}"),
    "travel_insurance": ("Assurances Lachance & Associés (fictif)", "ALA-V-{n:04d}"),
    "fine_montreal": ("Ville de Montréal — cour municipale", "CI-{n:09d}"),
    "fine_laval": ("Ville de Laval — cour municipale", "CL-{n:09d}"),
    "other_project": ("Groupe Conseil Vitrine numérique inc. (fictif)", "GCV-{n:05d}"),
}

INELIGIBLE_ALCOHOL = "Alcool lors d'un événement"
INELIGIBLE_FINE = "Amende de stationnement"
INELIGIBLE_GIFT = "Cadeaux aux employés"
INELIGIBLE_OTHER_PROJECT = "Dépense d'un autre projet du CQIC, imputée par erreur"
INELIGIBLE_MEAL = "Repas sans lien avec le programme"
INELIGIBLE_LATE_FEE = "Frais de retard de paiement"
