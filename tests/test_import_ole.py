"""Legacy .xls files are OLE2 containers, read by olefile (importing.sniff.Compound): a damaged or hostile
container is refused as corrupt, quickly, and never read beyond the file's own sectors."""

from __future__ import annotations

import struct
import time
from datetime import date
from pathlib import Path

import pytest

from cqic_budget.importing.service import analyse_bytes
from cqic_budget.importing.sniff import XLS, open_compound, sniff

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "peer-excel" / "poi"
SAMPLE = SAMPLE / "DateFormats.xls"
PERIOD = (date(2000, 1, 1), date(2030, 12, 31))

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason=f"no {SAMPLE} (../shared beside the clone)")


def refusal(data: bytes) -> str | None:
    started = time.monotonic()
    analysis = analyse_bytes(data, file_name="x.xls", period=PERIOD)
    assert time.monotonic() - started < 10
    return analysis.refusal.code if analysis.refusal else None


def workbook_entry(data: bytes) -> int:
    """The offset of the Workbook stream's directory entry (version 3 file: 512-byte sectors)."""
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    start = 512 + first_dir * 512
    for offset in range(start, start + 512, 128):
        if data[offset : offset + 16] == "Workbook".encode("utf-16-le"):
            return offset
    raise AssertionError("no Workbook entry in the first directory sector")


def test_a_sound_xls_is_read_through_olefile():
    data = SAMPLE.read_bytes()
    assert sniff(data).kind == XLS
    container = open_compound(data)
    name = container.find("WORKBOOK", "Book")
    assert name == "Workbook"
    stream = container.read(name)
    assert struct.unpack_from("<H", stream, 0)[0] == 0x0809  # the BIFF8 BOF record comes first
    with pytest.raises(KeyError):
        container.read("NoSuchStream")


def test_a_stream_declaring_more_than_the_file_holds_is_corrupt():
    data = bytearray(SAMPLE.read_bytes())
    entry = workbook_entry(bytes(data))
    struct.pack_into("<I", data, entry + 120, 0x7FFFFFF0)  # the stream's size
    assert refusal(bytes(data)) == "corrupt"


def test_a_stream_whose_chain_loops_or_is_cut_is_corrupt():
    data = bytearray(SAMPLE.read_bytes())
    entry = workbook_entry(bytes(data))
    first = struct.unpack_from("<I", data, entry + 116)[0]
    fat_sector = struct.unpack_from("<I", data, 0x4C)[0]
    struct.pack_into("<I", data, 512 + fat_sector * 512 + 4 * first, first)  # the chain loops on itself
    assert refusal(bytes(data)) == "corrupt"
    cut = SAMPLE.read_bytes()
    assert refusal(cut[: len(cut) * 3 // 5]) == "corrupt"
