"""Settings services: admin-only program settings, table editors (diff, validate, audit), category mapping."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import select

from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.db import data_version
from cqic_budget.importing.categories import CategoryResolver
from cqic_budget.models import (
    AuditEvent,
    BudgetLine,
    Category,
    CategoryAlias,
    Contribution,
    Expense,
    Funder,
    Indicator,
    Measurement,
    Merchant,
    Milestone,
    Program,
    User,
)
from cqic_budget.money import eligible_cents
from cqic_budget.settings_service import (
    SettingsError,
    budget_total_check,
    editor_options,
    load_budget_lines_table,
    load_categories_table,
    load_category_aliases_table,
    load_contributions_table,
    load_funders_table,
    load_indicators_table,
    load_milestones_table,
    map_category_label,
    program_settings,
    recompute_eligible_cents,
    save_budget_lines_table,
    save_categories_table,
    save_category_aliases_table,
    save_contributions_table,
    save_funders_table,
    save_indicators_table,
    save_milestones_table,
    update_program_settings,
    validate_program_settings,
)
from cqic_budget.setup import get_program

ADMIN, MANAGER, VIEWER = "admin@cqic.ca", "manager@cqic.ca", "viewer@cqic.ca"
FUNDER = "funder@meie.gouv.qc.ca"


@pytest.fixture
def program(session):
    for email, role in ((ADMIN, "admin"), (MANAGER, "manager"), (FUNDER, "funder"), (VIEWER, "viewer")):
        session.add(User(email=email, role=role))
    session.flush()
    return get_program(session)


def _events(session, entity=None):
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if entity:
        stmt = stmt.where(AuditEvent.entity == entity)
    return session.exec(stmt).all()


def _category_id(session, code):
    return session.exec(select(Category.id).where(Category.code == code)).one()


def _add_row(frame: pd.DataFrame, **values) -> pd.DataFrame:
    return pd.concat([frame, pd.DataFrame([{"id": None, **values}])], ignore_index=True)


# --- program settings -----------------------------------------------------------------------------------


def test_program_settings_reads_money_as_dollars(session, program):
    settings = program_settings(session, program.id)
    assert settings["code"] == "CQIC"
    assert settings["budget_total"] == Decimal("2100000.00")
    assert settings["quebec_rate"] == Decimal("0.50")
    assert settings["admin_base"] == "eligible"
    assert settings["burn_window_months"] == 3


@pytest.mark.parametrize("user", [MANAGER, FUNDER, VIEWER, "stranger@example.com"])
def test_only_an_admin_changes_settings_and_nothing_is_written(session, program, user):
    version = data_version(session)
    with pytest.raises(Forbidden):
        update_program_settings(session, program.id, {"quebec_rate": "0.40"}, user=user)
    with pytest.raises(Forbidden):
        save_funders_table(session, program.id, load_funders_table(session, program.id).iloc[:0], user=user)
    with pytest.raises(Forbidden):
        map_category_label(session, "Frais de déplacement", "travel", user=user)
    session.expire_all()
    assert session.get(Program, program.id).quebec_rate == Decimal("0.50")
    assert len(session.exec(select(Funder)).all()) == 5
    assert session.exec(select(CategoryAlias)).all() == []
    assert _events(session) == []
    assert data_version(session) == version


def test_update_audits_changed_fields_only_and_bumps_the_version(session, program):
    version = data_version(session)
    change = update_program_settings(
        session, program.id,
        {"quebec_rate": "0,45", "budget_total": Decimal("2200000.50"), "name_fr": program.name_fr,
         "admin_base": "Salaires", "holdback_rate": "5 %", "burn_window_months": 6},
        user=ADMIN,
    )
    assert change.after == {"quebec_rate": Decimal("0.45"), "budget_total_cents": 220_000_050,
                            "admin_base": "salaries", "holdback_rate": Decimal("0.05"),
                            "burn_window_months": 6}
    assert data_version(session) == version + 1
    [event] = _events(session, "program")
    assert (event.user, event.action, event.entity_id) == (ADMIN, "program.settings", program.id)
    assert event.before == {"quebec_rate": "0.50", "budget_total_cents": 210_000_000,
                            "admin_base": "eligible", "holdback_rate": "0.10", "burn_window_months": 3}
    assert event.after == {"quebec_rate": "0.45", "budget_total_cents": 220_000_050,
                           "admin_base": "salaries", "holdback_rate": "0.05", "burn_window_months": 6}
    settings = program_settings(session, program.id)
    assert settings["budget_total"] == Decimal("2200000.50") and settings["quebec_rate"] == Decimal("0.45")
    # Saving the same values again changes nothing: no audit row, no new version.
    unchanged = update_program_settings(session, program.id, {"quebec_rate": Decimal("0.450")},
                                        user=LOCAL_USER)
    assert unchanged.after == {}
    assert len(_events(session)) == 1 and data_version(session) == version + 1


@pytest.mark.parametrize(
    "changes, code, field",
    [
        ({"quebec_rate": "1.5"}, "out-of-range", "quebec_rate"),
        ({"stacking_cap": -0.1}, "out-of-range", "stacking_cap"),
        ({"tax_recovery_rate": "0.33333"}, "too-many-decimals", "tax_recovery_rate"),
        ({"admin_cap": "dix"}, "invalid-number", "admin_cap"),
        ({"admin_base": "revenus"}, "invalid-choice", "admin_base"),
        ({"burn_window_months": 13}, "out-of-range", "burn_window_months"),
        ({"burn_window_months": 0}, "out-of-range", "burn_window_months"),
        ({"burn_window_months": 2.5}, "invalid-integer", "burn_window_months"),
        ({"target_merchants_supported": -1}, "negative", "target_merchants_supported"),
        ({"budget_total": "1 234,567"}, "too-many-decimals", "budget_total"),
        ({"budget_total": Decimal("-1")}, "negative", "budget_total"),
        ({"name_fr": "  "}, "required", "name_fr"),
        ({"name_en": "x" * 201}, "too-long", "name_en"),
        ({"start_date": "2025-13-01"}, "invalid-date", "start_date"),
        ({"end_date": date(2025, 3, 31)}, "end-before-start", "end_date"),
        ({"code": "AUTRE"}, "unknown-field", "code"),
    ],
)
def test_invalid_settings_are_refused_with_a_code(session, program, changes, code, field):
    with pytest.raises(SettingsError) as caught:
        update_program_settings(session, program.id, changes, user=ADMIN)
    error = caught.value
    assert (error.code, error.field) == (code, field)
    french, english = error.message("fr"), error.message("en")
    assert french and english and french != english
    assert _events(session) == [] and data_version(session) == 0


def test_validate_lists_every_error_and_messages_name_the_field(session, program):
    errors = validate_program_settings(session, program.id, {"quebec_rate": 2, "burn_window_months": "x"})
    assert [(e.code, e.field) for e in errors] == [("out-of-range", "quebec_rate"),
                                                   ("invalid-integer", "burn_window_months")]
    assert errors[0].message("fr") == "« Taux de financement de Québec » : 2 doit être entre 0 et 1."
    assert errors[0].message("en") == "“Québec funding rate”: 2 must be between 0 and 1."


def test_a_new_period_may_not_leave_out_budget_lines(session, program):
    session.add(BudgetLine(program_id=program.id, fiscal_year="2027-2028",
                           category_id=_category_id(session, "salaries"), amount_cents=100))
    session.flush()
    with pytest.raises(SettingsError) as caught:
        update_program_settings(session, program.id, {"end_date": date(2027, 3, 31)}, user=ADMIN)
    assert caught.value.code == "period-excludes-budget-lines"
    assert "2027-2028" in caught.value.message("en")


# --- eligible cost recomputed in SQL ---------------------------------------------------------------------

AMOUNTS = [-12_345, -101, -100, -1, 0, 1, 3, 99, 101, 12_345, 99_999_999_999]
GSTS = [-7, -5, -1, 0, 1, 3, 5, 7, 617]
QSTS = [-9, 0, 1, 3, 9, 1_231]


def _tricky_expenses(session, program_id, category_id):
    rows = [dict(program_id=program_id, date=date(2025, 6, 1), category_id=category_id, amount_cents=a,
                 gst_cents=g, qst_cents=q, eligible_cents=-1, eligible=True, vendor="", description="",
                 invoice_number="", ineligible_reason="", needs_review=False, review_reason="")
            for a, g, q in itertools.product(AMOUNTS, GSTS, QSTS)]
    rows.append(dict(rows[0], amount_cents=5_000, gst_cents=250, qst_cents=499, eligible=False,
                     eligible_cents=7))
    session.execute(sa.insert(Expense.__table__), rows)
    session.flush()


def _assert_matches_python(session, program_id, rate):
    rows = session.exec(select(Expense).where(Expense.program_id == program_id)).all()
    wrong = [(e.amount_cents, e.gst_cents, e.qst_cents, e.eligible_cents) for e in rows
             if e.eligible_cents != eligible_cents(e.amount_cents, e.gst_cents, e.qst_cents, rate,
                                                   eligible=e.eligible)]
    assert wrong == [], f"rate {rate}"


def test_a_new_tax_recovery_rate_recomputes_eligible_cost_in_sql_exactly(session, program):
    category = _category_id(session, "travel")
    other = Program(code="AUTRE", name_fr="Autre", name_en="Other", start_date=date(2025, 4, 1),
                    end_date=date(2026, 3, 31), budget_total_cents=0)
    session.add(other)
    session.flush()
    _tricky_expenses(session, program.id, category)
    _tricky_expenses(session, other.id, category)
    for rate in ["0", "0.3333", "1", "0.5", "0.0001", "0.9975"]:
        change = update_program_settings(session, program.id, {"tax_recovery_rate": rate}, user=ADMIN)
        assert change.expenses_recomputed > 0
        _assert_matches_python(session, program.id, Decimal(rate))
    # Another program's expenses are left alone.
    untouched = session.exec(select(Expense.eligible_cents).where(Expense.program_id == other.id)).all()
    assert set(untouched) == {-1, 7}


def test_recompute_rounds_the_whole_sum_half_away_from_zero(session, program):
    """A credit note of −1,00 $ with 0,01 $ of GST at r = 0.5: −1,00 + 0,005 = −0,995 → −1,00 $ (not −0,99 $).

    Odd cents: 1,01 $ + 0,03 $ × 0.6667 = 1,030001 → 1,03 $; 0,01 $ + 0,01 $ × 0.5 = 0,015 → 0,02 $.
    """
    category = _category_id(session, "travel")
    cases = [(-100, 1, 0, "0.5", -100), (-100, 0, -1, "0.5", -101), (101, 3, 0, "0.3333", 103),
             (1, 1, 0, "0.5", 2), (-1, -1, 0, "0.5", -2), (0, 1, 0, "0.5", 1)]
    for amount, gst, qst, rate, expected in cases:
        session.exec(sa.delete(Expense))
        session.add(Expense(program_id=program.id, date=date(2025, 6, 1), category_id=category,
                            amount_cents=amount, gst_cents=gst, qst_cents=qst, eligible_cents=0))
        session.flush()
        recompute_eligible_cents(session, program_id=program.id, recovery_rate=Decimal(rate))
        stored = session.exec(select(Expense.eligible_cents)).one()
        assert stored == expected == eligible_cents(amount, gst, qst, Decimal(rate))
    for rate, code in (("0.33333", "too-many-decimals"), ("1.5", "out-of-range")):
        with pytest.raises(SettingsError) as caught:
            recompute_eligible_cents(session, program_id=program.id, recovery_rate=Decimal(rate))
        assert caught.value.code == code


# --- table editors ---------------------------------------------------------------------------------------


def test_funders_table_insert_update_delete_each_audited_and_one_version(session, program):
    frame = load_funders_table(session, program.id, "fr")
    assert list(frame.columns) == ["id", "name", "kind", "is_public_aid", "committed", "in_kind"]
    laval = frame.index[frame["name"] == "Ville de Laval"][0]
    assert frame.at[laval, "committed"] == Decimal("300000.00") and frame.at[laval, "kind"] == "Municipal"
    assert editor_options(session, program.id, "funders", "en")["kind"][0] == "Québec"

    frame.at[laval, "committed"] = 325000.5  # a float from the editor
    gone = frame.loc[frame["name"] == "Partenaires privés", "id"].iloc[0]
    frame = frame[frame["name"] != "Partenaires privés"]
    frame = _add_row(frame, name="Développement économique Canada", kind="federal", is_public_aid=True,
                     committed="200 000,00 $", in_kind=False)
    version = data_version(session)
    result = save_funders_table(session, program.id, frame, user=ADMIN, lang="fr")
    assert result.ok and (result.inserted, result.updated, result.deleted) == (1, 1, 1)
    assert data_version(session) == version + 1

    events = {e.action: e for e in _events(session, "funder")}
    assert set(events) == {"funder.create", "funder.update", "funder.delete"}
    assert events["funder.update"].before == {"committed_cents": 300_000_00}
    assert events["funder.update"].after == {"committed_cents": 325_000_50}
    assert events["funder.delete"].entity_id == gone
    assert events["funder.delete"].before["name"] == "Partenaires privés"
    assert events["funder.delete"].after is None
    assert events["funder.create"].after["committed_cents"] == 200_000_00
    assert events["funder.create"].after["kind"] == "federal"

    reloaded = load_funders_table(session, program.id, "en")
    assert "Partenaires privés" not in set(reloaded["name"])
    federal = reloaded[reloaded["name"] == "Développement économique Canada"].iloc[0]
    assert federal["kind"] == "Federal" and federal["committed"] == Decimal("200000.00")
    # Saving the table unchanged writes nothing.
    again = save_funders_table(session, program.id, reloaded, user=ADMIN)
    assert again.ok and again.changed == 0 and data_version(session) == version + 1


def test_a_funder_with_contributions_cannot_be_deleted_and_nothing_is_written(session, program):
    meie = session.exec(select(Funder).where(Funder.kind == "quebec")).one()
    session.add(Contribution(funder_id=meie.id, received_date=date(2025, 7, 1), amount_cents=100_000_00))
    session.flush()
    frame = load_funders_table(session, program.id)
    frame.loc[frame["name"] == "Ville de Laval", "committed"] = Decimal("1")  # a valid change beside it
    frame = frame[frame["kind"] != "Québec"]
    version = data_version(session)
    result = save_funders_table(session, program.id, frame, user=ADMIN, lang="en")
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column, error.code) == (None, None, "in-use")
    assert error.message == "“Gouvernement du Québec (MEIE)” cannot be deleted: contributions refer to it."
    session.expire_all()
    assert session.get(Funder, meie.id) is not None
    laval = session.exec(select(Funder.committed_cents).where(Funder.name == "Ville de Laval")).one()
    assert laval == 300_000_00
    assert _events(session) == [] and data_version(session) == version


def test_every_invalid_row_is_reported_with_row_column_and_code(session, program):
    frame = load_funders_table(session, program.id)
    frame.at[1, "kind"] = "banque"
    frame.at[2, "committed"] = "-5"
    frame.at[0, "is_public_aid"] = False  # Québec always counts as public aid
    frame = _add_row(frame, name="ville de LAVAL", kind="municipal", is_public_aid=True, committed=0)
    frame = _add_row(frame, name=None, kind=None, is_public_aid=False, committed=None, in_kind=False)  # blank
    result = save_funders_table(session, program.id, frame, user=ADMIN, lang="fr")
    found = sorted((e.row, e.column, e.code) for e in result.errors)
    assert found == [(1, "is_public_aid", "public-aid-kind"), (2, "kind", "invalid-choice"),
                     (3, "committed", "negative"), (6, "name", "duplicate")]
    duplicate = next(e for e in result.errors if e.code == "duplicate")
    assert duplicate.message == "« Nom » : « ville de LAVAL » figure déjà à la ligne 2."
    assert _events(session) == [] and len(session.exec(select(Funder)).all()) == 5


def test_a_table_without_ids_or_with_foreign_ids_is_refused(session, program):
    frame = load_funders_table(session, program.id)
    missing = save_funders_table(session, program.id, frame.drop(columns=["id"]), user=ADMIN)
    assert [(e.column, e.code) for e in missing.errors] == [("id", "missing-column")]
    frame.at[0, "id"] = 9999
    foreign = save_funders_table(session, program.id, frame, user=ADMIN)
    assert [(e.row, e.code) for e in foreign.errors] == [(1, "unknown-row")]


def test_budget_lines_validate_fiscal_year_category_and_amount(session, program):
    frame = load_budget_lines_table(session, program.id)
    assert frame.empty and list(frame.columns) == ["id", "fiscal_year", "category", "amount"]
    for label, category, amount in [("2025-2026", "Salaires et charges sociales", "700000"),
                                    ("2026-2027", "salaries", 700000),
                                    ("2027-2028", "Salaries and benefits", Decimal("600000")),
                                    ("2030-2031", "travel", 1), ("2025-2027", "travel", 1),
                                    ("2025-2026", "Voyages", 1),
                                    ("2026-2027", "SALAIRES ET CHARGES SOCIALES", 1),
                                    ("2026-2027", "travel", -1)]:
        frame = _add_row(frame, fiscal_year=label, category=category, amount=amount)
    result = save_budget_lines_table(session, program.id, frame, user=ADMIN)
    assert sorted((e.row, e.column, e.code) for e in result.errors) == [
        (4, "fiscal_year", "out-of-period"), (5, "fiscal_year", "invalid-fiscal-year"),
        (6, "category", "unknown-reference"), (7, "category", "duplicate"), (8, "amount", "negative")]
    assert session.exec(select(BudgetLine)).all() == []

    result = save_budget_lines_table(session, program.id, frame.iloc[:3], user=ADMIN)
    assert result.ok and result.inserted == 3
    check = budget_total_check(session, program.id)
    assert check.lines_total == Decimal("2000000.00") and check.difference == Decimal("-100000.00")
    assert not check.balanced
    assert check.message("en") == ("The budget lines ($2,000,000.00) fall short of the program budget "
                                   "($2,100,000.00) by $100,000.00.")
    assert check.by_fiscal_year == {"2025-2026": Decimal("700000.00"), "2026-2027": Decimal("700000.00"),
                                    "2027-2028": Decimal("600000.00")}

    # Two lines swap categories (a unique key in the store) and the last year gets the missing 100 000 $.
    frame = load_budget_lines_table(session, program.id, "en")
    frame = _add_row(frame, fiscal_year="2025-2026", category="Travel and missions", amount=0)
    assert save_budget_lines_table(session, program.id, frame, user=ADMIN).ok
    frame = load_budget_lines_table(session, program.id, "en")
    first_year = frame.index[frame["fiscal_year"] == "2025-2026"]
    frame.loc[first_year, "category"] = list(reversed(frame.loc[first_year, "category"].tolist()))
    frame.loc[frame["fiscal_year"] == "2027-2028", "amount"] = Decimal("700000")
    result = save_budget_lines_table(session, program.id, frame, user=ADMIN)
    assert result.ok and result.updated == 3
    assert budget_total_check(session, program.id).balanced
    lines = {(b.fiscal_year, b.category_id): b.amount_cents for b in session.exec(select(BudgetLine))}
    assert lines[("2025-2026", _category_id(session, "travel"))] == 700_000_00
    assert lines[("2025-2026", _category_id(session, "salaries"))] == 0


def test_milestones_and_contributions_reference_each_other_by_name(session, program):
    frame = _add_row(load_milestones_table(session, program.id), name_fr="Lancement", name_en="Launch",
                     due_date=date(2025, 9, 30), planned_cumulative="150000", status="Atteint",
                     achieved_date="2025-09-15", payment_funder="Gouvernement du Québec (MEIE)",
                     payment=Decimal("100000"))
    frame = _add_row(frame, name_fr="Bilan", name_en="Review", due_date=date(2026, 3, 31),
                     planned_cumulative=0, status="achieved", achieved_date=None, payment_funder=None,
                     payment=Decimal("5"))
    frame = _add_row(frame, name_fr="Après", name_en="After", due_date=date(2029, 1, 1),
                     planned_cumulative=0, status="planned")
    result = save_milestones_table(session, program.id, frame, user=ADMIN)
    assert sorted((e.row, e.column, e.code) for e in result.errors) == [
        (2, "achieved_date", "achieved-date-required"), (2, "payment_funder", "payment-funder-required"),
        (3, "due_date", "out-of-period")]
    assert result.errors[-1].message == ("« Échéance » : 2029-01-01 est hors de la période du programme "
                                         "(2025-04-01 au 2028-03-31).")
    assert save_milestones_table(session, program.id, frame.iloc[:1], user=ADMIN).ok
    milestone = session.exec(select(Milestone)).one()
    assert milestone.status == "achieved" and milestone.planned_cumulative_cents == 150_000_00

    contributions = _add_row(load_contributions_table(session, program.id),
                             funder="Gouvernement du Québec (MEIE)",
                             received_date=date(2025, 10, 1), amount="100000", in_kind=False,
                             reference="Versement 1", milestone="Launch")
    result = save_contributions_table(session, program.id, contributions, user=MANAGER)  # "edit" suffices
    assert result.ok and result.inserted == 1
    loaded = load_contributions_table(session, program.id, "fr")
    assert loaded.iloc[0]["milestone"] == "Lancement" and loaded.iloc[0]["amount"] == Decimal("100000.00")
    # The milestone is still referred to by the contribution.
    refused = save_milestones_table(session, program.id, load_milestones_table(session, program.id).iloc[:0],
                                    user=ADMIN)
    assert [e.code for e in refused.errors] == ["in-use"]
    with pytest.raises(Forbidden):
        save_milestones_table(session, program.id, frame.iloc[:1], user=MANAGER)


def test_indicators_with_measurements_cannot_be_deleted(session, program):
    frame = _add_row(load_indicators_table(session, program.id), code="online_sales_share",
                     name_fr="Part des ventes en ligne", name_en="Online sales share", unit="Pourcentage",
                     direction="up", target=0.25)
    frame = _add_row(frame, code="Jobs Created", name_fr="Emplois", name_en="Jobs", unit="count",
                     direction="up", target=None)
    result = save_indicators_table(session, program.id, frame, user=ADMIN)
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "code", "invalid-code")]
    assert save_indicators_table(session, program.id, frame.iloc[:1], user=ADMIN).ok
    indicator = session.exec(select(Indicator)).one()
    assert indicator.unit == "percent" and indicator.target == Decimal("0.25")
    merchant = Merchant(program_id=program.id, name="Boutique", sector="retail", size_band="micro",
                        municipality="Laval", enrolment_date=date(2025, 6, 1), status="reached")
    session.add(merchant)
    session.flush()
    session.add(Measurement(merchant_id=merchant.id, indicator_id=indicator.id, date=date(2025, 6, 1),
                            kind="baseline", value=Decimal("0.1")))
    session.flush()
    frame = load_indicators_table(session, program.id)
    result = save_indicators_table(session, program.id, frame.iloc[:0], user=ADMIN, lang="en")
    assert [e.message for e in result.errors] == [
        "“online_sales_share” cannot be deleted: measurements refer to it."]


def test_categories_base_ones_are_protected_and_used_ones_kept(session, program):
    frame = load_categories_table(session, program.id)
    assert len(frame) == 8
    recoded = frame.copy()
    recoded.loc[recoded["code"] == "travel", "code"] = "voyages"
    result = save_categories_table(session, program.id, recoded, user=ADMIN)
    assert [(e.column, e.code) for e in result.errors] == [("code", "protected")]
    relabelled = frame.copy()
    relabelled.loc[relabelled["code"] == "travel", "label_fr"] = "Déplacements"
    relabelled = _add_row(relabelled, code="training", label_fr="Formation", label_en="Training",
                          sort_order=9)
    assert save_categories_table(session, program.id, relabelled, user=ADMIN).ok
    training = _category_id(session, "training")
    session.add(Expense(program_id=program.id, date=date(2025, 6, 1), category_id=training, amount_cents=100,
                        eligible_cents=100))
    session.flush()
    frame = load_categories_table(session, program.id)
    result = save_categories_table(session, program.id, frame[~frame["code"].isin(["training", "travel"])],
                                   user=ADMIN, lang="en")
    assert sorted(e.message for e in result.errors) == [
        "“training” cannot be deleted: expenses are classified in it.",
        "“travel” is one of the program's base categories: it can be neither deleted nor re-coded."]


# --- category mapping ------------------------------------------------------------------------------------


def test_map_category_label_once_then_move_it(session, program):
    mapping = map_category_label(session, "Frais de\u00a0 DÉPLACEMENT", "travel", user=ADMIN)
    assert mapping.label_key == "frais de deplacement" and mapping.changed and mapping.reclassified == 0
    assert session.get(CategoryAlias, mapping.alias_id).category_id == _category_id(session, "travel")
    # Later imports find it: the key is the one the import pipeline looks aliases up by.
    assert CategoryResolver(session).resolve("frais de déplacement")[0] == _category_id(session, "travel")
    version = data_version(session)
    again = map_category_label(session, "frais de déplacement", "travel", user=ADMIN)
    assert again.alias_id == mapping.alias_id and not again.changed
    assert data_version(session) == version  # same mapping: nothing to do
    map_category_label(session, "Frais de déplacement", "merchant_services", user=ADMIN)
    assert data_version(session) == version + 1
    actions = [(e.action, e.before, e.after) for e in _events(session, "category_alias")]
    assert actions[0][0] == "category_alias.create"
    assert actions[1] == ("category_alias.update", {"category_id": _category_id(session, "travel")},
                          {"category_id": _category_id(session, "merchant_services")})
    with pytest.raises(SettingsError) as caught:
        map_category_label(session, "Repas", "meals", user=ADMIN)
    assert caught.value.code == "unknown-reference"
    with pytest.raises(SettingsError) as caught:
        map_category_label(session, "  ", "travel", user=ADMIN)
    assert caught.value.code == "required"

    table = load_category_aliases_table(session, program.id, "en")
    assert table[["label", "category"]].values.tolist() == [
        ["frais de deplacement", "Merchant support services"]]
    table = _add_row(table, label="Publicité", category="marketing")
    table = _add_row(table, label="PUBLICITE", category="marketing")
    result = save_category_aliases_table(session, program.id, table, user=ADMIN)
    assert [(e.row, e.code) for e in result.errors] == [(3, "duplicate")]
    assert save_category_aliases_table(session, program.id, table.iloc[1:2], user=ADMIN).ok
    assert session.exec(select(CategoryAlias.label_key)).all() == ["publicite"]


def test_mapping_a_label_classifies_the_expenses_waiting_under_it(session, program):
    unclassified, travel = _category_id(session, "unclassified"), _category_id(session, "travel")
    marker = "unknown-category:frais de deplacement"
    waiting = [
        (unclassified, True, f"gst-differs|{marker}"),  # keeps its other reason
        (unclassified, True, marker),
        (travel, True, marker),  # already classified by hand: left alone
        (unclassified, True, "unknown-category:frais divers"),  # another label
    ]
    for category_id, review, reason in waiting:
        session.add(Expense(program_id=program.id, date=date(2025, 6, 1), category_id=category_id,
                            amount_cents=100, eligible_cents=100, needs_review=review, review_reason=reason))
    session.flush()
    version = data_version(session)
    mapping = map_category_label(session, "Frais de déplacement", "merchant_services", user=ADMIN)
    assert mapping.reclassified == 2 and data_version(session) == version + 1
    session.expire_all()
    rows = [(e.category_id, e.needs_review, e.review_reason)
            for e in session.exec(select(Expense).order_by(Expense.id))]
    services = _category_id(session, "merchant_services")
    assert rows == [(services, True, "gst-differs"), (services, False, ""), (travel, True, marker),
                    (unclassified, True, "unknown-category:frais divers")]
    [event] = [e for e in _events(session) if e.action == "expense.reclassify"]
    assert event.after["category"] == "merchant_services" and len(event.after["expense_ids"]) == 2
