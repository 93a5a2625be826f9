"""`python -m cqic_budget import-expenses`: the JSON contract of SPEC §6 and the exit statuses."""

from __future__ import annotations

import json
from datetime import date

import pytest
from import_helpers import HEADER_FR, store_counts, taxed, xlsx

from cqic_budget import cli

KEYS = {
    "status",
    "batch_id",
    "file_sha256",
    "rows_read",
    "rows_imported",
    "rows_rejected",
    "rows_duplicate",
    "errors",
    "reason",
}
MARCH = date(2026, 3, 31)


@pytest.fixture
def store(engine, db_url, monkeypatch):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    return engine


def run(capsys, *args) -> tuple[int, dict]:
    status = cli.main(["import-expenses", *map(str, args), "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_json_contract_and_exit_statuses(store, tmp_path, capsys):
    good = tmp_path / "mars.xlsx"
    good.write_bytes(
        xlsx(
            {
                "S": [
                    HEADER_FR,
                    taxed(MARCH, "Bell", "100.00", "B-1"),
                    ["31/13/2026", "X", "", "", "X-1", 1.0, 0, 0, 1.0],
                    taxed(MARCH, "Bell", "100.00", "B-1"),
                ]
            }
        )
    )
    status, out = run(capsys, good, "--dry-run")
    assert status == 0 and set(out) == KEYS
    assert (out["status"], out["batch_id"], out["rows_read"], out["rows_imported"]) == ("dry-run", None, 3, 1)
    status, out = run(capsys, good, "--strict")
    assert (status, out["status"], out["reason"], out["rows_imported"]) == (1, "rejected", "strict", 0)
    status, out = run(capsys, good)
    assert status == 0 and set(out) == KEYS
    assert (
        out["status"],
        out["rows_read"],
        out["rows_imported"],
        out["rows_rejected"],
        out["rows_duplicate"],
    ) == ("imported", 3, 1, 1, 1)
    assert isinstance(out["batch_id"], int) and len(out["file_sha256"]) == 64 and out["reason"] is None
    assert out["errors"] == [
        {
            "row": 3,
            "column": "Date",
            "code": "invalid-date",
            "message": "Date manquante ou illisible « 31/13/2026 » (A3). "
            "Formats acceptés : date Excel, 2026-03-31 "
            "ou 31/03/2026.",
        },
        {
            "row": 4,
            "column": None,
            "code": "duplicate",
            "message": "Même dépense que la ligne 2 de ce fichier "
            "(date, fournisseur, no de facture et total).",
        },
    ]
    status, out = run(capsys, good)
    assert (status, out["status"], out["reason"]) == (2, "duplicate-file", "duplicate-file")


def test_refused_file_exits_2_with_its_code(store, tmp_path, capsys):
    bad = tmp_path / "depenses.xlsx"
    bad.write_bytes(b"Ceci n'est pas un classeur, seulement du texte.\n")
    before = store_counts(store)
    status, out = run(capsys, bad)
    assert (status, out["status"], out["reason"], out["rows_read"]) == (2, "rejected", "no-header", 0)
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    status, out = run(capsys, bad)
    assert (status, out["reason"]) == (2, "not-spreadsheet")
    status, out = run(capsys, tmp_path / "missing.xlsx")
    assert (status, out["reason"]) == (2, "not-spreadsheet")
    assert store_counts(store) == before


def test_forbidden_user_exits_2_and_writes_nothing(store, tmp_path, capsys):
    good = tmp_path / "mars.xlsx"
    good.write_bytes(xlsx({"S": [HEADER_FR, taxed(MARCH, "Bell", "100.00", "B-1")]}))
    before = store_counts(store)
    status, out = run(capsys, good, "--user", "stranger@example.com")
    assert (status, out["reason"]) == (2, "forbidden")
    assert store_counts(store) == before


def test_text_output_in_english(store, tmp_path, capsys):
    good = tmp_path / "march.xlsx"
    good.write_bytes(
        xlsx(
            {
                "Expenses": [
                    ["Title"],
                    HEADER_FR,
                    taxed(MARCH, "Bell", "100.00", "B-1"),
                    ["x", "Y", "", "", "1", 1.0],
                ]
            }
        )
    )
    assert cli.main(["import-expenses", str(good), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Sheet « Expenses », header on row 2" in text and "Rows read: 2; imported: 1; rejected: 1" in text
    assert "Row 4, column « Date »: Missing or unreadable date « x » (A4)" in text
