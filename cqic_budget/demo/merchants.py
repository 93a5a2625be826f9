"""The demo's 150 merchants (drawn, before they are stored) and their impact measurements."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from cqic_budget.demo.draws import _ascii, _rng
from cqic_budget.demo.tables import (
    FIRST_NAMES,
    LAVAL_AREAS,
    MERCHANT_COUNTS,
    MUNICIPALITIES,
    NEQ_PREFIXES,
    PLACE_WORDS,
    RETAIL_TRADES,
    SURNAMES,
    WHOLESALE_TRADES,
    D,
)


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
