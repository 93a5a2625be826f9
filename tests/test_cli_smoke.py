"""The command line as operators and `make run` call it: a real `python -m cqic_budget` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import sqlalchemy as sa
from conftest import ROOT

from cqic_budget.db import make_engine


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CQIC_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "cqic_budget", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def demo_summary(url: str) -> dict:
    first = cli(url, "init", "--demo")
    assert first.returncode == 0, first.stderr
    assert "demo data loaded" in first.stdout
    again = cli(url, "init", "--demo")  # what every `make run` after the first one does: nothing new
    assert again.returncode == 0, again.stderr
    assert "already present" in again.stdout
    result = cli(url, "summary", "--as-of", "2026-10-31", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_init_demo_then_summary_on_sqlite_and_postgresql_agree(tmp_path, pg_server):
    on_sqlite = demo_summary(f"sqlite:///{tmp_path / 'cqic.db'}")
    on_postgresql = demo_summary(pg_server)
    assert on_sqlite == on_postgresql

    s = on_sqlite
    assert (s["as_of"], s["budget_total"], s["quebec_rate"]) == ("2026-10-31", "2100000.00", "0.50")
    assert [fy["label"] for fy in s["fiscal_years"]] == ["2025-2026", "2026-2027", "2027-2028"]
    money = {key: Decimal(s[key]) for key in ("budget_total", "spent", "remaining", "partner_required",
                                              "quebec_entitlement", "cost_per_merchant")}
    assert sum(Decimal(fy["budget"]) for fy in s["fiscal_years"]) == money["budget_total"]
    assert money["remaining"] == money["budget_total"] - money["spent"]
    assert abs(money["partner_required"] - money["spent"] / 2) <= Decimal("0.01")
    assert money["quebec_entitlement"] <= money["spent"] / 2
    assert money["quebec_entitlement"] <= Decimal("1050000")
    assert abs(money["cost_per_merchant"] - money["spent"] / s["merchants_supported"]) <= Decimal("0.01")
    # The merged demo: MEIE pays claims (at most 50 % of each claim's E, rounded down), so Québec's share
    # is 421 237,66 ÷ 1 136 511,93 = 37,1 % — ok, no longer the money branch's designed Québec-share
    # watch (its MEIE advance is gone). Every check on 2026-10-31 is ok: partners 570 000 ≥ 0,5 ×
    # 1 136 511,93 = 568 255,97; public aid (421 237,66 + Laval 200 000) ÷ 1 136 511,93 = 54,7 % < 80 %;
    # administration 71 161,67 ÷ 1 136 511,93 = 6,3 % < 10 %.
    assert {check["status"] for check in s["checks"]} == {"ok"}
    # What is to watch is in the budget lines (used ≥ 90 % of the line in force): 2025-2026 salaries
    # 241 820 ÷ 260 000 = 93,0 %, travel 19 413,62 ÷ 20 000 = 97,1 %, equipment 57 042,34 ÷ 60 000 = 95,1 %;
    # 2026-2027 professional fees (64 281,97 + 8 788,68 open) ÷ 80 000 = 91,3 %; and in the years to come
    # (overrun risk, a watch).
    watched = {(b["fiscal_year"], b["category"]) for b in s["budget_lines"] if b["status"] == "watch"}
    assert watched == {("2025-2026", "salaries"), ("2025-2026", "travel"), ("2025-2026", "equipment"),
                       ("2026-2027", "professional_fees")}
    assert [fy["status"] for fy in s["fiscal_years"][1:]] == ["overrun_risk", "overrun_risk"]


def test_init_without_demo_is_idempotent_and_creates_the_program(tmp_path):
    url = f"sqlite:///{tmp_path / 'cqic.db'}"
    for _ in range(2):
        result = cli(url, "init")
        assert result.returncode == 0, result.stderr
        assert "CQIC: store ready" in result.stdout
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM program")).scalar_one() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM expense")).scalar_one() == 0
    engine.dispose()


def test_a_date_that_is_not_iso_is_refused(tmp_path):
    result = cli(f"sqlite:///{tmp_path / 'cqic.db'}", "summary", "--as-of", "31/10/2026")
    assert result.returncode == 2
    assert "not a date" in result.stderr
