"""The app as a person uses it: `streamlit run dashboard.py` on a demo store, Debian's chromium, Playwright.

One Streamlit server and one browser for the module. The tests run in file order: the Overview first (its
URL is the first request of the fresh server), then every page of the navigation in French, then an upload
of data/'s sample sheet that changes the Overview (the only test that writes to the store).
Screenshots are saved under artifacts/screenshots/ (git-ignored) to be looked at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROOT, skip_or_fail

from cqic_budget.auth import LOCAL_USER, PAGES
from cqic_budget.db import make_engine, session_scope
from cqic_budget.demo import load_demo
from cqic_budget.i18n import format_money, format_number, strings, t
from cqic_budget.importing.templates import SAMPLE_PATH
from cqic_budget.metrics.summary import compute_summary
from cqic_budget.models import ImportBatch
from cqic_budget.setup import init_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SAMPLE = SAMPLE_PATH  # a month open and not in the demo (November 2026)
AS_OF = "2026-10-31"
AFTER_SAMPLE = "2026-11-30"  # an as-of that sees the sample month
# Each page's title (st.title), by page key; the Portfolio page only shows with several programs.
TITLES = {
    "overview": "overview.title", "burn": "burn.title", "cofinancing": "cofin.title",
    "milestones": "ms.title", "merchants": "merchants_page.title", "upload": "upload_page.title",
    "reports": "reports_page.title", "settings": "settings_page.title", "audit": "audit_page.title",
}
ONE_PROGRAM_PAGES = [key for key in PAGES if key != "portfolio"]

MAIN = '[data-testid="stMain"]'
NAV_LINK = '[data-testid="stSidebarNavLink"]'
EXCEPTION = '[data-testid="stException"]'
# The run is over and drawn: no status widget ("Running…"), no element left from the previous run, no
# skeleton, every Plotly chart drawn; four polls in a row (a second) so that a rerun has time to begin.
QUIET = """() => {
  const busy = document.querySelector(
      '[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"]')
    || [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
         .some(chart => !chart.querySelector('.main-svg'));
  window.__cqicQuiet = busy ? 0 : (window.__cqicQuiet || 0) + 1;
  return window.__cqicQuiet >= 4;
}"""

pytestmark = pytest.mark.browser


# --- the server and the browser, once for the module ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    """A fresh demo store (SQLite), the one the app serves."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'cqic.db'}"
    engine = make_engine(url)
    init_store(engine)
    with session_scope(engine) as session:
        load_demo(session, user=LOCAL_USER)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def store(store_url):
    """An engine on the app's store, to read what the pages must show."""
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app_url(store_url, tmp_path_factory):
    """`streamlit run dashboard.py` on a free port, against the demo store."""
    port = free_port()
    env = {**os.environ, "CQIC_DATABASE_URL": store_url}
    log = tmp_path_factory.mktemp("streamlit-log") / "streamlit.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             # Edits made in the tree while the tests run must not reach the server ("Source file changed").
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.returncode not in (0, -15, None):
            print(log.read_text(errors="replace"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"no browser at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A new browser context (a new Streamlit session) per test."""
    context = browser.new_context(viewport={"width": 1440, "height": 1900}, locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(90_000)  # generous: CI shares two cores with the rest of the suite
    yield page
    context.close()


# --- helpers ------------------------------------------------------------------------------------------------


def wait_for_app(page) -> None:
    """Streamlit has finished the run: the KPI cards are drawn and nothing is running any more."""
    page.locator('[data-testid="stMetricValue"]').first.wait_for()
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    page.locator(".js-plotly-plot").first.wait_for()


def settle(page) -> None:
    """Wait until the script run is over and drawn (see QUIET)."""
    page.evaluate("window.__cqicQuiet = 0")
    page.wait_for_function(QUIET, polling=250)


def no_exception(page) -> None:
    boxes = page.locator(EXCEPTION)
    assert boxes.count() == 0, boxes.first.inner_text()


def wait_for_title(page, title: str) -> None:
    """The page's title is drawn (or an exception box, reported at once), then the run is over."""
    page.get_by_role("heading", level=1, name=title, exact=True).or_(page.locator(EXCEPTION)).first.wait_for()
    no_exception(page)
    settle(page)


def screenshot(page, name: str) -> Path:
    """The whole page: the app scrolls inside its main area, so the window is made as tall as its content."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.mouse.move(page.viewport_size["width"] - 10, 10)  # off the sidebar: no hover-only buttons
    viewport = page.viewport_size
    height = page.evaluate(f"() => document.querySelector('{MAIN}').scrollHeight")
    tall = max(viewport["height"], min(height, 16_000))
    page.set_viewport_size({"width": viewport["width"], "height": tall})
    try:
        settle(page)
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(viewport)
    return path


def nav_labels(page) -> list[str]:
    """The navigation's labels (each link's text ends with its label, after the icon's name)."""
    return [text.split("\n")[-1].strip() for text in page.locator(NAV_LINK).all_inner_texts()]


def open_by_nav(page, key: str) -> None:
    page.locator(NAV_LINK).filter(has_text=t(f"nav.{key}", "fr")).click()
    wait_for_title(page, t(TITLES[key], "fr"))


def kpi_value(page, key: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text=t(key, "fr"))
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip().replace("\u202f", "\u00a0")


def fixed_parts(template: str) -> list[str]:
    """The literal text of a catalog string around its {params}."""
    return [part for part in re.split(r"\{[a-z_]+\}", template) if part.strip()]


def english_left_over(text: str) -> list[str]:
    """English catalog text (runs of 16 characters or more not also in the French) found in `text`."""
    found = []
    for fr, en in strings().values():
        for part in fixed_parts(en):
            if len(part.strip()) >= 16 and part not in fr and part in text:
                found.append(part.strip())
    return found


def english_placeholders(page) -> list[str]:
    """Streamlit's own English placeholders (« Choose an option ») shown in an empty field."""
    shown = page.evaluate("""() => [...document.querySelectorAll('input, textarea')]
        .filter(field => !field.value && field.placeholder).map(field => field.placeholder)""")
    return [text for text in shown if re.match(r"(Choose|Select|Type|Search)\b", text)]


def raw_keys(text: str) -> list[str]:
    """Catalog keys shown as they are (a key drawn where its translated string was meant)."""
    return sorted(set(re.findall(r"\b[a-z_]+(?:\.[a-z_0-9]+)+\b", text)) & set(strings()))


def spent(store, as_of: str = AS_OF) -> str:
    with session_scope(store) as session:
        summary = compute_summary(session, as_of=date.fromisoformat(as_of))
    return format_money(summary.spent, "fr", decimals=False).replace("\u202f", "\u00a0")


def batch_ids(store) -> list[int]:
    with store.connect() as conn:
        return list(conn.execute(sa.select(ImportBatch.id)).scalars())


# --- the tests ----------------------------------------------------------------------------------------------


def test_overview_in_a_browser_french_then_english(app_url, page):
    # A page's own URL as the first request of a fresh server: the frame must still run around it.
    page.goto(f"{app_url}/overview?lang=fr&as_of={AS_OF}")
    wait_for_app(page)
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

    sidebar.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=t("overview.title", "en")).first.wait_for()
    wait_for_app(page)
    assert page.locator('[data-testid="stMetric"]', has_text=t("kpi.budget", "en")).locator(
        '[data-testid="stMetricValue"]').inner_text().strip() == "$2,100,000"
    page.wait_for_url(re.compile(r"lang=en"))
    assert f"as_of={AS_OF}" in page.url
    screenshot(page, "overview-en.png")


def test_every_page_of_the_navigation_in_french(app_url, page):
    page.goto(f"{app_url}/?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t("overview.title", "fr"))
    # One program: every page but the Portfolio, in the order of auth.PAGES.
    assert nav_labels(page) == [t(f"nav.{key}", "fr") for key in ONE_PROGRAM_PAGES]

    problems = {}
    for key in ONE_PROGRAM_PAGES:
        if key != "overview":
            open_by_nav(page, key)
        path = "/" if key == "overview" else f"/{key}"
        assert re.search(rf"^{re.escape(app_url)}{path}\?", page.url), page.url
        assert f"as_of={AS_OF}" in page.url and "lang=fr" in page.url
        assert page.locator("h1").first.inner_text().strip() == t(TITLES[key], "fr")
        no_exception(page)
        screenshot(page, f"{key}-fr.png")
        text = page.locator(MAIN).inner_text()
        found = (english_left_over(text) + english_placeholders(page) + raw_keys(text)
                 + re.findall(r"\b(?:None|nan|NaN)\b", text))
        if found:
            problems[key] = found
    assert not problems, problems


def test_upload_the_sample_then_the_overview_changes(app_url, store, page):
    before = spent(store, AFTER_SAMPLE)
    page.goto(f"{app_url}/?lang=fr&as_of={AFTER_SAMPLE}")
    wait_for_title(page, t("overview.title", "fr"))
    assert kpi_value(page, "kpi.spent") == before

    open_by_nav(page, "upload")
    batches_before = batch_ids(store)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(SAMPLE))
    page.get_by_text(t("upload_page.preview", "fr", file=SAMPLE.name)).wait_for()
    settle(page)
    no_exception(page)
    screenshot(page, "upload-preview-fr.png")

    commit = page.locator('[data-testid="stBaseButton-primary"]').filter(
        has_text=fixed_parts(strings()["upload_page.commit"][0])[0].strip())
    assert commit.is_enabled()
    commit.click()
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

    after = spent(store, AFTER_SAMPLE)
    assert after != before
    open_by_nav(page, "overview")
    assert kpi_value(page, "kpi.spent") == after
    screenshot(page, "overview-after-upload-fr.png")
