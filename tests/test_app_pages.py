"""The Burn rate, Co-financing and Milestones pages, run as Streamlit runs them (AppTest) on the demo store,
in French and English: no exception, every figure equal to its metric function's value formatted by
cqic_budget.i18n, the drill-down adding up to the figure drilled into, the what-if moving the projection."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import app_tools
import pytest
from streamlit.testing.v1 import AppTest

from cqic_budget.claims import next_claim
from cqic_budget.db import session_scope
from cqic_budget.i18n import format_date, format_money, format_month, format_number, format_percent, t
from cqic_budget.metrics.burn import fiscal_year_status, forecast, monthly_by_category, what_if
from cqic_budget.metrics.cofinancing import (
    admin_share,
    admin_spent,
    cofinancing_checks,
    funder_positions,
    partner_match,
    public_aid_share,
    quebec_claim,
    quebec_share,
)
from cqic_budget.metrics.facts import eligible_spent, ineligible_spent, load_facts
from cqic_budget.metrics.milestones import milestone_status, payment_totals
from cqic_budget.queries import category_labels
from cqic_budget.setup import get_program

# Fixtures (tests/conftest.py): store, demo_store (a copy of the demo template), fresh_caches,
# downloads.
pytestmark = [pytest.mark.usefixtures("fresh_caches"), pytest.mark.one_store]

AS_OF = app_tools.AS_OF
LANGS = ["fr", "en"]


def money(value: Decimal | None, lang: str) -> str:
    return format_money(value, lang, decimals=False)


def open_page(page: str, *, lang: str = "fr", as_of: date = AS_OF) -> AppTest:
    at = AppTest.from_file(app_tools.DASHBOARD, default_timeout=60)
    at.query_params.update(lang=lang, as_of=as_of.isoformat())
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_table(at: AppTest, index: int, *, chart_data: bool = False):
    """The text of the page's `index`-th table, counting only the page's own tables unless `chart_data`
    (each chart's data table, headed «Période ou élément»)."""
    keys = (t("chart.alt.key", "fr"), t("chart.alt.key", "en"))
    frames = [frame for frame in app_tools.shown_tables(at) if chart_data or frame.columns[0] not in keys]
    return frames[index]


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def facts_of(engine, as_of: date = AS_OF):
    with session_scope(engine) as session:
        return load_facts(session, program_id=get_program(session).id, as_of=as_of)


def metrics_shown(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def drill_total_line(lang: str, count: int, eligible: Decimal, ineligible: Decimal) -> str:
    return t("drill.total", lang, count=format_number(count, lang), eligible=format_money(eligible, lang),
             ineligible=format_money(ineligible, lang))


# --- Burn rate ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_burn_rate_cards_equal_the_forecast(demo_store, lang):
    at = open_page("burn", lang=lang)
    assert at.title[0].value == t("burn.title", lang)
    outlook = forecast(facts_of(demo_store))
    shown = metrics_shown(at)
    assert shown[t("burn.kpi.burn", lang)][0] == money(outlook.burn_rate, lang)
    remaining = t("burn.kpi.required_note", lang, remaining=money(outlook.remaining, lang))
    assert shown[t("burn.kpi.required", lang)] == (money(outlook.required_burn, lang), remaining)
    unspent = outlook.projected_unspent
    note = (t("burn.kpi.unspent", lang, amount=money(unspent, lang)) if unspent >= 0
            else t("burn.kpi.overrun", lang, amount=money(-unspent, lang)))
    assert shown[t("burn.kpi.projected", lang)] == (money(outlook.projected_total, lang), note)
    assert shown[t("burn.kpi.exhaustion", lang)][0] == format_date(outlook.projected_exhaustion, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_monthly_bars_are_the_spend_by_category(demo_store, lang):
    at = open_page("burn", lang=lang)
    spend = monthly_by_category(facts_of(demo_store))
    with session_scope(demo_store) as session:
        labels = {c.code: c.label(lang) for c in category_labels(session)}
    monthly = charts(at)[0]
    assert [trace["name"] for trace in monthly["data"]] == [labels[c.category] for c in spend.categories]
    assert spend.categories  # never a loop over nothing
    for trace, series in zip(monthly["data"], spend.categories, strict=True):
        assert trace["type"] == "bar"
        assert trace["y"] == [float(v) for v in series.values]
    assert monthly["layout"]["separators"] == (", " if lang == "fr" else ".,")


def test_drill_down_of_a_bar_adds_up_to_the_bar(demo_store):
    """Pick September 2026 and salaries: the rows' eligible cost is the bar's segment, with file and row."""
    at = open_page("burn", lang="en")
    facts = facts_of(demo_store)
    spend = monthly_by_category(facts)
    month = date(2026, 9, 1)
    at.selectbox(key="burn.drill.period").set_value(f"month:{month.isoformat()}")
    at.selectbox(key="burn.drill.category").set_value("salaries")
    rerun(at)
    segment = next(c for c in spend.categories if c.category == "salaries").values[spend.months.index(month)]
    rows = shown_table(at, 0)
    assert drill_total_line("en", len(rows), segment, Decimal("0.00")) in markdown(at)
    with session_scope(demo_store) as session:
        salaries = next(c.label("en") for c in category_labels(session) if c.code == "salaries")
    assert set(rows["Category"]) == {salaries}
    assert {"Source file", "Row", "Eligible cost"} <= set(rows.columns)
    assert sum(Decimal(v.replace("$", "").replace(",", "")) for v in rows["Eligible cost"]) == segment
    # The whole month: the full bar.
    at.selectbox(key="burn.drill.category").set_value("all")
    rerun(at)
    assert f"**{format_money(spend.month_total(month), 'en')}**" in markdown(at)


def test_drill_down_pages_through_many_rows(demo_store):
    at = open_page("burn", lang="fr")
    at.selectbox(key="burn.drill.period").set_value("all")
    rerun(at)
    facts = facts_of(demo_store)
    assert f"**{format_money(eligible_spent(facts), 'fr')}**" in markdown(at)
    assert f"{format_money(ineligible_spent(facts), 'fr')}" in markdown(at)
    pager = at.get("pagination")
    assert pager, "more than one page of rows"
    first = shown_table(at, 0)
    assert len(first) == 100


@pytest.mark.parametrize("lang", LANGS)
def test_fiscal_years_table_and_lapse_risk(demo_store, lang):
    at = open_page("burn", lang=lang)
    years = fiscal_year_status(facts_of(demo_store))
    table = shown_table(at, 1)
    assert list(table[t("burn.fy.col.label", lang)]) == [y.label for y in years]
    assert list(table[t("burn.fy.col.spent", lang)]) == [money(y.spent, lang) for y in years]
    assert list(table[t("burn.fy.col.projected", lang)]) == [money(y.projected, lang) for y in years]
    assert years  # never a loop over nothing
    text = markdown(at)
    for year in years:
        assert year.message(lang) in text
    # 2025-2026: 602 624,84 of expenses + PICOM's 4 in-kind quarters (4 × 12 500 = 50 000, eligible since
    # the in-kind counts) = 652 624,84 > 630 000: overspent (it left 27 375,16 unspent before the in-kind
    # counted); the page still says the status the figures give
    assert years[0].spent == Decimal("652624.84") and years[0].budget == Decimal("630000.00")
    assert years[0].status == "overspent", "the demo's first year spent more than its budget"
    statuses = list(table[t("burn.fy.col.status", lang)])
    assert [s.split(" ", 1)[1] for s in statuses] == [y.word(lang) for y in years]


@pytest.mark.parametrize("lang", LANGS)
def test_what_if_changes_the_projection(demo_store, lang):
    at = open_page("burn", lang=lang)
    facts = facts_of(demo_store)
    field = at.number_input(key="burn.what_if")
    # The default is the burn rate to the cent: the what-if then says what the projected-total card says.
    assert field.value == float(forecast(facts).burn_rate)
    rerun(at)
    shown = metrics_shown(at)
    assert (shown[t("burn.what_if.projected", lang)][0] == shown[t("burn.kpi.projected", lang)][0]
            == money(forecast(facts).projected_total, lang))
    for monthly in (150_000.0, 20_000.0, 0.0):
        at.number_input(key="burn.what_if").set_value(monthly)
        rerun(at)
        outcome = what_if(facts, Decimal(monthly))
        shown = metrics_shown(at)
        assert shown[t("burn.what_if.projected", lang)][0] == money(outcome.projected_total, lang)
        unspent = outcome.projected_unspent
        if unspent >= 0:
            assert shown[t("burn.what_if.unspent", lang)][0] == money(unspent, lang)
        else:
            assert shown[t("burn.what_if.overrun", lang)][0] == money(-unspent, lang)
        exhaustion = (format_date(outcome.exhaustion, lang) if outcome.exhaustion
                      else t("burn.kpi.no_exhaustion", lang))
        assert shown[t("burn.what_if.exhaustion", lang)][0] == exhaustion
        field = at.number_input(key="burn.what_if")
    # 150 000 $ a month overruns the budget; 20 000 $ leaves money on the table.
    assert what_if(facts, Decimal(150_000)).exhausted_before_end
    assert what_if(facts, Decimal(20_000)).projected_unspent > 0


def test_forecast_band_is_drawn_and_explained(demo_store):
    at = open_page("burn", lang="fr")
    cumulative = charts(at)[1]
    names = [trace.get("name") for trace in cumulative["data"]]
    assert {"Réel cumulatif", "Prévu cumulatif", "Bande de projection", "Projection au rythme actuel",
            "Rythme requis"} <= set(names)
    outlook = forecast(facts_of(demo_store))
    central = next(tr for tr in cumulative["data"] if tr.get("name") == "Projection au rythme actuel")
    assert central["y"][-1] == pytest.approx(float(outlook.projected_total))
    assert any("Bande" in c.value and money(outlook.burn_rate, "fr") in c.value for c in at.caption)


# --- Co-financing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_cofinancing_cards_equal_the_metric_functions(demo_store, lang):
    at = open_page("cofinancing", lang=lang)
    assert at.title[0].value == t("cofin.title", lang)
    facts = facts_of(demo_store)
    claim, match = quebec_claim(facts), partner_match(facts)
    shown = metrics_shown(at)
    assert shown[t("cofin.kpi.quebec_share", lang)][0] == format_percent(quebec_share(facts), lang)
    # The « Prochaine réclamation » card = the next claim's amount: 2026-10-01 → 2026-10-31 (after claim 4's
    # period), its E 54 682,34 (no in-kind quarter ends in October) × 50 % = 27 341,17, within what remains
    # of the entitlement: 0,5 × 1 136 511,93 = 568 255,965 -> 568 255,96, less what claims 1–4 hold (approved,
    # else claimed): 128 768,84 + 180 000 + 112 468,82 + 102 133,55 = 523 371,21 -> 44 884,75 remains
    with session_scope(demo_store) as session:
        following = next_claim(session, as_of=AS_OF)
    assert (following.period_from, following.period_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert following.computation.period_spent == Decimal("54682.34")
    assert following.computation.remaining == Decimal("44884.75")
    assert following.amount == Decimal("27341.17")
    period = t("cofin.kpi.claimable_period", lang, start=format_date(following.period_from, lang),
               end=format_date(following.period_to, lang))
    assert shown[t("cofin.kpi.claimable", lang)] == (money(following.amount, lang), period)
    # « Réclamable maintenant » names one figure, the summary's: no card carries that name with another.
    assert t("metrics.summary.quebec_claimable", lang) not in shown
    assert claim.claimable == Decimal("147018.30")  # min(568 255,96, 1 050 000 × 0,9) − 421 237,66 received
    ledger_frame = shown_table(at, 0)  # the claims ledger is the page's first table (st.table)
    assert list(ledger_frame[t("cofin.ledger.col.number", lang)]) == ["1", "2", "3", "4"]
    # claim 4 (2026-07-01..2026-09-30, submitted, unpaid): E 191 767,10 of expenses + PICOM's 12 500 of
    # 30 September 2026 = 204 267,10 × 50 % = 102 133,55 still due
    assert list(ledger_frame[t("cofin.ledger.col.due", lang)])[-1] == format_money(Decimal("102133.55"), lang)
    assert shown[t("cofin.kpi.partners", lang)] == (
        money(match.received, lang), t("cofin.kpi.partners_note", lang, required=money(match.required, lang)))
    assert shown[t("cofin.kpi.stacking", lang)][0] == format_percent(public_aid_share(facts), lang)
    assert shown[t("cofin.kpi.admin", lang)][0] == format_percent(admin_share(facts), lang)
    # The claim step by step, holdback included.
    text = markdown(at)
    for figure in (claim.entitlement, claim.holdback, claim.payable_before_final_report, claim.received,
                   claim.claimable):
        assert format_money(figure, lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_funders_committed_received_due(demo_store, lang):
    at = open_page("cofinancing", lang=lang)
    positions = funder_positions(facts_of(demo_store))
    table = shown_table(at, 1)  # the claims ledger comes first
    col = lambda key: list(table[t(f"cofin.funder.col.{key}", lang)])  # noqa: E731
    assert col("name") == [p.name for p in positions]
    assert col("committed") == [money(p.committed, lang) for p in positions]
    assert col("cash") == [money(p.received_cash, lang) for p in positions]
    assert col("in_kind") == [money(p.received_in_kind, lang) for p in positions]
    assert col("due") == [money(p.due, lang) for p in positions]
    assert any(p.received_in_kind > 0 for p in positions), "PICOM contributes in kind"


@pytest.mark.parametrize("lang", LANGS)
def test_every_check_with_its_status_and_sentence(demo_store, lang):
    at = open_page("cofinancing", lang=lang)
    checks = cofinancing_checks(facts_of(demo_store))
    assert {c.scope for c in checks} >= {"cumulative", "2025-2026"}
    text = markdown(at)
    icons = {"ok": ":material/check_circle:", "watch": ":material/warning:", "breach": ":material/error:"}
    colours = {"ok": "green", "watch": "orange", "breach": "red"}
    for check in checks:
        badge = f":{colours[check.status]}-badge[{icons[check.status]} {t(f'status.{check.status}', lang)}]"
        line = f"- **{t(f'metrics.check_name.{check.code}', lang)}** {badge}  \n  {check.message(lang)}"
        assert line in text, (check.scope, check.code)


def test_cofinancing_drill_down_adds_up_to_e_and_to_the_admin_costs(demo_store):
    at = open_page("cofinancing", lang="fr")
    facts = facts_of(demo_store)
    assert f"**{format_money(eligible_spent(facts), 'fr')}**" in markdown(at)
    at.selectbox(key="cofin.drill.category").set_value("administration")
    rerun(at)
    assert f"**{format_money(admin_spent(facts), 'fr')}**" in markdown(at)


# --- Milestones --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_milestones_cards_table_and_payments(demo_store, lang):
    at = open_page("milestones", lang=lang)
    assert at.title[0].value == t("ms.title", lang)
    statuses = milestone_status(facts_of(demo_store))
    totals = payment_totals(statuses)
    shown = metrics_shown(at)
    assert shown[t("ms.kpi.achieved", lang)][0] == f"{totals.achieved} / {totals.total}"
    assert shown[t("ms.kpi.payments", lang)] == (
        money(totals.received, lang), t("ms.kpi.payments_note", lang, expected=money(totals.expected, lang)))
    table = shown_table(at, 0)
    col = lambda key: list(table[t(f"ms.col.{key}", lang)])  # noqa: E731
    assert col("name") == [f"{n}. {m.name(lang)}" for n, m in enumerate(statuses, start=1)]
    assert col("days_late") == [format_number(m.days_late, lang) for m in statuses]
    assert col("planned") == [money(m.planned, lang) for m in statuses]
    assert col("actual") == [money(m.actual, lang) for m in statuses]
    assert col("payment_received") == [money(m.payment_received, lang) for m in statuses]
    received = [m for m in statuses if m.payment_status == "received"]
    assert received and all(
        t("ms.payment.received", lang, date=format_date(m.payment_date, lang)) in cell
        for m, cell in zip(statuses, col("payment"), strict=True) if m.payment_status == "received")
    assert any(m.days_late > 0 for m in statuses), "the demo has milestones achieved late"


def test_milestone_timeline_and_drill_down(demo_store):
    at = open_page("milestones", lang="en")
    statuses = milestone_status(facts_of(demo_store))
    timeline, progress = charts(at)
    due = next(trace for trace in timeline["data"] if trace["name"] == "Due")
    assert sorted(due["x"]) == sorted(m.due_date.isoformat() for m in statuses)
    achieved = next(trace for trace in timeline["data"] if trace["name"] == "Achieved")
    assert len(achieved["x"]) == sum(1 for m in statuses if m.status == "achieved")
    assert progress["data"][1]["y"] == [float(m.actual) for m in statuses]
    # The drill-down opens on the last milestone due: its rows add up to its actual cumulative.
    last_due = [m for m in statuses if m.is_due][-1]
    assert f"**{format_money(last_due.actual, 'en')}**" in markdown(at)
    first = statuses[0]
    at.selectbox(key="ms.drill.period").set_value(f"until:{first.measured_at.isoformat()}")
    rerun(at)
    assert f"**{format_money(first.actual, 'en')}**" in markdown(at)


# --- Any store ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["burn", "cofinancing", "milestones"])
def test_pages_on_a_store_with_nothing_yet(store, page):
    """No spending, no milestone: shares are «—», no division error, every page renders."""
    at = open_page(page, lang="fr", as_of=date(2025, 6, 30))
    if page == "cofinancing":
        assert metrics_shown(at)[t("cofin.kpi.quebec_share", "fr")][0] == "—"
    if page == "milestones":
        assert t("ms.empty", "fr") in [i.value for i in at.main.info]


@pytest.mark.parametrize("page", ["burn", "cofinancing"])
def test_pages_follow_the_as_of_date(demo_store, page):
    """At 2026-03-31 the pages count nothing later: the drill-down's last month is March 2026."""
    at = open_page(page, lang="en", as_of=date(2026, 3, 31))
    assert f"as of {format_date(date(2026, 3, 31), 'en')}" in at.caption[0].value
    prefix = "burn" if page == "burn" else "cofin"
    options = at.selectbox(key=f"{prefix}.drill.period").options
    assert format_month(date(2026, 3, 1), "en") in options
    assert format_month(date(2026, 4, 1), "en") not in options
