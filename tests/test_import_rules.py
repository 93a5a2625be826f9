"""SPEC §4, one test per rule: header, columns, taxes, normalisation, validation codes, categories."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from import_helpers import HEADER_FR, csv_bytes, expense_sums, ods, taxed, with_cached_values, xlsx

from cqic_budget import money
from cqic_budget.importing import fast
from cqic_budget.importing.rejected import analysis_rejected_workbook
from cqic_budget.importing.service import analyse_bytes, import_file
from cqic_budget.importing.validate import GST_DIFFERS, QST_DIFFERS

PERIOD = (date(2025, 4, 1), date(2028, 3, 31))
MARCH = date(2026, 3, 31)


@pytest.fixture(autouse=True, params=["general", "fast"])
def reader(request, monkeypatch):
    """Every rule holds on both read paths: cell by cell (calamine), and typed columns (fast.py, used for
    large .xlsx sheets: here for any size)."""
    if request.param == "fast":
        monkeypatch.setattr(fast, "MIN_ROWS", 0)
    else:
        monkeypatch.setattr(fast, "MIN_ROWS", 10**9)
    return request.param


def preview(data: bytes, name: str = "depenses.xlsx"):
    analysis = analyse_bytes(data, file_name=name, period=PERIOD)
    return analysis, analysis.outcome()


def codes(outcome) -> list[tuple[int, str | None, str]]:
    return [(e.row, e.column, e.code) for e in outcome.errors]


# --- header --------------------------------------------------------------------------------------------


def test_header_below_a_merged_title_and_a_blank_row_is_found():
    data = xlsx(
        {
            "Dépenses": [
                ["CQIC — dépenses de mars 2026"],
                [],
                HEADER_FR,
                taxed(MARCH, "Bell", "100.00", "B-1"),
            ]
        },
        merged={"Dépenses": "A1:I1"},
    )
    analysis, outcome = preview(data)
    assert outcome.status == "dry-run" and outcome.header_row == 3 and outcome.rows_imported == 1
    assert analysis.parsed.source_rows == [4]


def test_header_synonyms_ignore_case_accents_spacing_and_units():
    header = [
        "  DATE DE LA DEPENSE ",
        "fournisseur",
        "Libellé",
        "Poste budgétaire",
        "N° de facture",
        "Montant ($)",
        "TPS (5 %)",
        "tvq 9,975 %",
        "Total TTC",
        "Commentaire",
    ]
    analysis, outcome = preview(
        xlsx({"S": [header, taxed(MARCH, "Bell", "100.00", "B-1") + ["extra column"]]})
    )
    assert outcome.rows_imported == 1
    assert set(analysis.parsed.header.columns) == {
        "date",
        "vendor",
        "description",
        "category",
        "invoice",
        "amount",
        "gst",
        "qst",
        "total",
    }


def test_english_headers():
    header = [
        "Invoice date",
        "Supplier",
        "Details",
        "Category",
        "Invoice #",
        "Amount before tax",
        "GST",
        "QST",
        "Total",
    ]
    _, outcome = preview(xlsx({"S": [header, taxed(MARCH, "Bell", "10.00", "B-1")]}))
    assert outcome.rows_imported == 1


def test_expenses_on_the_second_sheet():
    data = xlsx(
        {
            "Instructions": [["Remplir l'onglet Dépenses"], ["Montant", "sans date"]],
            "Dépenses": [
                HEADER_FR,
                taxed(MARCH, "Bell", "100.00", "B-1"),
                taxed(MARCH, "Bell", "5.00", "B-2"),
            ],
        }
    )
    _, outcome = preview(data)
    assert outcome.sheet == "Dépenses" and outcome.rows_imported == 2


def test_header_must_be_within_the_first_20_rows():
    rows = [[f"note {i}"] for i in range(20)] + [HEADER_FR, taxed(MARCH, "Bell", "1.00", "B-1")]
    _, outcome = preview(xlsx({"S": rows}))
    assert outcome.reason == "no-header" and outcome.exit_status == 2
    rows = [[f"note {i}"] for i in range(19)] + [HEADER_FR, taxed(MARCH, "Bell", "1.00", "B-1")]
    assert preview(xlsx({"S": rows}))[1].rows_imported == 1


def test_header_without_data_rows_is_empty():
    _, outcome = preview(xlsx({"S": [HEADER_FR, [], ["", "", ""]]}))
    assert outcome.reason == "empty"


# --- columns and taxes ---------------------------------------------------------------------------------


def test_total_must_equal_amount_plus_taxes():
    good = taxed(MARCH, "Bell", "100.00", "B-1")
    bad = taxed(MARCH, "Bell", "200.00", "B-2")
    bad[8] += 0.01
    _, outcome = preview(xlsx({"S": [HEADER_FR, good, bad]}))
    assert codes(outcome) == [(3, "Total", "total-mismatch")]
    assert outcome.rows_imported == 1 and outcome.rows_rejected == 1


def test_amount_is_derived_from_total_and_taxes():
    header = ["Date", "Fournisseur", "TPS", "TVQ", "Total"]
    analysis, outcome = preview(xlsx({"S": [header, [MARCH, "Bell", 5.0, 9.98, 114.98]]}))
    assert outcome.rows_imported == 1
    assert (analysis.parsed.amounts, analysis.parsed.gsts, analysis.parsed.qsts) == ([10000], [500], [998])


def test_one_amount_column_without_taxes_carries_no_taxes():
    header = ["Date", "Fournisseur", "Description", "Montant"]
    analysis, outcome = preview(xlsx({"S": [header, [MARCH, "CQIC — paie", "Salaires de mars", 7250.0]]}))
    assert outcome.rows_imported == 1
    assert (analysis.parsed.amounts, analysis.parsed.gsts, analysis.parsed.qsts) == ([725000], [0], [0])


def test_a_tax_off_the_rate_by_more_than_a_cent_is_imported_but_flagged():
    row_ok = [MARCH, "A", "", "", "A-1", 100.0, 5.01, 9.98, 114.99]  # GST 1 cent off: fine
    row_gst = [MARCH, "B", "", "", "B-1", 100.0, 5.02, 9.98, 115.0]
    row_qst = [MARCH, "C", "", "", "C-1", 100.0, 5.0, 10.5, 115.5]
    analysis, outcome = preview(xlsx({"S": [HEADER_FR, row_ok, row_gst, row_qst]}))
    assert outcome.rows_imported == 3 and outcome.rows_rejected == 0
    assert analysis.parsed.review == ["", GST_DIFFERS, QST_DIFFERS]
    assert not money.tax_differs(money.from_cents(10000), money.from_cents(501), money.GST_RATE)
    assert money.tax_differs(money.from_cents(10000), money.from_cents(502), money.GST_RATE)


# --- normalisation -------------------------------------------------------------------------------------


def test_french_text_amounts_nbsp_and_parentheses():
    rows = [
        HEADER_FR,
        [MARCH, "A", "", "", "1", "1 234,56 $", "61,73", "123,15", "1 419,44 $"],
        [MARCH, "B", "", "", "2", "1\u00a0234,56\u00a0$", "61,73", "123,15", "1\u202f419,44\u00a0$"],
        [MARCH, "C", "", "", "3", "1,234.56", "61.73", "123.15", "1,419.44"],
        [MARCH, "Avoir D", "note de crédit", "", "4", "(100,00)", "(5,00)", "(9,98)", "(114,98)"],
        [MARCH, "E", "", "", "5", "-12", "", "", "-12,00 $"],
    ]
    analysis, outcome = preview(xlsx({"S": rows}))
    assert outcome.rows_imported == 5, outcome.errors
    assert analysis.parsed.amounts == [123456, 123456, 123456, -10000, -1200]
    assert analysis.parsed.gsts == [6173, 6173, 6173, -500, 0]


def test_dates_excel_iso_day_first_and_serials():
    header = ["Date", "Fournisseur", "No facture", "Montant"]
    rows = [
        header,
        [date(2026, 3, 31), "A", "1", 1.0],
        ["2026-03-31", "B", "2", 1.0],
        ["31/03/2026", "C", "3", 1.0],
        [46112, "D", "4", 1.0],
        ["01/04/2026", "E", "5", 1.0],
    ]
    analysis, outcome = preview(xlsx({"S": rows}))
    assert outcome.rows_imported == 5
    assert analysis.parsed.dates == [MARCH] * 4 + [date(2026, 4, 1)]  # day first: 1 April, not 4 January


def test_1904_workbook_dates_and_serials():
    header = ["Date", "Fournisseur", "No facture", "Montant"]
    # 2026-03-31 is serial 46112 in the 1900 system and 44650 in the 1904 system.
    data = xlsx({"S": [header, [MARCH, "A", "1", 1.0], [44650, "B", "2", 1.0]]}, epoch1904=True)
    analysis, outcome = preview(data)
    assert outcome.rows_imported == 2
    assert analysis.parsed.dates == [MARCH, MARCH]


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers():
    rows = [HEADER_FR, taxed(MARCH, "A", "1.00", "1"), [], [None, "  ", ""], taxed(MARCH, "B", "2.00", "2")]
    analysis, outcome = preview(xlsx({"S": rows}))
    assert outcome.rows_read == 2 and analysis.parsed.source_rows == [2, 5]


def test_totals_row_is_skipped_and_reconciled():
    rows = [
        HEADER_FR,
        taxed(MARCH, "A", "100.00", "1"),
        taxed(MARCH, "B", "50.00", "2"),
        [],
        ["Grand total", None, None, None, None, 150.0, 7.5, 14.97, 172.47],
    ]  # 100 + 50, taxes of each
    _, outcome = preview(xlsx({"S": rows}))
    assert outcome.rows_read == 2 and outcome.errors == []
    rows[-1] = ["Sous-total", None, None, None, None, 150.0, 7.5, 14.97, 999.0]
    _, outcome = preview(xlsx({"S": rows}))
    assert outcome.rows_read == 2 and outcome.rows_imported == 2 and outcome.rows_rejected == 0
    assert codes(outcome) == [(5, "Total", "total-mismatch")]
    assert "999,00" in _message(outcome) and "172,47" in _message(outcome)
    # The warning keeps the row as read, for the batch and the rejected-rows workbook.
    analysis, _ = preview(xlsx({"S": rows}))
    assert analysis.parsed.values(5)["Total"] == 999.0
    assert analysis_rejected_workbook(analysis)


def _message(outcome) -> str:
    from cqic_budget.importing.service import error_message

    return " ".join(error_message(e, "fr") for e in outcome.errors)


# --- validation codes ------------------------------------------------------------------------------------


def test_each_row_code_with_its_row_and_column():
    long_text = "x" * 501
    rows = [
        ["Dépenses — mars"],
        HEADER_FR,
        taxed(MARCH, "ok", "10.00", "1"),
        ["32/03/2026"] + taxed(MARCH, "A", "10.00", "2")[1:],
        taxed(MARCH, "B", "10.00", "3")[:5] + ["douze", 0.5, 1.0, 11.5],
        taxed(date(2024, 3, 1), "C", "10.00", "4"),
        taxed(MARCH, "D", "10.00", "5")[:8] + [99.0],
        taxed(MARCH, "E", "10.00", "6", description=long_text),
        [None] + taxed(MARCH, "F", "10.00", "7")[1:],
    ]
    _, outcome = preview(xlsx({"S": rows}))
    assert codes(outcome) == [
        (4, "Date", "invalid-date"),
        (5, "Montant avant taxes", "invalid-amount"),
        (6, "Date", "out-of-period"),
        (7, "Total", "total-mismatch"),
        (8, "Description", "field-too-long"),
        (9, "Date", "invalid-date"),
    ]
    assert outcome.rows_read == 7 and outcome.rows_imported == 1 and outcome.rows_rejected == 6
    assert "A4" in outcome.errors[0].params["cell"]


def test_formula_without_saved_value_is_rejected_and_with_value_imported():
    rows = [
        HEADER_FR,
        taxed(MARCH, "A", "100.00", "1")[:8] + ["=F2+G2+H2"],
        taxed(MARCH, "B", "200.00", "2")[:8] + ["=F3+G3+H3"],
    ]
    data = xlsx({"S": rows})
    _, outcome = preview(data)
    assert codes(outcome) == [(2, "Total", "formula-no-value"), (3, "Total", "formula-no-value")]
    saved = with_cached_values(data, {"I2": "114.98"})
    analysis, outcome = preview(saved)
    assert codes(outcome) == [(3, "Total", "formula-no-value")]
    assert analysis.parsed.amounts == [10000]


# --- formats -----------------------------------------------------------------------------------------------


def test_csv_windows_1252_with_semicolons():
    lines = [
        "Dépenses du CQIC — mars 2026",
        "Date;Fournisseur;Détail;Catégorie;N° facture;Montant;TPS;TVQ;Total",
        "31/03/2026;Hôtel Château Laval;Séjour à Québec;Déplacements et missions;H-1;1 234,56 $;61,73;123,15;"
        "1 419,44 $",
        "15/03/2026;Café Crème;Réunion;;C-2;12,00;0,60;1,20;13,80",
        ";;;;;;;;",
        "Total;;;;;1 246,56;62,33;124,35;1 433,24",
    ]
    analysis, outcome = preview(csv_bytes(lines, "cp1252"), "depenses.csv")
    assert outcome.rows_imported == 2 and outcome.errors == [], outcome.errors
    assert analysis.parsed.vendors == ["Hôtel Château Laval", "Café Crème"]
    assert sum(analysis.parsed.amounts) == 124656


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_unicode_with_commas(encoding):
    lines = [
        "Date,Vendor,Invoice,Amount,GST,QST,Total",
        '2026-03-31,Café Montréal,A-1,"1,234.56",61.73,123.15,"1,419.44"',
    ]
    analysis, outcome = preview(csv_bytes(lines, encoding), "x.csv")
    assert outcome.rows_imported == 1 and analysis.parsed.vendors == ["Café Montréal"]


def test_ods_is_read():
    rows = [
        ["Dépenses"],
        HEADER_FR,
        taxed(MARCH, "Bell", "100.00", "B-1"),
        taxed(MARCH, "Bell", "20.00", "B-2"),
    ]
    analysis, outcome = preview(ods(rows), "depenses.ods")
    assert outcome.rows_imported == 2 and sum(analysis.parsed.amounts) == 12000


def test_format_is_recognised_by_content_not_name():
    data = xlsx({"S": [HEADER_FR, taxed(MARCH, "Bell", "100.00", "B-1")]})
    assert preview(data, "releve.csv")[1].rows_imported == 1
    assert preview(b"%PDF-1.7 not a sheet\x00\x01", "depenses.xlsx")[1].reason == "not-spreadsheet"


# --- categories and commit (SQLite and PostgreSQL) ------------------------------------------------------


def test_import_commits_expenses_with_eligible_cost_and_categories(engine):
    rows = [
        HEADER_FR,
        taxed(MARCH, "Lavery", "2750.00", "L-1", category="Honoraires professionnels"),
        taxed(MARCH, "Bell", "189.95", "B-1", category="Frais divers"),
        taxed(MARCH, "Dell", "1849.00", "D-1", category=None),
        [date(2026, 3, 30), "CQIC — paie", "Salaires", "salaries", "P-1", 7250.0, 0, 0, 7250.0],
    ]
    outcome = import_file(engine, xlsx({"S": rows}), file_name="mars.xlsx")
    assert (outcome.status, outcome.rows_imported, outcome.exit_status) == ("imported", 4, 0)
    count, amount, gst, qst, eligible = expense_sums(engine)
    assert (count, amount) == (4, 275000 + 18995 + 184900 + 725000)
    # eligible = amount + (GST + QST) x (1 - 0.5), rounded half-up per expense
    expected = sum(
        money.eligible_cents(a, g, q, money.Decimal("0.5"))
        for a, g, q in [(275000, 13750, 27431), (18995, 950, 1895), (184900, 9245, 18444), (725000, 0, 0)]
    )
    assert eligible == expected
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT e.vendor, c.code, e.needs_review, e.review_reason, e.source_row FROM expense e "
                "JOIN category c ON c.id = e.category_id ORDER BY e.source_row"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("Lavery", "professional_fees", False, "", 2),
        ("Bell", "unclassified", True, "unknown-category:frais divers", 3),
        ("Dell", "unclassified", True, "missing-category", 4),
        ("CQIC — paie", "salaries", False, "", 5),
    ]
