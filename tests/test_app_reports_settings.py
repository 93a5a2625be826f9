"""The Reports and Settings pages, run as Streamlit runs them (AppTest) on the demo store, in French and
English.

Reports: the funder report and the expense exports are generated on demand (when the reader clicks), read back
with openpyxl; a role without the `reports` permission never reaches them. Settings: the program form, the
table editors and the users tab change the store only through the domain services (validated, audited, the
data version bumped); an invalid row is reported with its row number and nothing is written; funders and
viewers reach neither the page nor the services.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import app_tools
import pandas as pd
import pytest
from app_tools import rerun
from openpyxl import load_workbook
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from cqic_budget import reports
from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.db import data_version, session_scope
from cqic_budget.i18n import format_date, format_number, t
from cqic_budget.models import AuditEvent, BudgetLine, Program, User
from cqic_budget.queries import count_expenses
from cqic_budget.settings_service import (
    SettingsError,
    budget_total_check,
    field_label,
    load_budget_lines_table,
    load_table,
    save_budget_lines_table,
    update_program_settings,
)
from cqic_budget.setup import get_program
from cqic_budget.ui import reports as reports_ui
from cqic_budget.ui import settings as settings_ui
from cqic_budget.users import add_user, list_users
from cqic_budget.views import reports as reports_views
from cqic_budget.views import settings as settings_views

# Fixtures (tests/conftest.py): store, demo_store (a copy of the demo template), fresh_caches,
# downloads.
pytestmark = [pytest.mark.usefixtures("fresh_caches"), pytest.mark.one_store]

AS_OF = date(2026, 10, 31)
LANGS = ["fr", "en"]
REPORTS, SETTINGS = "pages/reports.py", "pages/settings.py"
FUNDER, VIEWER, MANAGER = "analyste@economie.gouv.qc.ca", "lecteur@laval.ca", "gestion@cqic.ca"


def open_page(page: str, *, lang: str = "fr", user: str | None = None) -> AppTest:
    """`page` in the local single-user mode (an admin), or signed in as `user` through an identity
    provider."""
    at = AppTest.from_file(app_tools.DASHBOARD, default_timeout=60)
    at.query_params.update(lang=lang, as_of=AS_OF.isoformat())
    if user is not None:
        at.secrets["auth"] = app_tools.AUTH_SECRETS
        at.user = {"is_logged_in": True, "email": user}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def with_role(engine, email: str, role: str) -> str:
    with session_scope(engine) as session:
        add_user(session, email, role, by=LOCAL_USER)
    return email


def audit_count(engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(AuditEvent.id)).all())


def version(engine) -> int:
    with Session(engine) as session:
        return data_version(session)


# --- Reports ------------------------------------------------------------------------------------------


def summary_figures(wb, lang: str) -> dict[str, object]:
    """The summary sheet's figures by their `summary --json` key, read through their labels."""
    labels = {t(label, lang): key for key, label, _ in reports.SUMMARY_FIGURES}
    ws = wb[t("reports.sheet.summary", lang)]
    return {labels[row[0].value]: row[1] for row in ws.iter_rows(min_col=1, max_col=2)
            if row[0].value in labels}


@pytest.mark.parametrize("lang", LANGS)
def test_reports_page_describes_each_sheet_and_offers_the_files(demo_store, downloads, lang):
    at = open_page(REPORTS, lang=lang)
    assert at.title[0].value == t("reports_page.title", lang)
    sheets = "\n".join(m.value for m in at.markdown)
    for key in reports_views.SHEETS:
        assert f"**{t(f'reports.sheet.{key}', lang)}** — {t(f'reports_page.sheet.{key}', lang)}" in sheets
    prefix = "depenses" if lang == "fr" else "expenses"
    assert set(downloads) == {reports.report_file_name("CQIC", AS_OF, lang),
                              reports.report_file_name("CQIC", AS_OF, lang, "pdf"),
                              f"{prefix}-CQIC-2026-10-31.csv", f"{prefix}-CQIC-2026-10-31.xlsx"}
    assert [b.label for b in at.get("download_button")] == [
        t("reports_page.report_button", lang), t("report_pdf.button", lang),
        t("reports_page.csv_button", lang), t("reports_page.xlsx_button", lang)]
    filters = ("fiscal_year", "category", "eligible", "needs_review")
    assert [s.label for s in at.selectbox if s.key and s.key.startswith("reports.")] == [
        t(f"reports_page.filter.{name}", lang) for name in filters]


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_download_opens_with_openpyxl_and_shows_the_budget(demo_store, downloads, lang):
    open_page(REPORTS, lang=lang)
    generate, mime = downloads[reports.report_file_name("CQIC", AS_OF, lang)]
    assert mime == reports.XLSX_MIME
    wb = load_workbook(io.BytesIO(generate()))
    assert wb.sheetnames == [t(f"reports.sheet.{key}", lang) for key in reports_views.SHEETS]
    budget = summary_figures(wb, lang)["budget_total"]
    assert budget.value == 2_100_000  # shown as 2 100 000,00 $ (fr) / $2,100,000.00 (en)
    assert budget.number_format == reports.MONEY_FORMAT[lang]
    assert format_date(AS_OF, lang, long=True) in wb[t("reports.sheet.summary", lang)]["A2"].value


