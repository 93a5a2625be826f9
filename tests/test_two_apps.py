"""The deployment the README describes: two app processes (serve.py) on one PostgreSQL store (SPEC §7, §8).

An upload through one app is seen by the other at its next rerun (the data version); the same file uploaded
through both at once is imported once, and both then show the same figure. The same servers answer a browser
that comes through a proxy or a port forward with the local-only refusal, never the app (local mode serves
the loopback only). Debian's chromium with Playwright (tests/browser_tools.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import browser_tools
import pytest
import sqlalchemy as sa
from browser_tools import (
    CHROMIUM,
    CHROMIUM_ARGS,
    fixed_parts,
    kpi_value,
    no_exception,
    settle,
    wait_for_title,
)
from conftest import INIT, ROOT
from import_helpers import HEADER_FR, taxed, xlsx

from cqic_budget.db import make_engine, session_scope
from cqic_budget.i18n import format_money, strings, t
from cqic_budget.metrics.summary import compute_summary
from cqic_budget.models import Expense, ImportBatch
from tools.local_server import free_port, wait_healthy

pytestmark = pytest.mark.browser
AS_OF = "2026-10-31"
ROWS = 3000
UPLOADER = '[data-testid="stFileUploader"] input[type="file"]'


@pytest.fixture(scope="module")
def pg_url(pg_templates):
    """A PostgreSQL store of this module's own with the CQIC program and no expenses (a copy of the
    initialised template of tests/conftest.py), dropped at the end."""
    name = pg_templates.create(INIT)
    yield pg_templates.url(name)
    pg_templates.drop(name)


@pytest.fixture(scope="module")
def pg_store(pg_url):
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def apps(pg_store, pg_url, tmp_path_factory):
    """Two app processes on the one store, started side by side."""
    env = {**os.environ, "CQIC_DATABASE_URL": pg_url}
    logs = tmp_path_factory.mktemp("two-apps")
    servers, urls = [], []
    for name in ("a", "b"):
        port = free_port()
        with open(logs / f"{name}.log", "wb") as out:
            servers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "serve.py",
                        "--server.address",
                        "127.0.0.1",
                        "--server.port",
                        str(port),
                        "--server.headless",
                        "true",
                        "--browser.gatherUsageStats",
                        "false",
                        "--server.fileWatcherType",
                        "none",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, server in zip(urls, servers, strict=True):
            wait_healthy(url, server)
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="module")
def playwright():
    with browser_tools.playwright_driver() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def new_page(browser, **options):
    """A tab of a new context with the idle recorder that settle() reads."""
    return browser_tools.new_page(browser, height=1400, locale="fr-CA", timeout_ms=60_000, **options)


def spent(engine) -> str:
    with session_scope(engine) as session:
        summary = compute_summary(session, as_of=date.fromisoformat(AS_OF))
    return format_money(summary.spent, "fr", decimals=False).replace("\u202f", "\u00a0")


def sheet(path: Path, *rows) -> Path:
    path.write_bytes(xlsx({"Dépenses": [HEADER_FR, *rows]}))
    return path


def open_overview(page, url: str) -> None:
    page.goto(f"{url}/?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t("overview.title", "fr"))


def open_upload_with(page, path: Path):
    """The Upload page with `path` previewed; returns the commit button."""
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=t("nav.upload", "fr")).click()
    wait_for_title(page, t("upload_page.title", "fr"))
    page.locator(UPLOADER).set_input_files(str(path))
    page.get_by_text(t("upload_page.preview", "fr", file=path.name)).wait_for()
    settle(page)
    no_exception(page)
    commit = page.locator('[data-testid="stBaseButton-primary"]').filter(
        has_text=fixed_parts(strings()["upload_page.commit"][0])[0].strip()
    )
    assert commit.is_enabled()
    return commit


IMPORTED = fixed_parts(strings()["upload_page.imported"][0])[-1].strip()
DUPLICATE = fixed_parts(strings()["import.refused.duplicate-file"][0])[0].strip()


def test_two_processes_share_one_store(apps, pg_store, browser, tmp_path):
    started = time.monotonic()
    lap = lambda what: print(f"{what}: {time.monotonic() - started:.1f} s")  # noqa: E731
    url_a, url_b = apps
    page_a, page_b = new_page(browser), new_page(browser)
    for page, url in ((page_a, url_a), (page_b, url_b)):  # both servers draw their first page side by side
        page.goto(f"{url}/?lang=fr&as_of={AS_OF}")
    for page in (page_a, page_b):
        wait_for_title(page, t("overview.title", "fr"))
    assert kpi_value(page_a, "kpi.spent") == kpi_value(page_b, "kpi.spent") == spent(pg_store)
    before = spent(pg_store)
    lap("both overviews")

    # An upload through app A ...
    march = sheet(
        tmp_path / "mars.xlsx",
        taxed(date(2026, 3, 31), "Bell", "1000.00", "B-1"),
        taxed(date(2026, 3, 30), "Vidéotron", "250.00", "V-1"),
    )
    open_upload_with(page_a, march).click()
    page_a.get_by_text(IMPORTED).wait_for()
    after = spent(pg_store)
    assert after != before
    # ... is seen by app B at its next rerun (same session: the data version moved).
    page_b.keyboard.press("r")
    page_b.locator('[data-testid="stMetric"]', has_text=t("kpi.spent", "fr")).locator(
        '[data-testid="stMetricValue"]', has_text=after.split("\u00a0")[0]
    ).wait_for()
    assert kpi_value(page_b, "kpi.spent") == after
    lap("upload through A, seen in B")

    # The same file uploaded through both apps at once: imported once, the other told it is a duplicate.
    # Enough rows that one commit is still writing when the other starts (without the store's lock, both
    # pass the duplicate check).
    april = sheet(
        tmp_path / "avril.xlsx",
        *(
            taxed(date(2026, 4, 1 + i % 28), f"Fournisseur {i}", f"{100 + i % 50}.00", f"F-{i}")
            for i in range(ROWS)
        ),
    )
    commit_a, commit_b = open_upload_with(page_a, april), open_upload_with(page_b, april)
    commit_a.click(no_wait_after=True)
    commit_b.click(no_wait_after=True)
    outcomes = []
    for page in (page_a, page_b):
        page.get_by_text(IMPORTED).or_(page.get_by_text(DUPLICATE)).first.wait_for()
        settle(page)  # the run that drew the outcome is over (no stale element of the preview left)
        outcomes.append("imported" if page.get_by_text(IMPORTED).count() else "duplicate-file")
        assert bool(page.get_by_text(DUPLICATE).count()) == (outcomes[-1] == "duplicate-file")
    assert sorted(outcomes) == ["duplicate-file", "imported"], outcomes
    with pg_store.connect() as conn:
        batches = conn.execute(sa.select(ImportBatch.file_name, ImportBatch.status)).all()
        expenses = conn.execute(sa.select(sa.func.count()).select_from(Expense)).scalar_one()
    assert sorted(batches) == [("avril.xlsx", "imported"), ("mars.xlsx", "imported")]
    assert expenses == 2 + ROWS  # nothing lost, nothing doubled
    lap("concurrent uploads")

    with pg_store.connect() as conn:
        total = conn.execute(sa.select(sa.func.sum(Expense.amount_cents))).scalar_one()
    assert total == 100_000 + 25_000 + sum(10_000 + 100 * (i % 50) for i in range(ROWS))  # 1 250 $ + April

    # App B, rerun on its Overview, shows the store's total.
    page_b.locator('[data-testid="stSidebarNavLink"]').filter(has_text=t("nav.overview", "fr")).click()
    wait_for_title(page_b, t("overview.title", "fr"))
    assert kpi_value(page_b, "kpi.spent") == spent(pg_store)
    lap("B's overview again")


def refusal_title() -> str:
    return t("access.refusal.remote-client.title", "fr")


def test_a_browser_through_a_proxy_gets_the_local_only_page(apps, browser):
    page = new_page(browser, extra_http_headers={"X-Forwarded-For": "203.0.113.9"})
    page.goto(f"{apps[0]}/?lang=fr")
    page.get_by_role("heading", level=1, name=refusal_title(), exact=True).wait_for()
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert t("overview.title", "fr") not in text
    assert page.locator('[data-testid="stSidebarNavLink"]').count() == 0
    assert page.locator('[data-testid="stMetric"]').count() == 0


def test_a_browser_through_a_port_forward_gets_the_local_only_page(apps, playwright):
    # The browser asks for cqic.example.org (resolved here to the loopback, as a forward would carry it).
    port = apps[0].rsplit(":", 1)[1]
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP cqic.example.org 127.0.0.1"],
    )
    try:
        page = new_page(browser)
        page.goto(f"http://cqic.example.org:{port}/?lang=fr")
        page.get_by_role("heading", level=1, name=refusal_title(), exact=True).wait_for()
        assert page.locator('[data-testid="stMetric"]').count() == 0
    finally:
        browser.close()
