"""The funder report and the CSV/Excel exports: figures equal `summary --json`, text never a formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from store_builders import HOSTILE, hand_built

from cqic_budget import reports
from cqic_budget.auth import LOCAL_USER, Forbidden
from cqic_budget.cli import main
from cqic_budget.db import session_scope
from cqic_budget.i18n import t
from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.status import status_word
from cqic_budget.metrics.summary import compute_summary, summary_as_json
from cqic_budget.models import (
    Category,
    Expense,
    Funder,
    ImportBatch,
    Merchant,
)
from cqic_budget.queries import category_labels
from cqic_budget.setup import get_program
from cqic_budget.users import add_user

AS_OF = date(2026, 10, 31)
SHEETS = ("summary", "spending", "budget_lines", "cofinancing", "milestones", "impact", "expenses")


def _workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def _sheet(wb, key: str, lang: str):
    return wb[t(f"reports.sheet.{key}", lang)]


def _figures(ws, lang: str) -> dict[str, object]:
    """The summary sheet's figures by their `summary --json` key (read through the labels)."""
    labels = {t(label, lang): key for key, label, _ in reports.SUMMARY_FIGURES}
    found = {}
    for row in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if row[0] in labels and labels[row[0]] not in found:
            found[labels[row[0]]] = row[1]
    return found


def _assert_same_as_json(ws, lang: str, expected: dict) -> None:
    """Every figure of `summary --json` on the summary sheet, numerically equal."""
    figures = _figures(ws, lang)
    compared = 0
    for key, value in expected.items():
        if key not in figures:
            continue
        shown = figures[key]
        compared += 1
        if value is None:
            assert shown == "—", key
        elif isinstance(value, int):
            assert shown == value, key
        elif key == "projected_exhaustion":
            assert shown.date() == date.fromisoformat(value), key
        else:
            # Written as the exact decimal text; read back as a float, equal to the cent / 4th place.
            assert Decimal(str(shown)) == Decimal(value), (key, shown, value)
    assert compared >= 18


