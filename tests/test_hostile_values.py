"""Bad values are row errors, never crashes (SPEC §4): huge, infinite and NaN amounts, control characters and
bidi overrides in text, a report written into a missing folder, an endless input (/dev/zero)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date

import pytest
import sqlalchemy as sa
from conftest import ROOT
from import_helpers import HEADER_FR, taxed, xlsx

from cqic_budget import cli
from cqic_budget.importing import fast, service
from cqic_budget.importing.merchants import import_merchants
from cqic_budget.importing.normalise import clean_text, strip_controls
from cqic_budget.importing.service import analyse_bytes, import_file, outcome_as_json
from cqic_budget.models import Expense, ImportBatch, Merchant

MARCH = date(2026, 3, 31)
PERIOD = (date(2025, 4, 1), date(2028, 3, 31))
# Every control character the rule removes, raw and as OOXML escapes.
HOSTILE = (
    "A\x00B\x01C\x1bD\x7fE\x85F\u202aG\u202bH\u202cI\u202dJ\u202eK\u2066L\u2067M\u2068N\u2069O_x0000_P_x001F_Q"
)
CLEAN = "ABCDEFGHIJKLMNOPQ"
# openpyxl refuses to write raw C0 characters into a cell: the workbook carries them as _xHHHH_ escapes,
# which readers decode back (the same bytes Excel writes).
HOSTILE_XLSX = (
    "A_x0000_B_x0001_C_x001B_D\x7fE\x85F\u202aG\u202bH\u202cI\u202dJ\u202eK\u2066L\u2067M\u2068N\u2069"
    "O_x0000_P"
)
CLEAN_XLSX = "ABCDEFGHIJKLMNOP"


def row(amount, vendor="Bell", description="Service", invoice="B-1"):
    return [MARCH, vendor, description, "Honoraires professionnels", invoice, amount, 0, 0, amount]


@pytest.mark.parametrize(
    "amount",
    [
        1e308,
        -1e308,
        float("inf"),
        float("-inf"),
        float("nan"),
        1e12 + 1,
        -5e13,
        "1e+308",
        "1E308",
        "inf",
        "NaN",
        "1 000 000 000 001,00 $",
    ],
)
def test_an_absurd_amount_is_a_row_error(amount):
    data = xlsx({"S": [HEADER_FR, row(amount), row(10.0, invoice="B-2")]})
    outcome = analyse_bytes(data, file_name="x.xlsx", period=PERIOD).outcome()
    answer = json.loads(json.dumps(outcome_as_json(outcome)))  # the JSON the command prints
    assert (answer["status"], answer["rows_imported"], answer["rows_rejected"]) == ("dry-run", 1, 1)
    assert {e["code"] for e in answer["errors"] if e["row"] == 2} == {"invalid-amount"}


def test_absurd_amounts_in_a_large_sheet_take_the_fast_path_and_are_row_errors(monkeypatch):
    body = [
        taxed(date(2025, 4, 1 + i % 28), f"F {i}", f"{10 + i}.25", f"F-{i}") for i in range(fast.MIN_ROWS)
    ]
    body += [row(1e308, invoice="X-1"), row(float("inf"), invoice="X-2"), row(-2e12, invoice="X-3")]
    data = xlsx({"S": [HEADER_FR, *body]})
    used: list[bool] = []
    real = fast.fast_header
    monkeypatch.setattr(
        service, "fast_header", lambda *a, **k: used.append(real(*a, **k) is not None) or real(*a, **k)
    )
    outcome = analyse_bytes(data, file_name="grand.xlsx", period=PERIOD).outcome()
    assert used == [True]
    assert (outcome.rows_imported, outcome.rows_rejected) == (fast.MIN_ROWS, 3)


def test_the_one_rule_for_control_characters():
    assert strip_controls(HOSTILE) == CLEAN
    assert clean_text(f"  {HOSTILE}\u00a0 ") == CLEAN
    assert strip_controls("ligne 1\nligne 2\tcolonne") == "ligne 1\nligne 2\tcolonne"  # kept
    assert strip_controls("_x0041_ reste") == "_x0041_ reste"  # an escape of a printable character stays
    assert strip_controls("Société Ça-va") == "Société Ça-va"


def stored_texts(engine) -> list[str]:
    with engine.connect() as conn:
        texts = [
            v
            for r in conn.execute(sa.select(Expense.vendor, Expense.description, Expense.invoice_number))
            for v in r
        ]
        texts += [r[0] for r in conn.execute(sa.select(ImportBatch.file_name))]
        texts += [json.dumps(r[0]) for r in conn.execute(sa.select(ImportBatch.issues))]
    return texts


def has_any_control(text: str) -> bool:
    return strip_controls(text) != text or "\\u0000" in text


@pytest.mark.parametrize("fast_path", [False, True])
def test_control_characters_never_reach_the_store(engine, monkeypatch, fast_path):
    rows = [
        row(
            10.0, vendor=f"Bell{HOSTILE_XLSX}", description=f"Desc {HOSTILE_XLSX}", invoice=f"B{HOSTILE_XLSX}"
        ),
        [
            MARCH,
            f"Rejeté {HOSTILE_XLSX}",
            HOSTILE_XLSX,
            "",
            "R-1",
            "pas un montant",
            0,
            0,
            0,
        ],  # a rejected row
    ]
    if fast_path:
        rows += [
            taxed(date(2025, 4, 1 + i % 28), f"F {i}", f"{10 + i}.25", f"F-{i}") for i in range(fast.MIN_ROWS)
        ]
    data = xlsx({"S": [HEADER_FR, *rows]})
    outcome = import_file(engine, data, file_name=f"mars{HOSTILE}.xlsx")
    assert outcome.status == "imported" and outcome.rows_rejected == 1
    with engine.connect() as conn:
        vendor, description, invoice = conn.execute(
            sa.select(Expense.vendor, Expense.description, Expense.invoice_number).where(
                Expense.source_row == 2
            )
        ).one()
    assert (vendor, description, invoice) == (f"Bell{CLEAN_XLSX}", f"Desc {CLEAN_XLSX}", f"B{CLEAN_XLSX}")
    assert not [text for text in stored_texts(engine) if has_any_control(text)]


def test_control_characters_in_a_csv_never_reach_the_store(engine):
    # A stray control byte or two (more and the file is not taken for text: not-spreadsheet, also a refusal).
    lines = [
        "Date;Fournisseur;Description;No facture;Montant",
        "2026-03-31;Bell\u202e\u2066\u202a;x\x01y\u2069;B_x0000_1_x001B_;10,00",
        *(f"2026-03-{day:02};Fournisseur {day};Service;F-{day};{day},00" for day in range(1, 29)),
    ]
    outcome = import_file(engine, "\n".join(lines).encode("utf-8"), file_name="a.csv")
    assert (outcome.status, outcome.rows_imported) == ("imported", 29), outcome
    assert not [text for text in stored_texts(engine) if has_any_control(text)]
    with engine.connect() as conn:
        assert conn.execute(
            sa.select(Expense.vendor, Expense.description, Expense.invoice_number).where(
                Expense.source_row == 2
            )
        ).one() == ("Bell", "xy", "B1")


def test_control_characters_in_a_merchant_sheet_are_removed(engine):
    header = ["Nom", "NEQ", "Secteur", "Taille", "Municipalité", "Date d'inscription", "Statut", "Courriel"]
    data = xlsx(
        {
            "C": [
                header,
                [
                    f"Fromagerie{HOSTILE_XLSX}",
                    "1234567890",
                    "détail",
                    "micro",
                    "Laval\u202e",
                    date(2025, 5, 12),
                    "rejoint",
                    "info@dube.ca",
                ],
            ]
        }
    )
    outcome = import_merchants(engine, data, file_name="c.xlsx")
    assert outcome.exit_status == 0, outcome.as_json()
    with engine.connect() as conn:
        name, municipality = conn.execute(sa.select(Merchant.name, Merchant.municipality)).one()
    assert (name, municipality) == (f"Fromagerie{CLEAN_XLSX}", "Laval")


def run_cli(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cqic_budget", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def test_a_report_into_a_missing_folder_is_a_clear_refusal(engine, db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    target = tmp_path / "absent" / "rapport.xlsx"
    assert cli.main(["report", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("no-folder:") and str(target.parent) in err and "n'existe pas" in err
    assert cli.main(["report", "--out", str(target), "--lang", "en"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert cli.main(["report", "--out", str(tmp_path)]) == 2  # a folder, not a file
    assert capsys.readouterr().err.startswith("unwritable:")
    assert not target.parent.exists()


@pytest.mark.parametrize("source", ["/dev/zero", "/dev/urandom"])
def test_an_endless_input_is_read_up_to_the_limit_and_refused(engine, db_url, source):
    started = time.monotonic()
    done = run_cli("import-expenses", source, "--json", env={"CQIC_DATABASE_URL": db_url}, timeout=45)
    assert done.returncode == 2, done.stderr
    assert json.loads(done.stdout)["reason"] == "too-large"
    assert time.monotonic() - started < 30
    assert "Traceback" not in done.stderr


def test_read_source_reads_at_most_the_limit_plus_one_byte(tmp_path):
    from cqic_budget.importing.refusal import DEFAULT_LIMITS, Refused

    fifo = tmp_path / "flux"
    os.mkfifo(fifo)
    writer = subprocess.Popen(
        ["sh", "-c", f"head -c {DEFAULT_LIMITS.max_file_bytes + 10_000} /dev/zero > {fifo}"]
    )
    try:
        with pytest.raises(Refused) as refused:
            service.read_source(fifo, DEFAULT_LIMITS)
        assert refused.value.code == "too-large"
    finally:
        writer.kill()
        writer.wait()
