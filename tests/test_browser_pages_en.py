"""Every page in English in a browser, under axe-core (WCAG 2.1 A and AA) with its expanders and tabs
open: its language, its title, nothing cut sideways at 1 440 px, nothing fetched from outside the app.

A server and a browser of this module's own (tests/browser_tools.py), so that pytest-xdist runs it beside
the other browser modules; test_browser_pages_fr.py does the same in French.
"""

# ruff: noqa: F811 — the fixtures imported from browser_tools are the arguments of the tests
from __future__ import annotations

import pytest
from browser_tools import (  # noqa: F401 — fixtures
    AS_OF,
    ONE_PROGRAM_PAGES,
    TITLES,
    app_url,
    browser,
    nav_labels,
    page,
    requested,
    rerun,
    store_url,
    visit_every_page,
    wait_for_title,
)

from cqic_budget.i18n import t

pytestmark = pytest.mark.browser


def test_every_page_in_english_is_accessible(app_url, page, requested):
    # French first, then English through the sidebar's language switch, from the last page of the
    # navigation (a reader switching language, then going through the pages).
    page.goto(f"{app_url}/{ONE_PROGRAM_PAGES[-1]}?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t(TITLES[ONE_PROGRAM_PAGES[-1]], "fr"))
    rerun(page, page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click)
    wait_for_title(page, t(TITLES[ONE_PROGRAM_PAGES[-1]], "en"))
    assert nav_labels(page) == [t(f"nav.{key}", "en") for key in ONE_PROGRAM_PAGES]
    problems = visit_every_page(page, app_url, "en")
    assert not problems, problems
    outside = sorted({url for url in requested if url.startswith("http") and not url.startswith(app_url)})
    assert not outside, outside