def _no_formula_anywhere(data: bytes) -> None:
    """No sheet of the file holds a formula element, whatever openpyxl reads back."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def test_hand_built_report_figures_and_layout(session):
    program = hand_built(session)
    data = reports.build_report(session, as_of=AS_OF, lang="fr")
    wb = _workbook(data)
    assert wb.sheetnames == [t(f"reports.sheet.{key}", "fr") for key in SHEETS]
    assert wb.sheetnames[:2] == ["Sommaire", "Dépenses par poste"]

    summary = summary_as_json(compute_summary(session, as_of=AS_OF))
    ws = _sheet(wb, "summary", "fr")
    assert ws["A1"].value == program.name_fr and ws["A1"].font.b
    assert "31 octobre 2026" in ws["A2"].value
    _assert_same_as_json(ws, "fr", summary)
    figures = _figures(ws, "fr")
    # E = 40 000,00 + 1 074,88 − 100,00 = 40 974,88; Québec 20 000,00 ÷ E = 0,4881.
    assert Decimal(str(figures["spent"])) == Decimal("40974.88")
    assert Decimal(str(figures["ineligible"])) == Decimal("2299.50")
    assert Decimal(str(figures["quebec_share"])) == Decimal("0.4881")
    assert figures["budget_total"] == 2_100_000
    assert figures["merchants_supported"] == 2
    # Number formats: money, percent and dates formatted for reading.
    money_cell = next(r[1] for r in ws.iter_rows(min_col=1, max_col=2) if r[0].value == "Budget total")
    assert money_cell.number_format == reports.MONEY_FORMAT["fr"] and money_cell.data_type == "n"
    share_cell = next(r[1] for r in ws.iter_rows(min_col=1, max_col=2) if r[0].value == "Part de Québec")
    assert share_cell.number_format == "0.0 %"

    # Checks with their status and sentence.
    statuses = {t(f"status.{s}", "fr") for s in ("ok", "watch", "breach")}
    check_rows = [r for r in ws.iter_rows(values_only=True) if r[2] in statuses]
    assert len(check_rows) == len(summary["checks"])
    assert [r[3] for r in check_rows] == [c["message"] for c in summary["checks"]]

    # Spending: by category and fiscal year; the year totals equal fiscal_years of the summary.
    ws = _sheet(wb, "spending", "fr")
    rows = list(ws.iter_rows(values_only=True))
    marketing = next(r for r in rows if r[0] == "2025-2026" and r[1] == "Marketing et événements")
    # columns: year, category, original, in force, spent, open commitments, available, % used, status
    assert Decimal(str(marketing[3])) == Decimal("20000") and Decimal(str(marketing[4])) == Decimal("1074.88")
    totals = {r[0]: r for r in rows if r[1] == "Total"}
    assert summary["fiscal_years"]  # never a loop over nothing
    for fy in summary["fiscal_years"]:
        assert Decimal(str(totals[fy["label"]][3])) == Decimal(fy["budget"])
        assert Decimal(str(totals[fy["label"]][4])) == Decimal(fy["spent"])
    assert Decimal(str(totals["2026-2027"][4])) == Decimal("-100")

    # Co-financing: per funder committed / received / due.
    ws = _sheet(wb, "cofinancing", "fr")
    rows = list(ws.iter_rows(values_only=True))
    laval = next(r for r in rows if r[0] == "Ville de Laval")
    assert laval[1:4] == ("Municipal", "oui", "non")
    assert [Decimal(str(v)) for v in laval[4:9]] == [Decimal(300000), Decimal(15000), 0, Decimal(15000),
                                                     Decimal(285000)]
    claim = next(r for r in rows if r[0] and str(r[0]).startswith("Réclamable"))
    assert Decimal(str(claim[1])) == Decimal(summary["quebec_claimable"])

    # Milestones: planned vs actual, days late, payment received.
    ws = _sheet(wb, "milestones", "fr")
    row = next(r for r in ws.iter_rows(min_row=5, values_only=True))
    assert row[0] == "'=Jalon 1"
    assert Decimal(str(row[3])) == Decimal("45000") and Decimal(str(row[4])) == Decimal("41074.88")
    assert row[9] == 4 and row[14] == "reçu"

    # Impact: aggregated, never a merchant's name or contact.
    text = " ".join(str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v)
    assert "Boutique Secrète" not in text and "secret@example.com" not in text

    # Expense detail: to the as-of only, with the file and row of origin; sums to the summary.
    ws = _sheet(wb, "expenses", "fr")
    header = [c.value for c in ws[4]]
    assert header[0] == "Date" and header[13:15] == ["Fichier d'origine", "Ligne d'origine"]
    assert header[15:] == ["Devise", "Total dans la devise", "Taux de change ($ CA)", "Source du taux",
                           "Écart de change (+ perte, − gain)"]
    details = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(details) == 4
    assert sum(Decimal(str(r[9])) for r in details) == Decimal(summary["spent"])
    hostile = details[1]
    assert hostile[1] == "'" + HOSTILE[0] and hostile[2] == "'+33 6 12 34 56 78" and hostile[4] == "'-INV-1"
    assert Decimal(str(hostile[9])) == Decimal("1074.88") and hostile[13] == "'=depenses-mai.xlsx"
    assert hostile[14] == 3
    assert details[2][10] == "non" and details[2][11] == "'=Hors programme"
    assert Decimal(str(details[3][5])) == Decimal("-100")

    # Formatted for reading: frozen header, print titles, landscape, fit to width.
    assert ws.freeze_panes == "A5" and ws.print_title_rows == "$1:$4"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["B"].width >= 20
    assert ws["A4"].font.b
    _no_formula_anywhere(data)


def test_hostile_text_is_never_a_formula(session):
    """Vendors, descriptions, invoices, reasons, funder and file names are written as inert text."""
    program = get_program(session)
    cat = session.exec(select(Category).where(Category.code == "marketing")).one()
    batch = ImportBatch(program_id=program.id, file_name="@fichier.xlsx", file_sha256="1" * 64,
                        user=LOCAL_USER)
    session.add(batch)
    session.flush()
    for number, text in enumerate(HOSTILE + ["\x07sonnerie", "-12.50"], start=1):
        session.add(Expense(program_id=program.id, date=date(2025, 6, number), vendor=text, description=text,
                            invoice_number=text, category_id=cat.id, amount_cents=100_00, eligible_cents=0,
                            eligible=False, ineligible_reason=text, batch_id=batch.id, source_row=number))
    funder = session.exec(select(Funder).where(Funder.kind == "municipal")).one()
    funder.name = "=Ville de Laval"
    session.flush()

    data = reports.build_report(session, as_of=AS_OF, lang="en")
    _no_formula_anywhere(data)
    wb = _workbook(data)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert cell.data_type != "e", (ws.title, cell.coordinate, cell.value)
    ws = _sheet(wb, "expenses", "en")
    rows = list(ws.iter_rows(min_row=5))
    for row, text in zip(rows, HOSTILE, strict=False):
        for cell in (row[1], row[2], row[4], row[11]):  # vendor, description, invoice, reason
            assert cell.data_type == "s"
            if text == "#N/A":
                assert cell.value == "#N/A"  # an error code read as text, not as an error
            else:  # (XML reads a carriage return back as a line feed)
                assert cell.value in ("'" + text, "'" + text.replace("\r", "\n")), cell.value
        assert row[13].value == "'@fichier.xlsx" and row[13].data_type == "s"
    assert rows[len(HOSTILE)][1].value == "sonnerie"  # a control character a workbook cannot hold: dropped
    assert rows[len(HOSTILE) + 1][1].value == "-12.50"  # a plain number is not a formula: left as is
    assert rows[len(HOSTILE) + 1][1].data_type == "s"
    funders = [r[0] for r in _sheet(wb, "cofinancing", "en").iter_rows(values_only=True)]
    assert "'=Ville de Laval" in funders


def test_english_sheets_and_headers(session):
    hand_built(session)
    wb = _workbook(reports.build_report(session, as_of=AS_OF, lang="en"))
    assert wb.sheetnames == ["Summary", "Spending by category", "Budget lines", "Co-financing", "Milestones",
                             "Impact", "Expense detail"]
    summary = summary_as_json(compute_summary(session, as_of=AS_OF))
    ws = wb["Summary"]
    assert "as of October 31, 2026" in ws["A2"].value
    assert [ws["A4"].value, ws["B4"].value] == ["Figure", "Value"]
    _assert_same_as_json(ws, "en", summary)
    budget = next(r[1] for r in ws.iter_rows(min_col=1, max_col=2) if r[0].value == "Total budget")
    assert budget.value == 2_100_000 and budget.number_format == '"$"#,##0.00'
    assert [c.value for c in wb["Expense detail"][4]][:6] == [
        "Date", "Vendor", "Description", "Category", "Invoice #", "Amount before tax"]
    assert [c.value for c in wb["Milestones"][4]][:3] == ["Milestone", "Due date", "Measured at"]
    assert wb["Co-financing"]["A5"].value == "Funder"


def test_empty_program_shows_dashes(session):
    """Nothing spent: every share is «—», every check ok, no division error."""
    data = reports.build_report(session, as_of=date(2025, 4, 15))
    wb = _workbook(data)
    figures = _figures(_sheet(wb, "summary", "fr"), "fr")
    assert figures["quebec_share"] == "—" and figures["public_aid_share"] == "—"
    assert figures["budget_total"] == 2_100_000 and figures["spent"] == 0
    assert list(_sheet(wb, "expenses", "fr").iter_rows(min_row=5, values_only=True)) == []


def test_report_requires_the_reports_permission(session):
    add_user(session, "viewer@cqic.ca", "viewer", by=LOCAL_USER)
    add_user(session, "funder@meie.gouv.qc.ca", "funder", by=LOCAL_USER)
    with pytest.raises(Forbidden):
        reports.build_report(session, user="viewer@cqic.ca")
    with pytest.raises(Forbidden):
        reports.expenses_csv(session, program_id=get_program(session).id, user="nobody@example.com")
    assert reports.build_report(session, user="funder@meie.gouv.qc.ca")[:2] == b"PK"


# --- CSV and Excel exports ------------------------------------------------------------------------


def _csv_rows(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents right
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_export_neutralised_and_localised(session):
    program = hand_built(session)
    rows = _csv_rows(reports.expenses_csv(session, program_id=program.id, as_of=AS_OF), ";")
    assert rows[0][:3] == ["Date", "Fournisseur", "Description"] and rows[0][14] == "Ligne d'origine"
    assert len(rows) == 5  # header + 4 rows up to the as-of
    hostile = rows[2]
    assert hostile[1] == "'" + HOSTILE[0] and hostile[2] == "'+33 6 12 34 56 78" and hostile[4] == "'-INV-1"
    assert hostile[5:10] == ["1000,00", "50,00", "99,75", "1149,75", "1074,88"]
    assert hostile[13:] == ["'=depenses-mai.xlsx", "3", "CAD", "", "", "", ""]  # in dollars: no rate
    assert rows[3][1] == "'@SUM(A1)" and rows[3][10:12] == ["non", "'=Hors programme"]
    assert rows[4][1] == "'-2+3" and rows[4][5] == "-100,00"  # a credit note stays a number

    rows = _csv_rows(reports.expenses_csv(session, program_id=program.id, as_of=AS_OF, lang="en"), ",")
    assert rows[0][:2] == ["Date", "Vendor"] and rows[2][9] == "1074.88" and rows[2][10] == "yes"
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(("=", "+", "@", "\t", "\r")) and not re.match(r"^-\D", value)


def test_csv_and_excel_export_filters(session):
    program = hand_built(session)
    marketing = reports.ExpenseFilters(category="marketing", eligible=True)
    data = reports.expenses_csv(session, program_id=program.id, as_of=AS_OF, filters=marketing)
    rows = _csv_rows(data, ";")
    assert [r[1] for r in rows[1:]] == ["'" + HOSTILE[0], "'-2+3"]
    year = reports.ExpenseFilters(fiscal_year="2026-2027")
    rows = _csv_rows(reports.expenses_csv(session, program_id=program.id, as_of=AS_OF, filters=year), ";")
    assert [r[0] for r in rows[1:]] == ["2026-04-15"]  # 2026-11-15 is in that year but after the as-of
    batch = session.exec(select(ImportBatch)).one()
    rows = _csv_rows(reports.expenses_csv(session, program_id=program.id, as_of=AS_OF,
                                          filters=reports.ExpenseFilters(batch_id=batch.id)), ";")
    assert [r[14] for r in rows[1:]] == ["2", "3", "4"]
    rows = _csv_rows(reports.expenses_csv(session, program_id=program.id, as_of=AS_OF,
                                          filters=reports.ExpenseFilters(vendor_contains="sum(")), ";")
    assert [r[1] for r in rows[1:]] == ["'@SUM(A1)"]

    data = reports.expenses_xlsx(session, program_id=program.id, as_of=AS_OF, lang="en", filters=marketing)
    _no_formula_anywhere(data)
    ws = _workbook(data)["Expenses"]
    details = list(ws.iter_rows(min_row=5))
    assert [r[1].value for r in details] == ["'" + HOSTILE[0], "'-2+3"]
    assert details[0][9].value == 1074.88 and details[0][9].number_format == '"$"#,##0.00'
    assert details[0][0].number_format == "yyyy-mm-dd"


def test_expense_rows_stream_in_chunks(session, monkeypatch):
    """Fetched a chunk at a time (a server-side cursor on PostgreSQL): same rows whatever the chunk size."""
    program = hand_built(session)
    whole = list(reports.iter_expense_rows(session, program_id=program.id, as_of=AS_OF))
    monkeypatch.setattr(reports.exports, "CHUNK_ROWS", 1)
    assert list(reports.iter_expense_rows(session, program_id=program.id, as_of=AS_OF)) == whole
    assert [r[0] for r in whole] == sorted(r[0] for r in whole) and len(whole) == 4


# --- The demo store ---------------------------------------------------------------------------------


@pytest.fixture
def demo_session(demo_readonly_session):
    """The demo store, read only: one per module and backend (tests/conftest.py)."""
    return demo_readonly_session


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_report_equals_summary(demo_session, lang, tmp_path):
    session = demo_session
    # Its speed is measured in bench/, not asserted here.
    path = reports.write_report(session, tmp_path / "rapport.xlsx", as_of=AS_OF, lang=lang)

    summary = summary_as_json(compute_summary(session, as_of=AS_OF))
    wb = load_workbook(path)
    assert wb.sheetnames == [t(f"reports.sheet.{key}", lang) for key in SHEETS]
    ws = _sheet(wb, "summary", lang)
    _assert_same_as_json(ws, lang, summary)
    assert _figures(ws, lang)["budget_total"] == 2_100_000

    facts = load_facts(session, program_id=get_program(session).id, as_of=AS_OF)
    details = list(_sheet(wb, "expenses", lang).iter_rows(min_row=5, values_only=True))
    assert len(details) == sum(m.expenses for m in facts.monthly) > 2_000
    assert sum(Decimal(str(r[9])) for r in details) == Decimal(summary["spent"])
    assert all(r[0].date() <= AS_OF for r in details)

    spending = list(_sheet(wb, "spending", lang).iter_rows(values_only=True))
    totals = {r[0]: r for r in spending if r[1] == t("reports.col.total", lang)}
    assert summary["fiscal_years"] and summary["budget_lines"]  # never a loop over nothing
    for fy in summary["fiscal_years"]:
        assert Decimal(str(totals[fy["label"]][4])) == Decimal(fy["spent"])
        # The year's status in the report is the word of summary --json's status (metrics.status).
        assert totals[fy["label"]][8] == status_word(fy["status"], lang)
        phase_rows = [r for r in spending if r[0] == fy["label"] and r[1] != t("reports.col.total", lang)
                      and len(r) > 9 and r[10]]
        assert [r[9] for r in phase_rows] == [status_word(fy["status"], lang)]
    lines = {(r[0], r[1]): r[8] for r in spending if r[1] != t("reports.col.total", lang) and r[8]}
    names = {c.code: c.label(lang) for c in category_labels(session)}
    for line in summary["budget_lines"]:
        assert lines[(line["fiscal_year"], names[line["category"]])] == status_word(line["status"], lang)
    _no_formula_anywhere(path.read_bytes())


def test_cli_report_in_english(demo_engine, db_url, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    out = tmp_path / "X.xlsx"
    assert main(["report", "--out", str(out), "--as-of", "2026-10-31", "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Summary"
    with session_scope(demo_engine) as session:
        summary = summary_as_json(compute_summary(session, as_of=AS_OF))
    _assert_same_as_json(wb["Summary"], "en", summary)


def test_expense_detail_continues_past_the_sheet_row_limit(session, monkeypatch):
    """Past Excel's rows per sheet, the detail goes on in « Détail des dépenses (2) », no row lost."""
    program = hand_built(session)
    # 4 title and header rows + 2 expenses per sheet (patched where _expense_sheet reads it)
    monkeypatch.setattr(reports.exports, "SHEET_ROW_LIMIT", 6)
    wb = _workbook(reports.expenses_xlsx(session, program_id=program.id, as_of=AS_OF))
    assert wb.sheetnames == ["Dépenses", "Dépenses (2)"]  # 4 rows: two full sheets, no empty third
    rows = [r for ws in wb.worksheets for r in ws.iter_rows(min_row=5, values_only=True)]
    assert [r[14] for r in rows] == [2, 3, 4, None]
    assert [c.value for c in wb["Dépenses (2)"][4]][0] == "Date"


