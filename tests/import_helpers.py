"""Builders for the import tests: French workbooks (openpyxl), ODS and CSV files written by hand."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HEADER_FR = [
    "Date",
    "Fournisseur",
    "Description",
    "Catégorie",
    "No facture",
    "Montant avant taxes",
    "TPS",
    "TVQ",
    "Total",
]


def taxed(
    day: date,
    vendor: str,
    amount: str,
    invoice: str,
    category: str = "Honoraires professionnels",
    description: str = "Service",
) -> list:
    """A row with GST 5 % and QST 9.975 % computed, amounts as numbers."""
    before = Decimal(amount)
    gst = (before * Decimal("0.05")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    qst = (before * Decimal("0.09975")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return [
        day,
        vendor,
        description,
        category,
        invoice,
        float(before),
        float(gst),
        float(qst),
        float(before + gst + qst),
    ]


def xlsx(
    sheets: dict[str, list[list]], *, merged: dict[str, str] | None = None, epoch1904: bool = False
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    if epoch1904:
        workbook.epoch = CALENDAR_MAC_1904
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet["A"]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
        if merged and name in merged:
            sheet.merge_cells(merged[name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """Give formula cells a saved value, as Excel does when it saves (openpyxl writes <v/>)."""

    def change(content: bytes) -> bytes:
        for ref, value in values.items():
            content = re.sub(
                rb'(<c r="' + ref.encode() + rb'"[^>]*><f>[^<]*</f>)<v\s*/>',
                rb"\g<1><v>" + value.encode() + rb"</v>",
                content,
            )
        return content

    return rewrite_part(data, "xl/worksheets/sheet1.xml", change)


def rewrite_part(data: bytes, name: str, change) -> bytes:
    """The same zip with one part's bytes changed by `change(content) -> content`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(
                zipfile.ZipInfo(info.filename, info.date_time),
                change(content) if info.filename == name else content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def ods(rows: list[list]) -> bytes:
    """A one-sheet OpenDocument spreadsheet: str, float and date cells."""
    cells_xml = []
    for row in rows:
        cells = []
        for value in row:
            if value is None or value == "":
                cells.append("<table:table-cell/>")
            elif isinstance(value, date):
                cells.append(
                    f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                    f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
                )
            elif isinstance(value, (int, float)):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
                    "</table:table-cell>"
                )
        cells_xml.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Dépenses">'
        + "".join(cells_xml)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def csv_bytes(lines: list[str], encoding: str = "cp1252") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def store_counts(engine: sa.Engine) -> dict[str, int]:
    """How many rows each table the import writes holds (to prove nothing was written)."""
    with engine.connect() as conn:
        return {
            name: conn.execute(sa.text(f"SELECT COUNT(*) FROM {name}")).scalar_one()
            for name in ("expense", "importbatch", "auditevent", "appstate")
        }


def expense_sums(engine: sa.Engine) -> tuple[int, int, int, int, int]:
    """(count, amount, gst, qst, eligible) in cents over the store."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT COUNT(*), COALESCE(SUM(amount_cents),0), COALESCE(SUM(gst_cents),0), "
                "COALESCE(SUM(qst_cents),0), COALESCE(SUM(eligible_cents),0) FROM expense"
            )
        ).one()
    return tuple(int(v) for v in row)
