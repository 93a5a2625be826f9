"""The deterministic demo data set: the CQIC program's first 19 months (2025-04-01 to 2026-10-31).

Budget lines, milestones (MEIE's claim payments tied to some), contributions, about 2 600 expenses,
150 merchants and their impact measurements. Everything comes from seeded `random.Random` instances
(one per part, so that tuning one part leaves the others unchanged) and fixed tables: two loads give
the same store, on SQLite as on PostgreSQL. Nothing reads the clock.

MEIE pays claims (SPEC §9): four claims for past periods, one approved for less than claimed, one paid
late, the last still due on 2026-10-31; 2025-2026 is closed. Partners are in line, public aid stays under
the stacking cap (inside 2025-2026 Laval's 100 000 $ paid up front is a timing "watch") and
administration under 10 %; two budget lines of 2025-2026 ran beyond their line plus the tolerance.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit
from cqic_budget.auth import LOCAL_USER, require
from cqic_budget.budget import record_amendment, sync_in_kind_expenses
from cqic_budget.claims import approve_claim, new_claim, pay_claim, submit_claim
from cqic_budget.closing import close_year
from cqic_budget.currency import CAD, RateBook, convert, load_rate_book, parse_valet, store_rates
from cqic_budget.db import bump_data_version
from cqic_budget.i18n import t
from cqic_budget.models import (
    AuditEvent,
    BudgetLine,
    Category,
    Commitment,
    Contribution,
    Expense,
    Funder,
    Indicator,
    Measurement,
    Merchant,
    Milestone,
    Program,
)
from cqic_budget.money import (
    GST_RATE,
    QST_RATE,
    TAX_FOREIGN,
    TAX_QC,
    eligible_cents,
    from_cents,
    round_cents,
    to_cents,
)
from cqic_budget.periods import add_months, month_end, months_between
from cqic_budget.setup import FUNDERS, ensure_program

DEMO_ACTION = "demo-load"
SEED = 20250401
DEMO_RATES = Path(__file__).resolve().parent.parent / "data" / "demo_rates_FXEURCAD.csv"
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
AMENDMENT = ("Avenant no 1 — réaffectation 2026-2027", date(2026, 9, 15),
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


class DemoConflict(ValueError):
    """The program already holds data of its own: the demo loads only into an empty program."""

    code = "demo-conflict"

    def message(self, lang: str = "fr") -> str:
        return t("demo.conflict", lang)


def _rng(part: str) -> random.Random:
    # A string seed is hashed with SHA-512 by random.Random: stable across runs and Python processes.
    return random.Random(f"{SEED}:{part}")


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return D(rng.randint(round(low * 100), round(high * 100))) / 100


def _dollars(rng: random.Random, low: int, high: int, step: int = 5) -> Decimal:
    return D(rng.randrange(low, high + 1, step))


def _business_day(rng: random.Random, month: date, first: int = 1, last: int = 31) -> date:
    """A weekday of `month` between the given days, never after DEMO_END."""
    end = min(month_end(month), DEMO_END, month.replace(day=min(last, month_end(month).day)))
    days = [d for d in (month.replace(day=i) for i in range(min(first, end.day), end.day + 1))
            if d.weekday() < 5]
    return rng.choice(days) if days else end


def _last_business_day(month: date) -> date:
    day = min(month_end(month), DEMO_END)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _month_label(day: date) -> str:
    return f"{MONTHS_FR[day.month - 1]} {day.year}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch in ".-")


# --- Expenses -----------------------------------------------------------------------------------------
@dataclass
class _Expenses:
    """Collects expense rows as plain dicts for one executemany insert."""

    program_id: int
    category_ids: dict[str, int]
    recovery_rate: Decimal
    rates: RateBook = field(default_factory=RateBook)  # the demo's euro rates (data/demo_rates_FXEURCAD.csv)
    commitments: dict[str, int] = field(default_factory=dict)  # reference -> commitment id
    rows: list[dict] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    _bases: random.Random = field(default_factory=lambda: _rng("invoice-numbers"))

    def invoice(self, vendor: str, day: date) -> str:
        if vendor not in self.counters:
            self.counters[vendor] = self._bases.randrange(100, 9000)
        self.counters[vendor] += 1
        return VENDORS[vendor][1].format(n=self.counters[vendor], y=day.year, m=day.month)

    def add(
        self, day: date, vendor: str, description: str, category: str, amount: Decimal, *,
        taxable: bool = True, ineligible: str = "", merchant_id: int | None = None,
        invoice: str | None = None, currency: str = CAD, commitment: str | None = None,
    ) -> None:
        """An expense of `amount` before taxes, in CAD or, with `currency`, as written in that currency
        (converted at the stored rate of its date, as an import would; never taxed in Québec)."""
        if not DEMO_START <= day <= DEMO_END:
            raise ValueError(f"demo expense dated {day}, outside {DEMO_START}..{DEMO_END}")
        amount = round_cents(amount)
        fx: dict = {"currency": CAD, "written_amount_cents": None, "written_gst_cents": None,
                    "written_qst_cents": None, "fx_rate": None, "fx_source": "", "fx_reference_rate": None,
                    "tax_treatment": TAX_QC}
        if currency != CAD:
            conversion = convert(currency, (to_cents(amount), 0, 0), day, self.rates)
            if conversion is None:
                raise ValueError(f"demo expense in {currency} dated {day}: no rate in the demo rates file")
            fx.update(currency=currency, written_amount_cents=conversion.written[0], written_gst_cents=0,
                      written_qst_cents=0, fx_rate=str(conversion.rate), fx_source=conversion.source,
                      fx_reference_rate=str(conversion.reference_rate), tax_treatment=TAX_FOREIGN)
            amount, taxable = from_cents(conversion.cad[0]), False
        gst = round_cents(amount * GST_RATE) if taxable else D(0)
        qst = round_cents(amount * QST_RATE) if taxable else D(0)
        amount_c, gst_c, qst_c = to_cents(amount), to_cents(gst), to_cents(qst)
        # Taxes rounded per row, then the eligible cost at the program's recovery rate (0 when ineligible).
        eligible = eligible_cents(amount_c, gst_c, qst_c, self.recovery_rate, eligible=not ineligible,
                                  tax_treatment=fx["tax_treatment"])
        self.rows.append({
            "program_id": self.program_id,
            "date": day,
            "vendor": VENDORS[vendor][0],
            "description": description,
            "category_id": self.category_ids[category],
            "invoice_number": invoice if invoice is not None else self.invoice(vendor, day),
            "amount_cents": amount_c,
            "gst_cents": gst_c,
            "qst_cents": qst_c,
            "eligible_cents": eligible,
            "eligible": not ineligible,
            "ineligible_reason": ineligible,
            "needs_review": False,
            "review_reason": "",
            "merchant_id": merchant_id,
            "batch_id": None,
            "source_row": None,
            "commitment_id": self.commitments[commitment] if commitment else None,
            **fx,
        })


def _months() -> list[date]:
    return list(months_between(DEMO_START, DEMO_END))


def _salaries(out: _Expenses) -> None:
    for month in _months():
        pay_day = _last_business_day(month)
        gross_total = D(0)
        for code, title, gross, start in STAFF:
            if month < start:
                continue
            if month >= date(2026, 4, 1):
                gross = round_cents(gross * SALARY_INDEXATION)
            gross_total += gross
            out.add(pay_day, "payroll", f"Salaire — {title} ({code}) — {_month_label(month)}", "salaries",
                    gross, taxable=False, invoice=f"PAIE-{month:%Y-%m}-{code}")
        out.add(pay_day, "payroll",
                f"Cotisations de l'employeur (RRQ, AE, RQAP, FSS, CNESST) — {_month_label(month)}",
                "salaries", gross_total * EMPLOYER_CHARGES, taxable=False, invoice=f"PAIE-{month:%Y-%m}-COT")


SUPPLIES = [
    ("Papier, cartouches d'encre et fournitures de bureau", 25, 180),
    ("Classeurs, chemises et étiquettes", 15, 75),
    ("Fournitures pour ateliers (tableaux, marqueurs, post-it)", 30, 140),
    ("Piles, rallonges et petits accessoires informatiques", 20, 110),
    ("Café, thé et fournitures de cuisine pour le bureau", 18, 90),
    ("Enveloppes et papier à en-tête", 20, 95),
]


def _administration(out: _Expenses) -> None:
    rng = _rng("administration")
    for month in _months():
        first_weekday = _business_day(rng, month, 1, 5)
        out.add(first_weekday, "rent", f"Loyer — bureaux du programme, Laval — {_month_label(month)}",
                "administration", D("1750.00"))
        out.add(_business_day(rng, month, 5, 12), "telecom",
                f"Internet et téléphonie IP — {_month_label(month)}", "administration", D("184.95"))
        out.add(_business_day(rng, month, 8, 15), "mobile",
                f"Forfaits cellulaires des conseillers — {_month_label(month)}", "administration",
                D("45.00") * (3 if month >= date(2025, 7, 1) else 2))
        out.add(_last_business_day(month), "bank", f"Frais de service mensuels — {_month_label(month)}",
                "administration", D("38.50"), taxable=False)
        out.add(_business_day(rng, month, 1, 10), "it_support",
                f"Soutien informatique et sauvegardes — {_month_label(month)}", "administration", D("325.00"))
        out.add(_last_business_day(month), "payroll_service", f"Service de paie — {_month_label(month)}",
                "administration", D("64.00"))
        for _ in range(rng.randint(6, 12)):
            what, low, high = rng.choice(SUPPLIES)
            out.add(_business_day(rng, month), "supplies", what, "administration", _money(rng, low, high))
        for _ in range(rng.randint(1, 3)):
            out.add(_business_day(rng, month), "post", "Envoi postal — documents aux partenaires",
                    "administration", _money(rng, 9, 45))
        if rng.random() < 0.6:
            out.add(_business_day(rng, month), "courier", "Messagerie — contrats signés", "administration",
                    _money(rng, 14, 38))
    for year in (2025, 2026):
        out.add(date(year, 4, 15), "insurance", f"Assurance responsabilité civile et biens {year}-{year + 1}",
                "administration", D("2860.00"), taxable=False)
        out.add(date(year, 5, 12), "chamber", f"Cotisation annuelle {year}-{year + 1}", "administration",
                D("495.00"))
    out.add(date(2025, 12, 12), "supplies", "Cartes-cadeaux de fin d'année pour l'équipe", "administration",
            D("300.00"), ineligible=INELIGIBLE_GIFT)
    out.add(date(2026, 2, 9), "telecom", "Frais de retard — facture de décembre", "administration",
            D("18.50"), taxable=False, ineligible=INELIGIBLE_LATE_FEE)
    out.add(date(2026, 3, 17), "telecom", "Note de crédit — erreur de facturation (février 2026)",
            "administration", D("-92.48"))


CONSULTING = [
    ("strategy", "Accompagnement stratégique — feuille de route numérique du programme", 14, 40),
    ("strategy", "Atelier de cocréation avec les partenaires du programme", 8, 20),
    ("analytics", "Analyse des indicateurs d'impact des commerçants", 10, 30),
    ("analytics", "Tableau de bord des indicateurs — développement", 12, 36),
    ("design", "Conception graphique — trousse d'outils pour les commerçants", 10, 30),
    ("design", "Gabarits de présentation et infographies", 6, 16),
    ("translation", "Traduction français-anglais — documents du programme", 4, 14),
    ("legal", "Révision des ententes de partenariat", 3, 10),
    ("legal", "Avis juridique — Loi 25 et renseignements personnels des commerçants", 4, 12),
]
HOURLY_RATES = {"strategy": 145, "analytics": 125, "design": 105, "translation": 90, "legal": 225}


def _professional_fees(out: _Expenses) -> None:
    rng = _rng("professional-fees")
    for month in _months():
        out.add(_business_day(rng, month, 3, 12), "bookkeeping",
                f"Tenue de livres et conciliations — {_month_label(add_months(month, -1))}",
                "professional_fees", _dollars(rng, 850, 1250, 25))
        fy_budget = BUDGET["professional_fees"][0 if month < date(2026, 4, 1) else 1]
        # Recurring bookkeeping and the one-off mandates below take the rest of the line.
        envelope = D(fy_budget) / 12 * D(str(PACE[(month.year, month.month)])) * D("0.55")
        spent = D(0)
        while spent < envelope:
            vendor, what, low, high = rng.choice(CONSULTING)
            hours = D(rng.randint(low, high)) + (D("0.5") if rng.random() < 0.4 else 0)
            amount = hours * HOURLY_RATES[vendor]
            hours_fr = f"{hours:f}".replace(".", ",")
            out.add(_business_day(rng, month), vendor, f"{what} ({hours_fr} h)", "professional_fees", amount)
            spent += amount
    out.add(date(2026, 5, 20), "bookkeeping", "Mission d'examen — états financiers 2025-2026",
            "professional_fees", D("7800.00"))
    out.add(date(2026, 5, 29), "bookkeeping", "Reddition de comptes au MEIE — rapport financier annuel",
            "professional_fees", D("2400.00"))
    out.add(date(2026, 9, 25), "evaluation", "Évaluation de mi-parcours du programme — premier versement",
            "professional_fees", D("9500.00"), commitment="BC-2026-031")
    out.add(date(2026, 4, 20), "export", "Rendez-vous B2B préqualifiés pour la mission à Lille",
            "professional_fees", D("2500.00"), currency="EUR")
    out.add(date(2025, 9, 18), "other_project",
            "Accompagnement stratégique — projet Centre-ville vivant (autre programme)", "professional_fees",
            D("2610.00"), ineligible=INELIGIBLE_OTHER_PROJECT)
    out.add(date(2026, 1, 22), "strategy", "Note de crédit — ajustement d'honoraires (facture de décembre)",
            "professional_fees", D("-435.00"))


def _advisors_on(month: date) -> list[str]:
    return [code for code, _, _, start in STAFF if code in ADVISORS and start <= month]


def _travel(out: _Expenses, municipalities: list[str]) -> None:
    rng = _rng("travel")
    for month in _months():
        pace = PACE[(month.year, month.month)]
        for code in _advisors_on(month):
            visits = round(rng.randint(10, 16) * min(1.0, pace + 0.2))
            for _ in range(visits):
                day = _business_day(rng, month)
                town = rng.choice(municipalities)
                km = rng.randint(8, 30) if town == "Laval" else rng.randint(25, 85)
                out.add(day, "expense_claim",
                        f"Kilométrage — visite d'un commerçant à {town} ({km} km à 0,68 $)", "travel",
                        KM_RATE * km, taxable=False, invoice=f"NDF-{day:%Y%m}-{code}-{km:02d}")
                if town in ("Montréal", "Laval") and rng.random() < 0.45:
                    out.add(day, "parking", f"Stationnement — visite d'un commerçant à {town}", "travel",
                            _money(rng, 4, 22))
        for _ in range(rng.randint(1, 4)):
            out.add(_business_day(rng, month), "transit",
                    "Titres de transport en commun — visites à Montréal", "travel",
                    D("11.50") * rng.randint(1, 4))
        for _ in range(rng.randint(4, 9)):
            vendor = rng.choice(["restaurant", "cafe"])
            meal = _money(rng, 22, 95)
            if rng.random() < 0.04:
                out.add(_business_day(rng, month), vendor, "Repas — dîner d'équipe", "travel", meal,
                        ineligible=INELIGIBLE_MEAL)
            else:
                out.add(_business_day(rng, month), vendor, "Repas d'affaires — rencontre avec un partenaire",
                        "travel", meal)
    for day, trip in ((date(2025, 9, 16), "rencontre de suivi au MEIE"),
                      (date(2026, 3, 10), "présentation du rapport d'étape au MEIE"),
                      (date(2026, 9, 22), "comité de suivi du programme au MEIE")):
        out.add(day - timedelta(days=12), "via",
                f"Billets de train Montréal–Québec aller-retour (2) — {trip}", "travel", D("236.00"))
        out.add(day, "quebec_hotel", f"Hébergement à Québec, 1 nuit, 2 chambres — {trip}", "travel",
                D("378.00"))
        out.add(day, "restaurant", f"Repas à Québec — {trip}", "travel", _money(rng, 70, 140))
    fines = [(date(2025, 10, 7), "fine_montreal", 63), (date(2026, 2, 24), "fine_laval", 52),
             (date(2026, 8, 11), "fine_montreal", 63)]
    for day, vendor, amount in fines:
        out.add(day, vendor, "Constat d'infraction — stationnement lors d'une visite", "travel", D(amount),
                taxable=False, ineligible=INELIGIBLE_FINE)
    _lille_mission(out)


def _lille_mission(out: _Expenses) -> None:
    """The trade mission to Lille, 8-12 June 2026: three delegates, a shared stand, a networking event."""
    delegates = ("E-001", "E-003", "E-004")
    # International air fares are zero-rated: no GST or QST; amounts in euros are converted on the day.
    for code, fare in zip(delegates, (D("1385.40"), D("1385.40"), D("1412.15")), strict=True):
        out.add(date(2026, 4, 14), "airline",
                f"Billet d'avion YUL–CDG aller-retour — mission à Lille ({code})", "travel", fare,
                taxable=False)
    out.add(date(2026, 5, 4), "lille_fair", "Inscription de 3 délégués — Rencontres du commerce connecté "
            "de Lille", "travel", D("1230.00"), currency="EUR")
    out.add(date(2026, 5, 4), "lille_fair", "Stand collectif du Québec, 5 commerçants lavallois", "travel",
            D("4200.00"), currency="EUR")
    out.add(date(2026, 5, 20), "printing", "Brochures bilingues des commerçants — mission à Lille",
            "marketing", D("1150.00"))
    out.add(date(2026, 5, 26), "travel_insurance", "Assurance voyage — 3 délégués, mission à Lille", "travel",
            D("186.00"), taxable=False)
    out.add(date(2026, 6, 8), "sncf", "Train Paris-Nord–Lille-Flandres aller-retour, 3 billets", "travel",
            D("139.50"), currency="EUR")
    out.add(date(2026, 6, 10), "lille_caterer", "Réception de réseautage — bouchées et boissons sans alcool",
            "travel", D("905.00"), currency="EUR")
    out.add(date(2026, 6, 10), "lille_caterer", "Réception de réseautage — vins", "travel", D("420.00"),
            currency="EUR", ineligible=INELIGIBLE_ALCOHOL)
    out.add(date(2026, 6, 12), "lille_hotel", "Hébergement — 4 nuits, 3 chambres", "travel", D("1932.00"),
            currency="EUR")
    out.add(date(2026, 6, 12), "lille_taxi", "Taxis et transports locaux à Lille", "travel", D("121.00"),
            currency="EUR")
    for code in delegates:
        out.add(date(2026, 6, 15), "expense_claim",
                f"Indemnités quotidiennes (per diem), 5 jours à 95,00 $ — mission à Lille ({code})", "travel",
                D("475.00"), taxable=False, invoice=f"NDF-202606-{code}-LIL")
    out.add(date(2026, 6, 19), "airline",
            "Note de crédit — remboursement partiel d'un changement de vol (E-004)", "travel", D("-210.00"),
            taxable=False)


EVENTS = [
    (date(2025, 6, 12), "Lancement du programme", 90),
    (date(2025, 11, 20), "Rendez-vous du commerce numérique de Laval", 160),
    (date(2026, 2, 18), "Lancement de la cohorte 2", 110),
    (date(2026, 9, 24), "Vitrine des commerçants accompagnés", 180),
]


PRINTED = [
    "Dépliants du programme (2 500 ex.)", "Affiches et bannières autoportantes",
    "Cartes professionnelles des conseillers", "Autocollants « Commerce accompagné »",
    "Guides imprimés pour les commerçants",
]


def _marketing(out: _Expenses) -> None:
    rng = _rng("marketing")
    for month in _months():
        fy = 0 if month < date(2026, 4, 1) else 1
        pace = D(str(PACE[(month.year, month.month)]))
        monthly = D(BUDGET["marketing"][fy]) / 12 * pace
        # Meta bills each time the spend reaches a threshold: a few invoices a month.
        meta_invoices = rng.randint(2, 4)
        for _ in range(meta_invoices):
            out.add(_business_day(rng, month), "meta",
                    "Publicité Facebook et Instagram — recrutement de commerçants", "marketing",
                    round_cents(monthly * D("0.15") / meta_invoices * D(str(rng.uniform(0.8, 1.2)))))
        out.add(_business_day(rng, month, 1, 6), "google", f"Annonces Google Ads — {_month_label(month)}",
                "marketing", round_cents(monthly * D("0.10") * D(str(rng.uniform(0.8, 1.2)))))
        if rng.random() < 0.35:
            out.add(_business_day(rng, month), "local_paper", "Publicité — appel aux commerçants de Laval",
                    "marketing", _dollars(rng, 350, 900, 25))
        for _ in range(rng.randint(0, 2)):
            what = rng.choice(PRINTED)
            out.add(_business_day(rng, month), "printing", what, "marketing", _dollars(rng, 120, 900))
        if rng.random() < 0.25:
            out.add(_business_day(rng, month), "promo", "Articles promotionnels (sacs, stylos, clés USB)",
                    "marketing", _dollars(rng, 300, 1200, 10))
        if rng.random() < 0.3:
            out.add(_business_day(rng, month), "photo",
                    "Photos et capsules vidéo — témoignages de commerçants", "marketing",
                    _dollars(rng, 450, 1400, 25))
    for day, name, guests in EVENTS:
        out.add(day - timedelta(days=30), "venue", f"Location de salle — {name}", "marketing",
                D(rng.randrange(2200, 3800, 50)))
        out.add(day, "caterer", f"Traiteur, {guests} invités — {name}", "marketing", D(guests) * D("32.50"))
        out.add(day, "av", f"Sonorisation et projection — {name}", "marketing", _dollars(rng, 900, 1800, 50))
        out.add(day, "photo", f"Couverture photo — {name}", "marketing", D("650.00"))
        out.add(day - timedelta(days=14), "printing", f"Programme imprimé et affiches — {name}", "marketing",
                _dollars(rng, 380, 900, 10))
        out.add(day - timedelta(days=2), "saq", f"Vins pour le cocktail — {name}", "marketing",
                _money(rng, 420, 980), ineligible=INELIGIBLE_ALCOHOL)
    out.add(date(2025, 12, 8), "venue", "Note de crédit — annulation partielle de la salle (Rendez-vous)",
            "marketing", D("-400.00"))


SUBSCRIPTIONS = [
    ("microsoft", "Microsoft 365 Affaires Standard", D("16.90"), True),  # per user
    ("zoom", "Zoom Pro — 2 licences", D("43.98"), False),
    ("crm", "CRM — suivi des commerçants (forfait Starter, 4 places)", D("88.00"), False),
    ("canva", "Canva Teams", D("21.00"), True),
    ("adobe", "Adobe Creative Cloud — 1 licence", D("109.99"), False),
    ("shopify", "Boutiques de démonstration pour les ateliers", D("52.00"), False),
    ("newsletter", "Outil d'infolettres (forfait Standard)", D("38.00"), False),
    ("forms", "Formulaires et sondages en ligne", D("29.00"), False),
    ("passwords", "Gestionnaire de mots de passe", D("4.50"), True),
    ("scheduling", "Prise de rendez-vous en ligne (conseillers)", D("16.00"), False),
]


def _equipment(out: _Expenses) -> None:
    rng = _rng("equipment")
    for month in _months():
        users = sum(1 for _, _, _, start in STAFF if start <= month)
        for vendor, what, price, per_user in SUBSCRIPTIONS:
            out.add(_business_day(rng, month, 1, 8), vendor, f"{what} — {_month_label(month)}", "equipment",
                    price * users if per_user else price)
    purchases = [
        (date(2025, 4, 22), "dell", "Ordinateurs portables Latitude (3) et stations d'accueil", D("6435.00")),
        (date(2025, 4, 22), "dell", "Écrans 27 po (6)", D("1794.00")),
        (date(2025, 5, 6), "apple", "Tablettes iPad (8) pour les diagnostics en magasin", D("5592.00")),
        (date(2025, 5, 13), "supplies", "Mobilier de bureau — postes de travail (4)", D("3960.00")),
        (date(2025, 5, 27), "dell", "Ordinateur portable Latitude — conseiller (E-003)", D("2145.00")),
        (date(2025, 6, 3), "supplies", "Projecteur portatif et écran sur trépied", D("1389.00")),
        (date(2025, 6, 17), "studio", "Trousse de photographie mobile pour les ateliers", D("2480.00")),
        (date(2025, 7, 8), "dell", "Ordinateur portable Latitude — conseillère (E-004)", D("2145.00")),
        (date(2025, 7, 15), "it_support", "Installation du réseau et du serveur de fichiers", D("3650.00")),
        (date(2025, 9, 9), "apple", "Terminaux de paiement de démonstration et lecteurs de codes-barres",
         D("2318.00")),
        (date(2025, 10, 7), "dell", "Ordinateur portable Latitude — analyste (E-005)", D("1995.00")),
        (date(2025, 11, 18), "it_support", "Licences de sécurité et pare-feu (3 ans)", D("2760.00")),
        (date(2026, 1, 27), "dell", "Ordinateur portable Latitude — conseiller (E-006)", D("2210.00")),
        (date(2026, 2, 10), "apple", "Tablettes iPad (4) — cohorte 2", D("2876.00")),
        (date(2026, 3, 24), "supplies", "Salle de formation — écran interactif 65 po", D("4890.00")),
        (date(2026, 6, 2), "dell", "Écrans 27 po (2) et casques", D("948.00")),
        (date(2026, 8, 18), "apple", "Bornes tactiles (2) pour la vitrine des commerçants", D("4180.00")),
        (date(2026, 9, 15), "it_support", "Renouvellement des licences de sauvegarde", D("840.00")),
    ]
    for day, vendor, what, amount in purchases:
        out.add(day, vendor, what, "equipment", amount)
    out.add(date(2025, 5, 20), "dell", "Note de crédit — retour d'un écran défectueux", "equipment",
            D("-299.00"))


@dataclass
class _MerchantPlan:
    """A merchant before it is stored, with what the program did for it."""

    name: str
    neq: str
    sector: str
    size_band: str
    municipality: str
    enrolment_date: date
    status: str
    contact_name: str
    contact_email: str
    contact_phone: str
    had_store: bool = False
    store_launched_on: date | None = None
    followup_date: date | None = None
    id: int | None = None


SERVICES = {
    "diagnostic": ("diagnostic", "Diagnostic de maturité numérique", 520, 780),
    "plan": ("diagnostic", "Plan d'action numérique", 650, 1100),
    "store": ("web_agency", "Création de la boutique en ligne", 1800, 3900),
    "b2b": ("web_agency", "Portail de commandes en ligne pour la clientèle d'affaires (B2B)", 2400, 4600),
    "payment": ("web_agency", "Intégration du paiement en ligne et de la livraison", 350, 850),
    "photos": ("studio", "Séance photo de produits", 320, 820),
    "seo": ("seo", "Optimisation du référencement (SEO)", 550, 1500),
    "ads": ("seo", "Gestion d'une campagne de publicité en ligne (3 mois)", 800, 1700),
    "inventory": ("inventory", "Implantation d'un système de gestion des stocks", 1400, 3600),
    "training": ("training", "Formation individuelle — vente en ligne et médias sociaux", 250, 600),
}
PROGRAM_SHARE = D("0.5")  # the program pays half of a merchant's services; the merchant pays the rest


def _merchant_services(out: _Expenses, merchants: list[_MerchantPlan]) -> None:
    rng = _rng("merchant-services")
    for m in merchants:
        if m.status == "reached":
            continue
        window_end = min(m.followup_date or DEMO_END, m.enrolment_date + timedelta(days=330), DEMO_END)
        size = {"micro": D("0.85"), "small": D("1.0"), "medium": D("1.35")}[m.size_band]
        steps: list[tuple[int, str]] = [(rng.randint(10, 25), "diagnostic")]
        if rng.random() < 0.75:
            steps.append((rng.randint(30, 50), "plan"))
        if m.store_launched_on is not None:
            build = "b2b" if m.sector == "wholesale" else "store"
            steps.append(((m.store_launched_on - m.enrolment_date).days, build))
            if rng.random() < 0.5:
                steps.append((rng.randint(70, 120), "payment"))
            if rng.random() < 0.6:
                steps.append((rng.randint(60, 110), "photos"))
        elif m.had_store:
            steps.append((rng.randint(60, 120), rng.choice(["seo", "ads"])))
            if rng.random() < 0.4:
                steps.append((rng.randint(100, 160), "photos"))
        if m.sector == "wholesale" and rng.random() < 0.5:
            steps.append((rng.randint(80, 170), "inventory"))
        if rng.random() < 0.6:
            steps.append((rng.randint(90, 200), "training"))
        for offset, key in sorted(steps):
            day = m.enrolment_date + timedelta(days=offset)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            if day > window_end:
                continue
            vendor, what, low, high = SERVICES[key]
            full = _dollars(rng, low, high, 10) * size
            out.add(day, vendor, f"{what} — dossier C-{m.id:04d} (part du programme, 50 %)",
                    "merchant_services", full * PROGRAM_SHARE, merchant_id=m.id)
        if m.store_launched_on is not None and m.store_launched_on <= window_end:
            out.add(m.store_launched_on, "hosting",
                    f"Nom de domaine et certificat de sécurité (1 an) — dossier C-{m.id:04d}",
                    "merchant_services", D("64.00"), merchant_id=m.id)
            # The program pays the online store's platform and hosting for up to a year.
            for month in months_between(add_months(m.store_launched_on, 1), window_end):
                if month > add_months(m.store_launched_on, 12):
                    break
                out.add(_business_day(rng, month, 1, 5), "hosting",
                        f"Plateforme de commerce en ligne et hébergement — dossier C-{m.id:04d} — "
                        f"{_month_label(month)}",
                        "merchant_services", D("39.00") if m.size_band == "micro" else D("79.00"),
                        merchant_id=m.id)
    topics = [
        "Vendre sur les places de marché", "Photographier ses produits", "Infolettres et fidélisation",
        "Gérer ses stocks en ligne", "Publicité locale sur les réseaux sociaux",
        "Loi 25 pour les commerçants",
    ]
    for i, month in enumerate(months_between(date(2025, 9, 1), DEMO_END)):
        if month.month in (7, 8, 12):
            continue
        cohort = 1 if month < date(2026, 2, 1) else 2
        out.add(_business_day(rng, month, 8, 25), "training",
                f"Atelier de groupe — {topics[i % len(topics)]} (cohorte {cohort})", "merchant_services",
                _dollars(rng, 1200, 2400, 50))
    victim = next(m for m in merchants if m.status == "completed")
    out.add(date(2025, 9, 12), "studio", f"Note de crédit — séance photo annulée — dossier C-{victim.id:04d}",
            "merchant_services", D("-205.00"), merchant_id=victim.id)


# --- Merchants and impact -----------------------------------------------------------------------------
def _spread(rng: random.Random, first: date, last: date, count: int) -> list[date]:
    """`count` weekdays drawn between first and last."""
    weekdays = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    weekdays = [day for day in weekdays if day.weekday() < 5]
    return sorted(rng.choice(weekdays) for _ in range(count))


def _merchant_plans() -> list[_MerchantPlan]:
    rng = _rng("merchants")
    windows = {
        "completed": (date(2025, 5, 12), date(2026, 1, 30)),
        "supported": (date(2025, 10, 1), date(2026, 10, 9)),
        "reached": (date(2025, 11, 3), date(2026, 10, 27)),
    }
    names: set[str] = set()
    neqs: set[str] = set()
    towns, weights = zip(*MUNICIPALITIES, strict=True)
    plans: list[_MerchantPlan] = []
    for status, count in MERCHANT_COUNTS.items():
        for enrolment in _spread(rng, *windows[status], count):
            sector = "wholesale" if rng.random() < 0.25 else "retail"
            size_weights = (20, 60, 20) if sector == "wholesale" else (55, 40, 5)
            size_band = rng.choices(("micro", "small", "medium"), weights=size_weights)[0]
            town = rng.choices(towns, weights=weights)[0]
            name = _merchant_name(rng, sector, town, names)
            neq = _neq(rng, neqs)
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            area = rng.choice(("514", "438")) if town == "Montréal" else rng.choice(("450", "450", "579"))
            plan = _MerchantPlan(
                name=name, neq=neq, sector=sector, size_band=size_band, municipality=town,
                enrolment_date=enrolment, status=status, contact_name=f"{first} {last}",
                contact_email=f"{_ascii(first)}.{_ascii(last)}@exemple.ca",
                contact_phone=f"{area} 555-01{rng.randint(0, 99):02d}",
                had_store=rng.random() < 0.28,
            )
            last_followup = date(2026, 10, 28)
            if status == "completed":
                plan.followup_date = min(enrolment + timedelta(days=rng.randint(190, 290)), last_followup)
            elif status == "supported" and enrolment < date(2026, 3, 1) and rng.random() < 0.4:
                # An interim follow-up for some merchants still in support.
                plan.followup_date = min(enrolment + timedelta(days=rng.randint(160, 230)), last_followup)
            if status != "reached" and not plan.had_store and rng.random() < 0.72:
                plan.store_launched_on = enrolment + timedelta(days=rng.randint(55, 130))
            plans.append(plan)
    plans.sort(key=lambda p: (p.enrolment_date, p.name))
    return plans


def _merchant_name(rng: random.Random, sector: str, town: str, taken: set[str]) -> str:
    while True:
        if sector == "wholesale":
            trade = rng.choice(WHOLESALE_TRADES)
            pattern = rng.randrange(3)
            if pattern == 0:
                name = f"{trade} {rng.choice(SURNAMES)} inc."
            elif pattern == 1:
                name = f"{rng.choice(SURNAMES)} & {rng.choice(SURNAMES)} {trade.lower()}"
            else:
                name = f"{trade} {rng.choice(PLACE_WORDS)} inc."
        else:
            trade = rng.choice(RETAIL_TRADES)
            pattern = rng.randrange(4)
            if pattern == 0:
                name = f"{trade} {rng.choice(SURNAMES)}"
            elif pattern == 1:
                name = f"{trade} {rng.choice(PLACE_WORDS)}"
            elif pattern == 2 and town == "Laval":
                name = f"{trade} de {rng.choice(LAVAL_AREAS)}"
            else:
                name = f"Chez {rng.choice(FIRST_NAMES)} — {trade.lower()}"
        if name not in taken:
            taken.add(name)
            return name


def _neq(rng: random.Random, taken: set[str]) -> str:
    while True:
        prefix = rng.choice(NEQ_PREFIXES)
        neq = prefix + "".join(str(rng.randrange(10)) for _ in range(10 - len(prefix)))
        if neq not in taken:
            taken.add(neq)
            return neq


def _measurements(plans: list[_MerchantPlan], indicator_ids: dict[str, int]) -> list[dict]:
    """A baseline at enrolment for every supported or completed merchant; a follow-up when it is due."""
    rng = _rng("measurements")
    rows: list[dict] = []
    for m in plans:
        if m.status == "reached":
            continue
        low, high = {"micro": (1, 4), "small": (5, 40), "medium": (50, 160)}[m.size_band]
        jobs = rng.randint(low, high)
        low, high = {"micro": (8, 40), "small": (40, 350), "medium": (350, 2400)}[m.size_band]
        revenue = rng.randint(low, high) * 1000
        online = D(rng.randint(2, 18)) / 100 if m.had_store else D(0)
        maturity = rng.randint(18, 52) + (10 if m.had_store else 0)
        lead_time = rng.randint(3, 12)
        baseline = {
            "online_sales_share": online, "ecommerce_launched": D(int(m.had_store)), "jobs": D(jobs),
            "digital_maturity": D(maturity), "monthly_revenue": D(revenue),
            "order_lead_time_days": D(lead_time),
        }
        for code, value in baseline.items():
            rows.append({"merchant_id": m.id, "indicator_id": indicator_ids[code], "date": m.enrolment_date,
                         "kind": "baseline", "value": value})
        if m.followup_date is None:
            continue
        launched = m.had_store or (m.store_launched_on is not None and m.store_launched_on <= m.followup_date)
        improving = rng.random() < 0.82  # most merchants improve; some do not
        if launched:
            gain = D(rng.randint(4, 22) if improving else rng.randint(-3, 2)) / 100
            online_after = max(D(0), online + gain)
        else:
            online_after = online
        if improving:
            jobs_after = jobs + rng.choice((0, 0, 1, 1, 2))
            maturity_after = maturity + rng.randint(6, 30)
            growth = rng.uniform(1.02, 1.22)
            lead_time_after = lead_time - rng.randint(1, 5)
        else:
            jobs_after = jobs + rng.choice((0, -1))
            maturity_after = maturity + rng.randint(-5, 4)
            growth = rng.uniform(0.90, 1.01)
            lead_time_after = lead_time + rng.randint(0, 2)
        followup = {
            "online_sales_share": online_after,
            "ecommerce_launched": D(int(launched)),
            "jobs": D(max(1, jobs_after)),
            "digital_maturity": D(min(100, maturity_after)),
            "monthly_revenue": D(round(revenue * growth, -2)),
            "order_lead_time_days": D(max(1, lead_time_after)),
        }
        for code, value in followup.items():
            rows.append({"merchant_id": m.id, "indicator_id": indicator_ids[code], "date": m.followup_date,
                         "kind": "followup", "value": value})
    return rows


# --- Loading ------------------------------------------------------------------------------------------
def demo_present(session: Session, program: Program) -> bool:
    stmt = select(AuditEvent.id).where(
        AuditEvent.action == DEMO_ACTION, AuditEvent.entity == "program", AuditEvent.entity_id == program.id,
    )
    return session.exec(stmt).first() is not None


def _program_has_data(session: Session, program: Program) -> bool:
    funder_ids = select(Funder.id).where(Funder.program_id == program.id)
    probes = [
        select(BudgetLine.id).where(BudgetLine.program_id == program.id),
        select(Milestone.id).where(Milestone.program_id == program.id),
        select(Expense.id).where(Expense.program_id == program.id),
        select(Merchant.id).where(Merchant.program_id == program.id),
        select(Indicator.id).where(Indicator.program_id == program.id),
        select(Contribution.id).where(Contribution.funder_id.in_(funder_ids)),
    ]
    return any(session.exec(probe.limit(1)).first() is not None for probe in probes)


def _claims_history(session: Session, program: Program, milestones: list[Milestone], user: str) -> None:
    """The claims of CLAIMS through the claims service; each payment is tied to its milestone."""
    def at(day: date) -> datetime:
        return datetime.combine(day, time(14, 0), tzinfo=timezone.utc)

    for start, end, created, submitted, approved, amount, note, paid, milestone in CLAIMS:
        claim = new_claim(session, period_from=start, period_to=end, user=user, program_code=program.code,
                          at=at(created))
        submit_claim(session, claim.number, user=user, program_code=program.code, at=at(submitted))
        if approved is None:
            continue
        cents = claim.claimed_cents if amount is None else to_cents(amount)
        approve_claim(session, claim.number, amount=from_cents(cents), note=note, user=user,
                      program_code=program.code, at=at(approved))
        payment = pay_claim(session, claim.number, amount=from_cents(cents), day=paid, user=user,
                            program_code=program.code)
        payment.milestone_id = milestones[milestone].id
        milestones[milestone].payment_cents = cents
        session.add_all([payment, milestones[milestone]])
    session.flush()


def load_demo(session: Session, *, user: str = LOCAL_USER) -> bool:
    """Load the demo into the CQIC program: True when loaded, False when it was already there.

    Raises auth.Forbidden for a user who may not change settings, and DemoConflict when the program
    already holds data of its own (the demo is never mixed with real figures).
    """
    require(session, user, "settings")
    program, _ = ensure_program(session)
    if demo_present(session, program):
        return False
    if _program_has_data(session, program):
        raise DemoConflict(
            f"{program.code}: the program already holds data; the demo loads only into an empty program"
        )

    categories = {c.code: c.id for c in session.exec(select(Category))}
    funders = {f.name: f for f in session.exec(select(Funder).where(Funder.program_id == program.id))}
    missing = [name for name in (MEIE, LAVAL, TECHNOMONTREAL, PRIVATE, PICOM) if name not in funders]
    if missing:
        raise DemoConflict(f"{program.code}: the default funders are missing: {', '.join(missing)}")

    for category, amounts in BUDGET.items():
        for label, dollars in zip(FISCAL_YEARS, amounts, strict=True):
            session.add(BudgetLine(program_id=program.id, fiscal_year=label, category_id=categories[category],
                                   amount_cents=dollars * 100))

    indicators = [Indicator(program_id=program.id, code=code, name_fr=fr, name_en=en, unit=unit,
                            direction=direction, target=target)
                  for code, fr, en, unit, direction, target in INDICATORS]
    session.add_all(indicators)

    milestones = []
    for due, planned, fr, en, payment, achieved in MILESTONES:
        milestones.append(Milestone(
            program_id=program.id, name_fr=fr, name_en=en, due_date=due,
            planned_cumulative_cents=planned * 100,
            status="achieved" if achieved else "planned", achieved_date=achieved,
            payment_funder_id=funders[MEIE].id if payment else None,
            payment_cents=payment * 100 if payment else None,
        ))
    session.add_all(milestones)
    session.flush()

    for name, received, dollars, reference in PARTNER_CONTRIBUTIONS:
        session.add(Contribution(
            funder_id=funders[name].id, received_date=received, amount_cents=dollars * 100,
            reference=reference,
        ))
    for received, dollars, quarter in PICOM_QUARTERS:
        session.add(Contribution(
            funder_id=funders[PICOM].id, received_date=received, amount_cents=dollars * 100, in_kind=True,
            reference=f"Apport en nature — locaux, animation et experts ({quarter})",
            valuation_basis=PICOM_VALUATION, proof_reference=f"Attestation PICOM {quarter}",
            category_id=categories[PICOM_CATEGORY],
        ))
    commitments = [
        Commitment(program_id=program.id, reference=reference, vendor=VENDORS[vendor][0],
                   category_id=categories[category], fiscal_year=fy, date=day, amount_cents=dollars * 100,
                   status=status)
        for reference, vendor, category, fy, day, dollars, status in COMMITMENTS
    ]
    session.add_all(commitments)
    session.flush()

    plans = _merchant_plans()
    merchants = [
        Merchant(program_id=program.id, name=p.name, neq=p.neq, sector=p.sector, size_band=p.size_band,
                 municipality=p.municipality, enrolment_date=p.enrolment_date, status=p.status,
                 contact_name=p.contact_name, contact_email=p.contact_email, contact_phone=p.contact_phone)
        for p in plans
    ]
    session.add_all(merchants)
    session.flush()
    for plan, merchant in zip(plans, merchants, strict=True):
        plan.id = merchant.id
    measurements = _measurements(plans, {i.code: i.id for i in indicators})
    session.execute(sa.insert(Measurement.__table__), measurements)

    # The Lille mission is paid in euros: the demo's rates (fictitious, Valet format) go in the store
    # first, never replacing a stored rate; euro expenses are converted at the stored rate of their date.
    rates = store_rates(session, parse_valet(DEMO_RATES.read_bytes()), user=user, origin=DEMO_RATES.name,
                        replace=False, standalone=False)
    out = _Expenses(program_id=program.id, category_ids=categories, recovery_rate=program.tax_recovery_rate,
                    rates=load_rate_book(session, ["EUR"]),
                    commitments={c.reference: c.id for c in commitments})
    _salaries(out)
    _administration(out)
    _professional_fees(out)
    _travel(out, [p.municipality for p in plans])
    _marketing(out)
    _equipment(out)
    _merchant_services(out, plans)
    out.rows.sort(key=lambda row: (row["date"], row["category_id"], row["vendor"], row["invoice_number"]))
    session.execute(sa.insert(Expense.__table__), out.rows)
    in_kind = sync_in_kind_expenses(session, program_id=program.id, user=user, standalone=False)
    reference, effective, approved_by, lines = AMENDMENT
    record_amendment(session, program_id=program.id, reference=reference, effective_date=effective,
                     approved_by=approved_by, lines={k: v * 100 for k, v in lines.items()}, user=user,
                     standalone=False)

    session.flush()
    _claims_history(session, program, milestones, user)
    # The first fiscal year is signed: its statement is closed (SPEC §9), as at the demo's last day.
    close_year(session, CLOSED_YEAR, user=user, program_code=program.code, today=DEMO_END)

    audit.record(session, user=user, action=DEMO_ACTION, entity="program", entity_id=program.id, after={
        "expenses": len(out.rows) + in_kind, "merchants": len(merchants), "milestones": len(milestones),
        "budget_lines": len(BUDGET) * len(FISCAL_YEARS), "indicators": len(indicators),
        "in_kind_expenses": in_kind, "commitments": len(commitments), "amendments": 1,
        "rates": {**rates.as_json(), "file": DEMO_RATES.name},
        "until": DEMO_END,
    })
    bump_data_version(session)
    return True