def test_a_funder_gets_merchant_linked_descriptions_masked(session):
    """A merchant's name typed into an expense's text stays with staff; the funder sees the figures."""
    from cqic_budget.models import Expense

    program = hand_built(session)
    merchant = Merchant(program_id=program.id, name="Quincaillerie Bélanger", sector="retail",
                        size_band="micro", municipality="Laval", enrolment_date=date(2025, 5, 1),
                        status="supported")
    session.add(merchant)
    session.flush()
    expense = session.exec(select(Expense).where(Expense.program_id == program.id)).first()
    expense.merchant_id, expense.description = merchant.id, "Vitrine — Quincaillerie Bélanger"
    session.add(expense)
    add_user(session, "funder@meie.gouv.qc.ca", "funder", by=LOCAL_USER)
    session.flush()
    funder = reports.expenses_csv(session, program_id=program.id, as_of=AS_OF, user="funder@meie.gouv.qc.ca")
    staff = reports.expenses_csv(session, program_id=program.id, as_of=AS_OF, user=LOCAL_USER)
    assert "Quincaillerie Bélanger" in staff.decode("utf-8-sig")
    assert "Quincaillerie Bélanger" not in funder.decode("utf-8-sig")
    assert "(description masquée : dépense liée à un commerçant)" in funder.decode("utf-8-sig")
    report = _workbook(reports.build_report(session, program_code=program.code, as_of=AS_OF,
                                            user="funder@meie.gouv.qc.ca"))
    detail = [str(v) for row in _sheet(report, "expenses", "fr").iter_rows(values_only=True) for v in row]
    assert "(description masquée : dépense liée à un commerçant)" in detail
    assert not any("Quincaillerie" in text for text in detail)
