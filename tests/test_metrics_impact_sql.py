"""metrics.impact.store_impact: the impact statistics computed by the store equal the Python reference
(impact() over the pairs in memory), on a generated set, whole and filtered, and a hand-worked example, on
SQLite and PostgreSQL; the Merchants page's impact facts (program_impact_facts, E in one SUM) equal those
built from load_facts."""

from __future__ import annotations

import random
import statistics
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select
from store_builders import add_indicators, add_measurement

from cqic_budget.metrics.facts import eligible_cost, eligible_spent, load_facts
from cqic_budget.metrics.impact import (
    DIMENSIONS,
    ECOMMERCE_CODE,
    JOBS_CODE,
    impact,
    load_impact_facts,
    program_impact_facts,
    split_impact,
    store_impact,
    store_split_impact,
)
from cqic_budget.models import Category, Expense, Indicator, Measurement, Merchant
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


# --- A hand-worked example ----------------------------------------------------------------------------

D = Decimal


@pytest.fixture
def by_hand(session):
    """Four merchants enrolled by the as-of (A completed, B and C supported, D reached) and E enrolled after
    it; four indicators with texts of several scales, a superseded follow-up, a follow-up after the as-of
    and a merchant measured once; expenses before and after the as-of, tied to merchants or not."""
    program = get_program(session)
    pid = program.id

    def merchant(name, sector, town, status, enrolled=date(2025, 6, 1)):
        m = Merchant(program_id=pid, name=name, sector=sector, size_band="small", municipality=town,
                     enrolment_date=enrolled, status=status)
        session.add(m)
        return m

    a, b = merchant("A", "retail", "Laval", "completed"), merchant("B", "retail", "Laval", "supported")
    c, d = merchant("C", "wholesale", "Québec", "supported"), merchant("D", "wholesale", "Laval", "reached")
    e = merchant("E", "retail", "Laval", "supported", enrolled=date(2026, 11, 5))
    indicators = add_indicators(session, pid, [
        ("online_sales_share", "percent", "up", D("0.15")), (JOBS_CODE, "count", "up", None),
        (ECOMMERCE_CODE, "bool", "up", None), ("delivery_days", "count", "down", None),
    ])

    def measure(m, code, kind, value, day):
        add_measurement(session, indicators[code], m, kind, day, value)

    def pairs(code, rows):
        for m, base, follow in rows:
            measure(m, code, "baseline", base, date(2025, 7, 1))
            measure(m, code, "followup", follow, date(2026, 6, 1))

    pairs("online_sales_share", [(a, "0.10", "0.25"), (b, "0.2", "0.2"), (c, "0.125", "0.5"),
                                 (d, "0.3", "0.275")])
    measure(a, "online_sales_share", "followup", "0.2", date(2026, 1, 10))  # superseded by 0.25
    pairs(JOBS_CODE, [(a, "3", "5"), (b, "10", "11"), (c, "4", "4"), (d, "2", "1"), (e, "1", "8")])
    measure(a, JOBS_CODE, "followup", "9", date(2026, 11, 15))  # after the as-of
    pairs(ECOMMERCE_CODE, [(a, "0", "1"), (b, "0", "0"), (c, "1", "1")])
    pairs("delivery_days", [(a, "10", "7"), (b, "5", "6")])
    measure(c, "delivery_days", "baseline", "4", date(2025, 7, 1))  # measured once: no pair
    services = session.exec(select(Category).where(Category.code == "merchant_services")).one()
    for day, cents, eligible, tied in [(date(2026, 3, 1), 11_000_00, True, None),
                                       (date(2026, 3, 2), 4_000_00, True, a),
                                       (date(2026, 3, 3), 250_25, False, b),
                                       (date(2026, 11, 2), 500_00, True, c)]:  # after the as-of
        session.add(Expense(program_id=pid, date=day, category_id=services.id, amount_cents=cents,
                            eligible=eligible, eligible_cents=cents if eligible else 0,
                            merchant_id=tied.id if tied else None))
    session.flush()
    return program


