"""Hostile files: zip bombs, huge used ranges, entity declarations, encryption, truncation, renamed files.
Refused with their code, in bounded time, nothing written and no file created outside the store."""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
import zlib
from datetime import date

import pytest
from import_helpers import HEADER_FR, rewrite_part, store_counts, taxed, xlsx
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from cqic_budget.importing import service
from cqic_budget.importing.refusal import Limits
from cqic_budget.importing.safety import _col_letters, _col_number
from cqic_budget.importing.service import analyse_bytes

PERIOD = (date(2025, 4, 1), date(2028, 3, 31))
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def refusal(data: bytes, limits: Limits | None = None) -> str | None:
    started = time.monotonic()
    analysis = analyse_bytes(
        data, file_name="x.xlsx", period=PERIOD, **({"limits": limits} if limits else {})
    )
    assert time.monotonic() - started < 10
    return analysis.refusal.code if analysis.refusal else None


def zip_with(parts: dict[str, bytes], *, big: tuple[str, int] | None = None) -> bytes:
    """A zip; `big` adds an entry of that many zero bytes, compressed as a stream (a zip bomb)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        if big:
            name, size = big
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as entry:
                block = bytes(1024 * 1024)
                for _ in range(size // len(block)):
                    entry.write(block)
    return out.getvalue()


def test_zip_bomb_is_too_large():
    bomb = zip_with(
        {"[Content_Types].xml": CONTENT_TYPES}, big=("xl/worksheets/sheet1.xml", 512 * 1024 * 1024)
    )
    assert len(bomb) < 2 * 1024 * 1024
    assert refusal(bomb) == "too-large"


def test_zip_bomb_lying_about_its_size_is_stopped_while_decompressing():
    payload = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = payload.compress(bytes(64 * 1024 * 1024)) + payload.flush()
    bomb = bytearray(zip_with({"[Content_Types].xml": CONTENT_TYPES, "xl/worksheets/sheet1.xml": b"<x/>"}))
    # Swap the small entry's deflated bytes for the 64 MB stream, headers unchanged (they claim 4 bytes).
    small = zlib.compressobj(6, zlib.DEFLATED, -15)
    small_body = small.compress(b"<x/>") + small.flush()
    index = bytes(bomb).rfind(small_body)
    assert index > 0
    forged = bytes(bomb[:index]) + body + bytes(bomb[index + len(small_body) :])
    assert refusal(
        forged, Limits(max_decompressed_bytes=8 * 1024 * 1024, max_part_bytes=8 * 1024 * 1024)
    ) in ("too-large", "corrupt")


def test_highly_compressed_part_is_too_large():
    data = zip_with(
        {"[Content_Types].xml": CONTENT_TYPES}, big=("xl/worksheets/sheet1.xml", 200 * 1024 * 1024)
    )
    assert refusal(data) == "too-large"


def test_sparse_sheet_whose_used_range_is_huge_is_refused_before_reading():
    # Two cells, A1 and XFD1048576: the reader would allocate 17 billion cells (and abort the process).
    data = xlsx({"S": [HEADER_FR, taxed(date(2026, 3, 31), "Bell", "1.00", "B-1")]})
    far = rewrite_part(
        data,
        "xl/worksheets/sheet1.xml",
        lambda c: c.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
        ),
    )
    assert refusal(far) == "too-large"
    # Cells out of order, beyond the last <row> tag, are caught too.
    hidden = rewrite_part(
        data,
        "xl/worksheets/sheet1.xml",
        lambda c: c.replace(b'<c r="A2"', b'<c r="ZZ900000" t="n"><v>1</v></c><c r="A2"'),
    )
    assert refusal(hidden) == "too-large"


@pytest.mark.parametrize(
    "declaration",
    [
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>',
        '<!DOCTYPE x SYSTEM "http://example.com/x.dtd">'.encode("utf-16-le"),
    ],
)
def test_dtd_and_entities_are_unsafe(declaration):
    data = xlsx({"S": [HEADER_FR, taxed(date(2026, 3, 31), "Bell", "1.00", "B-1")]})
    assert refusal(rewrite_part(data, "xl/workbook.xml", lambda c: declaration + c)) == "unsafe"


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + bytes(21 * 1024 * 1024))
    analysis = service.analyse_bytes(big.read_bytes(), file_name="big.xlsx", period=PERIOD)
    assert analysis.refusal.code == "too-large"
    with pytest.raises(service.Refused) as caught:
        service.read_source(big, service.DEFAULT_LIMITS)
    assert caught.value.code == "too-large"


def test_truncated_and_renamed_files():
    data = xlsx({"S": [HEADER_FR, taxed(date(2026, 3, 31), "Bell", "1.00", "B-1")]})
    assert refusal(data[: len(data) // 2]) == "corrupt"
    assert refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)) == "corrupt"
    assert refusal(b"GIF89a" + bytes(50)) == "not-spreadsheet"
    assert refusal(bytes(range(256)) * 20) == "not-spreadsheet"


def test_hostile_imports_write_nothing_and_leave_no_temp_files(engine, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))
    before = store_counts(engine)
    bomb = zip_with(
        {"[Content_Types].xml": CONTENT_TYPES}, big=("xl/worksheets/sheet1.xml", 400 * 1024 * 1024)
    )
    for data in (bomb, b"<!DOCTYPE html><html></html>", b"PK\x03\x04garbage"):
        outcome = service.import_file(engine, data, file_name="x.xlsx")
        assert outcome.exit_status == 2
    good = xlsx({"S": [HEADER_FR, taxed(date(2026, 3, 31), "Bell", "1.00", "B-1")]})
    assert service.import_file(engine, good, file_name="ok.xlsx").exit_status == 0
    assert store_counts(engine)["importbatch"] == before["importbatch"] + 1
    assert list(scratch.iterdir()) == []


def test_a_long_shared_string_referenced_by_many_cells_is_too_large():
    # 6 000 cells pointing at one 60 000-character shared string: 360 MB of text once the reader copies it.
    base = xlsx({"S": [HEADER_FR]})
    cells = b"".join(b'<row r="%d"><c r="C%d" t="s"><v>0</v></c></row>' % (i, i) for i in range(2, 6002))
    sheet = rewrite_part(
        base,
        "xl/worksheets/sheet1.xml",
        lambda c: c.replace(b"</row></sheetData>", b"</row>" + cells + b"</sheetData>"),
    )
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>' + b"x" * 60_000
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in zipfile.ZipFile(io.BytesIO(sheet)).infolist():
            archive.writestr(info.filename, zipfile.ZipFile(io.BytesIO(sheet)).read(info))
        archive.writestr("xl/sharedStrings.xml", strings + b"</t></si></sst>")
    assert refusal(out.getvalue()) == "too-large"


def test_scan_column_helpers_agree_with_openpyxl_and_go_past_zzz():
    """fast.py and validate.py use openpyxl's helpers; the scan keeps its own because a hostile reference
    may name a column past ZZZ (18 278), where openpyxl raises: the scan must count it, then refuse."""
    for number in range(1, 18_279):
        letters = get_column_letter(number)
        assert _col_letters(number) == letters and _col_number(letters) == column_index_from_string(letters)
    # ZZZZ = 26 * (26**3 + 26**2 + 26 + 1) = 26 * 18 279 = 475 254
    assert _col_number("ZZZZ") == 475_254 and _col_letters(475_254) == "ZZZZ"
    with pytest.raises(ValueError):
        column_index_from_string("ZZZZ")
