"""`python -m cqic_budget summary` end to end on a small store, on SQLite and PostgreSQL."""

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from cqic_budget.cli import main
from cqic_budget.db import session_scope
from cqic_budget.i18n import format_money
from cqic_budget.metrics.summary import compute_summary, rate_text, share_text, summary_as_text
from cqic_budget.models import BudgetLine, Category, Contribution, Expense, Funder, Merchant
from cqic_budget.money import eligible_cents, to_cents
from cqic_budget.setup import get_program

D = Decimal
SPEC_KEYS = {
    "as_of", "budget_total", "spent", "ineligible", "remaining", "burn_rate_monthly", "projected_total",
    "projected_exhaustion", "quebec_rate", "quebec_received", "quebec_share", "quebec_entitlement",
    "quebec_claimable", "partner_required", "partner_received", "public_aid_share", "stacking_cap",
    "admin_share", "checks", "fiscal_years", "budget_lines", "claims", "merchants_supported",
    "cost_per_merchant",
}


def build_store(engine) -> None:
    with session_scope(engine) as session:
        program = get_program(session)
        cats = {c.code: c.id for c in session.exec(select(Category))}
        funders = {f.name: f.id for f in session.exec(select(Funder))}
        for label in ("2025-2026", "2026-2027", "2027-2028"):
            session.add(BudgetLine(program_id=program.id, fiscal_year=label, category_id=cats["salaries"],
                                   amount_cents=700_000_00))
        expenses = [
            (date(2025, 9, 10), "salaries", "300000.00", "0", "0", True),
            # 100 000 + 5 000 × 0.5 + 9 975 × 0.5 = 107 487.50
            (date(2026, 2, 15), "professional_fees", "100000.00", "5000.00", "9975.00", True),
            (date(2026, 8, 5), "salaries", "60000.00", "0", "0", True),
            (date(2026, 9, 5), "salaries", "60000.00", "0", "0", True),
            (date(2026, 10, 5), "administration", "30000.00", "0", "0", True),
            (date(2026, 10, 20), "travel", "1000.00", "50.00", "99.75", False),  # 1 149.75 ineligible
            (date(2026, 10, 25), "professional_fees", "-2000.00", "0", "0", True),  # credit note
            (date(2026, 11, 2), "salaries", "50000.00", "0", "0", True),  # after the as-of
        ]
        for day, cat, amount, gst, qst, eligible in expenses:
            a, g, q = to_cents(amount), to_cents(gst), to_cents(qst)
            session.add(Expense(program_id=program.id, date=day, vendor="V", category_id=cats[cat],
                                amount_cents=a, gst_cents=g, qst_cents=q, eligible=eligible,
                                eligible_cents=eligible_cents(a, g, q, D("0.50"), eligible=eligible)))
        contributions = [
            ("Gouvernement du Québec (MEIE)", date(2025, 6, 1), 200_000_00, False),
            ("Gouvernement du Québec (MEIE)", date(2026, 6, 1), 100_000_00, False),
            ("Ville de Laval", date(2025, 10, 1), 100_000_00, False),
            ("PICOM (contribution en nature)", date(2026, 7, 1), 30_000_00, True),
            ("TechnoMontréal", date(2026, 10, 1), 50_000_00, False),
            ("TechnoMontréal", date(2026, 11, 15), 99_000_00, False),  # after the as-of
        ]
        for name, day, cents, in_kind in contributions:
            session.add(Contribution(funder_id=funders[name], received_date=day, amount_cents=cents,
                                     in_kind=in_kind))
        for i, status in enumerate(["completed", "supported", "supported", "reached"]):
            session.add(Merchant(program_id=program.id, name=f"M{i}", sector="retail", size_band="micro",
                                 municipality="Laval", enrolment_date=date(2025, 9, 1), status=status))


def run_summary(monkeypatch, capsys, db_url, *args) -> str:
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    assert main(["summary", *args]) == 0
    return capsys.readouterr().out


@pytest.fixture
def store(engine):
    build_store(engine)
    return engine