def test_no_file_is_generated_while_the_page_reruns(demo_store, downloads, monkeypatch):
    """The files are built when clicked, never by a rerun: a warm rerun costs nothing, however large the
    store."""
    built = []
    monkeypatch.setattr(reports_views, "build_report", lambda *a, **k: built.append("report") or b"")
    monkeypatch.setattr(reports_views, "build_report_pdf", lambda *a, **k: built.append("pdf") or b"")
    monkeypatch.setattr(reports_views, "expenses_csv", lambda *a, **k: built.append("csv") or b"")
    monkeypatch.setattr(reports_views, "expenses_xlsx", lambda *a, **k: built.append("xlsx") or b"")
    rerun(rerun(open_page(REPORTS)))
    assert built == []
    for generate, _ in downloads.values():
        generate()
    assert sorted(built) == ["csv", "pdf", "report", "xlsx"]


def test_export_filters_choose_the_rows(demo_store, downloads):
    at = open_page(REPORTS, lang="fr")
    at.selectbox(key=reports_ui.FILTER_KEYS["fiscal_year"]).set_value("2025-2026")
    at.selectbox(key=reports_ui.FILTER_KEYS["eligible"]).set_value(reports_views.YES)
    downloads.clear()
    rerun(at)
    filters = reports.ExpenseFilters(fiscal_year="2025-2026", eligible=True)
    with Session(demo_store) as session:
        program = get_program(session)
        expected = count_expenses(session, program_id=program.id, as_of=AS_OF, filters=filters)
        every = count_expenses(session, program_id=program.id, as_of=AS_OF, filters=reports.ExpenseFilters())
    assert 0 < expected < every
    shown = [m.value for m in at.markdown]
    assert t("reports_page.rows", "fr", count=format_number(expected, "fr"), as_of="2026-10-31") in shown
    generate, mime = downloads["depenses-CQIC-2026-10-31-2025-2026.csv"]
    assert mime == reports.CSV_MIME
    rows = list(csv.reader(io.StringIO(generate().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == t("reports.col.date", "fr") and len(rows) == expected + 1
    assert all("2025-04-01" <= row[0] <= "2026-03-31" for row in rows[1:])
    assert {row[10] for row in rows[1:]} == {t("reports.yes", "fr")}
    generate, _ = downloads["depenses-CQIC-2026-10-31-2025-2026.xlsx"]
    ws = load_workbook(io.BytesIO(generate())).active
    assert ws.max_row == 4 + expected  # title, subtitle, note line, header, then the rows


def test_a_filter_matching_nothing_disables_the_exports(demo_store):
    at = open_page(REPORTS, lang="en")
    at.selectbox(key=reports_ui.FILTER_KEYS["fiscal_year"]).set_value("2025-2026")
    at.selectbox(key=reports_ui.FILTER_KEYS["category"]).set_value("unclassified")
    at.selectbox(key=reports_ui.FILTER_KEYS["needs_review"]).set_value(reports_views.NO)
    rerun(at)
    assert t("reports_page.no_rows", "en") in [m.value for m in at.markdown]
    exports = [b for b in at.get("download_button") if b.key.startswith("reports.export")]
    assert len(exports) == 2 and all(b.disabled for b in exports)


def test_a_funder_downloads_the_report_and_a_viewer_does_not_reach_it(demo_store, downloads):
    funder = with_role(demo_store, FUNDER, "funder")
    at = open_page(REPORTS, lang="fr", user=funder)
    assert len(at.get("download_button")) == 4
    generate, _ = downloads[reports.report_file_name("CQIC", AS_OF, "fr")]
    assert summary_figures(load_workbook(io.BytesIO(generate())), "fr")["budget_total"].value == 2_100_000
    generate, mime = downloads[reports.report_file_name("CQIC", AS_OF, "fr", "pdf")]
    assert mime == "application/pdf" and generate().startswith(b"%PDF-")

    viewer = with_role(demo_store, VIEWER, "viewer")
    at = AppTest.from_file(app_tools.DASHBOARD, default_timeout=60)
    at.secrets["auth"] = app_tools.AUTH_SECRETS
    at.user = {"is_logged_in": True, "email": viewer}
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(REPORTS)
    with Session(demo_store) as session:
        view = reports_views.build_reports(session, program_code=None, as_of=AS_OF, lang="fr", user=viewer)
        assert not view.allowed and view.refusal == t("reports_page.refused", "fr")
        with pytest.raises(Forbidden):
            reports.build_report(session, as_of=AS_OF, user=viewer)


# --- Settings: the page --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_settings_page_shows_every_tab(demo_store, lang):
    at = open_page(SETTINGS, lang=lang)
    assert at.title[0].value == t("settings_page.title", lang)
    tabs = ("program", "funders", "budget_lines", "milestones", "contributions", "indicators", "categories",
            "users")
    assert [tab.label for tab in at.tabs] == [t(f"settings_page.tab.{key}", lang) for key in tabs] + [
        t("closing_page.tab", lang)]
    editors = [e for e in at.data_editor if e.key.startswith("settings.editor.")]
    assert [e.key for e in editors] == [f"settings.editor.{table}" for table in settings_views.EDITED_TABLES]
    assert all(e.editing_mode == "dynamic" for e in editors)
    with Session(demo_store) as session:
        lines = load_budget_lines_table(session, get_program(session).id, lang)
        check = budget_total_check(session, get_program(session).id)
    budget = at.data_editor(key="settings.editor.budget_lines").value
    assert list(budget["id"]) == list(lines["id"]) and len(budget) == 21
    # The budget check is said on the program tab and again above the budget lines it sums.
    assert check.balanced and sum(check.message(lang) in c.value for c in at.caption) == 2
    labels = [n.label for n in at.text_input]
    assert t("settings_page.percent", lang, label=field_label("quebec_rate", lang)) in labels
    assert t("settings_page.dollars", lang, label=field_label("budget_total", lang)) in labels
    # Money and rates in the reader's format: «2 100 000,00» / «2,100,000.00», «50».
    budget = at.text_input(key=next(w.key for w in at.text_input if w.label == t(
        "settings_page.dollars", lang, label=field_label("budget_total", lang))))
    assert budget.value == format_number(Decimal("2100000.00"), lang, digits=2)
    assert budget.value.replace("\u202f", " ").replace("\u00a0", " ") == (
        "2 100 000,00" if lang == "fr" else "2,100,000.00")
    assert [c.value for c in at.caption if c.value == t("settings_page.no_users", lang)]


def test_settings_headers_and_choices_come_from_the_service(demo_store):
    options = {"status": ["Prévu", "Atteint"], "payment_funder": ["MEIE"]}
    config = settings_ui.column_config("milestones", options, ("2025-2026",), "fr")
    assert config["id"] is None  # hidden, yet kept: it tells the service which row is which
    assert config["status"]["label"] == "Statut"
    assert config["status"]["type_config"]["options"] == ["Prévu", "Atteint"]
    assert config["due_date"]["type_config"]["format"] == "YYYY-MM-DD"
    years = ("2025-2026", "2026-2027")
    lines = settings_ui.column_config("budget_lines", {"category": ["Salaires"]}, years, "en")
    assert lines["fiscal_year"]["type_config"]["options"] == ["2025-2026", "2026-2027"]
    assert lines["amount"]["label"] == "Amount" and lines["amount"]["type_config"]["min_value"] == 0


# --- Settings: the program form -----------------------------------------------------------------------


def program_input(at: AppTest, name: str, lang: str = "fr"):
    label = field_label(name, lang)
    wanted = {label, *(t(f"settings_page.{unit}", lang, label=label) for unit in ("percent", "dollars"))}
    widgets = (*at.number_input, *at.date_input, *at.text_input, *at.selectbox)
    found = [w for w in widgets if w.label in wanted]
    assert len(found) == 1, name
    return found[0]


def test_a_setting_saved_through_the_form_changes_the_store_and_is_audited(demo_store):
    at = open_page(SETTINGS)
    before_version, before_events = version(demo_store), audit_count(demo_store)
    program_input(at, "holdback_rate").set_value("12,5")
    program_input(at, "target_merchants_supported").set_value(160)
    at.button(key="FormSubmitter:settings.program-" + t("settings_page.save", "fr")).click()
    rerun(at)
    with Session(demo_store) as session:
        program = session.exec(select(Program)).one()
        assert program.holdback_rate == Decimal("0.125") and program.target_merchants_supported == 160
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "program.settings")).all()[-1]
    assert event.user == LOCAL_USER
    assert set(event.before) == set(event.after) == {"holdback_rate", "target_merchants_supported"}
    assert audit_count(demo_store) == before_events + 1 and version(demo_store) == before_version + 1
    saved = "Paramètres du programme enregistrés : 2 valeurs modifiées."
    assert [toast.value for toast in at.toast] == [saved]
    assert program_input(at, "holdback_rate").value == "12,5"  # the form shows the stored value


def test_an_out_of_range_rate_says_what_is_wrong_in_french_and_saves_nothing(demo_store):
    at = open_page(SETTINGS)
    before_version, before_events = version(demo_store), audit_count(demo_store)
    program_input(at, "quebec_rate").set_value("150")
    at.button(key="FormSubmitter:settings.program-" + t("settings_page.save", "fr")).click()
    rerun(at)
    expected = SettingsError("out-of-range", "quebec_rate", "150%", low="0 %", high="100 %").message("fr")
    assert [e.value for e in at.error] == [t("settings_page.program_not_saved", "fr"), expected]
    assert "150" in expected and "100 %" in expected and field_label("quebec_rate", "fr") in expected
    assert audit_count(demo_store) == before_events and version(demo_store) == before_version


def test_a_refused_setting_shows_its_error_under_the_field_and_writes_nothing(demo_store):
    at = open_page(SETTINGS, lang="en")
    before_version, before_events = version(demo_store), audit_count(demo_store)
    program_input(at, "end_date", "en").set_value(date(2025, 1, 31))
    at.button(key="FormSubmitter:settings.program-" + t("settings_page.save", "en")).click()
    rerun(at)
    expected = SettingsError("end-before-start", "end_date", date(2025, 1, 31), start=date(2025, 4, 1),
                             end=date(2025, 1, 31)).message("en")
    errors = [e.value for e in at.error]
    assert errors == [t("settings_page.program_not_saved", "en"), expected]
    assert audit_count(demo_store) == before_events and version(demo_store) == before_version
    with Session(demo_store) as session:
        assert session.exec(select(Program)).one().end_date == date(2028, 3, 31)
    assert not at.toast


# --- Settings: the table editors ------------------------------------------------------------------------


def edit_table(at: AppTest, table: str, *, edited=None, added=None, deleted=None) -> AppTest:
    """Edit a table as the reader would in the browser (the editor's edit state), then press its Save."""
    at.session_state[f"settings.editor.{table}"] = {
        "edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}
    at.button(key=f"settings.save.{table}").click()
    return rerun(at)


def budget_lines(engine) -> list[tuple[str, int, int]]:
    with Session(engine) as session:
        return [(b.fiscal_year, b.category_id, b.amount_cents) for b in
                session.exec(select(BudgetLine).order_by(BudgetLine.id))]


def test_a_budget_line_edited_in_the_data_editor_is_saved_and_audited(demo_store):
    at = open_page(SETTINGS)
    # Row 7: salaries of 2026-2027 (the demo closed 2025-2026, whose lines are frozen)
    first = at.data_editor(key="settings.editor.budget_lines").value.iloc[7]
    before_events = audit_count(demo_store)
    edit_table(at, "budget_lines", edited={7: {"amount": 261_000.5}})
    with Session(demo_store) as session:
        line = session.get(BudgetLine, int(first["id"]))
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "budget_line.update")).all()
    assert line.amount_cents == 26_100_050
    assert len(events) == 1 and events[0].entity_id == line.id
    assert audit_count(demo_store) == before_events + 1
    saved = "Enregistré : 1 ligne modifiée."
    assert [toast.value for toast in at.toast] == [saved]
    # The lines no longer add up to the budget: the page warns (a warning, not an error).
    with Session(demo_store) as session:
        check = budget_total_check(session, get_program(session).id)
    assert not check.balanced and check.message("fr") in [w.value for w in at.warning]
    # The editor shows the stored table again, without the edit pending.
    assert at.data_editor(key="settings.editor.budget_lines").value.iloc[7]["amount"] == Decimal("261000.50")


