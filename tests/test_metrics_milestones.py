"""metrics.milestones: planned vs actual at the due date (or the as-of), days late, tied payments."""

from datetime import date
from decimal import Decimal

from factories import cqic_facts

from cqic_budget.metrics.facts import ContributionFact, FunderFact, MilestoneFact, MonthlySpend, ProgramFacts
from cqic_budget.metrics.milestones import days_late, milestone_status

D = Decimal
QC = 1


def facts(**changes) -> ProgramFacts:
    return cqic_facts(date(2026, 5, 10), **changes)


MILESTONES = (
    # M1 due mid-month, achieved ten days late, its 150 000 payment received
    MilestoneFact(1, "Lancement", "Launch", date(2025, 9, 15), D("300000"), "achieved", date(2025, 9, 25),
                  QC, D("150000")),
    # M2 due at a fiscal-year end, not achieved, payment of 200 000 partly received
    MilestoneFact(2, "Mission Lille", "Lille mission", date(2026, 3, 31), D("700000"), "planned", None,
                  QC, D("200000")),
    # M3 not due yet, no payment tied
    MilestoneFact(3, "Bilan", "Review", date(2026, 12, 31), D("1000000"), "planned", None, None, None),
)
MONTHLY = (
    MonthlySpend(date(2025, 6, 1), "salaries", D("180000"), D("0"), 5),
    MonthlySpend(date(2025, 9, 1), "salaries", D("150000"), D("0"), 5),
    MonthlySpend(date(2026, 2, 1), "salaries", D("320000"), D("0"), 5),
    MonthlySpend(date(2026, 5, 1), "salaries", D("50000"), D("0"), 5),
)
# The same spending day by day (cumulative), as load_facts gives it: on 2025-09-15, a mid-month due
# date, 180 000 + the 100 000 of 2025-09-10 = 280 000 (the 50 000 of 2025-09-20 comes after)
DAILY = (
    (date(2025, 6, 10), D("180000")), (date(2025, 9, 10), D("280000")), (date(2025, 9, 20), D("330000")),
    (date(2026, 2, 10), D("650000")), (date(2026, 5, 5), D("700000")),
)
CONTRIBUTIONS = (
    ContributionFact(1, QC, date(2025, 10, 1), D("150000"), False, "Versement 1", 1),
    ContributionFact(2, QC, date(2026, 4, 20), D("100000"), False, "Versement 2", 2),
)


def test_milestone_status_hand_worked():
    f = facts(milestones=MILESTONES, monthly=MONTHLY, daily_cumulative=DAILY, contributions=CONTRIBUTIONS,
              funders=(FunderFact(QC, "MEIE", "quebec", True, D("1050000"), False),))
    m1, m2, m3 = milestone_status(f)

    # M1: at 2025-09-15, 280 000 spent vs 300 000 planned: 20 000 behind; achieved 2025-09-25: 10 days late
    assert (m1.measured_at, m1.actual, m1.planned, m1.gap) == (date(2025, 9, 15), D("280000"), D("300000"),
                                                               D("-20000"))
    assert m1.days_late == 10
    assert (m1.payment_status, m1.payment_received, m1.payment_date) == ("received", D("150000"),
                                                                          date(2025, 10, 1))

    # M2: at 2026-03-31: 180 000 + 150 000 + 320 000 = 650 000 vs 700 000; still open on 2026-05-10:
    # 30 days of April + 10 = 40 days late; 100 000 of 200 000 received: partial
    assert (m2.actual, m2.gap, m2.days_late) == (D("650000"), D("-50000"), 40)
    assert m2.payment_status == "partial" and m2.payment_received == D("100000")
    assert m2.progress == D("650000") / D("700000")

    # M3: not due; measured at the as-of: 650 000 + 50 000 = 700 000 of 1 000 000; not late; no payment
    assert (m3.is_due, m3.measured_at, m3.actual) == (False, date(2026, 5, 10), D("700000"))
    assert (m3.days_late, m3.payment_status) == (0, "none")
    # ... and compared with the plan at the as-of, not with its whole 1 000 000: the plan runs from
    # 700 000 (2026-03-31) to 1 000 000 (2026-12-31), 275 days; 40 days in on 2026-05-10:
    # 700 000 + 300 000 × 40 / 275 = 743 636,36 planned; gap 700 000 − 743 636,36 = −43 636,36
    assert (m3.planned, m3.planned_at_due) == (D("743636.36"), D("1000000"))
    assert m3.gap == D("-43636.36") and m3.progress == D("700000") / D("743636.36")
    assert m3.name("en") == "Review" and m3.name("fr") == "Bilan"


def test_payment_pending_when_nothing_received():
    f = facts(milestones=MILESTONES[1:2], monthly=MONTHLY)
    (m2,) = milestone_status(f)
    assert (m2.payment_status, m2.payment_received, m2.payment_date) == ("pending", 0, None)


def test_days_late():
    # Achieved on time -> 0; achieved 3 days after -> 3; open 5 days past due at the as-of -> 5
    assert days_late(date(2026, 3, 31), date(2026, 3, 30), date(2026, 5, 1)) == 0
    assert days_late(date(2026, 3, 31), date(2026, 4, 3), date(2026, 5, 1)) == 3
    assert days_late(date(2026, 3, 31), None, date(2026, 4, 5)) == 5
    assert days_late(date(2026, 3, 31), None, date(2026, 3, 1)) == 0  # not due yet


def test_no_milestones():
    assert milestone_status(facts()) == []


def test_milestones_with_no_expenses_yet():
    (m1,) = milestone_status(facts(milestones=MILESTONES[:1], as_of=date(2025, 10, 1)))
    assert (m1.actual, m1.gap, m1.progress) == (0, D("-300000"), 0)
