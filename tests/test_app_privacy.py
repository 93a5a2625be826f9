"""Personal information never reaches a funder or viewer, whatever staff typed (SPEC §7): a corpus of
expense rows naming merchants (accents or not, capitals, run together), their NEQ, e-mails and phones,
imported through the real import, is read through every page a funder or viewer can open (drill-downs
included) and every file the Reports page offers, in French and English: none of the values is there,
while staff see them. A municipality with fewer merchants than the program's smallest group never
appears either."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import app_tools
import pytest
import sqlalchemy as sa
from pdf_tools import pdf_text
from privacy_corpus import LONE_MUNICIPALITY, MERCHANTS, ROWS, leaks, load_corpus, personal_values
from streamlit.testing.v1 import AppTest

from cqic_budget.db import session_scope
from cqic_budget.i18n import t
from cqic_budget.models import Expense, Program
from cqic_budget.reports import ExpenseFilters, build_report, expenses_csv, expenses_xlsx
from cqic_budget.settings_service import update_program_settings
from cqic_budget.setup import get_program

pytestmark = [pytest.mark.usefixtures("fresh_caches"), pytest.mark.one_store]
USERS = app_tools.USERS
CORPUS_MONTH = "month:2026-05-01"


@pytest.fixture
def corpus_store(demo_users):
    load_corpus(demo_users)
    return demo_users


def drill_into_the_corpus(at: AppTest) -> list[str]:
    """Point every drill-down of the page at the corpus rows (professional fees, May 2026, or the first
    period that covers it) and return what the page sent each time."""
    sent = []
    for key in [box.key for box in at.selectbox if (box.key or "").endswith(".drill.category")]:
        at.selectbox(key=key).set_value("professional_fees")
        period = at.selectbox(key=key.replace(".category", ".period"))
        # The options are shown as labels: the month of the corpus, else everything to the as-of date.
        covering = [k for k in (CORPUS_MONTH, "all") if period.format_func(k) in period.options]
        if covering:
            period.set_value(covering[0])
        app_tools.rerun(at)
        sent.append(app_tools.everything_sent(at))
    return sent


def file_text(name: str, data: bytes, tmp_path) -> str:
    """What a downloaded file says: a workbook's XML, a PDF's text (pdftotext), a .zip's members in turn."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.namelist()
            return "\n".join(file_text(member, archive.read(member), tmp_path) for member in members)
    if name.endswith(".xlsx"):
        return xlsx_text(data)
    if name.endswith(".pdf"):
        return pdf_text(data, tmp_path)
    return data.decode("utf-8-sig", "replace")


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


@pytest.mark.parametrize("role", ["funder", "viewer"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_and_no_file_a_funder_or_viewer_reaches_holds_personal_information(
        corpus_store, downloads, role, lang, tmp_path):
    values = [*personal_values(), LONE_MUNICIPALITY]
    at = app_tools.sign_in(USERS[role], lang=lang)
    found: dict[str, list[str]] = {}
    drilled = []
    for key in app_tools.expected_pages(role):
        app_tools.open_page(at, key)
        corpus = drill_into_the_corpus(at)
        drilled += corpus
        for sent in [app_tools.everything_sent(at), *corpus]:
            if leaks(sent, values):
                found.setdefault(key, leaks(sent, values))
    # The drill-downs did reach the corpus rows: what they hold is shown redacted.
    # (tables escape Markdown: « \[masqué\] » is sent, « [masqué] » shown)
    assert drilled and any(t("privacy.redacted", lang) in sent.replace("\\", "") for sent in drilled)
    if role == "funder":
        app_tools.open_page(at, "reports")
        files = {name: generate() for name, (generate, _) in downloads.items()}
        # The report workbook, its PDF, the expense CSV and Excel exports, and a claim's packet (.zip).
        assert len(files) == 5 and any(name.endswith(".zip") for name in files)
        for name, data in files.items():
            text = file_text(name, data, tmp_path)
            if leaks(text, values):
                found[name] = leaks(text, values)
    assert found == {}


def test_staff_see_the_corpus_values(corpus_store):
    """The walk above can fail: a manager's drill-down shows the names, NEQ, e-mails and phones."""
    at = app_tools.sign_in(USERS["manager"])
    sent = "".join(drill_into_the_corpus(app_tools.open_page(at, "burn")))
    assert len(leaks(sent)) >= 8
    with session_scope(corpus_store) as session:
        program = get_program(session, None)
        data = expenses_csv(session, program_id=program.id, user=USERS["manager"],
                            filters=ExpenseFilters(first=date(2026, 5, 1), last=date(2026, 5, 31)))
    assert len(leaks(data.decode("utf-8-sig"))) >= 8


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_exports_redact_for_a_funder_in_both_languages(corpus_store, lang):
    with session_scope(corpus_store) as session:
        program = get_program(session, None)
        funder = USERS["funder"]
        texts = {
            "report": xlsx_text(build_report(session, lang=lang, user=funder)),
            "csv": expenses_csv(session, program_id=program.id, lang=lang, user=funder).decode("utf-8-sig"),
            "xlsx": xlsx_text(expenses_xlsx(session, program_id=program.id, lang=lang, user=funder)),
        }
    assert {name: leaks(text, [*personal_values(), LONE_MUNICIPALITY]) for name, text in texts.items()} == {
        "report": [], "csv": [], "xlsx": []}
    assert all(t("privacy.redacted", lang) in text for text in texts.values())


def test_imported_rows_naming_one_merchant_are_tied_to_it(corpus_store):
    with session_scope(corpus_store) as session:
        ids = dict(session.execute(sa.text("SELECT name, id FROM merchant")).all())
        invoices = [invoice for _, _, invoice in ROWS]
        linked = dict(session.execute(
            sa.select(Expense.invoice_number, Expense.merchant_id)
            .where(Expense.date >= date(2026, 5, 1), Expense.date <= date(2026, 5, 31),
                   Expense.invoice_number.in_(invoices))).all())
    first, second = ids[MERCHANTS[0]["name"]], ids[MERCHANTS[1]["name"]]
    # Named with accents or not, in capitals, run together, or by a contact's name (here inside an
    # e-mail); a row naming two merchants is tied to neither.
    assert linked == {"BC-2026-01": first, "EpicerieBelangerCote-02": first, "F-1003": first,
                      "QD 2269876543": second, "AW-77": second, "AW-78": None}


def test_a_small_group_is_merged_and_the_size_is_a_setting(corpus_store):
    at = app_tools.open_page(app_tools.sign_in(USERS["funder"]), "merchants")
    sent = app_tools.everything_sent(at)
    assert LONE_MUNICIPALITY not in sent
    assert t("privacy.other_groups", "fr", size=5) in sent
    # Staff see the municipality by name.
    staff = app_tools.open_page(app_tools.sign_in(USERS["manager"]), "merchants")
    assert LONE_MUNICIPALITY in app_tools.everything_sent(staff)
    # A program that accepts groups of one shows it to funders too (the setting is the program's).
    with session_scope(corpus_store) as session:
        program = session.execute(sa.select(Program)).scalars().first()
        assert program.min_group_size == 5
        update_program_settings(session, program.id, {"min_group_size": 1}, user=USERS["admin"])
    at = app_tools.open_page(app_tools.sign_in(USERS["funder"]), "merchants")
    assert LONE_MUNICIPALITY in app_tools.everything_sent(at)
