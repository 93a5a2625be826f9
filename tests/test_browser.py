"""The app as a person uses it: serve.py on a demo store, Debian's chromium, Playwright.

One Streamlit server and one browser for the module (tests/browser_tools.py). The tests run in file order:
the Overview first (its URL is the first request of the fresh server), a phone's width, the keyboard, the
sidebar's date applied with Enter, the defects once seen in the browser, then an upload of data/'s sample
sheet that changes the Overview (the test that writes to the store last). Every page under axe-core in French
and in English: test_browser_pages_fr.py and test_browser_pages_en.py (servers of their own, run beside this
module by pytest-xdist). Screenshots are saved under artifacts/screenshots/ (git-ignored) at 1 440 px and
390 px, to be looked at.
"""

# ruff: noqa: F811 — the fixtures imported from browser_tools are the arguments of the tests
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from browser_tools import (  # noqa: F401 — fixtures
    AS_OF,
    MAIN,
    NAV_LINK,
    app_server,
    app_url,
    browser,
    chart_traces,
    english_chrome,
    fixed_parts,
    kpi_value,
    new_page,
    no_exception,
    open_by_nav,
    open_page,
    page,
    requested,
    rerun,
    runs_ended,
    screenshot,
    settle,
    spent,
    store_url,
    wait_for_title,
)

from cqic_budget.db import make_engine, session_scope
from cqic_budget.i18n import format_money, format_number, strings, t
from cqic_budget.importing.templates import SAMPLE_PATH
from cqic_budget.metrics.burn import forecast
from cqic_budget.metrics.facts import load_facts
from cqic_budget.models import ImportBatch
from cqic_budget.settings_service import field_label
from cqic_budget.setup import get_program

SAMPLE = SAMPLE_PATH  # a month open and not in the demo (November 2026)
AFTER_SAMPLE = "2026-11-30"  # an as-of that sees the sample month

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store(store_url):
    """An engine on the app's store, to read what the pages must show."""
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


def batch_ids(store) -> list[int]:
    with store.connect() as conn:
        return list(conn.execute(sa.select(ImportBatch.id)).scalars())


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


def test_what_if_default_equals_the_projected_total_card(app_url, store, page):
    open_page(page, app_url, "burn")
    with session_scope(store) as session:
        facts = load_facts(session, program_id=get_program(session).id, as_of=date.fromisoformat(AS_OF))
        projected = format_money(forecast(facts).projected_total, "fr", decimals=False)
    projected = projected.replace("\u202f", "\u00a0")
    assert kpi_value(page, "burn.kpi.projected") == kpi_value(page, "burn.what_if.projected") == projected


def test_milestone_names_are_whole_on_the_timeline(app_url, page):
    open_page(page, app_url, "milestones")
    timeline = page.locator('[data-testid="stPlotlyChart"]').first
    ticks = " ".join(timeline.locator(".ytick text").all_text_contents())
    assert "…" not in ticks
    # Plotly draws each line of a wrapped name apart: compare without the spaces.
    assert "Lancementduprogrammeetrecrutementdela" in re.sub(r"\s", "", ticks)


def test_settings_budget_in_fr_ca_and_an_out_of_range_rate_in_french(app_url, store, page):
    open_page(page, app_url, "settings")
    dollars = t("settings_page.dollars", "fr", label=field_label("budget_total", "fr"))
    budget = page.get_by_role("textbox", name=dollars, exact=True)
    assert budget.input_value().replace("\u202f", " ").replace("\u00a0", " ") == "2 100 000,00"
    percent = t("settings_page.percent", "fr", label=field_label("quebec_rate", "fr"))
    rate = page.get_by_role("textbox", name=percent, exact=True)
    rate.fill("150")
    rerun(page, page.get_by_role("button", name=t("settings_page.save", "fr")).first.click)
    page.get_by_text(t("settings_page.program_not_saved", "fr")).wait_for()
    text = page.locator(MAIN).inner_text()
    assert field_label("quebec_rate", "fr") in text and "100 %" in text.replace("\u00a0", " ")
    assert "Number is outside" not in text
    screenshot(page, "settings-refused-rate-fr.png")


def test_the_sidebar_date_applies_on_enter(app_url, store, page):
    open_page(page, app_url, "overview")
    assert kpi_value(page, "kpi.spent") == spent(store, AS_OF)
    # Typed in the sidebar's as-of field (year, month, day segments), then Enter: no click elsewhere, no Tab.
    field = page.locator('[data-testid="stSidebar"] [data-testid="stDateInputField"]')
    field.locator('[role="spinbutton"]').first.focus()
    page.keyboard.type("20250930")
    rerun(page, lambda: page.keyboard.press("Enter"))
    page.wait_for_url(re.compile(r"as_of=2025-09-30"))
    assert kpi_value(page, "kpi.spent") == spent(store, "2025-09-30") != spent(store, AS_OF)
    # The reader keeps their place: the focus is back in the date field.
    assert page.evaluate("""() => !!document.activeElement.closest('[data-testid="stDateInputField"]')""")


