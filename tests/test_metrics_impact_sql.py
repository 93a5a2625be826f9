"""metrics.impact.store_impact: the impact statistics computed by the store equal the Python reference
(impact() over the pairs in memory), on a generated set, whole and filtered, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import statistics
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.impact import (
    DIMENSIONS,
    ECOMMERCE_CODE,
    JOBS_CODE,
    impact,
    load_impact_facts,
    split_impact,
    store_impact,
    store_split_impact,
)
from cqic_budget.models import Indicator, Measurement, Merchant
from cqic_budget.setup import get_program

AS_OF = date(2026, 10, 31)
TOWNS = ["Laval", "Montréal", "Québec", "Gatineau", "Sherbrooke"]
# (code, unit, direction): two "up" and one "down" indicator with decimals of different scales.
INDICATORS = [("online_sales_share", "percent", "up"), (JOBS_CODE, "count", "up"),
              (ECOMMERCE_CODE, "bool", "up"), ("delivery_days", "count", "down"),
              ("revenue_k", "cad", "up")]


def value(rng: random.Random, unit: str) -> Decimal:
    if unit == "bool":
        return Decimal(rng.random() < 0.5)
    if unit == "percent":  # 0 to 3 digits after the point: '12.5', '0.125', '40'
        return Decimal(rng.randint(0, 4000)).scaleb(-rng.randint(0, 3))
    if unit == "cad":  # negative values too, and ties
        return Decimal(rng.choice([-150, -2, 0, 7, 7, 1234])) / 4
    return Decimal(rng.randint(0, 30))


@pytest.fixture
def generated(session):
    """120 merchants, five indicators; several baselines and follow-ups per merchant (the latest counts),
    measurements after the as-of (left out), merchants enrolled after it (left out), a value stored in
    exponent notation, merchants measured once (no pair)."""
    rng = random.Random(20261031)
    program = get_program(session)
    indicators = []
    for code, unit, direction in INDICATORS:
        indicator = Indicator(program_id=program.id, code=code, name_fr=code, name_en=code, unit=unit,
                              direction=direction)
        session.add(indicator)
        indicators.append((indicator, unit))
    merchants = []
    for n in range(120):
        merchant = Merchant(
            program_id=program.id, name=f"Commerce {n}", sector=rng.choice(["retail", "wholesale"]),
            size_band=rng.choice(["micro", "small", "medium"]), municipality=rng.choice(TOWNS),
            enrolment_date=date(2025, 4, 1) + timedelta(days=rng.randint(0, 640)),
            status=rng.choice(["reached", "supported", "completed"]))
        session.add(merchant)
        merchants.append(merchant)
    session.flush()
    for merchant in merchants:
        for indicator, unit in indicators:
            for kind in ("baseline", "followup"):
                if rng.random() < 0.1:
                    continue  # measured once or never: no pair
                for _ in range(rng.choice([1, 1, 2])):
                    day = merchant.enrolment_date + timedelta(days=rng.randint(0, 500))
                    session.add(Measurement(merchant_id=merchant.id, indicator_id=indicator.id, date=day,
                                            kind=kind, value=value(rng, unit)))
    # The first merchant's latest revenue pair, stored in exponent notation (str(Decimal('1E+3'))).
    first, revenue = merchants[0], indicators[4][0]
    for kind, text in (("baseline", "1E+3"), ("followup", "2.5E+3")):
        session.add(Measurement(merchant_id=first.id, indicator_id=revenue.id, date=AS_OF, kind=kind,
                                value=Decimal(text)))
    session.flush()
    return load_facts(session, program_id=program.id, as_of=AS_OF)


WHERES = [
    None,
    {"sector": "retail"},
    {"municipality": ("Laval", "Québec")},
    {"sector": "wholesale", "size_band": ("micro", "medium")},
    {"municipality": "Nowhere"},
]


@pytest.mark.parametrize("where", WHERES)
def test_the_store_computes_the_reference_figures(session, generated, where):
    reference = impact(load_impact_facts(session, facts=generated), where)
    assert store_impact(session, facts=generated, where=where) == reference
    if where is None or "municipality" not in where or where["municipality"] != "Nowhere":
        # Not a vacuous comparison: every indicator has pairs, improved and not improved merchants.
        assert len(reference.indicators) == len(INDICATORS)
        assert all(c.merchants > 1 and 0 < c.improved < c.merchants for c in reference.indicators)
    else:
        assert len(reference.indicators) == len(INDICATORS)  # never a check over nothing
        assert all(c.merchants == 0 and c.median_change is None for c in reference.indicators)


@pytest.mark.parametrize("by", DIMENSIONS)
def test_the_store_splits_as_the_reference(session, generated, by):
    ifacts = load_impact_facts(session, facts=generated)
    reference = split_impact(ifacts, by)
    assert reference and store_split_impact(session, facts=generated, by=by) == reference


def test_median_and_means_by_hand(session, generated):
    """The generated set's figures for one indicator, recomputed here from the pairs themselves."""
    ifacts = load_impact_facts(session, facts=generated)
    indicator = next(i for i in ifacts.indicators if i.code == "revenue_k")
    pairs = ifacts.pairs_by_indicator[indicator.id]
    changes = sorted(p.followup - p.baseline for p in pairs)
    n = len(changes)
    # The exponent-notation pair is among them, read exactly: 1E+3 -> 2.5E+3.
    assert (Decimal(1000), Decimal(2500)) in {(p.baseline, p.followup) for p in pairs}
    middle = changes[n // 2] if n % 2 else (changes[n // 2 - 1] + changes[n // 2]) / 2
    assert middle == statistics.median(changes)
    figures = next(c for c in store_impact(session, facts=generated).indicators if c.code == "revenue_k")
    assert figures.merchants == n
    assert figures.median_change == middle
    assert figures.baseline_mean == sum(p.baseline for p in pairs) / n
    assert figures.mean_change == sum(changes) / n
    assert figures.followup_mean == sum(p.followup for p in pairs) / n