def test_an_invalid_row_shows_its_number_and_nothing_is_written(demo_store):
    at = open_page(SETTINGS)
    before = budget_lines(demo_store)
    before_version, before_events = version(demo_store), audit_count(demo_store)
    edit_table(at, "budget_lines", edited={7: {"amount": 1.0}},
               added=[{"fiscal_year": "2031-2032", "category": "Salaires et charges sociales", "amount": -5}])
    assert budget_lines(demo_store) == before
    assert audit_count(demo_store) == before_events and version(demo_store) == before_version
    errors = [e.value for e in at.error]
    assert errors == ["Rien n'a été enregistré : 2 erreurs à corriger."]
    listed = "\n".join(m.value for m in at.markdown)
    period = {"start": date(2025, 4, 1), "end": date(2028, 3, 31)}
    outside = SettingsError("out-of-period", "fiscal_year", "2031-2032", **period)
    assert "- Ligne 22 : " + outside.message("fr") in listed
    assert "- Ligne 22 : " + SettingsError("negative", "amount", -5).message("fr") in listed
    assert not at.toast


def test_the_one_table_helper_saves_a_dataframe_directly(demo_store):
    """The editor's parts without Streamlit: save_table_edits and error_lines, on every table's frame."""
    with Session(demo_store) as session:
        program_id = get_program(session).id
        frame = load_budget_lines_table(session, program_id, "en")
    frame.loc[8, "amount"] = Decimal("80000.00")  # 2026-2027 (2025-2026 is closed in the demo)
    result = settings_views.save_table_edits(demo_store, program_id=program_id, table="budget_lines",
                                          edited=frame, user=LOCAL_USER, lang="en")
    assert (result.ok, result.updated, result.inserted, result.deleted) == (True, 1, 0, 0)
    assert settings_views.saved_text(result, "en") == "Saved: 1 row changed."
    broken = pd.concat([frame, pd.DataFrame([{"id": None, "fiscal_year": "2027-2028",
                                              "category": "Nope", "amount": 10}])], ignore_index=True)
    result = settings_views.save_table_edits(demo_store, program_id=program_id, table="budget_lines",
                                          edited=broken, user=LOCAL_USER, lang="en")
    assert not result.ok
    assert settings_views.error_lines(result, "en") == [
        "Row 22: " + SettingsError("unknown-reference", "category", "Nope").message("en")]
    for table in settings_views.EDITED_TABLES:  # unchanged tables save as nothing to do
        with Session(demo_store) as session:
            frame = load_table(session, program_id, table, "fr")
        result = settings_views.save_table_edits(demo_store, program_id=program_id, table=table, edited=frame,
                                              user=LOCAL_USER, lang="fr")
        assert result.ok and not result.changed, table