def test_store_statistics_by_hand(session, by_hand):
    result = store_impact(session, ifacts=program_impact_facts(session, program=by_hand, as_of=AS_OF))
    # Reached A, B, C, D (E enrolled after the as-of); supported A (completed), B, C; completed A.
    assert (result.counts.reached, result.counts.supported, result.counts.completed) == (4, 3, 1)
    # E = 11 000 + 4 000 (the ineligible 250.25 and the expense after the as-of left out): 15 000 ÷ 3.
    assert result.cost_per_merchant == D("5000.00")
    # Tied to merchants: 4 000 (A); B's expense is ineligible, C's after the as-of. 4 000 ÷ 3.
    assert (result.direct_spent, result.direct_cost_per_merchant) == (D("4000.00"), D("4000.00") / 3)
    by_code = {c.code: c for c in result.indicators}
    sales = by_code["online_sales_share"]
    # Changes A +0.15, B 0, C +0.375, D −0.025; sorted −0.025, 0, 0.15, 0.375: median (0 + 0.15) / 2.
    assert sales.merchants == 4 and sales.median_change == D("0.075")
    # Baselines 0.10 + 0.2 + 0.125 + 0.3 = 0.725; follow-ups 0.25 + 0.2 + 0.5 + 0.275 = 1.225.
    assert (sales.baseline_mean, sales.followup_mean) == (D("0.18125"), D("0.30625"))
    assert sales.mean_change == D("0.125")  # 0.5 ÷ 4: under the target of 0.15
    assert (sales.improved, sales.share_improved) == (2, D("0.5"))  # A and C
    jobs = by_code[JOBS_CODE]
    # A 3 → 5 (the 9 after the as-of left out), B 10 → 11, C 4 → 4, D 2 → 1 (E not enrolled yet):
    # changes 2, 1, 0, −1: median (0 + 1) / 2, mean 2 ÷ 4; baselines 19 ÷ 4, follow-ups 21 ÷ 4.
    assert (jobs.merchants, jobs.median_change, jobs.mean_change) == (4, D("0.5"), D("0.5"))
    assert (jobs.baseline_mean, jobs.followup_mean, jobs.improved) == (D("4.75"), D("5.25"), 2)
    assert result.jobs_created == D("2")  # (5 − 3) + (11 − 10) + (4 − 4) + (1 − 2)
    online = by_code[ECOMMERCE_CODE]
    # A 0 → 1, B 0 → 0, C 1 → 1: changes 0, 0, 1, median 0 (odd count: the middle one); launched: A.
    assert (online.merchants, online.median_change, online.improved) == (3, D("0"), 1)
    assert result.ecommerce_launched == 1
    days = by_code["delivery_days"]
    # Less is better: A 10 → 7 improved, B 5 → 6 not; C measured once. Median (−3 + 1) / 2 = −1.
    assert (days.merchants, days.median_change, days.mean_change, days.improved) == (2, D("-1"), D("-1"), 1)
    assert (days.baseline_mean, days.followup_mean) == (D("7.5"), D("6.5"))
    # Retail only (A, B): online sales +0.15 and 0, median and mean 0.075; jobs 2 + 1 = 3.
    retail = store_impact(session, ifacts=program_impact_facts(session, program=by_hand, as_of=AS_OF),
                          where={"sector": "retail"})
    retail_sales = {c.code: c for c in retail.indicators}["online_sales_share"]
    assert (retail_sales.merchants, retail_sales.median_change, retail_sales.mean_change) == (
        2, D("0.075"), D("0.075"))
    assert retail.jobs_created == D("3") and retail.counts.reached == 2
    # The same figures as the Python reference over the pairs in memory.
    facts = load_facts(session, program_id=by_hand.id, as_of=AS_OF)
    assert result == impact(load_impact_facts(session, facts=facts))


@pytest.mark.parametrize("as_of", [AS_OF, date(2026, 3, 2), date(2024, 1, 1), date(2031, 1, 1)])
def test_the_pages_impact_facts_equal_those_from_load_facts(session, by_hand, as_of):
    """E in one SUM (eligible_cost) and the as-of clamped to the program's period, as load_facts does;
    before the program starts, after it ends, and on a day with spending."""
    facts = load_facts(session, program_id=by_hand.id, as_of=as_of)
    assert eligible_cost(session, program_id=by_hand.id, as_of=facts.as_of) == eligible_spent(facts)
    ours = program_impact_facts(session, program=by_hand, as_of=as_of)
    assert ours == load_impact_facts(session, facts=facts, pairs=False)
    assert ours.groups and ours.direct_spend or as_of < date(2025, 6, 1)  # never a comparison of nothing
