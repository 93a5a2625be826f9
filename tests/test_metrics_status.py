"""One status vocabulary (SPEC §3, issue 10 item 4): the rule by hand, then the demo's contradictions gone
from the Overview, the Burn rate page, the report and `summary --json`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from factories import cqic_facts, spend

from cqic_budget.db import session_scope
from cqic_budget.i18n import t
from cqic_budget.metrics.budget_lines import budget_line_inputs, budget_line_positions
from cqic_budget.metrics.burn import fiscal_year_status
from cqic_budget.metrics.facts import BudgetLineFact, load_facts
from cqic_budget.metrics.status import budget_line_status_code, fiscal_year_status_code, severity, status_word
from cqic_budget.metrics.summary import compute_summary, summary_as_json
from cqic_budget.setup import get_program
from cqic_budget.views.burn_rate import build_burn_rate
from cqic_budget.views.overview import build_overview

AS_OF = date(2026, 10, 31)


def fy(phase: str, budget: str, spent: str, projected: str | None = None) -> str:
    return fiscal_year_status_code(phase=phase, budget=D(budget), spent=D(spent),
                                   projected=D(projected if projected is not None else spent))


def test_past_year_within_budget_unspent_or_overspent():
    # 1 % of 630 000 = 6 300: 625 000 spent leaves 5 000 ≤ 6 300 -> within budget
    assert fy("past", "630000", "625000") == "within_budget"
    # 602 624,84 spent leaves 27 375,16 > 6 300 -> unspent
    assert fy("past", "630000", "602624.84") == "unspent"
    # one cent above the budget is a fact: overspent (a breach)
    assert fy("past", "630000", "630000.01") == "overspent" and severity("overspent") == "breach"
    assert fy("past", "0", "0") == "within_budget"


def test_current_and_future_years_on_pace_lapse_or_overrun_risk():
    # budget 770 000: band 1 % = 7 700 -> on pace from 762 300 to 777 700
    assert fy("current", "770000", "458887.09", "777700") == "on_pace"
    assert fy("current", "770000", "458887.09", "777700.01") == "overrun_risk"
    assert fy("current", "770000", "458887.09", "762299.99") == "lapse_risk"
    # the demo's 2027-2028: 64 240,72 × 12 = 770 888,64 projected > 700 000 × 1,01 = 707 000
    assert fy("future", "700000", "0", "770888.64") == "overrun_risk"
    assert {severity(s) for s in ("on_pace", "lapse_risk", "overrun_risk")} == {"ok", "watch"}


def test_budget_line_ok_watch_breach_with_the_transfer_tolerance():
    def line(spent: str, budget: str = "55000", commitments: str = "0", tolerance: str = "0.10") -> str:
        return budget_line_status_code(budget=D(budget), spent=D(spent), open_commitments=D(commitments),
                                       transfer_tolerance=D(tolerance))
    # 90 % of 55 000 = 49 500; 110 % = 60 500
    assert line("49499.99") == "ok"
    assert line("49500") == "watch"
    assert line("60500") == "watch"  # exactly 100 % + tolerance is not above it
    assert line("60500.01") == "breach"
    assert line("61251.44") == "breach"  # the demo's marketing 2025-2026: 111,4 %
    # open commitments count: 40 000 spent + 10 000 committed = 50 000 ≥ 49 500
    assert line("40000", commitments="10000") == "watch"
    # tolerance 0: breach above 55 000
    assert line("55000.01", tolerance="0") == "breach"
    # no line: nothing used is ok, anything used a breach
    assert line("0", budget="0") == "ok" and line("0.01", budget="0") == "breach"


def test_status_words_come_from_one_catalog():
    assert status_word("overrun_risk", "fr") == "risque de dépassement"
    assert status_word("lapse_risk", "en") == "lapse risk"
    assert status_word("breach", "fr") == t("status.breach", "fr") == "non conforme"


def test_budget_line_positions_by_hand():
    lines = (BudgetLineFact("2025-2026", "marketing", D("55000")),
             BudgetLineFact("2025-2026", "travel", D("20000")))
    facts = cqic_facts(AS_OF, budget_lines=lines, monthly=(
        spend("2025-06", "30000", "marketing"), spend("2026-02", "31251.44", "marketing"),
        spend("2025-09", "19413.62", "travel"), spend("2025-10", "500", "equipment"),
        spend("2026-05", "1000", "marketing"),  # 2026-2027: no line for marketing there
    ))
    # The seam the commitments branch feeds: in force = original = the line; nothing committed.
    assert [(i.budget_original, i.budget, i.open_commitments) for i in budget_line_inputs(facts)] == [
        (D("55000"), D("55000"), 0), (D("20000"), D("20000"), 0)]
    got = {(p.fiscal_year, p.category): p for p in budget_line_positions(facts)}
    marketing = got[("2025-2026", "marketing")]
    # 30 000 + 31 251,44 = 61 251,44 spent; available 55 000 − 61 251,44 = −6 251,44; 111,4 % > 110 %
    assert (marketing.spent, marketing.available) == (D("61251.44"), D("-6251.44"))
    assert marketing.status == "breach"
    # 19 413,62 ÷ 20 000 = 97,1 % ≥ 90 %: watch
    assert got[("2025-2026", "travel")].status == "watch"
    # spending with no line: a line of 0, a breach
    assert got[("2025-2026", "equipment")].budget == 0 and got[("2025-2026", "equipment")].status == "breach"
    assert got[("2026-2027", "marketing")].spent == D("1000")


# --- The demo, as of 2026-10-31 -----------------------------------------------------------------------


@pytest.fixture
def demo(demo_readonly_session):
    """The demo (init + load_demo: the conftest template), one store per backend for the module, read only."""
    return demo_readonly_session


def test_demo_summary_json_statuses(demo):
    summary = summary_as_json(compute_summary(demo, as_of=AS_OF))
    years = {y["label"]: y for y in summary["fiscal_years"]}
    # 2025-2026 spent 602 624,84 of expenses + PICOM's 4 in-kind quarters (4 × 12 500 = 50 000, eligible
    # since the in-kind counts) = 652 624,84 > 630 000: overspent by 22 624,84 (it was "unspent" with
    # 27 375,16 left before the in-kind counted; the status still says what the figures say); closed
    assert (years["2025-2026"]["spent"], years["2025-2026"]["budget"]) == ("652624.84", "630000.00")
    assert years["2025-2026"]["status"] == "overspent" and years["2025-2026"]["closed"] is True
    # burn = E of Aug., Sept., Oct. 2026 ÷ 3 = (56 856,76 + 93 683,07 + 54 682,34) ÷ 3 = 68 407,39
    # (September holds PICOM's 12 500 of 30 September 2026)
    assert summary["burn_rate_monthly"] == "68407.39"
    # 2026-2027: 458 887,09 + 2 × 12 500 in kind = 483 887,09; + 68 407,39 × 5 = 825 924,04
    # > 770 000 × 1,01 = 777 700: overrun risk
    assert years["2026-2027"]["spent"] == "483887.09"
    assert years["2026-2027"]["status"] == "overrun_risk" and years["2026-2027"]["closed"] is False
    # 2027-2028: 68 407,39 × 12 = 820 888,68 projected > 700 000 × 1,01 = 707 000: overrun risk
    assert years["2027-2028"]["status"] == "overrun_risk"
    lines = {(b["fiscal_year"], b["category"]): b for b in summary["budget_lines"]}
    # marketing 61 251,44 ÷ 55 000 = 111,4 %; merchant services 116 162,15 + 50 000 in kind = 166 162,15
    # ÷ 100 000 = 166,2 %: both > 110 %
    assert lines[("2025-2026", "marketing")]["status"] == "breach"
    assert lines[("2025-2026", "merchant_services")]["status"] == "breach"
    assert lines[("2025-2026", "merchant_services")]["spent"] == "166162.15"
    assert lines[("2025-2026", "marketing")]["available"] == "-6251.44"
    first = lines[("2025-2026", "salaries")]
    assert set(first) == {"fiscal_year", "category", "budget_original", "budget", "spent", "open_commitments",
                          "available", "status"}
    assert first["budget_original"] == first["budget"] == "260000.00" and first["open_commitments"] == "0.00"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_overview_alert_titles_say_what_their_text_says(demo, lang):
    view = build_overview(demo, program_code=None, as_of=AS_OF, lang=lang)
    facts = load_facts(demo, program_id=get_program(demo).id, as_of=AS_OF)
    years = {y.label: y for y in fiscal_year_status(facts)}
    current = years["2026-2027"]
    alert = next(a for a in view.alerts if "2026-2027" in a.title and current.message(lang) == a.text)
    # The title is the status word, never « Risque de fonds inutilisés » above an overrun.
    word = status_word("overrun_risk", lang)
    assert alert.title == t("status.fy.alert", lang, label="2026-2027", status=word)
    assert "dépassement" in alert.text if lang == "fr" else "overrun" in alert.text
    assert all("Risque de fonds inutilisés" not in a.title for a in view.alerts)
    marketing = next(a for a in view.alerts if "2025-2026" in a.title and "Marketing" in a.title)
    assert marketing.status == "breach" and status_word("breach", lang) in marketing.title


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_burn_page_words_match_the_figures(demo, lang):
    view = build_burn_rate(demo, program_code=None, as_of=AS_OF, lang=lang)
    frame = view.years_table.frame
    statuses = list(frame[t("burn.fy.col.status", lang)])
    gaps = list(frame[t("burn.fy.col.gap", lang)])
    # 2025-2026: 652 624,84 (with PICOM's 50 000 in kind) > 630 000: overspent (no longer unspent);
    # 2026-2027 projected 825 924,04 > 777 700 and 2027-2028 820 888,68 > 707 000: overrun risk
    expected = ["overspent", "overrun_risk", "overrun_risk"]
    assert [s.split(" ", 1)[1] for s in statuses] == [status_word(s, lang) for s in expected]
    # No « fonds à risque » beside 0 $: the gap is signed, an overrun shows as +, whether past (the
    # overspent 22 624,84 of 2025-2026) or projected.
    assert all("fonds à risque" not in s for s in statuses)
    assert all(gap.startswith("+") for gap in gaps)
    # 652 624,84 − 630 000 = 22 624,84, shown to the dollar: +22 625
    assert "".join(ch for ch in gaps[0] if ch.isdigit()) == "22625"
    lines = view.lines_table.frame
    marketing = lines[(lines[t("burn.lines.col.label", lang)] == "2025-2026")
                      & lines[t("burn.lines.col.category", lang)].str.startswith("Marketing")]
    assert list(marketing[t("burn.lines.col.status", lang)]) == [f"✗ {status_word('breach', lang)}"]


def test_the_same_store_gives_the_same_words_on_every_path(demo_readonly):
    with session_scope(demo_readonly) as session:
        summary = compute_summary(session, as_of=AS_OF)
        view = build_burn_rate(session, program_code=None, as_of=AS_OF, lang="fr")
    shown = [s.split(" ", 1)[1] for s in view.years_table.frame[t("burn.fy.col.status", "fr")]]
    assert shown == [status_word(y.status, "fr") for y in summary.fiscal_years]


def test_demo_milestone_not_yet_due_is_compared_with_the_plan_at_the_as_of(demo):
    from cqic_budget.metrics.burn import forecast, planned_cumulative
    from cqic_budget.metrics.milestones import milestone_status
    from cqic_budget.money import round_cents

    facts = load_facts(demo, program_id=get_program(demo).id, as_of=AS_OF)
    last = milestone_status(facts)[-1]
    # Jalon 7 (due at the program end) planned 2 100 000: on 2026-10-31 it is compared with the plan
    # then, not with 2 100 000 against 1 136 511,93 spent (a false 1 M$ shortfall)
    assert not last.is_due and last.planned_at_due == D("2100000")
    plan_now = round_cents(planned_cumulative(facts, AS_OF))
    assert last.planned == plan_now == round_cents(forecast(facts).planned)
    assert abs(last.gap) < D("200000")


def test_the_report_states_the_entitlement_rounding(demo, tmp_path):
    from openpyxl import load_workbook

    from cqic_budget.reports import write_report

    for lang in ("fr", "en"):
        path = write_report(demo, tmp_path / f"r-{lang}.xlsx", as_of=AS_OF, lang=lang)
        sheet = load_workbook(path, read_only=True)[t("reports.sheet.cofinancing", lang)]
        texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert t("reports.entitlement_rounding", lang) in texts
    assert "cent inférieur" in t("reports.entitlement_rounding", "fr")


def test_demo_stacking_on_2025_06_30_is_watch_not_breach(demo):
    # Ville de Laval paid 100 000 up front; E by 2025-06-30 = 110 947,39 of expenses + PICOM's first
    # in-kind quarter (12 500, dated 2025-06-30, eligible since the in-kind counts) = 123 447,39:
    # 100 000 ÷ 123 447,39 = 81,0 % (was 90,1 % without the in-kind), still > 80 %, inside 2025-2026:
    # a timing "watch" (breach only at a year or the program end); over the cap by
    # 100 000 − 0,8 × 123 447,39 = 1 242,088 -> 1 242,09
    checks = compute_summary(demo, as_of=date(2025, 6, 30)).checks
    stacking = next(c for c in checks if c.code == "stacking" and c.scope == "cumulative")
    assert stacking.status == "watch" and "81,0" in stacking.message_fr
    assert "123\u00a0447,39" in stacking.message_fr and "1\u00a0242,09" in stacking.message_fr