def test_a_click_on_the_page_already_open_keeps_the_language(app_url, page):
    # An English session clicks « Overview » while on the Overview: the click is a navigation that used to
    # drop the sidebar's language radio, so the page came back in French (« Vue d'ensemble », lang=fr).
    open_page(page, app_url, "overview", lang="en")
    link = page.locator(NAV_LINK).filter(has_text=t("nav.overview", "en"))
    rerun(page, link.click)
    settle(page)
    heading = page.get_by_role("heading", level=1).first.inner_text()
    assert heading == t("overview.title", "en") != t("overview.title", "fr")
    assert "lang=en" in page.url and f"as_of={AS_OF}" in page.url
    open_by_nav(page, "burn", "en")  # and the next page is English too
    assert "lang=en" in page.url


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


def unknown_category_workbook() -> bytes:
    """The sample with one row's category written as a person would, unknown to the store."""
    from openpyxl import load_workbook

    book = load_workbook(SAMPLE)
    sheet = book.active
    header = next(row for row in sheet.iter_rows(max_row=10) if any(c.value == "Catégorie" for c in row))
    column = next(c.column for c in header if c.value == "Catégorie")
    sheet.cell(row=header[0].row + 1, column=column, value="Frais de Représentation")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_upload_the_sample_then_the_overview_changes(app_url, store, page):
    before = spent(store, AFTER_SAMPLE)
    open_page(page, app_url, "overview", as_of=AFTER_SAMPLE)
    assert kpi_value(page, "kpi.spent") == before

    open_by_nav(page, "upload")
    batches_before = batch_ids(store)
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    # An unknown category is shown in the preview, as written (accents and case kept).
    unknown = {"name": "inconnue.xlsx", "mimeType": "application/octet-stream",
               "buffer": unknown_category_workbook()}
    rerun(page, lambda: uploader.set_input_files(files=[unknown]))
    page.get_by_text(t("upload_page.preview", "fr", file="inconnue.xlsx")).wait_for()
    assert "« Frais de Représentation »" in page.locator(MAIN).inner_text()
    assert not english_chrome(page), english_chrome(page)
    rerun(page, lambda: uploader.set_input_files(str(SAMPLE)))
    page.get_by_text(t("upload_page.preview", "fr", file=SAMPLE.name)).wait_for()
    no_exception(page)
    screenshot(page, "upload-preview-fr.png")

    commit = page.locator('[data-testid="stBaseButton-primary"]').filter(
        has_text=fixed_parts(strings()["upload_page.commit"][0])[0].strip())
    assert commit.is_enabled()
    rerun(page, commit.click)
    page.get_by_text(fixed_parts(strings()["upload_page.imported"][0])[-1].strip()).wait_for()
    settle(page)

    (batch_id,) = set(batch_ids(store)) - set(batches_before)
    with session_scope(store) as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch.file_name == SAMPLE.name and batch.rows_imported > 0
        message = t("upload_page.imported", "fr", file=batch.file_name, batch_id=batch.id,
                    imported=format_number(batch.rows_imported, "fr"),
                    rejected=format_number(batch.rows_rejected, "fr"),
                    duplicate=format_number(batch.rows_duplicate, "fr"))
    page.locator('[data-testid="stAlert"]', has_text=message).wait_for()
    # The history: the new batch, newest first, chosen in the batch selector.
    assert page.get_by_text(t("upload_page.no_batches", "fr")).count() == 0
    label = t("upload_page.batch_label", "fr", batch_id=batch_id, file=SAMPLE.name, at="")
    chosen = page.get_by_role("combobox", name=t("upload_page.batch", "fr"), exact=True).input_value()
    assert chosen.startswith(label.rstrip(" —") + " — "), chosen
    no_exception(page)
    screenshot(page, "upload-committed-fr.png")
    # The same file again: refused in words (no « duplicate-file »), and the success banner is gone.
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(SAMPLE))
    page.locator('[data-testid="stAlert"]', has_text=f"n° {batch_id}").wait_for()
    settle(page)
    text = page.locator(MAIN).inner_text()
    assert "duplicate-file" not in text and "total-mismatch" not in text
    assert page.locator('[data-testid="stAlert"]', has_text=message).count() == 0
    screenshot(page, "upload-duplicate-fr.png")

    after = spent(store, AFTER_SAMPLE)
    assert after != before
    open_by_nav(page, "overview")
    assert kpi_value(page, "kpi.spent") == after
    screenshot(page, "overview-after-upload-fr.png")
