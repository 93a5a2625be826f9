"""The Portfolio page, run as Streamlit runs it (AppTest): shown only with several programs, every figure
equal to metrics.portfolio's value formatted by cqic_budget.i18n, each row opening its program."""

from __future__ import annotations

from datetime import date

import app_tools
import pytest
import store_builders
from streamlit.testing.v1 import AppTest

from cqic_budget.db import bump_data_version, session_scope
from cqic_budget.i18n import format_date, format_money, format_number, format_percent, t
from cqic_budget.metrics.portfolio import portfolio_rows, portfolio_totals
from cqic_budget.setup import get_program
from cqic_budget.ui.portfolio import OPEN_KEY
from cqic_budget.views.portfolio import build_portfolio, program_link, selected_program

# Fixtures (tests/conftest.py): store, demo_store (a copy of the demo template), fresh_caches,
# downloads.
pytestmark = [pytest.mark.usefixtures("fresh_caches"), pytest.mark.one_store]

PAGE = "pages/portfolio.py"
AS_OF = date(2025, 7, 31)


@pytest.fixture
def portfolio(store):
    """The three programs of test_metrics_portfolio, in the store the app reads."""
    with session_scope(store) as session:
        store_builders.make_three_programs(session)
    return store


def open_portfolio(*, lang: str = "fr", as_of: date = AS_OF, **params: str) -> AppTest:
    at = AppTest.from_file(app_tools.DASHBOARD, default_timeout=60)
    at.query_params.update(lang=lang, as_of=as_of.isoformat(), **params)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def money(value, lang: str) -> str:
    return format_money(value, lang, decimals=False)


def test_one_program_no_portfolio_and_no_selector(demo_store):
    at = app_tools.run_app(as_of="2026-10-31")
    assert not at.sidebar.selectbox
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_figures_equal_the_portfolio_metrics(portfolio, lang):
    at = open_portfolio(lang=lang)
    assert at.title[0].value == t("portfolio.title", lang)
    with session_scope(portfolio) as session:
        rows = portfolio_rows(session, as_of=AS_OF)
    totals = portfolio_totals(rows)
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    assert cards[t("portfolio.kpi.programs", lang)] == (
        "3", t("portfolio.kpi.programs_note", lang, breach="0", watch="3"))
    assert cards[t("portfolio.kpi.spent", lang)] == (
        money(totals.spent, lang),
        t("portfolio.kpi.spent_note", lang, share=format_percent(totals.spent_share, lang)))
    assert cards[t("portfolio.kpi.quebec", lang)][0] == money(totals.quebec_received, lang)

    frame = at.dataframe[0].value
    col = {key: t(f"portfolio.col.{key}", lang) for key in ("code", "name", "as_of", "spent", "quebec_share",
                                                            "merchants", "status")}
    assert len(frame) == 4  # three programs and the total
    assert len(rows) == 3  # each program checked below
    for (_, shown), row in zip(frame.iterrows(), rows, strict=False):
        assert shown[col["code"]] == program_link(row.code, as_of=AS_OF, lang=lang)
        assert shown[col["name"]] == row.name(lang)
        assert shown[col["as_of"]] == format_date(row.as_of, lang)
        assert shown[col["spent"]] == money(row.spent, lang)
        assert shown[col["quebec_share"]] == format_percent(row.quebec_share, lang)
        target = format_number(row.target_supported, lang)
        assert shown[col["merchants"]] == f"{row.merchants_supported} / {target}"
        assert t(f"status.{row.status}", lang) in shown[col["status"]]
    total = frame.iloc[-1]
    assert total[col["spent"]] == money(totals.spent, lang)
    assert total[col["name"]] == t("portfolio.total_name", lang, count="3")


def test_french_figures_by_hand(portfolio):
    frame = open_portfolio().dataframe[0].value
    est = frame.iloc[1]
    assert est["Programme"] == "./?program=EST&lang=fr&as_of=2025-07-31"
    assert est["Dépensé"] == "25\u00a0498\u00a0$"  # 25 497,50 $ rounded to the dollar, half-up
    # 15 000 ÷ 25 497,50 = 58,8 % (the space before % is Babel's: compared without it)
    assert est["Part de Québec"].replace("\u00a0", " ").replace("\u202f", " ") == "58,8 %"
    # admin 15,7 % > 10 % inside 2025-2026: to watch until the year end (SPEC §3)
    assert est["Cofinancement"] == "⚠ à surveiller (2)"
    nord = frame.iloc[2]
    assert nord["En date du"] == "2026-04-01"  # NORD starts after the as-of: its first day
    assert frame.iloc[3]["Dépensé"] == "37\u00a0572\u00a0$"  # 11 074,88 + 25 497,50 + 1 000


def test_a_link_opens_the_program_overview(portfolio):
    at = app_tools.run_app(program="EST", lang="en", as_of=AS_OF.isoformat())
    assert at.sidebar.selectbox[0].value == "EST"
    assert at.title[0].value == t("overview.title", "en")
    assert "Program EST" in at.caption[0].value
    assert at.query_params["program"] == "EST"


def test_selecting_a_row_opens_its_overview(portfolio):
    at = open_portfolio()
    view_codes = ("CQIC", "EST", "NORD")
    with session_scope(portfolio) as session:
        view = build_portfolio(session, as_of=AS_OF, lang="fr")
    assert view.codes == view_codes
    assert selected_program(view, [2]) == "NORD"
    assert selected_program(view, [3]) is None  # the total row
    assert selected_program(view, []) is None
    # What the table's selection callback leaves for the next run: the program to open.
    at.session_state[OPEN_KEY] = "NORD"
    at.run()
    assert not at.exception
    assert at.title[0].value == t("overview.title", "fr")
    assert at.sidebar.selectbox[0].value == "NORD"
    assert at.sidebar.date_input[0].value == date(2026, 4, 1)  # kept within NORD's period


def test_figures_follow_the_data_version(portfolio):
    at = open_portfolio()
    before = at.dataframe[0].value.iloc[3]["Dépensé"]
    with session_scope(portfolio) as session:
        program = get_program(session, "EST")
        store_builders.add_expense(session, program, "travel", date(2025, 7, 1), "1000.00")
        bump_data_version(session)
    at.run()
    after = at.dataframe[0].value.iloc[3]["Dépensé"]
    assert (before, after) == ("37\u00a0572\u00a0$", "38\u00a0572\u00a0$")