def test_a_funder_added_in_the_editor_and_a_refused_deletion(demo_store):
    at = open_page(SETTINGS, lang="en")
    funders = at.data_editor(key="settings.editor.funders").value
    edit_table(at, "funders", added=[{"name": "Fondation X", "kind": "Private", "is_public_aid": False,
                                      "committed": 25_000, "in_kind": False}])
    saved = "Saved: 1 row added."
    assert [toast.value for toast in at.toast] == [saved]
    shown = at.data_editor(key="settings.editor.funders").value
    assert len(shown) == len(funders) + 1 and shown.iloc[-1]["name"] == "Fondation X"
    # Contributions and milestones refer to the first funder: deleting it is refused, nothing written;
    # a refused deletion has no row to point at.
    before = audit_count(demo_store)
    edit_table(at, "funders", deleted=[0])
    assert audit_count(demo_store) == before
    assert "Nothing was saved: 2 errors to fix." in [e.value for e in at.error]
    name = funders.iloc[0]["name"]
    listed = "\n".join(m.value for m in at.markdown)
    for uses in ("contributions", "milestones"):
        assert "- " + SettingsError("in-use", "", name, uses=uses).message("en") in listed
    assert len(at.data_editor(key="settings.editor.funders").value) == len(funders) + 1


# --- Settings: users ------------------------------------------------------------------------------------


