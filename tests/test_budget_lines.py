"""SPEC §10: commitments, budget amendments, in-kind value — each rule with a hand-worked example."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from factories import cqic_facts, spend
from sqlmodel import select

from cqic_budget import cli
from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.budget import (
    AmendmentError,
    amendment_list,
    budget_in_force,
    budget_original,
    funder_commitments_in_force,
    in_kind_list,
    open_commitment_cents,
    open_commitments_by_line,
    record_amendment,
)
from cqic_budget.db import session_scope
from cqic_budget.importing.commitments import import_commitments
from cqic_budget.importing.service import import_file
from cqic_budget.metrics.budget_lines import budget_line_positions
from cqic_budget.metrics.burn import forecast, projected_total
from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.summary import compute_summary
from cqic_budget.models import AuditEvent, BudgetLine, Category, Commitment, Contribution, Expense, Funder
from cqic_budget.settings_service import (
    load_commitments_table,
    load_contributions_table,
    save_commitments_table,
    save_contributions_table,
)
from cqic_budget.setup import get_program

D = Decimal
AS_OF = date(2026, 10, 31)
PICOM = "PICOM (contribution en nature)"
SERVICES = "Services d'accompagnement aux commerçants"


def _line(session, program_id: int, fy: str, code: str, dollars: int) -> None:
    category = session.exec(select(Category).where(Category.code == code)).one()
    session.add(BudgetLine(program_id=program_id, fiscal_year=fy, category_id=category.id,
                           amount_cents=dollars * 100))
    session.flush()


def test_available_is_budget_less_spent_less_open_commitments():
    # A commitment of 19 000 $ drawn by 9 500 $ leaves 9 500 $ open; over-drawn never below 0; closed 0.
    assert open_commitment_cents(1_900_000, 950_000, "open") == 950_000
    assert open_commitment_cents(1_900_000, 2_000_000, "open") == 0
    assert open_commitment_cents(1_900_000, 0, "closed") == 0


def test_the_forecast_never_projects_less_than_spent_plus_open_commitments():
    # Spent 30 000 $ (three months at 10 000 $); 2027-03-31 as-of: 12 months left at 10 000 $ = 150 000 $.
    months = (spend("2027-01", "10000"), spend("2027-02", "10000"), spend("2027-03", "10000"))
    facts = cqic_facts(date(2027, 3, 31), monthly=months)
    assert forecast(facts).projected_total == D("150000")  # 30 000 + 10 000 x 12
    # 200 000 $ signed and still open: the projection is at least 30 000 + 200 000 = 230 000 $.
    committed = cqic_facts(date(2027, 3, 31), monthly=months, open_commitments=D("200000"))
    assert forecast(committed).projected_total == D("230000")
    # The what-if at 0 $ a month keeps the floor too: 30 000 + 200 000 = 230 000 $.
    assert projected_total(committed, D("0")) == D("230000")


def test_amendments_set_the_budget_in_force_from_their_date_and_keep_the_original(session):
    program = get_program(session)
    _line(session, program.id, "2026-2027", "equipment", 30_000)
    _line(session, program.id, "2026-2027", "professional_fees", 70_000)
    meie = session.exec(select(Funder).where(Funder.kind == "quebec")).one()
    record_amendment(session, program_id=program.id, reference="Avenant 1", effective_date=date(2026, 9, 15),
                     approved_by="MEIE", user=LOCAL_USER,
                     lines={("2026-2027", "equipment"): 2_000_000,
                            ("2026-2027", "professional_fees"): 8_000_000})
    record_amendment(session, program_id=program.id, reference="Avenant 2", effective_date=date(2026, 12, 1),
                     approved_by="MEIE", user=LOCAL_USER, lines={("2026-2027", "equipment"): 2_500_000},
                     funders={meie.id: 110_000_000})
    key = ("2026-2027", "equipment")
    assert budget_original(session, program_id=program.id)[key] == 3_000_000
    assert budget_in_force(session, program_id=program.id, as_of=date(2026, 9, 14))[key] == 3_000_000
    assert budget_in_force(session, program_id=program.id, as_of=date(2026, 9, 15))[key] == 2_000_000
    assert budget_in_force(session, program_id=program.id, as_of=date(2027, 1, 1))[key] == 2_500_000
    # Moved, not created: 30 000 + 70 000 = 20 000 + 80 000.
    at_october = budget_in_force(session, program_id=program.id, as_of=AS_OF)
    assert at_october[key] + at_october[("2026-2027", "professional_fees")] == 10_000_000
    assert funder_commitments_in_force(session, program_id=program.id, as_of=AS_OF)[meie.id] == \
        meie.committed_cents
    assert funder_commitments_in_force(session, program_id=program.id, as_of=date(2027, 1, 1))[meie.id] == \
        110_000_000
    facts = load_facts(session, program_id=program.id, as_of=AS_OF)
    assert {(b.fiscal_year, b.category): b.amount for b in facts.budget_lines}[key] == D("20000.00")
    history = amendment_list(session, program_id=program.id)
    assert [(c.before, c.after) for c in history[0].changes] == [(3_000_000, 2_000_000),
                                                                  (7_000_000, 8_000_000)]
    assert history[1].changes[0].before == 2_000_000
    assert "equipment : 30\u00a0000,00\u00a0$ → 20\u00a0000,00\u00a0$" in history[0].describe("fr")
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "amendment.create")).all()
    assert len(events) == 2 and events[0].before["lines"]["2026-2027 equipment"] == 3_000_000


@pytest.mark.parametrize("changes, code", [
    (dict(lines={("2031-2032", "equipment"): 1}), "unknown-line"),
    (dict(lines={("2026-2027", "equipment"): -1}), "negative"),
    (dict(effective_date=date(2029, 1, 1), lines={("2026-2027", "equipment"): 1}), "out-of-period"),
    (dict(approved_by=" ", lines={("2026-2027", "equipment"): 1}), "required"),
    (dict(), "no-change"),
])
def test_a_bad_amendment_is_refused_and_nothing_is_written(session, changes, code):
    program = get_program(session)
    args = dict(program_id=program.id, reference="A", effective_date=date(2026, 9, 15), approved_by="MEIE",
                user=LOCAL_USER) | changes
    with pytest.raises(AmendmentError) as caught:
        record_amendment(session, **args)
    assert caught.value.code == code and caught.value.message("fr") != caught.value.message("en")
    assert amendment_list(session, program_id=program.id) == []
    with pytest.raises(Forbidden):
        record_amendment(session, **(args | dict(user="nobody@x.ca", lines={("2026-2027", "equipment"): 1})))


def _write(tmp_path, name: str, lines: list[str]):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_commitments_import_then_expenses_draw_on_them(engine, tmp_path):
    with session_scope(engine) as session:
        program_id = get_program(session).id
        _line(session, program_id, "2026-2027", "professional_fees", 70_000)
    sheet = _write(tmp_path, "engagements.csv", [
        "Engagements signés",
        "No de bon de commande;Fournisseur;Catégorie;Date;Montant engagé;Statut",
        "BC-2026-031;Évaluation Praxis;Honoraires professionnels;2026-09-10;19 000,00 $;ouvert",
        "BC-2026-032;Autre;Frais divers;2026-09-10;1 000,00;ouvert",          # row 4: unknown category
        "BC-2026-031;Encore;Honoraires professionnels;2026-09-11;5,00;",        # row 5: same reference
        "BC-2026-033;Euro;Honoraires professionnels;2026-09-12;500,00 €;",      # row 6: not CAD
        "BC-2026-034;Fermé;Honoraires professionnels;2026-05-01;3 000,00;fermé",
    ])
    outcome = import_commitments(engine, sheet)
    assert (outcome.created, outcome.updated, outcome.exit_status) == (2, 0, 0)
    assert [(e.row, e.code) for e in outcome.errors] == [
        (4, "unknown-category"), (5, "duplicate-in-file"), (6, "invalid-amount")]
    refused = import_commitments(engine, b"%PDF-1.4 not a sheet", file_name="x.pdf")
    assert (refused.reason, refused.exit_status) == ("not-spreadsheet", 2)

    expenses = _write(tmp_path, "depenses.csv", [
        "Date;Fournisseur;Catégorie;Montant;Engagement",
        "2026-09-25;Évaluation Praxis;Honoraires professionnels;9 500,00;BC-2026-031",
        "2026-09-26;Autre;Honoraires professionnels;100,00;BC-9999",              # row 3: no such commitment
    ])
    result = import_file(engine, expenses)
    assert result.rows_imported == 1
    assert [(e.row, e.code) for e in result.errors] == [(3, "unknown-commitment")]
    with session_scope(engine) as session:
        # Open: 19 000 − 9 500 drawn = 9 500 $; the closed one counts nothing.
        assert open_commitments_by_line(session, program_id=program_id, as_of=AS_OF) == {
            ("2026-2027", "professional_fees"): 950_000}
        facts = load_facts(session, program_id=program_id, as_of=AS_OF)
        line = next(x for x in budget_line_positions(facts)
                    if (x.fiscal_year, x.category) == ("2026-2027", "professional_fees"))
        # 70 000 − 9 500 spent − 9 500 open = 51 000 $
        assert (line.budget, line.spent, line.open_commitments, line.available) == (
            D("70000"), D("9500"), D("9500"), D("51000"))
        assert facts.open_commitments == D("9500.00")
        # Before the commitment was signed it is not open.
        assert open_commitments_by_line(session, program_id=program_id, as_of=date(2026, 9, 1)) == {}
    # Importing the same sheet again updates, never duplicates.
    again = import_commitments(engine, sheet.read_bytes(), file_name="engagements.csv")
    assert (again.created, again.updated) == (0, 2)


def test_commitments_in_settings_and_a_drawn_one_cannot_be_deleted(session, tmp_path):
    program = get_program(session)
    frame = pd.concat([load_commitments_table(session, program.id), pd.DataFrame([{
        "id": None, "reference": "CT-1", "vendor": "Agence", "category": SERVICES,
        "fiscal_year": "2026-2027", "date": date(2026, 10, 5), "amount": "24 000,00", "status": "Ouvert"}])],
        ignore_index=True)
    assert save_commitments_table(session, program.id, frame, user=LOCAL_USER).ok
    stored = session.exec(select(Commitment)).one()
    assert (stored.amount_cents, stored.status) == (2_400_000, "open")
    category = session.exec(select(Category).where(Category.code == "merchant_services")).one()
    session.add(Expense(program_id=program.id, date=date(2026, 10, 20), category_id=category.id,
                        amount_cents=100, eligible_cents=100, commitment_id=stored.id))
    session.flush()
    emptied = load_commitments_table(session, program.id).iloc[:0]
    refused = save_commitments_table(session, program.id, emptied, user=LOCAL_USER)
    assert [e.code for e in refused.errors] == ["in-use"]


def test_in_kind_value_stands_as_eligible_cost_in_its_category(engine):
    with session_scope(engine) as session:
        program = get_program(session)
        before = compute_summary(session, as_of=AS_OF)
        frame = pd.concat([load_contributions_table(session, program.id), pd.DataFrame([{
            "id": None, "funder": PICOM, "received_date": date(2026, 6, 30), "amount": "12 500,00",
            "in_kind": True, "reference": "T1", "milestone": None, "category": SERVICES,
            "valuation_basis": "120 m² à 25 $/m²/mois × 3 mois + 35 h à 100 $/h",
            "proof_reference": "ATT-T1"}])],
            ignore_index=True)
        assert save_contributions_table(session, program.id, frame, user=LOCAL_USER).ok
    with session_scope(engine) as session:
        after = compute_summary(session, as_of=AS_OF)
        # E moves by the in-kind value, 12 500,00 $ (no tax), and the partners' share by the same amount.
        assert after.spent - before.spent == D("12500.00")
        assert after.partner_received - before.partner_received == D("12500.00")
        expense = session.exec(select(Expense).where(Expense.contribution_id.is_not(None))).one()
        assert (expense.amount_cents, expense.eligible_cents) == (1_250_000, 1_250_000)
        assert expense.invoice_number == "ATT-T1" and expense.tax_treatment == "none"
        gifts = in_kind_list(session, program_id=program.id)
        assert [(g.value, g.category, g.proof) for g in gifts] == [(1_250_000, "merchant_services", "ATT-T1")]
        # Revalued at 10 000 $: the expense follows; removed: the expense goes with it.
        frame = load_contributions_table(session, program.id)
        frame.loc[0, "amount"] = D("10000")
        assert save_contributions_table(session, program.id, frame, user=LOCAL_USER).ok
        linked = select(Expense.amount_cents).where(Expense.contribution_id.is_not(None))
        assert session.exec(linked).one() == 1_000_000
        assert save_contributions_table(session, program.id, frame.iloc[:0], user=LOCAL_USER).ok
        session.expire_all()
        assert session.exec(select(Expense).where(Expense.program_id == program.id)).all() == []
        assert session.exec(select(Contribution)).all() == []
        # A cash contribution has no valuation basis.
        cash = pd.concat([frame.iloc[:0], pd.DataFrame([{
            "id": None, "funder": PICOM, "received_date": date(2026, 6, 30), "amount": "5",
            "in_kind": False, "reference": "", "milestone": None, "category": None, "valuation_basis": "x",
            "proof_reference": ""}])],
            ignore_index=True)
        refused = save_contributions_table(session, program.id, cash, user=LOCAL_USER)
        assert [e.code for e in refused.errors] == ["cash-has-valuation"]


def test_import_commitments_cli(engine, db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    sheet = _write(tmp_path, "c.csv", ["Référence;Catégorie;Date;Montant",
                                       "C-1;Déplacements et missions;2026-05-01;1 000,00"])
    assert cli.main(["import-commitments", str(sheet), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 1
    assert cli.main(["import-commitments", str(sheet), "--user", "nobody@x.ca", "--json"]) == 2


def test_the_demo_has_its_amendment_commitments_in_kind_and_euros(demo_readonly_session, tmp_path):
    from openpyxl import load_workbook

    from cqic_budget.metrics.summary import compute_summary, summary_as_json
    from cqic_budget.reports import write_report
    from cqic_budget.views.burn_rate import build_burn_rate

    session = demo_readonly_session  # the demo (init + load_demo: the conftest template), read only
    program = get_program(session)
    lines = budget_line_positions(load_facts(session, program_id=program.id, as_of=AS_OF))
    by_key = {(x.fiscal_year, x.category): x for x in lines}
    equipment, fees = by_key[("2026-2027", "equipment")], by_key[("2026-2027", "professional_fees")]
    # The amendment moved 10 000 $ from equipment to professional fees in 2026-2027.
    assert (equipment.budget_original, equipment.budget) == (D("30000"), D("20000"))
    assert (fees.budget_original, fees.budget) == (D("70000"), D("80000"))
    # BC-2026-031: 19 000 $ less the 9 500 $ invoice's eligible cost 9 500 + (475 + 947,63) x 0,5
    # = 10 211,32 $ (rounded from 10 211,315) -> 8 788,68 $ still open.
    assert fees.open_commitments == D("8788.68")
    assert fees.available == fees.budget - fees.spent - fees.open_commitments
    # PICOM: six quarters of 12 500 $ = 75 000 $ of eligible cost in merchant support services.
    gifts = in_kind_list(session, program_id=program.id, as_of=AS_OF)
    assert sum(g.value for g in gifts) == 7_500_000 and {g.category for g in gifts} == {"merchant_services"}
    # The same numbers on the page, in the report and in the JSON block.
    page = build_burn_rate(session, program_code=None, as_of=AS_OF, lang="fr").lines_table.frame
    assert len(page) == len(lines)
    row = page[(page.iloc[:, 0] == "2026-2027") & (page.iloc[:, 1] == "Honoraires professionnels")].iloc[0]
    # available = 80 000 (in force) − 64 281,97 spent − 8 788,68 open = 6 929,35; 73 070,65 ÷ 80 000 =
    # 91,3 % ≥ 90 %: watch. The page shows its budget-line columns to the dollar, signed: +6 929 $
    assert (fees.spent, fees.available, fees.status) == (D("64281.97"), D("6929.35"), "watch")
    assert row.iloc[6] == "+6\u00a0929\u00a0$"
    out = tmp_path / "r.xlsx"
    write_report(session, out, as_of=AS_OF, lang="fr")
    sheet = load_workbook(out, read_only=True)["Dépenses par poste"]
    report = {(r[0], r[1]): r for r in sheet.iter_rows(values_only=True) if r and r[0] == "2026-2027"}
    assert report[("2026-2027", "Honoraires professionnels")][6] == 6929.35
    block = {(x["fiscal_year"], x["category"]): x
             for x in summary_as_json(compute_summary(session, as_of=AS_OF))["budget_lines"]}
    assert block[("2026-2027", "professional_fees")]["available"] == "6929.35"


def test_forward_stacking_uses_the_public_commitments_in_force():
    # The one forward stacking rule is the `stacking_committed` check (metrics.cofinancing).
    from cqic_budget.metrics.cofinancing import stacking_committed_check
    from cqic_budget.metrics.facts import FunderFact

    funders = (FunderFact(1, "MEIE", "quebec", True, D("1050000"), False),
               FunderFact(2, "Laval", "municipal", True, D("300000"), False),
               FunderFact(3, "PICOM", "private", False, D("150000"), True))
    # (1 050 000 + 300 000) / 2 100 000 = 0,6429 < 0,80: ok; PICOM is not public aid.
    ok = stacking_committed_check(cqic_facts(AS_OF, funders=funders))
    assert ok.status == "ok" and round(ok.value, 4) == D("0.6429")
    # An amendment raising Laval's commitment to 640 000 $: 1 690 000 / 2 100 000 = 0,8048 > 0,80: breach.
    raised = funders[:1] + (FunderFact(2, "Laval", "municipal", True, D("640000"), False),) + funders[2:]
    assert stacking_committed_check(cqic_facts(AS_OF, funders=raised)).status == "breach"
    # 1 600 000 / 2 100 000 = 0,7619 ≥ 0,95 x 0,80 = 0,76: watch.
    near = funders[:1] + (FunderFact(2, "Laval", "municipal", True, D("550000"), False),) + funders[2:]
    assert stacking_committed_check(cqic_facts(AS_OF, funders=near)).status == "watch"
