"""The app as a person uses it: `streamlit run dashboard.py` on a demo store, Debian's chromium, Playwright.

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
from pathlib import Path

import pytest
from conftest import ROOT, skip_or_fail

from cqic_budget.auth import LOCAL_USER
from cqic_budget.db import make_engine, session_scope
from cqic_budget.demo import load_demo
from cqic_budget.i18n import format_money, t
from cqic_budget.setup import init_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AS_OF = "2026-10-31"

pytestmark = pytest.mark.browser


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
def app_url(tmp_path_factory):
    """`streamlit run dashboard.py` on a free port, against a fresh demo store."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'cqic.db'}"
    engine = make_engine(url)
    init_store(engine)
    with session_scope(engine) as session:
        load_demo(session, user=LOCAL_USER)
    engine.dispose()

    port = free_port()
    env = {**os.environ, "CQIC_DATABASE_URL": url}
    log = tmp_path_factory.mktemp("streamlit-log") / "streamlit.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
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
    context = browser.new_context(viewport={"width": 1440, "height": 1900}, locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(90_000)  # generous: CI shares two cores with the rest of the suite
    yield page
    context.close()


def wait_for_app(page) -> None:
    """Streamlit has finished the run: the KPI cards are drawn and nothing is running any more."""
    page.locator('[data-testid="stMetricValue"]').first.wait_for()
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    page.locator(".js-plotly-plot").first.wait_for()


def test_overview_in_a_browser_french_then_english(app_url, browser, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
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
    page.screenshot(path=str(SCREENSHOTS / "overview-fr.png"), full_page=True, animations="disabled")

    sidebar.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=t("overview.title", "en")).first.wait_for()
    wait_for_app(page)
    assert page.locator('[data-testid="stMetric"]', has_text=t("kpi.budget", "en")).locator(
        '[data-testid="stMetricValue"]').inner_text().strip() == "$2,100,000"
    page.wait_for_url(re.compile(r"lang=en"))
    assert f"as_of={AS_OF}" in page.url
    page.screenshot(path=str(SCREENSHOTS / "overview-en.png"), full_page=True, animations="disabled")
