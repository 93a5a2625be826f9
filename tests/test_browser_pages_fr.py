"""Every page in French in a browser, under axe-core (WCAG 2.1 A and AA) with its expanders and tabs open:
its language, its title, no English of Streamlit's left, nothing cut sideways at 1 440 px, nothing fetched
from outside the app. Screenshots under artifacts/screenshots/ (git-ignored), to be looked at.

A server and a browser of this module's own (tests/browser_tools.py), so that pytest-xdist runs it beside
the other browser modules; test_browser_pages_en.py does the same in English.
"""

# ruff: noqa: F811 — the fixtures imported from browser_tools are the arguments of the tests
from __future__ import annotations

import pytest
from browser_tools import (  # noqa: F401 — fixtures
    AS_OF,
    ONE_PROGRAM_PAGES,
    app_url,
    browser,
    nav_labels,
    page,
    requested,
    store_url,
    visit_every_page,
    wait_for_title,
)

from cqic_budget.i18n import t

pytestmark = pytest.mark.browser


def test_every_page_in_french_is_accessible(app_url, page, requested):
    page.goto(f"{app_url}/?lang=fr&as_of={AS_OF}")
    wait_for_title(page, t("overview.title", "fr"))
    # One program: every page but the Portfolio, in the order of auth.PAGES.
    assert nav_labels(page) == [t(f"nav.{key}", "fr") for key in ONE_PROGRAM_PAGES]
    problems = visit_every_page(page, app_url, "fr")
    assert not problems, problems
    # Nothing fetched from outside the app: no font server for the page icon, no CDN.
    outside = sorted({url for url in requested if url.startswith("http") and not url.startswith(app_url)})
    assert not outside, outside
    icon = page.evaluate("document.querySelector('link[rel~=\"icon\"]').href")
    assert icon.startswith((app_url, "data:")), icon
