"""The app frame and the Overview page, run as Streamlit runs them (AppTest) on a demo store.

Every figure shown must equal the metric functions' value formatted by cqic_budget.i18n.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from app_tools import AS_OF, metrics_shown, money, run_app, run_as
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from cqic_budget.auth import LOCAL_USER
from cqic_budget.db import bump_data_version, session_scope
from cqic_budget.i18n import format_date, format_number, format_percent, t
from cqic_budget.metrics.burn import fiscal_year_status, forecast
from cqic_budget.metrics.cofinancing import cofinancing_checks
from cqic_budget.metrics.facts import load_facts
from cqic_budget.metrics.summary import compute_summary
from cqic_budget.models import Category, Expense
from cqic_budget.money import eligible_cents, share
from cqic_budget.setup import get_program
from cqic_budget.users import add_user

# Fixtures (tests/conftest.py): store, demo_store (a copy of the demo template), fresh_caches.
pytestmark = [pytest.mark.usefixtures("fresh_caches"), pytest.mark.one_store]


def expected_kpis(engine, as_of: date, lang: str) -> dict[str, tuple[str, str]]:
    """The seven cards, each from one metric function, formatted as the page must show them."""
    with session_scope(engine) as session:
        summary = compute_summary(session, as_of=as_of)
        program = get_program(session)
        outlook = forecast(load_facts(session, program_id=program.id, as_of=as_of))
    target = program.target_merchants_supported
    start, end = format_date(program.start_date, lang), format_date(program.end_date, lang)
    unspent = outlook.projected_unspent
    projected_note = (t("kpi.projected_unspent", lang, amount=money(unspent, lang)) if unspent >= 0
                      else t("kpi.projected_overrun", lang, amount=money(-unspent, lang)))
    supported_share = format_percent(share(summary.merchants_supported, target), lang)
    return {
        t("kpi.budget", lang): (
            money(summary.budget_total, lang), t("kpi.budget_note", lang, start=start, end=end)),
        t("kpi.spent", lang): (
            money(summary.spent, lang),
            t("kpi.spent_note", lang, share=format_percent(outlook.spent_share, lang))),
        t("kpi.time_elapsed", lang): (
            format_percent(outlook.time_elapsed_share, lang), t("kpi.time_elapsed_note", lang, end=end)),
        t("kpi.burn_rate", lang): (
            money(summary.burn_rate_monthly, lang),
            t("kpi.burn_rate_note", lang, required=money(outlook.required_burn, lang))),
        t("kpi.projected", lang): (money(summary.projected_total, lang), projected_note),
        t("kpi.quebec_share", lang): (
            format_percent(summary.quebec_share, lang),
            t("kpi.quebec_share_note", lang, rate=format_percent(summary.quebec_rate, lang, digits=0))),
        t("kpi.merchants", lang): (
            f"{format_number(summary.merchants_supported, lang)} / {format_number(target, lang)}",
            t("kpi.merchants_note", lang, share=supported_share)),
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_kpi_cards_equal_the_metric_functions(demo_store, lang):
    at = run_app(lang=lang, as_of=AS_OF.isoformat())
    assert at.title[0].value == t("overview.title", lang)
    assert metrics_shown(at) == expected_kpis(demo_store, AS_OF, lang)


def test_french_figures_by_hand(demo_store, db_url):
    """The demo's headline figures at 2026-10-31, read as a French reader sees them."""
    shown = metrics_shown(run_app(as_of="2026-10-31"))
    assert shown["Budget total"] == ("2\u00a0100\u00a0000\u00a0$", "du 2025-04-01 au 2028-03-31")
    # 19 of the 36 months of the program: 19 / 36 = 52,8 %.
    assert shown["Temps écoulé"][0] == "52,8\u00a0%"
    assert shown["Part de Québec"][1] == "plafond : 50\u00a0%"
    supported, target = shown["Commerçants accompagnés"][0].split(" / ")
    assert target == "150"
    assert shown["Commerçants accompagnés"][1] == f"{format_percent(Decimal(supported) / 150)} de la cible"


