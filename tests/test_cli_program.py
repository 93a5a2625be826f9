"""`--program CODE` on summary, report and import-expenses: each command works on the program named, in a
store holding several (cqic_budget.cli.main in this process, SQLite and PostgreSQL; test_cli_smoke runs the
real `python -m cqic_budget` process)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
import sqlalchemy as sa
import store_builders
from openpyxl import load_workbook

from cqic_budget.cli import main
from cqic_budget.db import session_scope
from cqic_budget.models import Expense, Program

SHEET = (
    "Date,Fournisseur,Description,Catégorie,No facture,Montant avant taxes,TPS,TVQ,Total\n"
    "2025-09-02,Hôtel Laval,Mission,Déplacements et missions,H-1,100.00,5.00,9.98,114.98\n"
    "2025-09-03,Vidéotron,Internet,Équipement et logiciels,V-7,200.00,10.00,19.95,229.95\n"
)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch, capsys):
    """`python -m cqic_budget ARGS` on the store at `url`, run by its main() in this process."""
    def run(url: str, *args: str) -> Result:
        monkeypatch.setenv("CQIC_DATABASE_URL", url)
        code = main(list(args))
        out = capsys.readouterr()
        return Result(code, out.out, out.err)
    return run


def expenses_of(engine, code: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(Expense).join(Program, Program.id == Expense.program_id)
            .where(Program.code == code)
        ).scalar_one()


def test_program_option_on_every_command(engine, db_url, tmp_path, cli):
    with session_scope(engine) as session:
        store_builders.make_three_programs(session)

    summary = json.loads(cli(db_url, "summary", "--program", "EST", "--as-of", "2025-07-31", "--json").stdout)
    assert (summary["spent"], summary["budget_total"]) == ("25497.50", "100000.00")
    default = json.loads(cli(db_url, "summary", "--as-of", "2025-07-31", "--json").stdout)
    assert default["spent"] == "11074.88"  # without --program: the first program, CQIC

    out = tmp_path / "est.xlsx"
    result = cli(db_url, "report", "--program", "EST", "--as-of", "2025-07-31", "--out", str(out))
    assert result.returncode == 0, result.stderr
    cells = {str(c.value) for ws in load_workbook(out, read_only=True) for row in ws.iter_rows() for c in row}
    assert any("Programme EST" in c for c in cells)
    assert not any("Programme de transformation" in c for c in cells)

    sheet = tmp_path / "septembre.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    before = {code: expenses_of(engine, code) for code in ("CQIC", "EST", "NORD")}
    imported = cli(db_url, "import-expenses", str(sheet), "--program", "EST", "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["rows_imported"] == 2
    after = {code: expenses_of(engine, code) for code in ("CQIC", "EST", "NORD")}
    assert after == {**before, "EST": before["EST"] + 2}
    est = json.loads(cli(db_url, "summary", "--program", "EST", "--as-of", "2025-09-30", "--json").stdout)
    # 100 + 14.98 × 0.5 = 107.49; 200 + 29.95 × 0.5 = 214.975 -> 214.98
    assert Decimal(est["spent"]) == Decimal("25497.50") + Decimal("107.49") + Decimal("214.98")


def test_an_unknown_program_is_refused(engine, db_url, tmp_path, cli):
    result = cli(db_url, "summary", "--program", "NOPE", "--json")
    assert result.returncode == 2
    assert "unknown-program" in result.stderr
    sheet = tmp_path / "s.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    refused = cli(db_url, "import-expenses", str(sheet), "--program", "NOPE", "--json")
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["reason"] == "unknown-program"
    assert expenses_of(engine, "CQIC") == 0
