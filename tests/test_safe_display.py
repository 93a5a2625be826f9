"""Exports and screens never carry a live formula or active Markdown (SPEC §7): a file or sheet name on the
Upload page is shown as written (no link, no remote image, no colour or LaTeX), the tables Streamlit lets a
reader download as CSV hold no cell a spreadsheet would run, and the rows-to-fix workbook writes the sheet's
own header labels as text."""

from __future__ import annotations

import io
import re
from datetime import date

import app_tools
import pandas as pd
import pytest
from import_helpers import HEADER_FR, taxed
from openpyxl import Workbook, load_workbook

from cqic_budget.importing import service
from cqic_budget.importing.rejected import analysis_rejected_workbook
from cqic_budget.safe_text import FORMULA_STARTS
from cqic_budget.views import safe
from cqic_budget.views.tables import make_table, status_cell, table_html

pytestmark = pytest.mark.usefixtures("fresh_caches")

HOSTILE_FILE = "[clic](https://evil.example/x) ![img](https://evil.example/p.png) :red[rouge] $x^2$ <b>.xlsx"
HOSTILE_SHEET = "www.evil.example $x$ _a_"  # Excel forbids [ ] : * ? / \ in a sheet's name
FORMULAS = ('=HYPERLINK("https://evil.example","clic")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+cmd")
# Markdown's active characters, which a user's text may only hold escaped (« \[ »).
ACTIVE = "[]()!:$<>*_`~#|@"


def unescaped(text: str) -> list[str]:
    """The active Markdown characters of `text` not escaped by a backslash."""
    return [m.group(1) for m in re.finditer(r"(?<!\\)([" + re.escape(ACTIVE) + r"])", text)]


def test_md_escapes_every_active_character():
    escaped = safe.md(HOSTILE_FILE)
    assert unescaped(escaped) == []
    assert "www\\.evil" in safe.md(HOSTILE_SHEET)  # no autolink either
    assert safe.md("a\nb") == "a b"
    assert safe.md("- x") == "\\- x" and safe.md("1. x") == "1\\. x" and safe.md("a-b.c") == "a-b.c"
    # The escapes are CommonMark's: removing the backslashes gives the text back.
    assert re.sub(r"\\(.)", r"\1", escaped) == HOSTILE_FILE


def test_a_table_shows_user_text_as_written_and_reads_as_a_table():
    """views.tables.table_html: a cell or a header holding HTML is shown as text (nothing of it is markup),
    column headers are scoped, figures right-aligned, a status in its colour; a scrolling table is a named
    region the keyboard reaches."""
    hostile = '<img src=x onerror="alert(1)"> & <b>gras</b>'
    rows = [{"Fournisseur": hostile, "Montant": "12,00 $", "État": status_cell("breach", "non")},
            {"Fournisseur": None, "Montant": "3,00 $", "État": status_cell("ok", "oui")}]
    content = make_table(rows, ["Fournisseur", "Montant", "État"], right=["Montant"], status=["État"])
    html = table_html(content)
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=\"alert(1)\"&gt; &amp; &lt;b&gt;gras&lt;/b&gt;" in html
    assert '<th scope="col" class="r">Montant</th>' in html
    assert '<td class="r">12,00 $</td>' in html
    assert '<td style="color: #b91c1c">✗ non</td>' in html and '<td style="color: #15803d">✓ oui</td>' in html
    assert "<td></td>" in html and "None" not in html
    scrolling = table_html(content, label='Dépenses "détail"', max_height=420)
    assert 'role="region" aria-label="Dépenses &quot;détail&quot;" tabindex="0"' in scrolling
    assert "max-height: 420px" in scrolling


def test_tables_neutralise_formulas_for_the_download_button():
    frame = pd.DataFrame({"=B1": [*FORMULAS, "-12.50"], "n": [1, 2, 3, 4, 5]})
    shown = safe.table_data(frame)
    assert list(shown.columns) == ["'=B1", "n"]
    assert list(shown["'=B1"]) == [f"'{f}" for f in FORMULAS] + ["-12.50"]
    assert list(shown["n"]) == [1, 2, 3, 4, 5]
    # The app's own figures are left alone: a formatted credit note is not a formula.
    money = pd.DataFrame({"x": ["-1\u00a0234,56\u00a0$", "-$1,234.56", "+12,5\u00a0%"]})
    assert list(safe.table_data(money)["x"]) == list(money["x"])
    rows = safe.table_data([{"=a": "=b"}])
    assert rows == [{"'=a": "'=b"}]


def hostile_workbook() -> bytes:
    """Text cells that read as formulas (stored as text, the way a CSV or a pasted value brings them), under
    a header with a formula-like label of its own, on a sheet with a hostile name; one row rejected."""
    # In November 2026: an open month (the demo closes 2025-2026).
    rows = [taxed(date(2026, 11, 2 + i), vendor, "100.00", f"F-{i}", description=vendor)
            for i, vendor in enumerate(FORMULAS)]
    bad = [date(2026, 11, 20), "=1+1", "x", "Honoraires professionnels", "F-9", "pas un montant",
           None, None, None]
    book = Workbook()
    sheet = book.active
    sheet.title = HOSTILE_SHEET
    for row in [[*HEADER_FR, '=HYPERLINK("https://evil.example","en-tête")'], *[[*r, "=2+2"] for r in rows],
                [*bad, "=3+3"]]:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_upload_page_shows_file_and_sheet_names_as_written_and_tables_without_formulas(demo_store):
    at = app_tools.open_upload()
    app_tools.drop(at, hostile_workbook(), HOSTILE_FILE)
    shown = [e.value for e in (*at.subheader, *at.caption, *at.markdown, *at.success, *at.error, *at.warning)]
    quoting = [text for text in shown if "evil" in text]
    assert len(quoting) >= 2  # the preview's title (file name) and its sheet line
    assert [text for text in quoting if unescaped(text)] == []
    for text in quoting:
        assert "https://evil" not in text and "www.evil" not in text
    cells = [str(v) for table in at.dataframe
             for v in [*table.value.columns, *table.value.to_numpy().ravel()]]
    live = [c for c in cells if c.startswith(FORMULA_STARTS) and not re.fullmatch(r"[+-]?[\d.,]+", c)]
    assert live == []
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_rows_to_fix_workbook_writes_header_labels_and_cells_as_text(engine):
    analysis = service.analyse(engine, hostile_workbook(), file_name="x.xlsx")
    book = load_workbook(io.BytesIO(analysis_rejected_workbook(analysis)))
    sheet = book.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert formulas == []
    assert any(c.value.startswith("=HYPERLINK") for c in cells)  # kept as written, as text, to fix