def chart_spec(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def test_curve_and_variance_are_shown(demo_store):
    at = run_app(lang="en", as_of=AS_OF.isoformat())
    spec = chart_spec(at)
    assert spec["layout"]["separators"] == ".,"
    names = [trace["name"] for trace in spec["data"]]
    assert names == ["Planned cumulative", "Actual cumulative", "Milestones"]
    [milestones] = [e for e in at.expander if e.label == t("overview.milestones", "en")]
    lines = milestones.markdown[0].value.splitlines()
    assert len(lines) == len(spec["data"][2]["x"]) == 7
    assert lines[0].startswith("- Milestone 1 — Program launch") and lines[0].endswith("; achieved)")
    with session_scope(demo_store) as session:
        program = get_program(session)
        outlook = forecast(load_facts(session, program_id=program.id, as_of=AS_OF))
    variance = money(outlook.variance, "en")
    captions = [c.value for c in at.caption]
    assert any(f"actual {money(outlook.spent, 'en')}, planned {money(outlook.planned, 'en')}" in c
               and variance.lstrip("-") in c for c in captions)


def test_french_chart_uses_fr_ca_separators(demo_store):
    spec = chart_spec(run_app(as_of=AS_OF.isoformat()))
    assert spec["layout"]["separators"] == ", "
    assert spec["layout"]["yaxis"]["ticksuffix"] == "\u00a0$"
    assert [trace["name"] for trace in spec["data"]] == ["Prévu cumulatif", "Réel cumulatif", "Jalons"]
    actual = spec["data"][1]
    assert actual["x"][-1] == AS_OF.isoformat()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("as_of", "watched"), [
    # Every co-financing check is ok; fiscal years and budget lines are at watch (metrics.status).
    (AS_OF, set()),
    # Early days, inside the year (watch): public aid received 100 000 $ ÷ E 123 447,39 $ = 81,0 % > 80 %;
    # administration 13 244,45 $ ÷ 123 447,39 $ = 10,7 % > 10 %.
    (date(2025, 6, 30), {"stacking", "admin_costs"}),
])
def test_alerts_are_the_checks_at_watch_or_breach(demo_store, lang, as_of, watched):
    at = run_app(lang=lang, as_of=as_of.isoformat())
    with session_scope(demo_store) as session:
        facts = load_facts(session, program_id=get_program(session).id, as_of=as_of)
    flagged = [c for c in cofinancing_checks(facts) if c.status in ("watch", "breach")]
    assert {c.code for c in flagged} == watched
    shown = [w.value for w in at.warning] + [e.value for e in at.error]
    for check in flagged:
        assert any(check.message(lang) in text for text in shown), check.code
    years = [y for y in fiscal_year_status(facts) if y.level in ("watch", "breach")]
    assert len(shown) >= len(flagged) + len(years) > 0
    for year in years:
        assert any(year.message(lang) in text for text in shown), year.label
    assert not at.success


def test_query_parameters_open_a_date_and_a_language(demo_store):
    at = run_app(lang="en", as_of="2026-06-30")
    assert at.sidebar.radio[0].value == "en"
    assert at.sidebar.date_input[0].value == date(2026, 6, 30)
    assert "as of 2026-06-30" in at.caption[0].value
    assert metrics_shown(at) == expected_kpis(demo_store, date(2026, 6, 30), "en")
    assert at.query_params == {"lang": "en", "as_of": "2026-06-30"}


def test_as_of_is_clamped_to_the_program_and_written_back(demo_store):
    at = run_app(as_of="2031-01-01", lang="xx")
    assert at.sidebar.radio[0].value == "fr"
    assert at.sidebar.date_input[0].value == date(2028, 3, 31)
    assert at.query_params == {"lang": "fr", "as_of": "2028-03-31"}
    at = run_app(as_of="2020-05-05")
    assert at.sidebar.date_input[0].value == date(2025, 4, 1)


def test_unreadable_as_of_falls_back_to_today_clamped(demo_store):
    at = run_app(as_of="31/10/2026")
    today = min(max(date.today(), date(2025, 4, 1)), date(2028, 3, 31))
    assert at.sidebar.date_input[0].value == today