def test_users_are_added_changed_and_removed_through_the_users_service(demo_store):
    at = open_page(SETTINGS, lang="fr")
    at.text_input(key="settings.users.email").set_value(" Nouvelle@CQIC.ca ")
    at.selectbox(key="settings.users.role").set_value("manager")
    at.button(key="FormSubmitter:settings.users.add-" + t("settings_page.user_add_button", "fr")).click()
    rerun(at)
    # The e-mail is escaped for Markdown (shown as typed, not as a mailto link).
    shown = "nouvelle\\@cqic.ca a maintenant le rôle « Gestionnaire »."
    assert [toast.value for toast in at.toast] == [shown]
    assert at.text_input(key="settings.users.email").value == ""  # the form is ready for the next one
    with Session(demo_store) as session:
        assert [(u.email, u.role) for u in list_users(session)] == [("nouvelle@cqic.ca", "manager")]
    assert at.dataframe[-2].value.iloc[0].tolist()[:3] == ["nouvelle@cqic.ca", "", "Gestionnaire"]

    at.selectbox(key="settings.users.change_email").set_value("nouvelle@cqic.ca")
    at.selectbox(key="settings.users.change_role").set_value("funder")
    at.button(key="settings.users.change").click()
    rerun(at)
    with Session(demo_store) as session:
        assert session.exec(select(User.role)).one() == "funder"

    at.text_input(key="settings.users.email").set_value("pas-une-adresse")
    at.button(key="FormSubmitter:settings.users.add-" + t("settings_page.user_add_button", "fr")).click()
    rerun(at)
    assert t("access.users.invalid-email", "fr", value="pas-une-adresse") in [e.value for e in at.error]

    at.selectbox(key="settings.users.remove_email").set_value("nouvelle@cqic.ca")
    at.checkbox(key="settings.users.remove_confirm").check()
    rerun(at)
    at.button(key="settings.users.remove").click()
    rerun(at)
    with Session(demo_store) as session:
        assert list_users(session) == []
        actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "user"))]
    assert actions == ["user.add", "user.update", "user.remove"]


