"""Fiscal-year close (SPEC §9, issue 10 item 1), on SQLite and PostgreSQL: the demo closes 2025-2026;
nothing dated in it moves by any path until it is reopened, audited, and then shows its restatement."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pandas as pd
import pytest
import sqlalchemy as sa
from import_helpers import HEADER_FR, taxed, xlsx
from sqlmodel import Session, select

from cqic_budget import settings_service
from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.cli import main
from cqic_budget.closing import FundingError, close_year, reopen_year, verify_close, year_statement
from cqic_budget.db import session_scope
from cqic_budget.importing import service
from cqic_budget.importing.batches import undo_batch
from cqic_budget.metrics.summary import compute_summary, summary_as_json
from cqic_budget.models import AuditEvent, BudgetLine, Contribution, Expense, FiscalYearClose, Funder
from cqic_budget.setup import get_program
from cqic_budget.users import add_user

AS_OF = date(2026, 10, 31)
VIEWER = "lecture@cqic.ca"


@pytest.fixture
def demo(demo_engine, db_url, monkeypatch):
    """A copy of the demo template (init + load_demo) named by CQIC_DATABASE_URL, with one more user."""
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    with session_scope(demo_engine) as session:
        add_user(session, VIEWER, "viewer", by=LOCAL_USER)
    return demo_engine


def sheet(*days: date, amount: str = "1000.00") -> bytes:
    rows = [taxed(day, "Fournitures Test inc.", amount, f"T-{day:%m%d}-{i}") for i, day in enumerate(days)]
    return xlsx({"Dépenses": [HEADER_FR, *rows]})


def summary(engine) -> dict:
    with session_scope(engine) as session:
        return summary_as_json(compute_summary(session, as_of=AS_OF))


def cli(capsys, *args: str) -> tuple[int, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_close_then_import_verify_reopen_and_restatement(demo, capsys):
    before = summary(demo)
    assert next(y for y in before["fiscal_years"] if y["label"] == "2025-2026")["closed"] is True
    status, out = cli(capsys, "verify-close", "2025-2026")
    assert status == 0 and "correspond" in out

    # A sheet with a row in the closed year and one in November 2026 (open, after the as-of).
    outcome = service.import_file(demo, sheet(date(2026, 3, 15), date(2026, 11, 16)), file_name="a.xlsx")
    assert (outcome.status, outcome.rows_imported, outcome.rows_rejected) == ("imported", 1, 1)
    [error] = outcome.errors
    assert (error.row, error.code) == (2, "closed-period")
    assert "2025-2026" in service.error_message(error, "fr")
    assert "is closed" in service.error_message(error, "en")
    status, out = cli(capsys, "verify-close", "2025-2026", "--json")
    assert status == 0 and json.loads(out)["matches"] is True
    assert summary(demo) == before  # nothing moved at 2026-10-31

    # Reopen (audited), import the March row again, verify: the restatement.
    status, out = cli(capsys, "reopen-year", "2025-2026", "--reason", "Facture de mars oubliée")
    assert status == 0 and "Facture de mars oubliée" in out
    outcome = service.import_file(demo, sheet(date(2026, 3, 15)), file_name="b.xlsx")
    assert (outcome.status, outcome.rows_imported) == ("imported", 1)
    status, out = cli(capsys, "verify-close", "2025-2026", "--json")
    result = json.loads(out)
    # eligible = 1 000 + 0,5 × (50 + 99,75) = 1 074,875 -> 1 074,88 (half-up per expense)
    assert status == 1 and result["matches"] is False and result["difference"] == "1074.88"
    # E of 2025-2026 as closed = 602 624,84 of expenses + PICOM's four in-kind quarters dated in the year
    # (30 June, 30 September, 31 December 2025, 31 March 2026: 4 × 12 500 = 50 000, eligible in
    # merchant_services) = 652 624,84; now 652 624,84 + 1 074,88 = 653 699,72.
    assert (result["closed_eligible"], result["current_eligible"]) == ("652624.84", "653699.72")
    assert result["expenses_added"] == 1
    after = summary(demo)
    year = next(y for y in after["fiscal_years"] if y["label"] == "2025-2026")
    assert year["closed"] is False and year["spent"] == "653699.72"
    with session_scope(demo) as session:
        fy = next(y for y in compute_summary(session, as_of=AS_OF).fiscal_years if y.label == "2025-2026")
        assert fy.restated and fy.as_closed == D("652624.84")
        shown = "tel que clos 652\u00a0624,84\u00a0$, maintenant 653\u00a0699,72\u00a0$"
        assert shown in fy.restatement("fr")
        from cqic_budget.views.overview import build_overview

        view = build_overview(session, program_code=None, as_of=AS_OF, lang="fr")
        assert any(a.text == fy.restatement("fr") for a in view.alerts)
        actions = [e.action for e in session.exec(select(AuditEvent).where(
            AuditEvent.entity == "fiscalyearclose").order_by(AuditEvent.id))]
        assert actions == ["fiscal_year.close", "fiscal_year.reopen"]
    # Closing again signs the new statement; verify matches again.
    status, _ = cli(capsys, "close-year", "2025-2026")
    status2, out = cli(capsys, "verify-close", "2025-2026")
    assert status == status2 == 0 and "correspond" in out


def test_the_store_refuses_changes_in_a_closed_year_whatever_the_path(demo):
    with Session(demo) as session:
        expense = session.exec(select(Expense).where(Expense.date <= date(2026, 3, 31))
                               .order_by(Expense.id)).first()
        line = session.exec(select(BudgetLine).where(BudgetLine.fiscal_year == "2025-2026")).first()
        funder = session.exec(select(Funder)).first()
        expense_id, line_id, funder_id, program_id = expense.id, line.id, funder.id, expense.program_id
        category_id = expense.category_id
    table = Expense.__table__
    attempts = [
        sa.update(table).where(table.c.id == expense_id).values(amount_cents=table.c.amount_cents + 1),
        sa.update(table).where(table.c.id == expense_id).values(date=date(2026, 4, 2)),  # moved out
        sa.delete(table).where(table.c.id == expense_id),
        sa.insert(table).values(program_id=program_id, date=date(2026, 1, 5), vendor="X",
                                category_id=category_id, amount_cents=100, eligible_cents=100),
        sa.update(BudgetLine.__table__).where(BudgetLine.__table__.c.id == line_id).values(amount_cents=1),
        sa.insert(Contribution.__table__).values(funder_id=funder_id, received_date=date(2026, 2, 1),
                                                 amount_cents=100, in_kind=False, reference=""),
    ]
    for statement in attempts:
        with pytest.raises(sa.exc.DatabaseError, match="closed-period"), demo.begin() as conn:
            conn.execute(statement)
    # Redacting an expense's text (a Law 25 erasure) stays possible: it is not in the statement.
    with demo.begin() as conn:
        conn.execute(sa.update(table).where(table.c.id == expense_id).values(description="[effacé]"))
    with Session(demo) as session:
        assert verify_close(session, "2025-2026").matches


def test_undo_of_a_batch_with_rows_in_a_closed_year_is_refused(demo):
    with session_scope(demo) as session:
        reopen_year(session, "2025-2026", reason="correction", user=LOCAL_USER)
    outcome = service.import_file(demo, sheet(date(2026, 2, 10), date(2026, 11, 3)), file_name="c.xlsx")
    assert outcome.rows_imported == 2
    with session_scope(demo) as session:
        close_year(session, "2025-2026", user=LOCAL_USER)
    result = undo_batch(demo, outcome.batch_id, lang="en")
    assert not result.ok and "fiscal year 2025-2026 is closed" in result.message
    assert "1 expense" in result.message
    with Session(demo) as session:
        assert session.exec(select(sa.func.count()).select_from(Expense)
                            .where(Expense.batch_id == outcome.batch_id)).one() == 2


def test_settings_editors_refuse_rows_of_a_closed_year(demo):
    with session_scope(demo) as session:
        program_id = get_program(session).id
        lines = settings_service.load_budget_lines_table(session, program_id)
        edited = lines.copy()
        first = edited.index[edited["fiscal_year"] == "2025-2026"][0]
        edited.loc[first, "amount"] = 1
        result = settings_service.save_budget_lines_table(session, program_id, edited, user=LOCAL_USER)
        assert result.errors and {e.code for e in result.errors} == {"closed-period"}
        assert "2025-2026" in result.errors[0].message
        # a line of an open year can still change
        edited = lines.copy()
        other = edited.index[edited["fiscal_year"] == "2026-2027"][0]
        edited.loc[other, "amount"] = edited.loc[other, "amount"] + 1
        saved = settings_service.save_budget_lines_table(session, program_id, edited, user=LOCAL_USER)
        assert not saved.errors
        contributions = settings_service.load_contributions_table(session, program_id)
        new = dict(contributions.iloc[0])
        new.update(id=None, received_date=date(2026, 1, 15), reference="nouveau")
        edited = pd.concat([contributions, pd.DataFrame([new])], ignore_index=True)
        result = settings_service.save_contributions_table(session, program_id, edited, user=LOCAL_USER)
        assert [e.code for e in result.errors] == ["closed-period"]


def test_a_new_tax_recovery_rate_leaves_a_closed_year_as_signed(demo):
    with session_scope(demo) as session:
        program_id = get_program(session).id
        settings_service.update_program_settings(session, program_id, {"tax_recovery_rate": "1"},
                                                 user=LOCAL_USER)
    with Session(demo) as session:
        assert verify_close(session, "2025-2026").matches


def test_refusals_exit_2_and_write_nothing(demo, capsys):
    assert cli(capsys, "reopen-year", "2025-2026", "--reason", "x", "--user", VIEWER)[0] == 2
    assert cli(capsys, "close-year", "2026-2027")[0] == 2  # not ended (31 March 2027)
    assert cli(capsys, "close-year", "2025-2026")[0] == 2  # already closed
    status, out = cli(capsys, "reopen-year", "2025-2026", "--reason", "  ")
    assert status == 2 and "raison" in out
    assert cli(capsys, "verify-close", "2024-2025")[0] == 2  # not a year of the program
    with Session(demo) as session:
        row = session.exec(select(FiscalYearClose)).one()
        assert not row.reopened
        with pytest.raises(Forbidden):
            close_year(session, "2025-2026", user=VIEWER)
        with pytest.raises(FundingError) as refused:
            close_year(session, "2026-2027", user=LOCAL_USER)
        assert refused.value.code == "year-not-ended"


def test_the_statement_by_hand(engine):
    from cqic_budget.models import Category
    from cqic_budget.money import eligible_cents

    with session_scope(engine) as session:
        program = get_program(session)
        cats = {c.code: c.id for c in session.exec(select(Category))}
        for day, cat, amount, gst, qst, eligible in (
            (date(2025, 5, 1), "salaries", 100_000_00, 0, 0, True),
            (date(2026, 3, 31), "travel", 1000_00, 50_00, 99_75, True),  # 1 000 + 0,5 × 149,75 = 1 074,88
            (date(2026, 3, 31), "travel", 200_00, 10_00, 19_95, False),  # 229,95 ineligible
            (date(2026, 4, 1), "salaries", 5_00, 0, 0, True),  # next year: not in the statement
        ):
            session.add(Expense(program_id=program.id, date=day, vendor="V", category_id=cats[cat],
                                amount_cents=amount, gst_cents=gst, qst_cents=qst, eligible=eligible,
                                eligible_cents=eligible_cents(amount, gst, qst, D("0.50"),
                                                              eligible=eligible)))
        session.flush()
        statement = year_statement(session, program, "2025-2026")
        assert statement["totals"] == {"eligible_cents": 100_000_00 + 1074_88, "ineligible_cents": 229_95,
                                       "expenses": 3}
        assert [(c["category"], c["eligible_cents"]) for c in statement["by_category"]] == [
            ("salaries", 100_000_00), ("travel", 1074_88)]
        row = close_year(session, "2025-2026", user=LOCAL_USER)
        import hashlib

        assert row.statement_sha256 == hashlib.sha256(row.statement.encode()).hexdigest()
        assert json.loads(row.statement) == statement
