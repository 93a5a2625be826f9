"""The app as a person uses it: serve.py on a demo store, Debian's chromium, Playwright.

One Streamlit server and one browser for the module (tests/browser_tools.py). The tests run in file order:
the Overview first (its URL is the first request of the fresh server), a phone's width, the keyboard, and
the chart's fixed colours and click. The other defects once seen in the browser, the sidebar's date applied
with Enter and an upload that changes the Overview: test_browser_flows.py. Every page under axe-core in
French and in English: test_browser_pages_fr.py and test_browser_pages_en.py. Each module has a server of
its own, so pytest-xdist runs them side by side. Screenshots are saved under artifacts/screenshots/
(git-ignored) at 1 440 px and 390 px, to be looked at.
"""

# ruff: noqa: F811 — the fixtures imported from browser_tools are the arguments of the tests
from __future__ import annotations

import re

import pytest
from browser_tools import (  # noqa: F401 — fixtures
    AS_OF,
    MAIN,
    app_server,
    app_url,
    browser,
    chart_traces,
    new_page,
    open_page,
    page,
    requested,
    rerun,
    runs_ended,
    screenshot,
    store_url,
    wait_for_title,
)

from cqic_budget.i18n import format_money, t

pytestmark = pytest.mark.browser


# --- the tests ----------------------------------------------------------------------------------------------


def test_overview_in_a_browser_french_then_english(app_url, page):
    # The default page's URL (Streamlit serves it at /, and answers /overview with «Page not found»); a page's
    # own URL as a fresh server's first request: test_a_page_opened_first_after_a_start_runs_once.
    page.goto(f"{app_url}/?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t("overview.title", "fr"))
    assert page.locator("h1").first.inner_text().strip() == t("overview.title", "fr")
    budget = page.locator('[data-testid="stMetric"]', has_text=t("kpi.budget", "fr"))
    value = budget.locator('[data-testid="stMetricValue"]').inner_text().strip()
    assert value.replace("\u202f", "\u00a0") == format_money(2_100_000, "fr", decimals=False)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert t("local_mode_banner", "fr") in sidebar.inner_text()
    page.get_by_text(t("overview.milestones", "fr")).click()
    page.get_by_text("Jalon 1 — Lancement du programme", exact=False).wait_for()
    page.get_by_text(t("overview.milestone_colours", "fr")).wait_for()
    screenshot(page, "overview-milestones-fr.png")

    rerun(page, sidebar.get_by_text("English", exact=True).click)
    wait_for_title(page, t("overview.title", "en"))
    assert page.locator('[data-testid="stMetric"]', has_text=t("kpi.budget", "en")).locator(
        '[data-testid="stMetricValue"]').inner_text().strip() == "$2,100,000"
    page.wait_for_url(re.compile(r"lang=en"))
    assert f"as_of={AS_OF}" in page.url
    screenshot(page, "overview-en.png")


def test_a_phone_width_keeps_the_pages_readable(app_url, browser):
    page = new_page(browser, width=390, height=844, locale="fr-CA", is_mobile=True)
    try:
        for key in ("overview", "burn", "milestones"):
            open_page(page, app_url, key)
            screenshot(page, f"{key}-390-fr.png")
            # A chart's legend stays clear of its title (on the Overview they crowded each other at 390 px).
            chart = page.locator('[data-testid="stPlotlyChart"]').first
            title = chart.locator(".gtitle").bounding_box()
            legend = chart.locator(".legend").bounding_box()
            assert title["y"] + title["height"] <= legend["y"], (key, title, legend)
    finally:
        page.context.close()


# The width of the focus outline drawn around the focused element (a radio's label, a select's box).
FOCUS_OUTLINE = """() => {
  const el = document.activeElement;
  const boxes = [el, el.closest('label'), el.closest('[data-baseweb="select"] > div')].filter(Boolean);
  return Math.max(...boxes.map(box => getComputedStyle(box).outlineStyle === 'none' ? 0
                                      : parseFloat(getComputedStyle(box).outlineWidth) || 0));
}"""


def test_keyboard_only_language_as_of_and_drill_down(app_url, page):
    open_page(page, app_url, "burn")

    def tab_to(description: str, accept: str, limit: int = 80) -> None:
        """Press Tab until the focused element matches the JS predicate `accept` (el => bool)."""
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"(() => {{ const el = document.activeElement; return ({accept})(el); }})()"):
                outline = page.evaluate(FOCUS_OUTLINE)
                assert outline >= 2, f"{description}: no visible focus outline ({outline} px)"
                return
        raise AssertionError(f"{description} not reached with the keyboard")

    # The language switch: reached with Tab, changed with the arrow keys.
    tab_to("the language switch", "el => el.type === 'radio'")
    rerun(page, lambda: page.keyboard.press("ArrowRight"))
    wait_for_title(page, t("burn.title", "en"))
    page.wait_for_url(re.compile(r"lang=en"))
    # The drill-down's period: reached with Tab, opened and changed with the arrow keys and Enter.
    tab_to("the drill-down period", f"el => el.getAttribute('role') === 'combobox' && "
           f"el.getAttribute('aria-label') === {t('drill.period', 'en')!r}")
    before = page.locator(MAIN).get_by_text(re.compile(r"rows · eligible cost")).first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    rerun(page, lambda: page.keyboard.press("Enter"))
    after = page.locator(MAIN).get_by_text(re.compile(r"rows · eligible cost")).first.inner_text()
    assert after != before


def test_category_colours_are_fixed_and_a_bar_opens_the_drill_down(app_url, page):
    colours = {}
    for as_of in ("2025-09-30", AS_OF):
        open_page(page, app_url, "burn", as_of=as_of)
        colours[as_of] = {trace["name"]: trace["color"] for trace in chart_traces(page)}
    common = set(colours["2025-09-30"]) & set(colours[AS_OF])
    assert len(common) >= 3
    assert {n: colours["2025-09-30"][n] for n in common} == {n: colours[AS_OF][n] for n in common}
    # A click on a bar of the monthly chart: the drill-down shows that month and that category.
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    traces = chart_traces(page)
    bars = chart.locator(".barlayer .trace").first.locator("path")
    rerun(page, lambda: bars.nth(bars.count() - 1).click(force=True))
    pickers = [c.input_value() for c in page.locator(MAIN).get_by_role("combobox").all()[:2]]
    assert pickers == ["oct. 2026", traces[0]["name"]], pickers
    screenshot(page, "burn-drill-from-chart-fr.png")


def test_a_page_opened_first_after_a_start_runs_once(store_url, browser, tmp_path):
    """A fresh server's first request, for a page's own URL, runs the script once: serve.py imports the app
    before the first session (else Streamlit takes pages/ for its older multipage layout on that request,
    runs pages/burn.py without the frame, and the page asks for a second run)."""
    with app_server(store_url, tmp_path / "streamlit.log") as base:
        page = new_page(browser)
        try:
            open_page(page, base, "burn")
            assert runs_ended(page) == 1
        finally:
            page.context.close()
