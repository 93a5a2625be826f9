"""The demo's expenses, about 2 600 rows drawn part by part (salaries, administration, fees, travel,
marketing, equipment, merchant services) and collected for one insert."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from cqic_budget.currency import CAD, RateBook, convert
from cqic_budget.demo.draws import _business_day, _dollars, _last_business_day, _money, _month_label, _rng
from cqic_budget.demo.merchants import _MerchantPlan
from cqic_budget.demo.tables import (
    ADVISORS,
    BUDGET,
    DEMO_END,
    DEMO_START,
    EMPLOYER_CHARGES,
    INELIGIBLE_ALCOHOL,
    INELIGIBLE_FINE,
    INELIGIBLE_GIFT,
    INELIGIBLE_LATE_FEE,
    INELIGIBLE_MEAL,
    INELIGIBLE_OTHER_PROJECT,
    KM_RATE,
    PACE,
    SALARY_INDEXATION,
    STAFF,
    VENDORS,
    D,
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
from cqic_budget.periods import add_months, months_between


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
