"""Recording a budget amendment (avenant, SPEC §10) from the command line and the Settings form: the budget
in force after it, available = in force − spent − open commitments in `summary --json`, and the refusals —
each with a hand-worked example."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from cqic_budget import cli
from cqic_budget.amendments import amendments_view, new_amendment, typed_rows
from cqic_budget.auth import LOCAL_USER
from cqic_budget.budget import AmendmentError, amendment_list, budget_in_force
from cqic_budget.closing import close_year
from cqic_budget.db import session_scope
from cqic_budget.models import AuditEvent, BudgetLine, Category, Commitment, Expense
from cqic_budget.setup import get_program

D = Decimal
AS_OF = date(2026, 10, 31)
FEES, TRAVEL = ("2026-2027", "professional_fees"), ("2026-2027", "travel")


def _category(session, code: str) -> int:
    return session.exec(select(Category).where(Category.code == code)).one().id


@pytest.fixture
def program_with_lines(store):
    """2026-2027: professional fees 70 000 $ and travel 60 000 $; a 19 000 $ purchase order on the fees line
    (2026-09-10) drawn by a 9 500 $ invoice (2026-09-25); a 4 000 $ trip (2026-10-01). No taxes."""
    with session_scope(store) as session:
        program = get_program(session)
        fees, travel = _category(session, "professional_fees"), _category(session, "travel")
        session.add(BudgetLine(program_id=program.id, fiscal_year="2026-2027", category_id=fees,
                               amount_cents=70_000_00))
        session.add(BudgetLine(program_id=program.id, fiscal_year="2026-2027", category_id=travel,
                               amount_cents=60_000_00))
        order = Commitment(program_id=program.id, reference="BC-1", vendor="Praxis", category_id=fees,
                           fiscal_year="2026-2027", date=date(2026, 9, 10), amount_cents=19_000_00)
        session.add(order)
        session.flush()
        session.add(Expense(program_id=program.id, date=date(2026, 9, 25), vendor="Praxis", category_id=fees,
                            amount_cents=9_500_00, eligible_cents=9_500_00, commitment_id=order.id))
        session.add(Expense(program_id=program.id, date=date(2026, 10, 1), vendor="Via Rail",
                            category_id=travel, amount_cents=4_000_00, eligible_cents=4_000_00))
        return program.id


def _run(capsys, *argv: str) -> tuple[int, object]:
    status = cli.main(list(argv))
    out = capsys.readouterr().out
    return status, json.loads(out) if out.strip() else None


def _lines(summary: dict) -> dict:
    return {(x["fiscal_year"], x["category"]): x for x in summary["budget_lines"]}


NEW = ("amendments", "new", "--date", "2026-10-15", "--reference", "Avenant 1", "--approved-by", "MEIE",
       "--reason", "Réaffectation des déplacements vers les honoraires")


def test_an_amendment_from_the_command_line_sets_the_budget_in_force_and_the_available(
        store, program_with_lines, capsys):
    status, out = _run(capsys, *NEW, "--line", "2026-2027:travel=45000",
                       "--line", "2026-2027:Honoraires professionnels=85 000,00", "--json")
    assert status == 0 and out["status"] == "recorded"
    assert [(c["category"], c["before"], c["after"]) for c in out["changes"]] == [
        ("professional_fees", "70000.00", "85000.00"), ("travel", "60000.00", "45000.00")]
    with session_scope(store) as session:
        program_id = program_with_lines
        # In force from its date only: the day before, the original lines.
        before = budget_in_force(session, program_id=program_id, as_of=date(2026, 10, 14))
        after = budget_in_force(session, program_id=program_id, as_of=AS_OF)
        assert (before[FEES], before[TRAVEL]) == (70_000_00, 60_000_00)
        assert (after[FEES], after[TRAVEL]) == (85_000_00, 45_000_00)
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "amendment.create")).one()
        assert event.before["lines"]["2026-2027 travel"] == 60_000_00 and event.user == LOCAL_USER

    status, summary = _run(capsys, "summary", "--as-of", AS_OF.isoformat(), "--json")
    fees, travel = _lines(summary)[FEES], _lines(summary)[TRAVEL]
    # Fees: in force 85 000 − spent 9 500 − open (19 000 ordered − 9 500 drawn = 9 500) = 66 000 $.
    assert (fees["budget_original"], fees["budget"], fees["spent"], fees["open_commitments"],
            fees["available"]) == ("70000.00", "85000.00", "9500.00", "9500.00", "66000.00")
    # Travel: in force 45 000 − spent 4 000 − no commitment = 41 000 $.
    assert (travel["budget_original"], travel["budget"], travel["spent"], travel["open_commitments"],
            travel["available"]) == ("60000.00", "45000.00", "4000.00", "0.00", "41000.00")
    # At 2026-10-14 the amendment is not yet in force: fees 70 000 − 9 500 − 9 500 = 51 000 $.
    _, earlier = _run(capsys, "summary", "--as-of", "2026-10-14", "--json")
    assert (_lines(earlier)[FEES]["budget"], _lines(earlier)[FEES]["available"]) == ("70000.00", "51000.00")

    status, listed = _run(capsys, "amendments", "list", "--json")
    assert status == 0 and [(a["reference"], a["effective_date"], a["approved_by"]) for a in listed] == [
        ("Avenant 1", "2026-10-15", "MEIE")]
    assert cli.main(["amendments", "list", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Avenant 1" in text and "$60,000.00 → $45,000.00" in text


@pytest.mark.parametrize("extra, code", [
    (("--line", "2026-2027:voyages=1"), "unknown-category"),
    (("--line", "2031-2032:travel=1"), "unknown-line"),
    (("--funder", "Inconnu=1"), "unknown-funder"),
    (("--funder", "Ville=1", "--funder", "n=1"), "unknown-funder"),  # « n » names several funders
    (("--line", "2026-2027:travel=1e308"), "invalid-amount"),
    (("--line", "2026-2027:travel=10,005"), "invalid-amount"),  # 10 $ or 10 005 $: the admin must say
    (("--line", "2026-2027:travel=500 €"), "invalid-amount"),  # a budget is in the program's dollars
    (("--line", "2026-2027:travel=12.345"), "invalid-amount"),  # a tenth of a cent
    (("--line", "2026-2027:travel=-5"), "negative"),
    (("--line", "2026-2027-travel-45000"), "invalid-line"),
    (("--line", "2026-2027:travel=1", "--line", "2026-2027:Déplacements et missions=2"), "duplicate"),
    (("--line", "2025-2026:travel=1"), "closed-year"),  # a closed year's lines are frozen
    (("--date", "2026-02-15", "--line", "2026-2027:travel=1"), "closed-year"),  # in force inside it
    (("--date", "2029-01-01", "--line", "2026-2027:travel=1"), "out-of-period"),
    (("--user", "nobody@x.ca", "--line", "2026-2027:travel=1"), "forbidden"),
])
def test_a_bad_amendment_is_refused_with_its_code_and_nothing_is_written(
        store, program_with_lines, capsys, extra, code):
    with session_scope(store) as session:
        close_year(session, "2025-2026", user=LOCAL_USER)
    status, out = _run(capsys, *NEW, *extra, "--json")
    assert status == 2 and out["status"] == "rejected" and out["reason"] == code, out
    assert out["message"]
    with session_scope(store) as session:
        assert amendment_list(session, program_id=program_with_lines) == []
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "amendment.create")).all() == []


def test_an_amendment_is_recorded_once_per_reference(store, program_with_lines, capsys):
    """A double Save, a command run twice: the second is refused (exit 2 on the command line) and nothing of
    it is written; another reference is another amendment."""
    def record(reference: str = "Avenant 1"):
        with session_scope(store) as session:
            return new_amendment(session, effective_date="2026-10-15", reference=reference,
                                 approved_by="MEIE", lines=[("2026-2027", "travel", "45000")],
                                 user=LOCAL_USER)

    record()
    with pytest.raises(AmendmentError) as refused:
        record("  Avenant 1 ")  # as typed, with spaces around it
    assert (refused.value.code, refused.value.value) == ("duplicate-reference", "Avenant 1")
    status, out = _run(capsys, *NEW, "--line", "2026-2027:travel=40000", "--json")
    assert status == 2 and (out["status"], out["reason"]) == ("rejected", "duplicate-reference"), out
    assert out["message"] == AmendmentError("duplicate-reference", "Avenant 1").message("fr")
    assert cli.main([*NEW, "--line", "2026-2027:travel=40000", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("duplicate-reference: An amendment with reference « Avenant 1 »"), err
    with session_scope(store) as session:
        # One amendment, its one change (45 000 $, not the 40 000 $ of the refused ones), one audit entry.
        listed = amendment_list(session, program_id=program_with_lines)
        assert [(a.reference, [c.after for c in a.changes]) for a in listed] == [("Avenant 1", [45_000_00])]
        assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "amendment.create")).all()) == 1
    record("Avenant 2")
    with session_scope(store) as session:
        assert len(amendment_list(session, program_id=program_with_lines)) == 2


def test_a_refusal_is_said_in_french_and_english():
    error = AmendmentError("closed-year", "2025-2026")
    assert "2025-2026" in error.message("fr") and "clos" in error.message("fr")
    assert "closed" in error.message("en")
    error = AmendmentError("duplicate-reference", "A-2")
    assert error.message("fr") == ("Un avenant de référence « A-2 » est déjà enregistré pour ce programme : "
                                   "rien n'a été enregistré. Un nouvel avenant prend sa propre référence.")
    assert error.message("en").startswith("An amendment with reference « A-2 » is already recorded")


def test_the_settings_form_records_an_amendment_and_shows_original_vs_in_force(store, program_with_lines):
    # The form's rows as st.data_editor gives them: labels, amounts as typed; a row without amount is none.
    lines = typed_rows([{"fiscal_year": "2026-2027", "category": "Déplacements et missions",
                         "amount": "45 000"},
                        {"fiscal_year": "2026-2027", "category": "Honoraires professionnels",
                         "amount": "85 000,00"},
                        {"fiscal_year": "2026-2027", "category": "Salaires", "amount": None}],
                       ("fiscal_year", "category", "amount"))
    funders = typed_rows([{"funder": "Gouvernement du Québec (MEIE)", "amount": "1 100 000,00"}],
                         ("funder", "amount"))
    assert len(lines) == 2
    with session_scope(store) as session:
        new_amendment(session, effective_date="2026-10-15", reference="Avenant 1", approved_by="MEIE",
                      lines=lines, funders=funders, user=LOCAL_USER)
    with session_scope(store) as session:
        view = amendments_view(session, program_id=program_with_lines, lang="fr", as_of=AS_OF)
        shown = {(x.fiscal_year, x.category): (x.original, x.in_force, x.change) for x in view.lines}
        # Travel 60 000 → 45 000 (−15 000); fees 70 000 → 85 000 (+15 000): the total stays 130 000 $.
        assert shown == {FEES: (70_000_00, 85_000_00, 15_000_00), TRAVEL: (60_000_00, 45_000_00, -15_000_00)}
        assert view.original_total == view.in_force_total == 130_000_00
        meie = "Gouvernement du Québec (MEIE) : 1\u00a0050\u00a0000,00\u00a0$ → 1\u00a0100\u00a0000,00\u00a0$"
        assert meie in view.amendments[0].describe("fr", view.categories)
        before = amendments_view(session, program_id=program_with_lines, lang="fr", as_of=date(2026, 10, 1))
        assert {(x.fiscal_year, x.category): x.in_force for x in before.lines}[TRAVEL] == 60_000_00


@pytest.mark.one_store
@pytest.mark.usefixtures("fresh_caches")
def test_the_settings_page_records_an_amendment_and_refuses_a_closed_year(demo_store):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from cqic_budget.i18n import t
    from cqic_budget.ui import safe

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=60)
    at.query_params.update(lang="fr", as_of=AS_OF.isoformat())
    at.run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception, [e.value for e in at.exception]
    # The demo's amendment (2026-09-15): equipment 2026-2027 from its original to 20 000 $, shown beside it.
    assert any("Avenant n° 1" in str(frame.value.to_dict()) for frame in at.dataframe)
    submit = "FormSubmitter:settings.amendments.form-" + t("amendments.record", "fr")

    def submit_amendment(fiscal_year: str) -> None:
        at.date_input(key="settings.amendments.date").set_value(date(2026, 10, 20))
        at.text_input(key="settings.amendments.reference").set_value("Avenant no 2")
        at.text_input(key="settings.amendments.approved_by").set_value("MEIE")
        row = {"fiscal_year": fiscal_year, "category": "Déplacements et missions", "amount": "12 345,67"}
        at.session_state["settings.amendments.lines"] = {"edited_rows": {}, "deleted_rows": [],
                                                         "added_rows": [row]}
        at.button(key=submit).click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]

    submit_amendment("2025-2026")  # closed by the demo: refused, nothing written
    assert [e.value for e in at.error] == [safe.md(AmendmentError("closed-year", "2025-2026").message("fr"))]
    with session_scope(demo_store) as session:
        program_id = get_program(session).id
        assert len(amendment_list(session, program_id=program_id)) == 1
    submit_amendment("2026-2027")
    assert not at.error
    with session_scope(demo_store) as session:
        assert len(amendment_list(session, program_id=program_id)) == 2
        # 12 345,67 $ typed = 1 234 567 cents, in force from 2026-10-20.
        assert budget_in_force(session, program_id=program_id, as_of=AS_OF)[TRAVEL] == 1_234_567
    assert any("Avenant no 2" in s.value for s in at.success)
    assert at.text_input(key="settings.amendments.reference").value == ""  # the form is empty again
    submit_amendment("2026-2027")  # the same avenant saved again: refused in French, nothing written
    assert [e.value for e in at.error] == [safe.md(
        "Un avenant de référence « Avenant no 2 » est déjà enregistré pour ce programme : rien n'a été "
        "enregistré. Un nouvel avenant prend sa propre référence.")]
    with session_scope(demo_store) as session:
        assert len(amendment_list(session, program_id=program_id)) == 2