def test_sidebar_changes_language_and_date_and_keeps_the_url_in_sync(demo_store):
    at = run_app(as_of=AS_OF.isoformat())
    assert at.title[0].value == "Vue d'ensemble"
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "Overview"
    assert at.query_params["lang"] == "en"
    at.sidebar.date_input[0].set_value(date(2026, 3, 31)).run()
    assert not at.exception
    assert at.query_params == {"lang": "en", "as_of": "2026-03-31"}
    assert metrics_shown(at) == expected_kpis(demo_store, date(2026, 3, 31), "en")


def test_local_single_user_banner(demo_store):
    at = run_app()
    assert [i.value for i in at.sidebar.info] == [t("local_mode_banner", "fr")]


def test_figures_follow_the_data_version(demo_store):
    """A new expense and a bumped data version: the next rerun shows it (cached figures invalidated)."""
    at = run_app(as_of=AS_OF.isoformat())
    before = metrics_shown(at)[t("kpi.spent", "fr")][0]
    with session_scope(demo_store) as session:
        program = get_program(session)
        category = session.exec(select(Category).where(Category.code == "equipment")).one()
        session.add(Expense(
            program_id=program.id, date=date(2026, 10, 15), vendor="Test", category_id=category.id,
            amount_cents=100_000_00, eligible_cents=eligible_cents(100_000_00, 0, 0, Decimal("0.5")),
        ))
        bump_data_version(session)
    at.run()
    after = metrics_shown(at)[t("kpi.spent", "fr")][0]
    assert before != after
    assert metrics_shown(at) == expected_kpis(demo_store, AS_OF, "fr")


def test_a_store_with_no_spending_yet(store):
    """Nothing spent: shares are «—», no division error, and the page still renders."""
    at = run_app(as_of="2025-06-30")
    shown = metrics_shown(at)
    assert shown[t("kpi.quebec_share", "fr")][0] == "—"
    assert shown[t("kpi.spent", "fr")][0] == "0\u00a0$"
    assert shown == expected_kpis(store, date(2025, 6, 30), "fr")
    assert [a.value for a in at.success] == [t("overview.no_alerts", "fr", as_of="2025-06-30")]
    # No milestones yet: nothing to spell out (the other expanders: the spent's rows, the chart's data).
    assert t("overview.milestones", "fr") not in [e.label for e in at.expander]


def test_with_an_identity_provider_a_visitor_must_sign_in(demo_store):
    at = run_as({"is_logged_in": False})
    assert at.title[0].value == t("access.refusal.not-signed-in.title", "fr")
    assert [b.label for b in at.button] == [t("access.sign_in", "fr")]
    assert not at.metric


def test_a_signed_in_email_with_no_role_is_politely_refused(demo_store):
    at = run_as({"is_logged_in": True, "email": "someone@example.org"}, lang="en")
    assert at.title[0].value == t("access.refusal.unknown-user.title", "en")
    assert "someone@example.org" in at.markdown[0].value
    assert not at.metric


def test_a_signed_in_funder_sees_the_overview_without_the_local_banner(demo_store):
    with session_scope(demo_store) as session:
        add_user(session, "analyste@economie.gouv.qc.ca", "funder", by=LOCAL_USER)
    at = run_as({"is_logged_in": True, "email": "analyste@economie.gouv.qc.ca"}, as_of=AS_OF.isoformat())
    assert at.title[0].value == t("overview.title", "fr")
    assert metrics_shown(at) == expected_kpis(demo_store, AS_OF, "fr")
    assert not at.sidebar.info
    assert "analyste@economie.gouv.qc.ca (Bailleur de fonds)" in at.sidebar.caption[0].value


def test_without_sign_in_the_app_refuses_to_serve_beyond_this_machine(demo_store):
    from streamlit import config

    previous = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = run_app()
    finally:
        config.set_option("server.address", previous)
    assert at.title[0].value == t("access.refusal.not-local.title", "fr")
    assert not at.metric