def test_summary_json_hand_worked(monkeypatch, capsys, db_url, store):
    out = json.loads(run_summary(monkeypatch, capsys, db_url, "--as-of", "2026-10-31", "--json"))
    assert set(out) == SPEC_KEYS
    expected = {
        "as_of": "2026-10-31",
        "budget_total": "2100000.00",
        # E = 300 000 + 107 487.50 + 60 000 + 60 000 + 30 000 − 2 000 = 555 487.50
        "spent": "555487.50",
        "ineligible": "1149.75",  # 1 000 + 50 + 99.75
        "remaining": "1544512.50",  # 2 100 000 − 555 487.50
        # Aug 60 000 + Sep 60 000 + Oct (30 000 − 2 000) = 148 000 / 3 = 49 333.33
        "burn_rate_monthly": "49333.33",
        # At the pace shown (rounded to the cent, the what-if's default too):
        # 555 487.50 + 49 333.33 × 17 months = 555 487.50 + 838 666.61 = 1 394 154.11
        "projected_total": "1394154.11",
        # 1 544 512.50 / (148 000/3) = 31.31 months after month 19 -> month 51 (June 2029), 0.31 × 30 = 9.2
        "projected_exhaustion": "2029-06-10",
        "quebec_rate": "0.50",
        "quebec_received": "300000.00",  # 200 000 + 100 000
        "quebec_share": "0.5401",  # 300 000 / 555 487.50 = 0.54006
        "quebec_entitlement": "277743.75",  # min(0.50 × 555 487.50, 1 050 000)
        "quebec_claimable": "0.00",  # max(0, min(277 743.75, 945 000) − 300 000)
        "partner_required": "277743.75",  # (1 − 0.50) × 555 487.50
        "partner_received": "180000.00",  # Laval 100 000 + TechnoMontréal 50 000 + PICOM 30 000 in kind
        "public_aid_share": "0.7201",  # (300 000 + 100 000) / 555 487.50 = 0.72008
        "stacking_cap": "0.80",
        "admin_share": "0.0540",  # 30 000 / 555 487.50 = 0.05401
        "merchants_supported": 3,  # completed + 2 supported
        "cost_per_merchant": "185162.50",  # 555 487.50 / 3
    }
    assert {k: out[k] for k in expected} == expected
    assert out["fiscal_years"] == [
        # 300 000 + 107 487.50; Québec 200 000; Laval 100 000
        # 700 000 − 407 487.50 = 292 512.50 left, more than 1 % (7 000): unspent
        {"label": "2025-2026", "budget": "700000.00", "spent": "407487.50", "quebec_received": "200000.00",
         "partner_received": "100000.00", "status": "unspent", "closed": False},
        # 60 000 + 60 000 + 28 000; Québec 100 000; PICOM 30 000 + TechnoMontréal 50 000
        # projected 148 000 + 5 × 49 333.33 = 394 666.67 < 700 000 × 0.99 = 693 000: lapse risk
        {"label": "2026-2027", "budget": "700000.00", "spent": "148000.00", "quebec_received": "100000.00",
         "partner_received": "80000.00", "status": "lapse_risk", "closed": False},
        # 12 × 49 333.33 = 592 000 < 693 000: lapse risk
        {"label": "2027-2028", "budget": "700000.00", "spent": "0.00", "quebec_received": "0.00",
         "partner_received": "0.00", "status": "lapse_risk", "closed": False},
    ]
    # Budget lines: salaries 700 000 each year; other categories spent without a line (a line of 0).
    lines = {(b["fiscal_year"], b["category"]): (b["spent"], b["available"], b["status"])
             for b in out["budget_lines"]}
    assert lines == {
        # 300 000 ÷ 700 000 = 43 %: ok; available 700 000 − 300 000
        ("2025-2026", "salaries"): ("300000.00", "400000.00", "ok"),
        ("2025-2026", "professional_fees"): ("107487.50", "-107487.50", "breach"),
        ("2026-2027", "salaries"): ("120000.00", "580000.00", "ok"),  # 60 000 + 60 000
        ("2026-2027", "administration"): ("30000.00", "-30000.00", "breach"),
        ("2026-2027", "professional_fees"): ("-2000.00", "2000.00", "ok"),  # a credit note alone
        ("2027-2028", "salaries"): ("0.00", "700000.00", "ok"),
    }
    checks = {(c["code"], c["scope"]): c for c in out["checks"]}
    codes = ("quebec_share", "partner_match", "stacking", "admin_costs")
    assert set(checks) == {(code, scope) for code in codes for scope in ("cumulative", "2025-2026")} | {
        ("stacking_committed", "cumulative")}
    # committed public aid 1 050 000 + 300 000 = 1 350 000 / 2 100 000 = 64.3 % ≤ 80 %
    assert checks[("stacking_committed", "cumulative")]["status"] == "ok"
    # 54 % mid-year: an advance. At the end of 2025-2026: 200 000 / 407 487.50 = 49.1 %: ok
    assert checks[("quebec_share", "cumulative")]["status"] == "watch"
    assert checks[("quebec_share", "2025-2026")]["status"] == "ok"
    # Partners 180 000 of 277 743.75 mid-year: watch; 100 000 of 203 743.75 at the year end: breach
    assert checks[("partner_match", "cumulative")]["status"] == "watch"
    assert checks[("partner_match", "2025-2026")]["status"] == "breach"
    assert checks[("stacking", "cumulative")]["status"] == "ok"
    assert checks[("admin_costs", "cumulative")]["status"] == "ok"
    for c in out["checks"]:
        assert c["message"] and c["message_en"] and c["message"] != c["message_en"]
    assert "avance" in checks[("quebec_share", "cumulative")]["message"]


