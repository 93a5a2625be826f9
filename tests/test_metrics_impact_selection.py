"""metrics.impact for the Merchants & impact page: several values per filter, targets met, one merchant's
changes and the expenses tied to it. Every figure is worked by hand in the comments."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.impact import (
    IndicatorChange,
    changes_of_merchant,
    impact,
    indicator_changes,
    load_impact_facts,
    merchant_expenses,
    target_met,
)
from cqic_budget.models import Category, Expense, ImportBatch, Indicator, Measurement, Merchant
from cqic_budget.setup import get_program

D = Decimal
AS_OF = date(2026, 10, 31)
BASELINE_DAY, FOLLOWUP_DAY = date(2025, 9, 15), date(2026, 6, 1)


@pytest.fixture
def store(session):
    """Four merchants in three towns; a "revenue" indicator (up) and a "days" indicator (down)."""
    program = get_program(session)
    pid = program.id
    rows = [
        ("Boutique A", "retail", "micro", "Laval", "completed"),
        ("Boutique B", "retail", "small", "Terrebonne", "supported"),
        ("Grossiste C", "wholesale", "small", "Montréal", "supported"),
        ("Grossiste D", "wholesale", "medium", "Laval", "reached"),
    ]
    merchants = [Merchant(program_id=pid, name=n, sector=s, size_band=b, municipality=m,
                          enrolment_date=date(2025, 9, 1), status=st) for n, s, b, m, st in rows]
    session.add_all(merchants)
    revenue = Indicator(program_id=pid, code="revenue", name_fr="Ventes", name_en="Sales", unit="cad",
                        direction="up", target=D("100"))
    days = Indicator(program_id=pid, code="days", name_fr="Délai", name_en="Lead time", unit="count",
                     direction="down", target=D("-2"))
    session.add_all([revenue, days])
    session.flush()
    a, b, c, _ = merchants

    def measure(m, ind, base, follow):
        for day, kind, value in [(BASELINE_DAY, "baseline", base), (FOLLOWUP_DAY, "followup", follow)]:
            session.add(Measurement(merchant_id=m.id, indicator_id=ind.id, date=day, kind=kind,
                                    value=D(value)))

    # revenue: A 1000 -> 1300 (+300), B 500 -> 450 (−50), C 2000 -> 2150 (+150)
    measure(a, revenue, "1000", "1300")
    measure(b, revenue, "500", "450")
    measure(c, revenue, "2000", "2150")
    # days (less is better): A 10 -> 7 (−3), C 6 -> 5 (−1)
    measure(a, days, "10", "7")
    measure(c, days, "6", "5")

    services = session.exec(select(Category).where(Category.code == "merchant_services")).one()
    batch = ImportBatch(program_id=pid, file_name="depenses-2026-03.xlsx", file_sha256="0" * 64,
                        user="t@x.ca")
    session.add(batch)
    session.flush()
    # Tied to A: 250,00 (row 7 of the sheet) and 80,00 typed in; one after the as-of; 1 000 tied to C.
    for day, cents, merchant, batch_id, row in [
        (date(2026, 3, 2), 250_00, a, batch.id, 7), (date(2026, 1, 5), 80_00, a, None, None),
        (date(2026, 11, 3), 999_00, a, None, None), (date(2026, 3, 9), 1_000_00, c, None, None),
    ]:
        session.add(Expense(program_id=pid, date=day, vendor="Agence Web", description=f"Service {cents}",
                            category_id=services.id, invoice_number=f"F-{cents}", amount_cents=cents,
                            eligible_cents=cents, merchant_id=merchant.id, batch_id=batch_id, source_row=row))
    session.flush()
    return program, merchants


@pytest.fixture
def ifacts(session, store):
    program, _ = store
    return load_impact_facts(session, facts=load_facts(session, program_id=program.id, as_of=AS_OF))


def test_several_values_of_one_dimension_match_any_of_them(ifacts):
    towns = impact(ifacts, {"municipality": ["Laval", "Terrebonne"]})
    # Laval: A (completed), D (reached); Terrebonne: B (supported) -> reached 3, supported 2, completed 1
    assert (towns.counts.reached, towns.counts.supported, towns.counts.completed) == (3, 2, 1)
    revenue = {c.code: c for c in towns.indicators}["revenue"]
    # A +300 and B −50: mean 125, one of two improved
    assert (revenue.merchants, revenue.mean_change, revenue.share_improved) == (2, D("125"), D("0.5"))
    # A filter is not the whole program: E ÷ supported is not split; direct spending of A = 330 / 2 = 165
    assert towns.cost_per_merchant is None
    assert (towns.direct_spent, towns.direct_cost_per_merchant) == (D("330.00"), D("165.00"))


def test_one_value_and_a_one_value_collection_agree(ifacts):
    assert impact(ifacts, {"sector": "retail"}).counts == impact(ifacts, {"sector": ("retail",)}).counts


def test_dimensions_combine_with_and(ifacts):
    picked = impact(ifacts, {"sector": ["wholesale"], "size_band": ["small", "micro"]})
    # wholesale and (small or micro): C only
    assert (picked.counts.reached, picked.counts.supported) == (1, 1)
    assert picked.direct_spent == D("1000.00")


def test_target_met_respects_the_direction(ifacts):
    changes = {c.code: c for c in indicator_changes(ifacts)}
    # revenue: (300 − 50 + 150) / 3 = 133.33 ≥ 100: met
    assert changes["revenue"].mean_change == D(400) / D(3)
    assert target_met(changes["revenue"]) is True
    # days: (−3 − 1) / 2 = −2 ≤ −2: met (less is better, the target is negative)
    assert changes["days"].mean_change == D("-2")
    assert target_met(changes["days"]) is True
    # Laval only: revenue +300 ≥ 100 met; days −3 ≤ −2 met. Montréal only: revenue +150 met; days −1 not.
    montreal = {c.code: c for c in indicator_changes(ifacts, {"municipality": "Montréal"})}
    assert target_met(montreal["days"]) is False


def test_target_met_without_target_or_measurements():
    base = dict(code="x", name_fr="x", name_en="x", unit="count", direction="up", merchants=0,
                baseline_mean=None, followup_mean=None, median_change=None, improved=0, share_improved=None)
    assert target_met(IndicatorChange(target=None, mean_change=D("5"), **base)) is None
    assert target_met(IndicatorChange(target=D("1"), mean_change=None, **base)) is None
    assert target_met(IndicatorChange(target=D("1"), mean_change=D("0.99"), **base)) is False


def test_changes_of_one_merchant(ifacts, store):
    _, (a, b, c, d) = store
    mine = changes_of_merchant(ifacts, a.id)
    assert sorted(mine) == ["days", "revenue"]
    assert (mine["revenue"].baseline, mine["revenue"].followup, mine["revenue"].change) == (
        D("1000"), D("1300"), D("300"))
    assert mine["days"].change == D("-3") and mine["days"].improved is True
    assert changes_of_merchant(ifacts, b.id)["revenue"].improved is False
    assert changes_of_merchant(ifacts, d.id) == {}


def test_expenses_tied_to_one_merchant(session, store):
    program, (a, _, c, d) = store
    rows = merchant_expenses(session, program_id=program.id, merchant_id=a.id, as_of=AS_OF)
    # oldest first; the 2026-11-03 expense is after the as-of
    assert [(r.date, r.eligible) for r in rows] == [(date(2026, 1, 5), D("80.00")),
                                                    (date(2026, 3, 2), D("250.00"))]
    assert (rows[1].file_name, rows[1].source_row) == ("depenses-2026-03.xlsx", 7)
    assert (rows[0].file_name, rows[0].source_row) == (None, None)
    assert rows[0].category("fr") != rows[0].category("en")
    assert merchant_expenses(session, program_id=program.id, merchant_id=d.id, as_of=AS_OF) == []
    later = merchant_expenses(session, program_id=program.id, merchant_id=a.id, as_of=date(2026, 12, 31))
    assert len(later) == 3
