"""metrics.portfolio: three small programs rolled up by hand, on SQLite and PostgreSQL, in a fixed number
of queries whatever the number of programs."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import select
from store_builders import add_expense, add_funder, add_program, make_three_programs

from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.portfolio import portfolio_facts, portfolio_rows, portfolio_totals
from cqic_budget.metrics.summary import compute_summary
from cqic_budget.models import Funder, Program
from cqic_budget.setup import get_program

D = Decimal
AS_OF = date(2025, 7, 31)


@pytest.fixture
def three_programs(session):
    return make_three_programs(session)


def test_rows_by_hand(session, three_programs):
    cqic, est, nord = portfolio_rows(session, as_of=AS_OF)
    assert [r.code for r in (cqic, est, nord)] == ["CQIC", "EST", "NORD"]

    # CQIC: 10 000 + 1 074.88 = 11 074.88 (the ineligible 500 and the August expense do not count).
    assert cqic.as_of == AS_OF
    assert cqic.budget == D("2100000.00")
    assert cqic.spent == D("11074.88")
    assert cqic.spent_share == D("11074.88") / D("2100000")
    assert cqic.time_elapsed_share == D(4) / D(36)  # April to July of 36 months
    assert cqic.quebec_received == D("5000.00")
    assert cqic.quebec_share == D("5000") / D("11074.88")  # 45.1 % ≤ 50 %
    # Partners received nothing of the 5 537.44 required: short inside a year, "watch".
    assert (cqic.status, cqic.checks_flagged) == ("watch", 1)
    assert (cqic.merchants_supported, cqic.target_supported) == (1, 150)

    # EST: 21 497.50 + 4 000 = 25 497.50.
    assert est.spent == D("25497.50")
    assert est.spent_share == D("0.254975")
    assert est.time_elapsed_share == D(4) / D(12)
    assert est.quebec_share == D("15000") / D("25497.50")  # 58.8 %: an advance inside the year, "watch"
    # Administration 4 000 ÷ 25 497.50 = 15.7 % > 10 % on 2025-07-31, inside 2025-2026: "watch" (a share
    # past its limit is judged a breach only at a fiscal-year or the program end, SPEC §3).
    assert (est.status, est.checks_flagged) == ("watch", 2)
    assert est.merchants_supported == 2  # supported + completed enrolled by the as-of

    # NORD starts after the as-of: its as-of is its first day; 1 000 spent that day, nothing from Québec.
    assert nord.as_of == date(2026, 4, 1)
    assert nord.spent == D("1000.00")
    assert nord.quebec_received == D("0") and nord.quebec_share == D("0")
    assert (nord.status, nord.merchants_supported) == ("watch", 0)  # no partner has matched 500


def test_totals_by_hand(session, three_programs):
    totals = portfolio_totals(portfolio_rows(session, as_of=AS_OF))
    assert totals.programs == 3
    assert totals.budget == D("2250000.00")  # 2 100 000 + 100 000 + 50 000
    assert totals.spent == D("37572.38")  # 11 074.88 + 25 497.50 + 1 000
    assert totals.spent_share == D("37572.38") / D("2250000")
    assert totals.quebec_received == D("20000.00")  # 5 000 + 15 000
    assert totals.quebec_share == D("20000") / D("37572.38")  # of the sums, not a mean of shares
    assert totals.by_status == {"ok": 0, "watch": 3, "breach": 0}
    assert (totals.merchants_supported, totals.target_supported) == (3, 170)


def test_empty_store_has_no_rows(session):
    session.execute(sa.delete(Funder))
    session.execute(sa.delete(Program))
    assert portfolio_rows(session, as_of=AS_OF) == []
    totals = portfolio_totals([])
    assert (totals.programs, totals.spent_share, totals.quebec_share) == (0, None, None)


@pytest.mark.parametrize("as_of", [AS_OF, date(2026, 3, 31), date(2026, 10, 15), date(2028, 6, 1)])
def test_facts_equal_load_facts_and_rows_equal_the_summary(session, three_programs, as_of):
    """Each program's facts are load_facts' (grouped by month instead of by day), so its row shows the
    figures its own pages and `summary --json` show."""
    facts, supported = portfolio_facts(session, as_of=as_of)
    rows = {r.code: r for r in portfolio_rows(session, as_of=as_of)}
    # The three programs, each checked below (never a loop over nothing).
    assert sorted(f.code for f in facts) == sorted(rows) == ["CQIC", "EST", "NORD"]
    for f in facts:
        assert f == dataclasses.replace(load_facts(session, program_id=f.program_id, as_of=as_of),
                                        daily_cumulative=())
        summary = compute_summary(session, program_code=f.code, as_of=as_of)
        row = rows[f.code]
        assert (row.spent, row.quebec_received, row.quebec_share, row.merchants_supported) == (
            summary.spent, summary.quebec_received, summary.quebec_share, summary.merchants_supported)
        assert row.budget == summary.budget_total
        assert supported.get(f.program_id, 0) == summary.merchants_supported


def count_statements(engine, work) -> int:
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        work()
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    return len(statements)


def test_a_fixed_number_of_queries_whatever_the_number_of_programs(session, engine, three_programs):
    session.commit()
    few = count_statements(engine, lambda: portfolio_rows(session, as_of=AS_OF))
    for n in range(12):
        program = add_program(session, f"P{n:02d}", date(2025, 4, 1), date(2027, 3, 31), "1000.00")
        add_expense(session, program, "travel", date(2025, 5, 1), "10.00")
        add_funder(session, program, "quebec", "500.00", public=True)
    session.commit()
    rows: list = []
    many = count_statements(engine, lambda: rows.extend(portfolio_rows(session, as_of=AS_OF)))
    assert len(rows) == 15
    assert many == few <= 11  # programs, categories, expenses, lines, amendments, commitments, funders,
    # contributions, milestones, closes, merchants


def test_the_demo_portfolio_row_equals_its_summary_with_an_amendment_and_an_open_commitment(demo_engine):
    """The portfolio reads the one facts loader: its row of the demo equals `compute_summary` of the same
    program and as-of — budget in force after amendments, open commitments, closed years included."""
    from cqic_budget.auth import LOCAL_USER
    from cqic_budget.budget import funder_commitments_in_force, record_amendment
    from cqic_budget.db import session_scope
    from cqic_budget.metrics.cofinancing import cofinancing_checks

    as_of = date(2026, 10, 31)
    with session_scope(demo_engine) as session:
        program = get_program(session)
        laval = session.exec(select(Funder).where(Funder.program_id == program.id,
                                                  Funder.name == "Ville de Laval")).one()
        # An amendment raising Ville de Laval's commitment 300 000 → 700 000 $ from 2026-10-01: public aid
        # committed = 1 050 000 (MEIE) + 700 000 = 1 750 000 $ ÷ 2 100 000 $ = 83,3 % > the 80 % cap.
        record_amendment(session, program_id=program.id, reference="Avenant 2",
                         effective_date=date(2026, 10, 1), approved_by="MEIE", funders={laval.id: 70_000_000},
                         user=LOCAL_USER)
        in_force = funder_commitments_in_force(session, program_id=program.id, as_of=as_of)
        assert in_force[laval.id] == 70_000_000
    with session_scope(demo_engine) as session:
        facts, _ = portfolio_facts(session, as_of=as_of)
        (mine,) = [f for f in facts if f.code == "CQIC"]
        own = load_facts(session, program_id=mine.program_id, as_of=as_of)
        assert mine == dataclasses.replace(own, daily_cumulative=())
        # The demo's open purchase order BC-2026-031: 19 000 − 10 211,32 drawn = 8 788,68 $ open, and the
        # contract CT-2026-007 (24 000 $, nothing drawn): 8 788,68 + 24 000 = 32 788,68 $ open in all. The
        # amended line: professional fees 2026-2027 in force at 80 000 $ (Avenant n° 1 of 2026-09-15).
        assert mine.open_commitments == D("32788.68")
        fees = next(b for b in mine.budget_lines if (b.fiscal_year, b.category) == ("2026-2027",
                                                                                  "professional_fees"))
        assert (fees.amount, fees.open_commitments) == (D("80000.00"), D("8788.68"))
        assert next(f for f in mine.funders if f.name == "Ville de Laval").committed == D("700000.00")
        summary = compute_summary(session, program_code="CQIC", as_of=as_of)
        (row,) = [r for r in portfolio_rows(session, as_of=as_of) if r.code == "CQIC"]
        checks = cofinancing_checks(own)
        assert (row.as_of, row.budget, row.spent, row.quebec_received, row.quebec_share,
                row.merchants_supported) == (summary.as_of, summary.budget_total, summary.spent,
                                             summary.quebec_received, summary.quebec_share,
                                             summary.merchants_supported)
        assert [(c.code, c.status) for c in checks] == [(c.code, c.status) for c in summary.checks]
        flagged = sum(1 for c in summary.checks if c.status in ("watch", "breach"))
        assert row.checks_flagged == flagged
        # The forward stacking check sees the amended commitment (83,3 % > 80 %): not ok, as in the summary.
        forward = [c for c in summary.checks if c.code == "stacking_committed"]
        assert forward and forward[0].status != "ok"
