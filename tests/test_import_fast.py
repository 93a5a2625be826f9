"""The typed fast reader (fast.py) reads exactly as the general path (calamine, cell by cell): both ways on
awkward sheets and on every .xlsx/.xlsm fixture, same outcome, same rows, same reasons, same cells kept."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import date, datetime

import pytest
from conftest import PEER_EXCEL, peer_files, require_peer_excel
from import_helpers import HEADER_FR, taxed, with_cached_values, xlsx

from cqic_budget import money
from cqic_budget.importing import fast, service
from cqic_budget.importing.service import analyse_bytes, outcome_as_json
from cqic_budget.importing.validate import _review
from cqic_budget.money import GST_RATE, QST_RATE

PERIOD = (date(2025, 4, 1), date(2028, 3, 31))
MARCH = date(2026, 3, 31)


def both_ways(monkeypatch, data: bytes, name: str = "depenses.xlsx"):
    """(fast analysis, whether fast.py read it, general analysis)."""
    used: list[bool] = []
    real = fast.fast_header

    def spy(*args, **kwargs):
        header = real(*args, **kwargs)
        used.append(header is not None)
        return header

    monkeypatch.setattr(service, "fast_header", spy)
    monkeypatch.setattr(fast, "MIN_ROWS", 0)
    quick = analyse_bytes(data, file_name=name, period=PERIOD)
    monkeypatch.setattr(fast, "MIN_ROWS", 10**9)
    general = analyse_bytes(data, file_name=name, period=PERIOD)
    return quick, bool(used and used[0]), general


def picture(analysis) -> dict:
    """Everything an import shows or writes, from an analysis."""
    outcome = analysis.outcome()
    shown = {**outcome_as_json(outcome), "sheet": outcome.sheet, "header_row": outcome.header_row}
    parsed = analysis.parsed
    if parsed is None:
        return shown
    for name in ("source_rows", "dates", "vendors", "descriptions", "invoices", "categories"):
        shown[name] = getattr(parsed, name)
    for name in ("amounts", "gsts", "qsts", "review"):
        shown[name] = getattr(parsed, name)
    shown["params"] = [e.params for e in analysis.errors()]
    shown["values"] = {e.row: parsed.values(e.row) for e in analysis.errors()}
    shown["labels"] = parsed.header.labels
    return shown


def same(monkeypatch, data: bytes, *, fast_path: bool | None = True):
    quick, used, general = both_ways(monkeypatch, data)
    if fast_path is not None:
        assert used is fast_path
    assert picture(quick) == picture(general)
    return quick


def rows(count: int = 30) -> list[list]:
    return [
        taxed(date(2025, 4, 1 + i % 28), f"Fournisseur {i}", f"{10 + i}.25", f"F-{i}") for i in range(count)
    ]


def test_plain_sheet_below_a_title_and_a_blank_row(monkeypatch):
    data = xlsx(
        {"Dépenses": [["Dépenses du programme"], [], HEADER_FR, *rows()]}, merged={"Dépenses": "A1:I1"}
    )
    analysis = same(monkeypatch, data)
    assert analysis.outcome().rows_imported == 30


def test_rejected_rows_totals_blank_rows_and_odd_text(monkeypatch):
    body = rows(12)
    body[1][0] = date(2024, 1, 1)  # out of period
    body[2][5] = None  # no amount
    body[3][8] = 999.0  # total-mismatch
    body[4][1] = "  Espacé  "
    body[5][1] = "Hôtel\u00a0Laval"  # no-break space: cleaned cell by cell
    body[6][2] = "x" * 600  # field-too-long
    body[7][5], body[7][6], body[7][7], body[7][8] = -100.0, -5.0, -9.98, -114.98  # credit note
    body[8][5], body[8][8] = 0.1 + 0.2, 0.3 + 0.05 * 0.3 + 0.09975 * 0.3
    body[9][4] = 12345  # invoice numbers: text and numbers mixed
    body[10][5] = 12.345
    data = xlsx({"S": [HEADER_FR, *body, [], [None, None, "Total", None, None, 1.0, 2.0, 3.0, 6.0]]})
    analysis = same(monkeypatch, data, fast_path=None)
    codes = {e.code for e in analysis.errors()}
    assert {"out-of-period", "invalid-amount", "total-mismatch", "field-too-long"} <= codes


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body[3].__setitem__(5, "1 234,56 $"),  # amounts as text among numbers
        lambda body: body[3].__setitem__(0, "31/03/2026"),  # a date written as text
        lambda body: body[3].__setitem__(0, 46112),  # a serial among dates
        lambda body: body[3].__setitem__(1, True),  # a boolean vendor
        lambda body: body[3].__setitem__(4, datetime(2026, 3, 31, 8, 30)),  # a date as invoice number
        lambda body: body[3].__setitem__(4, 1e-7),  # a number Rust and Python write differently
        lambda body: body.append(["Total", None, None, None, None, 1.0, 2.0, 3.0, 6.0]),  # label in dates
    ],
)
def test_mixed_columns_read_the_same_whichever_path_reads_them(monkeypatch, change):
    body = rows(8)
    change(body)
    same(monkeypatch, xlsx({"S": [HEADER_FR, *body]}), fast_path=None)


def test_dates_with_times_1904_and_formulas(monkeypatch):
    body = rows(6)
    body[0][0] = datetime(2026, 3, 31, 23, 59, 59)
    body[1][0] = datetime(2026, 3, 31, 0, 0)
    same(monkeypatch, xlsx({"S": [HEADER_FR, *body]}, epoch1904=True))
    body = rows(4)
    body[1][8] = "=F3+G3+H3"
    body[2][8] = "=F4+G4+H4"
    data = with_cached_values(
        xlsx({"S": [HEADER_FR, *body]}), {"I3": str(body[1][5] + body[1][6] + body[1][7])}
    )
    analysis = same(monkeypatch, data)
    assert "formula-no-value" in {e.code for e in analysis.errors()}


def test_sheet_starting_right_of_column_a_with_blank_headers_and_notes(monkeypatch):
    header = [None, None, "Date", "Fournisseur", None, "No facture", "Montant", "Notes"]
    body = [[None, None, MARCH, f"V{i}", None, f"F{i}", 10.0 + i, "note" if i % 2 else 3] for i in range(10)]
    body.append(["à voir", None, MARCH, "W", None, "G", 5.0, None])  # column A used far below the header
    same(monkeypatch, xlsx({"S": [["Titre"], header, *body]}))
    same(monkeypatch, xlsx({"S": [header, *body[:10]]}))


def test_hidden_first_sheet_and_expenses_on_a_second_sheet(monkeypatch):
    data = xlsx({"Notes": [["rien ici"]], "Dépenses": [HEADER_FR, *rows(5)]})
    same(monkeypatch, data, fast_path=False)  # header not on the first sheet: the general path
    workbook_xml = {"xl/workbook.xml": (b'<sheet name="Notes"', b'<sheet state="hidden" name="Notes"')}
    same(
        monkeypatch,
        _patched(xlsx({"Notes": [HEADER_FR, *rows(3)], "Dépenses": [HEADER_FR, *rows(5)]}), workbook_xml),
        fast_path=True,
    )


def test_shared_strings_escapes_and_rich_text_read_the_same(monkeypatch):
    strings = [
        "Date",
        "Fournisseur",
        "Montant",
        "Caf&#233; &amp; fils",
        '<r><t xml:space="preserve">Bell </t></r><r><rPr><b/></rPr><t xml:space="preserve">Canada</t></r>'
        "<rPh><t>x</t></rPh>",
        "No facture",
    ]
    cells = [
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>5</v></c>'
        '<c r="D1" t="s"><v>2</v></c>'
    ]
    for i in range(2, 12):
        vendor = 3 if i % 2 else 4
        cells.append(
            f'<c r="A{i}" s="1"><v>{46100 + i}</v></c><c r="B{i}" t="s"><v>{vendor}</v></c>'
            f'<c r="C{i}" t="inlineStr"><is><t>F{i}</t></is></c><c r="D{i}"><v>{i}.5</v></c>'
        )
    data = _workbook(strings, cells)
    analysis = same(monkeypatch, data)
    assert analysis.parsed.vendors[:2] == ["Bell Canada", "Café & fils"]


def test_review_reasons_in_numpy_match_the_python_loop(monkeypatch):
    rng = random.Random(7)
    amounts = [rng.randint(-(10**9), 10**9) for _ in range(30_000)]
    gsts = [round(a * 0.05) + rng.choice([0, 0, 0, 1, 2, -3]) if rng.random() > 0.1 else 0 for a in amounts]
    qsts = [
        round(a * 0.09975) + rng.choice([0, 0, 0, 1, 2, -3]) if rng.random() > 0.1 else 0 for a in amounts
    ]
    in_numpy = _review(amounts, gsts, qsts)  # 30 000 rows: money.tax_flags takes numpy
    monkeypatch.setattr(money, "_VECTOR_ROWS", 10**9)
    assert _review(amounts, gsts, qsts) == in_numpy  # the Python loop
    assert sum(map(bool, in_numpy)) > 1000 and QST_RATE and GST_RATE


def test_a_large_sheet_takes_the_fast_path_by_default(monkeypatch):
    data = xlsx({"S": [["Titre"], HEADER_FR, *rows(fast.MIN_ROWS + 10)]})
    used: list[bool] = []
    real = fast.fast_header
    monkeypatch.setattr(
        service, "fast_header", lambda *a, **k: used.append(real(*a, **k) is not None) or real(*a, **k)
    )
    analysis = analyse_bytes(data, file_name="grand.xlsx", period=PERIOD)
    assert used == [True] and analysis.outcome().rows_imported == fast.MIN_ROWS + 10


XLSX_FIXTURES = peer_files(".xlsx", ".xlsm")


@pytest.mark.parametrize("path", XLSX_FIXTURES, ids=lambda p: str(p.relative_to(PEER_EXCEL)))
def test_every_xlsx_fixture_reads_the_same_both_ways(monkeypatch, path):
    require_peer_excel()
    same(monkeypatch, path.read_bytes(), fast_path=None)


# --- hand-written workbooks ------------------------------------------------------------------------


def _patched(data: bytes, changes: dict[str, tuple[bytes, bytes]]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in changes:
                old, new = changes[info.filename]
                assert old in content
                content = content.replace(old, new)
            target.writestr(info.filename, content)
    return out.getvalue()


def _workbook(strings: list[str], cells: list[str]) -> bytes:
    """A one-sheet .xlsx with shared strings (openpyxl writes inline strings): column A formatted as dates."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" '
            f'Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}"><numFmts count="1"><numFmt '
            'numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font/></fonts><fills '
            'count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
            '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
            "</cellXfs></styleSheet>"
        ),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">'
            + "".join(f"<si>{s}</si>" if s.startswith("<r>") else f"<si><t>{s}</t></si>" for s in strings)
            + "</sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
            + "".join(f'<row r="{i + 1}">{row}</row>' for i, row in enumerate(cells))
            + "</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return out.getvalue()