def test_summary_figures_agree_with_each_other(monkeypatch, capsys, db_url, store):
    out = json.loads(run_summary(monkeypatch, capsys, db_url, "--as-of", "2026-10-31", "--json"))
    dates = ("as_of", "projected_exhaustion")
    money = {k: D(v) for k, v in out.items() if isinstance(v, str) and k not in dates}
    assert money["remaining"] == money["budget_total"] - money["spent"]
    half_up = (1 - money["quebec_rate"]) * money["spent"]
    assert money["partner_required"] == half_up.quantize(D("0.01"))
    assert money["quebec_entitlement"] <= money["quebec_rate"] * money["spent"]
    assert money["quebec_entitlement"] <= D("1050000")
    assert money["cost_per_merchant"] == (money["spent"] / out["merchants_supported"]).quantize(D("0.01"))
    assert sum(D(fy["budget"]) for fy in out["fiscal_years"]) == money["budget_total"]
    assert sum(D(fy["spent"]) for fy in out["fiscal_years"]) == money["spent"]


def test_summary_on_an_empty_store_and_clamped_dates(monkeypatch, capsys, db_url, engine):
    # Before the start: clamped to 2025-04-01; nothing spent: shares null, checks ok, no cost per merchant
    out = json.loads(run_summary(monkeypatch, capsys, db_url, "--as-of", "2024-01-01", "--json"))
    assert out["as_of"] == "2025-04-01"
    assert (out["spent"], out["remaining"], out["burn_rate_monthly"]) == ("0.00", "2100000.00", "0.00")
    assert out["quebec_share"] is None and out["public_aid_share"] is None and out["admin_share"] is None
    assert out["projected_exhaustion"] is None and out["cost_per_merchant"] is None
    assert {c["status"] for c in out["checks"]} == {"ok"}
    # After the end: clamped to 2028-03-31, a fiscal-year end: the checks of every year are there
    out = json.loads(run_summary(monkeypatch, capsys, db_url, "--as-of", "2030-06-30", "--json"))
    assert out["as_of"] == "2028-03-31"
    assert {c["scope"] for c in out["checks"]} == {"cumulative", "2025-2026", "2026-2027", "2027-2028"}


def test_summary_text_in_french_and_english(monkeypatch, capsys, db_url, store):
    fr = run_summary(monkeypatch, capsys, db_url, "--as-of", "2026-10-31")
    assert "Dépenses admissibles" in fr and format_money(D("555487.50"), "fr") in fr
    assert "Sommaire du programme CQIC au 2026-10-31" in fr
    assert "[à surveiller] Part de Québec" in fr
    en = run_summary(monkeypatch, capsys, db_url, "--as-of", "2026-10-31", "--lang", "en")
    assert "Eligible spending" in en and "$555,487.50" in en and "54.0%" in en


def test_compute_summary_direct(session, store):
    summary = compute_summary(session, as_of=date(2026, 10, 31))
    assert summary.spent == D("555487.50")
    assert summary.forecast.months_left == 17
    assert summary_as_text(summary, "xx").startswith("Sommaire")  # unknown language: French


def test_rate_and_share_text():
    assert (rate_text(D("0.5")), rate_text(D("0.50")), rate_text(D("0.0995"))) == ("0.50", "0.50", "0.0995")
    assert (share_text(D("0.54006")), share_text(None)) == ("0.5401", None)
