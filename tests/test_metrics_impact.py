"""metrics.impact: merchants vs targets, baseline → follow-up changes, cost per merchant, splits."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select
from store_builders import add_indicators, add_measurement

from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.impact import (
    ECOMMERCE_CODE,
    JOBS_CODE,
    cost_per_merchant,
    impact,
    indicator_changes,
    load_impact_facts,
    merchant_changes,
    merchant_counts,
    merchants_supported,
    split_impact,
)
from cqic_budget.models import Category, Expense, Merchant
from cqic_budget.setup import get_program

D = Decimal
AS_OF = date(2026, 10, 31)


@pytest.fixture
def store(session):
    program = get_program(session)
    pid = program.id

    def merchant(name, sector, size, town, status, enrolled=date(2025, 6, 1)):
        m = Merchant(program_id=pid, name=name, sector=sector, size_band=size, municipality=town,
                     enrolment_date=enrolled, status=status)
        session.add(m)
        return m

    m1 = merchant("Boutique A", "retail", "micro", "Laval", "completed")
    m2 = merchant("Quincaillerie B", "retail", "small", "Laval", "supported")
    m3 = merchant("Grossiste C", "wholesale", "small", "Montréal", "reached")
    m4 = merchant("Grossiste D", "wholesale", "medium", "Laval", "supported", enrolled=date(2026, 11, 5))
    indicators = add_indicators(session, pid, [
        (code, unit, direction, D("25") if code == "online_sales_share" else None)
        for code, unit, direction in [("online_sales_share", "percent", "up"), (JOBS_CODE, "count", "up"),
                                      (ECOMMERCE_CODE, "bool", "up"), ("delivery_days", "count", "down")]])

    def measure(m, code, kind, day, value):
        add_measurement(session, indicators[code], m, kind, day, value)

    b, f = date(2025, 6, 15), date(2026, 6, 1)
    # online sales share: A 10 -> 30 (an older follow-up of 25 is superseded), B 5 -> 5 (a later
    # follow-up of 50 is after the as-of), C 20 -> 15
    for m, base, follow in [(m1, "10", "30"), (m2, "5", "5"), (m3, "20", "15")]:
        measure(m, "online_sales_share", "baseline", b, base)
        measure(m, "online_sales_share", "followup", f, follow)
    measure(m1, "online_sales_share", "followup", date(2026, 1, 10), "25")
    measure(m2, "online_sales_share", "followup", date(2027, 1, 10), "50")
    # jobs: A 3 -> 5, B 10 -> 11; D (enrolled after the as-of) is not counted
    for m, base, follow in [(m1, "3", "5"), (m2, "10", "11"), (m4, "4", "9")]:
        measure(m, JOBS_CODE, "baseline", b, base)
        measure(m, JOBS_CODE, "followup", f, follow)
    # e-commerce: A launched (0 -> 1), B not yet (0 -> 0), C had one already (1 -> 1)
    for m, base, follow in [(m1, "0", "1"), (m2, "0", "0"), (m3, "1", "1")]:
        measure(m, ECOMMERCE_CODE, "baseline", b, base)
        measure(m, ECOMMERCE_CODE, "followup", f, follow)
    # delivery days (less is better): A 10 -> 7 improved, B 5 -> 6 worse; C has a baseline only
    for m, base, follow in [(m1, "10", "7"), (m2, "5", "6")]:
        measure(m, "delivery_days", "baseline", b, base)
        measure(m, "delivery_days", "followup", f, follow)
    measure(m3, "delivery_days", "baseline", b, "4")

    # Eligible spending: 11 000 of program costs + 4 000 tied to Boutique A = 15 000
    services = session.exec(select(Category).where(Category.code == "merchant_services")).one()
    for amount, merchant_id in [(11_000_00, None), (4_000_00, m1.id)]:
        session.add(Expense(program_id=pid, date=date(2026, 3, 1), category_id=services.id,
                            amount_cents=amount, eligible_cents=amount, merchant_id=merchant_id))
    session.flush()
    return program


@pytest.fixture
def ifacts(session, store):
    return load_impact_facts(session, facts=load_facts(session, program_id=store.id, as_of=AS_OF))


def test_merchant_counts_nest_completed_in_supported_in_reached(ifacts, session, store):
    counts = merchant_counts(ifacts)
    # reached: A, B, C (D enrolled after the as-of); supported: A (completed) + B; completed: A
    assert (counts.reached, counts.supported, counts.completed) == (3, 2, 1)
    assert (counts.target_reached, counts.target_supported, counts.target_completed) == (300, 150, 100)
    assert merchants_supported(session, program_id=store.id, as_of=AS_OF) == 2


def test_indicator_changes_hand_worked(ifacts):
    changes = {c.code: c for c in indicator_changes(ifacts)}
    sales = changes["online_sales_share"]
    # changes +20, 0, −5: mean (20 + 0 − 5) / 3 = 5, median 0, improved 1 of 3
    assert sales.merchants == 3
    assert (sales.mean_change, sales.median_change) == (D("5"), D("0"))
    assert (sales.improved, sales.share_improved) == (1, D(1) / D(3))
    # baseline mean (10 + 5 + 20) / 3 = 11.67; follow-up mean (30 + 5 + 15) / 3 = 16.67
    assert sales.baseline_mean == D(35) / D(3) and sales.followup_mean == D(50) / D(3)
    assert sales.target == D("25")
    # delivery days, less is better: −3 improved, +1 not: 1 of 2; median (−3 + 1) / 2 = −1
    days = changes["delivery_days"]
    assert (days.merchants, days.improved, days.share_improved) == (2, 1, D("0.5"))
    assert days.median_change == D("-1")


def test_per_merchant_changes(ifacts):
    rows = {c.baseline: c for c in merchant_changes(ifacts, "online_sales_share")}
    assert (rows[D("10")].followup, rows[D("10")].change, rows[D("10")].improved) == (D("30"), D("20"), True)
    assert merchant_changes(ifacts, "no-such-indicator") == []


def test_impact_figures_and_cost_per_merchant(ifacts):
    result = impact(ifacts)
    # e-commerce launched: only A (0 -> 1); jobs: (5 − 3) + (11 − 10) = 3 (D not yet enrolled)
    assert (result.ecommerce_launched, result.jobs_created) == (1, D("3"))
    # cost per merchant supported = E ÷ supported = 15 000 / 2 = 7 500
    assert result.cost_per_merchant == D("7500.00")
    # spending tied to merchants: 4 000 (A) / 2 supported = 2 000
    assert (result.direct_spent, result.direct_cost_per_merchant) == (D("4000.00"), D("2000.00"))


def test_split_by_sector(ifacts):
    split = split_impact(ifacts, "sector")
    assert list(split) == ["retail", "wholesale"]
    retail, wholesale = split["retail"], split["wholesale"]
    assert (retail.counts.reached, retail.counts.supported, retail.counts.completed) == (2, 2, 1)
    assert (wholesale.counts.reached, wholesale.counts.supported) == (1, 0)
    # retail online sales: +20 and 0: mean 10; wholesale: −5
    r = {c.code: c for c in retail.indicators}["online_sales_share"]
    assert (r.merchants, r.mean_change) == (2, D("10"))
    assert retail.cost_per_merchant is None  # program-wide figure only
    assert retail.direct_cost_per_merchant == D("2000.00")  # 4 000 / 2
    assert wholesale.direct_cost_per_merchant is None  # nobody supported
    assert impact(ifacts, {"municipality": "Montréal"}).counts.reached == 1


def test_split_by_an_unknown_dimension_is_refused(ifacts):
    with pytest.raises(ValueError):
        split_impact(ifacts, "contact_email")


def test_no_merchants_yet(session):
    program = get_program(session)
    ifacts = load_impact_facts(session, facts=load_facts(session, program_id=program.id, as_of=AS_OF))
    result = impact(ifacts)
    assert (result.counts.reached, result.counts.supported) == (0, 0)
    assert result.cost_per_merchant is None  # shown «—», never a division error
    assert result.ecommerce_launched is None and result.indicators == []


def test_cost_per_merchant():
    # 1 050 000 / 150 = 7 000
    assert cost_per_merchant(D("1050000.00"), 150) == D("7000")
    assert cost_per_merchant(D("1000.00"), 0) is None