# --- Settings: who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["funder", "viewer", "manager"])
def test_only_an_admin_reaches_settings_and_the_services_refuse_the_others(demo_store, role):
    email = with_role(demo_store, {"funder": FUNDER, "viewer": VIEWER, "manager": MANAGER}[role], role)
    at = AppTest.from_file(app_tools.DASHBOARD, default_timeout=60)
    at.secrets["auth"] = app_tools.AUTH_SECRETS
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(SETTINGS)
    before_version, before_events = version(demo_store), audit_count(demo_store)
    with session_scope(demo_store) as session:
        program_id = get_program(session).id
        view = settings_views.build_settings(session, program_code=None, lang="fr", user=email)
        assert not view.allowed and not view.tables and not view.users
        frame = load_budget_lines_table(session, program_id)
        frame.loc[0, "amount"] = Decimal("1.00")
        with pytest.raises(Forbidden):
            save_budget_lines_table(session, program_id, frame, user=email)
        with pytest.raises(Forbidden):
            update_program_settings(session, program_id, {"holdback_rate": "0.2"}, user=email)
        with pytest.raises(Forbidden):
            add_user(session, "autre@cqic.ca", "admin", by=email)
    assert version(demo_store) == before_version and audit_count(demo_store) == before_events


def test_settings_close_tab_verifies_reopens_and_closes(demo_store):
    # The demo closed 2025-2026: verify says it matches; reopening needs a reason; then close again.
    at = open_page(SETTINGS, lang="en")
    at.selectbox(key="settings.closing.year").set_value("2025-2026").run()
    at.button(key="settings.closing.verify").click().run()
    assert any("matches the one closed" in s.value for s in at.success)
    at.button(key="settings.closing.reopen").click().run()
    assert [e.value for e in at.error] == [t("funding.error.reason-required", "en")]
    at.text_input(key="settings.closing.reason").input("Late March invoice").run()
    at.button(key="settings.closing.reopen").click().run()
    assert any("Late March invoice" in s.value for s in at.success)
    assert at.button(key="settings.closing.close").disabled is False
    at.button(key="settings.closing.close").click().run()
    assert any("closed; SHA-256" in s.value for s in at.success)
    assert not at.exception
