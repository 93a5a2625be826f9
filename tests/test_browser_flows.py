"""The app as a person uses it, continued from test_browser.py (a server of its own, so that pytest-xdist
runs the two modules side by side): the defects once seen in the browser, the sidebar's date applied with
Enter, a click on the page already open, then an upload of data/'s sample sheet that changes the Overview
(the test that writes to the store last). Screenshots are saved under artifacts/screenshots/ (git-ignored)
at 1 440 px and 390 px, to be looked at.
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
    app_url,
    browser,
    english_chrome,
    fixed_parts,
    kpi_value,
    no_exception,
    open_by_nav,
    open_page,
    page,
    requested,
    rerun,
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
    # The reader keeps their place: the focus is back in the date field's day, even when the run redrew the
    # field (it does on a server's first runs: run alone, this test used to find the focus on <body>).
    assert page.evaluate("""() => document.activeElement.closest('[data-testid="stSidebar"]')
        && document.activeElement.getAttribute('aria-label')""") == "jour, " + t("sidebar.as_of", "fr")


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


def test_the_overview_by_its_name_opens_at_the_root(app_url, page):
    # /overview (a bookmark, a link typed by hand) used to draw Streamlit's «Page not found» over the Overview
    # (the default page is served at / only): it now leads to /, the URL's language and date kept.
    page.goto(f"{app_url}/overview?lang=en&as_of=2025-09-30")
    wait_for_title(page, t("overview.title", "en"))
    page.wait_for_url(re.compile(r"/\?lang=en&as_of=2025-09-30$"))
    settle(page)
    assert "not found" not in page.locator("body").inner_text().lower()
    current = page.locator(f"{NAV_LINK}[aria-current]")
    assert current.count() == 1 and t("nav.overview", "en") in current.inner_text()


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
