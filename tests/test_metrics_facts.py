"""metrics.facts: the grouped SQL behind every metric, on SQLite and PostgreSQL alike."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from cqic_budget.metrics.facts import (
    eligible_spent,
    ineligible_spent,
    load_facts,
    monthly_eligible,
    quebec_commitment,
    received,
)
from cqic_budget.models import Category, Contribution, Expense, Funder, Milestone, Program
from cqic_budget.money import eligible_cents, to_cents
from cqic_budget.settings_service import recompute_eligible_cents
from cqic_budget.setup import get_program

D = Decimal


def add_expense(session, program, category, day, amount, gst="0", qst="0", *, eligible=True, vendor="V"):
    cat = session.exec(select(Category).where(Category.code == category)).one()
    a, g, q = to_cents(amount), to_cents(gst), to_cents(qst)
    session.add(Expense(
        program_id=program.id, date=day, vendor=vendor, category_id=cat.id, amount_cents=a, gst_cents=g,
        qst_cents=q, eligible=eligible, eligible_cents=eligible_cents(a, g, q, program.tax_recovery_rate,
                                                                      eligible=eligible),
    ))


def funder(session, program, kind):
    return session.exec(select(Funder).where(Funder.program_id == program.id, Funder.kind == kind)).first()


@pytest.fixture
def store(session):
    """A few expenses, contributions and milestones around an as-of of 2025-07-31."""
    program = get_program(session)
    add_expense(session, program, "salaries", date(2025, 5, 10), "10000.00")
    # 1 000 + 50 × 0.5 + 99.75 × 0.5 = 1 074.875 -> 1 074.88 (half-up)
    add_expense(session, program, "professional_fees", date(2025, 5, 20), "1000.00", "50.00", "99.75")
    # ineligible: 200 + 10 + 19.95 = 229.95 shown apart, eligible 0
    add_expense(session, program, "equipment", date(2025, 5, 25), "200.00", "10.00", "19.95", eligible=False)
    # credit note: −500 − 25 × 0.5 − 49.88 × 0.5 = −537.44
    add_expense(session, program, "professional_fees", date(2025, 6, 3), "-500.00", "-25.00", "-49.88")
    add_expense(session, program, "administration", date(2025, 7, 31), "800.00")  # on the as-of: counted
    add_expense(session, program, "salaries", date(2025, 8, 1), "9999.00")  # after the as-of: not counted

    other = Program(code="AUTRE", name_fr="Autre", name_en="Other", start_date=date(2025, 4, 1),
                    end_date=date(2026, 3, 31), budget_total_cents=100_00)
    session.add(other)
    session.flush()
    add_expense(session, other, "salaries", date(2025, 5, 10), "777.00")  # another program: not counted
    other_funder = Funder(program_id=other.id, name="X", kind="quebec", is_public_aid=True, committed_cents=1)
    session.add(other_funder)
    session.flush()

    qc, picom = funder(session, program, "quebec"), session.exec(
        select(Funder).where(Funder.program_id == program.id, Funder.in_kind.is_(True))).first()
    milestone = Milestone(program_id=program.id, name_fr="J1", name_en="M1", due_date=date(2025, 5, 22),
                          planned_cumulative_cents=12_000_00, payment_funder_id=qc.id, payment_cents=5_000_00)
    session.add(milestone)
    session.flush()
    session.add_all([
        Contribution(funder_id=qc.id, received_date=date(2025, 7, 31), amount_cents=5_000_00,
                     milestone_id=milestone.id, reference="Versement 1"),
        Contribution(funder_id=picom.id, received_date=date(2025, 6, 1), amount_cents=1_000_00, in_kind=True),
        Contribution(funder_id=qc.id, received_date=date(2025, 8, 1), amount_cents=9_000_00),  # after as-of
        Contribution(funder_id=other_funder.id, received_date=date(2025, 6, 1), amount_cents=3_000_00),
    ])
    session.flush()
    return program


def test_monthly_aggregates_hand_worked(session, store):
    f = load_facts(session, program_id=store.id, as_of=date(2025, 7, 31))
    assert f.as_of == date(2025, 7, 31)
    months = {(m.month, m.category): (m.eligible, m.ineligible, m.expenses) for m in f.monthly}
    assert months == {
        (date(2025, 5, 1), "salaries"): (D("10000.00"), D("0.00"), 1),
        (date(2025, 5, 1), "professional_fees"): (D("1074.88"), D("0.00"), 1),
        (date(2025, 5, 1), "equipment"): (D("0.00"), D("229.95"), 1),
        (date(2025, 6, 1), "professional_fees"): (D("-537.44"), D("0.00"), 1),
        (date(2025, 7, 1), "administration"): (D("800.00"), D("0.00"), 1),
    }
    # E = 10 000 + 1 074.88 − 537.44 + 800 = 11 337.44; ineligible 229.95 apart
    assert eligible_spent(f) == D("11337.44")
    assert ineligible_spent(f) == D("229.95")
    assert monthly_eligible(f)[date(2025, 5, 1)] == D("11074.88")
    assert eligible_spent(f, date(2025, 6, 30)) == D("10537.44")  # 11 074.88 − 537.44
    assert eligible_spent(f, category="administration") == D("800.00")


def test_cumulative_spend_is_exact_to_the_day(session, store):
    # Due 2025-05-22: 10 000 (05-10) + 1 074.88 (05-20); the ineligible 05-25 expense would not count anyway
    f = load_facts(session, program_id=store.id, as_of=date(2025, 7, 31))
    assert eligible_spent(f, date(2025, 5, 22)) == D("11074.88")
    assert eligible_spent(f, date(2025, 5, 9)) == 0
    assert eligible_spent(f, date(2025, 6, 3)) == D("10537.44")  # the credit note's day counts
    assert f.daily_cumulative[0] == (date(2025, 5, 10), D("10000.00"))
    (m,) = f.milestones
    assert (m.planned_cumulative, m.payment) == (D("12000.00"), D("5000.00"))


def test_funders_and_contributions_to_the_as_of(session, store):
    f = load_facts(session, program_id=store.id, as_of=date(2025, 7, 31))
    assert len(f.funders) == 5 and quebec_commitment(f) == D("1050000.00")
    # Québec 5 000 (07-31, counted; 08-01 not); PICOM 1 000 in kind; the other program's not at all
    assert received(f, quebec=True) == D("5000.00")
    assert received(f, in_kind=True) == D("1000.00")
    assert len(f.contributions) == 2
    assert f.contributions[-1].milestone_id == f.milestones[0].id


def test_as_of_is_clamped_to_the_program_period(session, store):
    before = load_facts(session, program_id=store.id, as_of=date(2024, 1, 1))
    assert before.as_of == date(2025, 4, 1)
    assert before.monthly == () and eligible_spent(before) == 0
    after = load_facts(session, program_id=store.id, as_of=date(2031, 1, 1))
    assert after.as_of == date(2028, 3, 31)
    # everything: 11 337.44 + 9 999 = 21 336.44
    assert eligible_spent(after) == D("21336.44")
    today = load_facts(session, program_id=store.id)
    assert date(2025, 4, 1) <= today.as_of <= date(2028, 3, 31)


def test_settings_come_from_the_program(session, store):
    store.quebec_rate = D("0.45")
    store.admin_base = "salaries"
    session.flush()
    f = load_facts(session, program_id=store.id, as_of=date(2025, 7, 31))
    assert (f.quebec_rate, f.admin_base, f.burn_window_months) == (D("0.45"), "salaries", 3)
    assert f.budget_total == D("2100000.00")


def test_unknown_program(session):
    with pytest.raises(LookupError):
        load_facts(session, program_id=999_999, as_of=date(2025, 7, 31))


def test_recompute_eligible_when_the_recovery_rate_changes(session, store):
    # Full input-tax credits (r = 1): the fees invoice becomes 1 000.00, the credit note −500.00
    store.tax_recovery_rate = D("1")
    session.flush()
    # fees, credit note, and the ineligible row already at 0: 2 rows change
    assert recompute_eligible_cents(session, program_id=store.id, recovery_rate=D("1")) == 2
    f = load_facts(session, program_id=store.id, as_of=date(2025, 7, 31))
    # E = 10 000 + 1 000 − 500 + 800 = 11 300
    assert eligible_spent(f) == D("11300.00")
    # No recovery (r = 0): 1 000 + 50 + 99.75 = 1 149.75; −500 − 25 − 49.88 = −574.88
    assert recompute_eligible_cents(session, program_id=store.id, recovery_rate=D("0")) == 2
    f = load_facts(session, program_id=store.id, as_of=date(2025, 7, 31))
    assert eligible_spent(f) == D("11374.87")  # 10 000 + 1 149.75 − 574.88 + 800
