"""Every peer-excel fixture is imported or refused with a code: never a traceback, each under 10 s and 512 MB.

A worker process reads each file in a forked child, so that each file's peak memory (the Rust reader's
included, which tracemalloc cannot see) and time are measured on their own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PEER_EXCEL, ROOT, peer_files

from cqic_budget.importing.refusal import REFUSAL_CODES

FILES = peer_files(exclude=(".md",))
WORKER = r"""
import json, os, resource, sys, time, traceback
from datetime import date
from pathlib import Path
from cqic_budget.importing.service import analyse_bytes

for line in sys.stdin:
    path = Path(line.strip())
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        resource.setrlimit(resource.RLIMIT_CPU, (20, 20))
        try:
            outcome = analyse_bytes(path.read_bytes(), file_name=path.name,
                                    period=(date(2025, 4, 1), date(2028, 3, 31))).outcome()
            result = {"status": outcome.status, "reason": outcome.reason, "rows": outcome.rows_imported}
        except BaseException:
            result = {"traceback": traceback.format_exc()}
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    _, status, usage = os.wait4(pid, 0)
    result = json.loads(b"".join(chunks) or b'{"traceback": "child died"}')
    result.update(file=str(path), seconds=time.monotonic() - started, peak_mb=usage.ru_maxrss / 1024,
                  exit=status)
    print(json.dumps(result), flush=True)
"""

EXPECTED = {
    "poi/poc-xmlbomb.xlsx": "unsafe",
    "poi/poc-xmlbomb-empty.xlsx": "unsafe",
    "poi/xxe_in_schema.xlsx": "unsafe",
    "poi/poc-shared-strings.xlsx": "too-large",
    "calamine/issue_594_dos.ods": "too-large",
    "calamine/pass_protected.xlsx": "encrypted",
    "calamine/pass_protected.ods": "encrypted",
    "python-calamine/password.xlsx": "encrypted",
    "python-calamine/password.xls": "encrypted",
    "poi/password.xls": "encrypted",
    "poi/xor-encryption-abc.xls": "encrypted",
    "poi/protected_passtika.xlsx": "encrypted",
    "poi/extenxls_pwd123.xlsx": "encrypted",
    "excelize/encryptAES.xlsx": "encrypted",
    "excelize/encryptSHA1.xlsx": "encrypted",
    "messytables/encrypted_no_password.xls": "encrypted",
    "poi/xlsx-corrupted.xlsx": ("corrupt",),
    "poi/invalid.xlsx": ("corrupt", "not-spreadsheet"),
    "poi/clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5636439151607808.xlsx": ("corrupt", "not-spreadsheet"),
    "poi/duplicate-filename.xlsx": ("corrupt",),
    "openpyxl/null_archive.xlsx": ("corrupt", "not-spreadsheet"),
    "python-calamine/empty_file.xlsx": "empty",
    "python-calamine/empty_file.ods": "empty",
    "poi/testEXCEL_3.xls": "not-spreadsheet",
    "xlrd/biff4_no_format_no_window2.xls": "not-spreadsheet",
}


@pytest.fixture(autouse=True, scope="module")
def _corpus(peer_excel):
    """Every test here reads the corpus: skipped with the reason (failed under CI=true) without it."""


@pytest.fixture(scope="module")
def results(peer_excel) -> dict[str, dict]:
    listing = "".join(f"{p}\n" for p in FILES)
    done = subprocess.run(
        [sys.executable, "-c", WORKER], input=listing, capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert done.returncode == 0, done.stderr
    found = {}
    for line in done.stdout.splitlines():
        result = json.loads(line)
        found[str(Path(result["file"]).relative_to(PEER_EXCEL))] = result
    return found


def test_the_folder_holds_the_documented_fixtures():
    assert len(FILES) >= 140


@pytest.mark.parametrize("name", [str(p.relative_to(PEER_EXCEL)) for p in FILES])
def test_fixture_is_imported_or_refused_with_a_code(results, name):
    result = results[name]
    assert "traceback" not in result, result.get("traceback")
    assert result["exit"] == 0
    assert result["status"] in ("dry-run", "rejected"), result
    if result["status"] == "rejected" and result["rows"] == 0 and result["reason"] is not None:
        assert result["reason"] in REFUSAL_CODES
    assert result["seconds"] < 10, result
    assert result["peak_mb"] < 512, result
    expected = EXPECTED.get(name)
    if expected is not None:
        assert result["reason"] in ((expected,) if isinstance(expected, str) else expected), result


@pytest.mark.parametrize("twin_1904, twin_1900, expected", [
    ("openpyxl/date_1904.xlsx", "openpyxl/date_1900.xlsx", "2011-10-31"),
    ("poi/1904DateWindowing.xls", "poi/1900DateWindowing.xls", "2000-01-01"),
    ("calamine/date_1904.xlsx", "calamine/date.xlsx", "2021-01-01"),
    ("calamine/date_1904.xls", "calamine/date.xlsx", "2021-01-01"),
])
def test_1904_workbooks_read_the_same_dates_as_their_1900_twins(twin_1904, twin_1900, expected):
    """The reader applies the 1904 system to date cells; the safety scan reports it for bare serials."""
    from cqic_budget.importing.reader import read_sheets
    from cqic_budget.importing.refusal import DEFAULT_LIMITS
    from cqic_budget.importing.safety import check
    from cqic_budget.importing.sniff import sniff

    firsts = []
    for name in (twin_1904, twin_1900):
        data = (PEER_EXCEL / name).read_bytes()
        kind = sniff(data).kind
        assert check(data, kind, DEFAULT_LIMITS).date1904 == (name == twin_1904)
        firsts.append(next(read_sheets(data, kind, DEFAULT_LIMITS)).rows[0][0])
    assert firsts[0] == firsts[1] and firsts[0].isoformat() == expected


def test_exceljs_1904_serial_zero():
    # B4 holds serial 0, 1904-01-01 in the 1904 system; calamine returns it as a time of day (00:00),
    # which a date column rejects as invalid-date rather than importing a wrong date.
    from cqic_budget.importing.reader import read_sheets
    from cqic_budget.importing.refusal import DEFAULT_LIMITS
    from cqic_budget.importing.safety import check

    data = (PEER_EXCEL / "exceljs/1904.xlsx").read_bytes()
    assert check(data, "xlsx", DEFAULT_LIMITS).date1904
    sheet = next(read_sheets(data, "xlsx", DEFAULT_LIMITS))
    assert str(sheet.rows[-1][-1]) == "00:00:00"
